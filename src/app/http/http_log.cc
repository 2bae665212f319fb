// The EVE "http" object, Suricata 8's fields in Suricata's order: the basic
// set (hostname .. content_range) then the extended set (http_refer ..
// length), which the stock configuration enables (extended: yes). Header
// dumps and bodies are opt-in in Suricata and are not written here.
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

struct ContentRange {
  int64_t start = -1, end = -1, size = -1;
};

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

}  // namespace

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

void HttpTx::log(JsonWriter& w) const {
  w.Key("http");
  w.StartObject();
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
  // Extended fields.
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
  w.EndObject();
}

}  // namespace pasban::app::http
