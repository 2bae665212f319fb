// The EVE "http" object, Suricata 8's fields in Suricata's order: the basic
// set (hostname .. content_range) then the extended set (http_refer ..
// length), which the stock configuration enables (extended: yes), then the
// header arrays an output asks for (dump-all-headers, custom).
#include <algorithm>
#include <cctype>
#include <cstdint>
#include <optional>

#include "app/http/http_parser.h"

namespace pasban::app::http {
namespace {

bool valid_utf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    size_t n = 0;
    uint32_t cp = 0;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      n = 1;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      n = 2;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      n = 3;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (i + n >= s.size()) return false;  // truncated sequence
    for (size_t k = 1; k <= n; ++k) {
      const auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = cp << 6 | (cc & 0x3F);
    }
    // Overlong forms, surrogates and values past U+10FFFF are not UTF-8.
    if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
        (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
      return false;
    i += n + 1;
  }
  return true;
}

void put(JsonWriter& w, const char* key, std::string_view bytes) {
  w.Key(key);
  const std::string s = eve_string_from_bytes(bytes);
  w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}

}  // namespace

// "bytes 500-1000/146515", "bytes */146515", "bytes 0-9/*" (RFC 7233 4.2).
std::optional<ContentRange> parse_content_range(std::string_view v) {
  auto skip_spaces = [&] {
    while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
  };
  auto number = [&](int64_t& out) {
    if (v.empty() || v.front() < '0' || v.front() > '9') return false;
    int64_t n = 0;
    while (!v.empty() && v.front() >= '0' && v.front() <= '9') {
      if (n > (INT64_MAX - 9) / 10) return false;
      n = n * 10 + (v.front() - '0');
      v.remove_prefix(1);
    }
    out = n;
    return true;
  };
  ContentRange r;
  skip_spaces();
  if (v.substr(0, 5) == "bytes") v.remove_prefix(5);
  skip_spaces();
  if (!v.empty() && v.front() == '*') {
    v.remove_prefix(1);
  } else {
    if (!number(r.start) || v.empty() || v.front() != '-') return std::nullopt;
    v.remove_prefix(1);
    if (!number(r.end)) return std::nullopt;
  }
  if (v.empty() || v.front() != '/') return std::nullopt;
  v.remove_prefix(1);
  if (!v.empty() && v.front() == '*') return r;
  if (!number(r.size)) return std::nullopt;
  return r;
}

std::string eve_string_from_bytes(std::string_view bytes) {
  if (valid_utf8(bytes)) return std::string(bytes);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() + 16);
  for (const char ch : bytes) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x80) {
      out += ch;
    } else {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    }
  }
  return out;
}

namespace {

bool iequal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  return true;
}

// Suricata's list of loggable custom headers, in its order.
constexpr HttpCustomField kCustomFields[] = {
    {"accept", "accept", true},
    {"accept_charset", "accept-charset", true},
    {"accept_encoding", "accept-encoding", true},
    {"accept_language", "accept-language", true},
    {"accept_datetime", "accept-datetime", true},
    {"authorization", "authorization", true},
    {"cache_control", "cache-control", true},
    {"cookie", "cookie", true},
    {"from", "from", true},
    {"max_forwards", "max-forwards", true},
    {"origin", "origin", true},
    {"pragma", "pragma", true},
    {"proxy_authorization", "proxy-authorization", true},
    {"range", "range", true},
    {"te", "te", true},
    {"via", "via", true},
    {"x_requested_with", "x-requested-with", true},
    {"dnt", "dnt", true},
    {"x_forwarded_proto", "x-forwarded-proto", true},
    {"x_authenticated_user", "x-authenticated-user", true},
    {"x_flash_version", "x-flash-version", true},
    {"accept_range", "accept-range", false},
    {"age", "age", false},
    {"allow", "allow", false},
    {"connection", "connection", false},
    {"content_encoding", "content-encoding", false},
    {"content_language", "content-language", false},
    {"content_length", "content-length", false},
    {"content_location", "content-location", false},
    {"content_md5", "content-md5", false},
    {"content_range", "content-range", false},
    {"content_type", "content-type", false},
    {"date", "date", false},
    {"etag", "etags", false},  // sic: Suricata looks up "etags"
    {"expires", "expires", false},
    {"last_modified", "last-modified", false},
    {"link", "link", false},
    {"location", "location", false},
    {"proxy_authenticate", "proxy-authenticate", false},
    {"referrer", "referrer", false, true},
    {"refresh", "refresh", false},
    {"retry_after", "retry-after", false},
    {"server", "server", false},
    {"set_cookie", "set-cookie", false},
    {"trailer", "trailer", false},
    {"transfer_encoding", "transfer-encoding", false},
    {"upgrade", "upgrade", false},
    {"vary", "vary", false},
    {"warning", "warning", false},
    {"www_authenticate", "www-authenticate", false},
    {"true_client_ip", "true-client-ip", true},
    {"org_src_ip", "org-src-ip", true},
    {"x_bluecoat_via", "x-bluecoat-via", true},
};

// Suricata cuts dumped header names and values to these lengths.
constexpr size_t kDumpNameMax = 255, kDumpValueMax = 2047;

// One dumped header array; an empty table writes nothing (the schema
// wants at least one item).
void log_headers(JsonWriter& w, const char* key, const std::vector<HttpHeader>& headers) {
  if (headers.empty()) return;
  w.Key(key);
  w.StartArray();
  for (const HttpHeader& h : headers) {
    w.StartObject();
    put(w, "name", std::string_view(h.name).substr(0, kDumpNameMax));
    put(w, "value", std::string_view(h.value).substr(0, kDumpValueMax));
    w.EndObject();
  }
  w.EndArray();
}

}  // namespace

const HttpCustomField* http_custom_field(std::string_view name) {
  for (const HttpCustomField& f : kCustomFields)
    if (f.key == name || iequal(f.header, name)) return &f;
  return nullptr;
}

void HttpTx::log(JsonWriter& w) const { log_with_options(w, HttpLogOptions{}); }

void HttpTx::log_with_options(JsonWriter& w, const HttpLogOptions& o) const {
  w.Key("http");
  w.StartObject();
  log_basic(w);
  log_custom(w, o);
  if (o.extended) log_extended(w);
  if (o.dump_request_headers) log_headers(w, "request_headers", request_headers);
  if (o.dump_response_headers) log_headers(w, "response_headers", response_headers);
  w.EndObject();
}

void HttpTx::log_custom(JsonWriter& w, const HttpLogOptions& o) const {
  if (o.custom.empty()) return;
  // In Suricata's table order, whatever the order of the configuration.
  for (const HttpCustomField& field : kCustomFields) {
    const HttpCustomField* f = &field;
    if (std::find(o.custom.begin(), o.custom.end(), f) == o.custom.end()) continue;
    if (o.extended && f->extended) continue;  // the extended set has it
    const std::string* v = f->request ? request_header(f->header) : response_header(f->header);
    if (v) put(w, std::string(f->key).c_str(), *v);
  }
}

void HttpTx::log_basic(JsonWriter& w) const {
  if (has_hostname) put(w, "hostname", hostname);
  // Only a port written in the Host header or the URI; never the TCP port.
  if (port >= 0) {
    w.Key("http_port");
    w.Uint(static_cast<unsigned>(port));
  }
  if (has_uri) put(w, "url", uri_raw);
  if (const std::string* ua = request_header("user-agent")) put(w, "http_user_agent", *ua);
  if (const std::string* xff = request_header("x-forwarded-for")) put(w, "xff", *xff);
  if (const std::string* ct = response_header("content-type")) {
    // The media type only: parameters (";charset=...") are cut.
    std::string_view v = *ct;
    if (const size_t semi = v.find(';'); semi != std::string_view::npos) v = v.substr(0, semi);
    put(w, "http_content_type", v);
  }
  if (const std::string* cr = response_header("content-range")) {
    w.Key("content_range");
    w.StartObject();
    put(w, "raw", *cr);
    if (auto r = parse_content_range(*cr)) {
      if (r->start >= 0) {
        w.Key("start");
        w.Int64(r->start);
      }
      if (r->end >= 0) {
        w.Key("end");
        w.Int64(r->end);
      }
      if (r->size >= 0) {
        w.Key("size");
        w.Int64(r->size);
      }
    }
    w.EndObject();
  }
}

void HttpTx::log_extended(JsonWriter& w) const {
  if (const std::string* ref = request_header("referer")) put(w, "http_refer", *ref);
  if (has_method) put(w, "http_method", method);
  if (has_protocol) put(w, "protocol", protocol);
  if (status_number > 0) {
    w.Key("status");
    w.Uint(static_cast<unsigned>(status_number));
  } else if (has_status) {
    // Not a number ("2XX"): Suricata 8 keeps the text.
    put(w, "status_string", status);
  }
  if (const std::string* loc = response_header("location")) put(w, "redirect", *loc);
  w.Key("length");
  w.Uint64(static_cast<uint64_t>(response_message_len < 0 ? 0 : response_message_len));
}

}  // namespace pasban::app::http
