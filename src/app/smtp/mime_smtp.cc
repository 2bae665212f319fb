#include "app/smtp/mime_smtp.h"

#include <algorithm>
#include <map>

namespace pasban::app::smtp {
namespace {

bool mime_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

char lower_char(char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; }

bool iequals(std::string_view a, std::string_view lower_b) {
  if (a.size() != lower_b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (lower_char(a[i]) != lower_b[i]) return false;
  return true;
}

// Case-insensitive find of `needle` (lowercase) in `hay` from `from`.
size_t ifind(std::string_view hay, std::string_view needle, size_t from) {
  if (needle.empty() || hay.size() < needle.size()) return std::string_view::npos;
  for (size_t i = from; i + needle.size() <= hay.size(); ++i) {
    size_t k = 0;
    while (k < needle.size() && lower_char(hay[i + k]) == needle[k]) ++k;
    if (k == needle.size()) return i;
  }
  return std::string_view::npos;
}

int hex_upper(uint8_t c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;  // RFC 2045 6.7: uppercase hex only
}

int base64_value(uint8_t c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

// Parameters of a structured header value after its first ';'
// (RFC 2045 5.1): name=token or name="quoted string". A later duplicate
// replaces an earlier one; parsing stops at the first malformed parameter.
std::map<std::string_view, std::string_view> header_params(std::string_view v) {
  std::map<std::string_view, std::string_view> params;
  size_t semi = v.find(';');
  if (semi == std::string_view::npos) return params;
  std::string_view in = v.substr(semi + 1);
  while (!in.empty()) {
    while (!in.empty() && mime_space(in.front())) in.remove_prefix(1);
    size_t eq = in.find('=');
    if (eq == std::string_view::npos) break;
    std::string_view name = in.substr(0, eq);
    in.remove_prefix(eq + 1);
    std::string_view value;
    if (!in.empty() && in.front() == '"') {
      size_t i = 1;
      bool escaping = false, closed = false;
      for (; i < in.size(); ++i) {
        if (in[i] == '\\') {
          escaping = true;
        } else {
          if (in[i] == '"' && !escaping) {
            closed = true;
            break;
          }
          escaping = false;
        }
      }
      if (!closed) break;
      value = in.substr(1, i - 1);
      in.remove_prefix(i + 1);
    } else {
      size_t end = std::min(in.find(';'), in.size());
      value = in.substr(0, end);
      while (!value.empty() && mime_space(value.back())) value.remove_suffix(1);
      in.remove_prefix(end);
    }
    params[name] = value;
    while (!in.empty() && mime_space(in.front())) in.remove_prefix(1);
    if (!in.empty() && in.front() == ';') in.remove_prefix(1);
  }
  return params;
}

}  // namespace

bool mime_header_token(std::string_view value, std::string_view token, std::string& out) {
  auto params = header_params(value);
  if (auto it = params.find(token); it != params.end()) {
    out.assign(it->second);
    return true;
  }
  // RFC 2231 3: a long value split into sections name*0, name*1, ...
  out.clear();
  bool found = false;
  for (size_t n = 0; n < params.size(); ++n) {
    auto it = params.find(std::string(token) + "*" + std::to_string(n));
    if (it == params.end()) break;
    out.append(it->second);
    found = true;
  }
  return found;
}

std::vector<std::string> mime_split_addresses(std::string_view value) {
  std::vector<std::string> out;
  std::string cur;
  bool quoted = false;
  auto flush = [&] {
    size_t b = 0;
    while (b < cur.size() && (cur[b] == ' ' || cur[b] == '\t')) ++b;
    if (b < cur.size()) out.push_back(cur.substr(b));
    cur.clear();
  };
  for (char c : value) {
    if (c == '"') quoted = !quoted;
    if (c == ',' && !quoted) {
      flush();
      continue;
    }
    cur.push_back(c);
  }
  flush();
  return out;
}

MimeSmtp::MimeSmtp(const MimeConfig& config) : config_(config) {}

MimeSmtp::~MimeSmtp() {
  if (md5_) EVP_MD_CTX_free(md5_);
}

const MimeHeader* MimeSmtp::main_header(std::string_view lower_name) const {
  const size_t n = main_done_ ? main_headers_ : headers_.size();
  for (size_t i = 0; i < n; ++i)
    if (iequals(headers_[i].name, lower_name)) return &headers_[i];
  return nullptr;
}

uint32_t MimeSmtp::add_header(std::string_view line) {
  size_t colon = line.find(':');
  if (colon == std::string_view::npos) return 0;  // not a header: ignored
  if (headers_.size() >= kMimeMaxHeaders) return kMimeLongHeaderValue;
  std::string_view value = line.substr(colon + 1);
  while (!value.empty() && mime_space(value.front())) value.remove_prefix(1);
  MimeHeader h{std::string(line.substr(0, colon)), std::string(value)};
  uint32_t w = 0;
  if (h.name.size() > kMimeMaxHeaderName) w |= kMimeLongHeaderName;
  if (h.value.size() > kMimeMaxHeaderValue) w |= kMimeLongHeaderValue;
  headers_.push_back(std::move(h));
  return w;
}

uint32_t MimeSmtp::end_of_headers() {
  state_ = State::kBody;
  uint32_t w = process_part_headers();
  if (!main_done_) {
    main_done_ = true;
    main_headers_ = headers_.size();
  }
  return w;
}

// The headers of the current part (all of them for the message itself):
// attachment name, transfer encoding, content type and, in the main
// header only, the multipart boundary.
uint32_t MimeSmtp::process_part_headers() {
  uint32_t w = 0;
  const size_t first = main_done_ ? main_headers_ : 0;
  auto take_name = [&](const std::string& value, std::string_view token) {
    std::string name;
    if (!filename_.empty() || !mime_header_token(value, token, name)) return;
    if (name.size() > kMimeMaxToken) {
      w |= kMimeLongFilename;
      name.resize(kMimeMaxToken);
    }
    filename_ = name;
    attachments_.push_back(std::move(name));
  };
  for (size_t i = first; i < headers_.size(); ++i) {
    const MimeHeader& h = headers_[i];
    if (iequals(h.name, "content-disposition")) {
      take_name(h.value, "filename");
    } else if (iequals(h.name, "content-transfer-encoding")) {
      if (iequals(h.value, "base64")) {
        encoding_ = Encoding::kBase64;
        b64_count_ = 0;
      } else if (iequals(h.value, "quoted-printable")) {
        encoding_ = Encoding::kQuotedPrintable;
      }
    }
  }
  for (size_t i = first; i < headers_.size(); ++i) {
    const MimeHeader& h = headers_[i];
    if (!iequals(h.name, "content-type")) continue;
    take_name(h.value, "name");
    if (!main_done_) {
      std::string b;
      if (mime_header_token(h.value, "boundary", b)) {
        if (b.size() > kMimeMaxBoundary) w |= kMimeLongBoundary;
        boundary_ = "--" + b;
      }
    }
    std::string_view ct(h.value);
    ct = ct.substr(0, std::min(ct.find(';'), ct.size()));
    if (ct == "text/plain") content_type_ = ContentType::kPlainText;
    else if (ct == "text/html") content_type_ = ContentType::kHtml;
    else content_type_ = ContentType::kUnknown;
    break;
  }
  return w;
}

MimeResult MimeSmtp::parse_line(core::Bytes line, core::Bytes full, MimeSink& sink,
                                uint32_t& warnings) {
  warnings = 0;
  if (md5_started_) EVP_DigestUpdate(md5_, full.data(), full.size());
  if (line.size() > kMimeMaxLine) warnings |= kMimeLongLine;
  const std::string_view text = core::as_chars(line);
  switch (state_) {
    case State::kStart:
      if (config_.body_md5 && !md5_started_ && !md5_) {
        md5_ = EVP_MD_CTX_new();
        if (md5_ && EVP_DigestInit_ex(md5_, EVP_md5(), nullptr) != 1) {
          EVP_MD_CTX_free(md5_);
          md5_ = nullptr;
        }
      }
      if (line.empty()) {
        warnings |= end_of_headers();
        return MimeResult::kFileOpen;
      }
      if (text.find(':') != std::string_view::npos) {
        state_ = State::kHeader;
        warnings |= add_header(text);
      }
      return MimeResult::kNeedsMore;
    case State::kHeader:
      if (line.empty()) {
        warnings |= end_of_headers();
        return MimeResult::kFileOpen;
      }
      if ((text[0] == ' ' || text[0] == '\t') && headers_.size() > (main_done_ ? main_headers_ : 0)) {
        // RFC 5322 2.2.3 folding: the continuation joins without its
        // first blank.
        std::string& v = headers_.back().value;
        if (v.size() < config_.header_value_depth + kMimeMaxHeaderValue)
          v.append(text.substr(1));
      } else {
        warnings |= add_header(text);
      }
      return MimeResult::kNeedsMore;
    case State::kBody:
      return body_line(line, full, sink, warnings);
  }
  return MimeResult::kNeedsMore;
}

MimeResult MimeSmtp::body_line(core::Bytes line, core::Bytes full, MimeSink& sink,
                               uint32_t& warnings) {
  if (md5_ && !md5_started_) {
    md5_started_ = true;
    EVP_DigestUpdate(md5_, full.data(), full.size());
  }
  const std::string_view text = core::as_chars(line);
  if (!boundary_.empty() && text.starts_with(boundary_)) {
    // A new part (or the closing delimiter): its headers follow.
    state_ = State::kStart;
    const bool close = !filename_.empty();
    filename_.clear();
    headers_.resize(main_headers_);
    encoding_ = Encoding::kPlain;
    held_eol_len_ = 0;
    return close ? MimeResult::kFileClose : MimeResult::kNeedsMore;
  }
  if (filename_.empty()) {
    if (content_type_ != ContentType::kUnknown) find_urls(full);
    return MimeResult::kNeedsMore;
  }
  switch (encoding_) {
    case Encoding::kPlain:
      find_urls(full);
      if (held_eol_len_) sink.append(core::Bytes(held_eol_, held_eol_len_));
      sink.append(line);
      held_eol_len_ = uint8_t(std::min<size_t>(full.size() - line.size(), 2));
      for (uint8_t i = 0; i < held_eol_len_; ++i) held_eol_[i] = full[line.size() + i];
      break;
    case Encoding::kBase64:
      if (config_.decode_base64) decode_base64(line, sink, warnings);
      break;
    case Encoding::kQuotedPrintable:
      if (config_.decode_quoted_printable) decode_qp(line, full, sink, warnings);
      break;
  }
  return MimeResult::kFileChunk;
}

// RFC 2045 6.8, as Suricata decodes it: blanks are skipped, a quad may span
// lines, '=' in the third or fourth place ends it; any other character
// outside the alphabet rejects the line.
void MimeSmtp::decode_base64(core::Bytes line, MimeSink& sink, uint32_t& warnings) {
  if (line.size() > kMimeMaxEncLine) warnings |= kMimeLongEncLine;
  std::string out;
  out.reserve((line.size() + 4) * 3 / 4);
  for (uint8_t c : line) {
    if (c == ' ') continue;
    b64_quad_[b64_count_++] = c;
    if (b64_count_ < 4) continue;
    b64_count_ = 0;
    int v[4] = {base64_value(b64_quad_[0]), base64_value(b64_quad_[1]), 0, 0};
    const bool pad2 = b64_quad_[2] == '=';
    const bool pad3 = !pad2 && b64_quad_[3] == '=';
    if (!pad2) v[2] = base64_value(b64_quad_[2]);
    if (!pad2 && !pad3) v[3] = base64_value(b64_quad_[3]);
    if (v[0] < 0 || v[1] < 0 || v[2] < 0 || v[3] < 0) {
      warnings |= kMimeInvalidBase64;
      return;  // the whole line is dropped
    }
    out.push_back(char(v[0] << 2 | v[1] >> 4));
    if (!pad2) out.push_back(char((v[1] & 15) << 4 | v[2] >> 2));
    if (!pad2 && !pad3) out.push_back(char((v[2] & 3) << 6 | v[3]));
  }
  find_urls(core::as_bytes(out));
  sink.append(core::as_bytes(out));
}

// RFC 2045 6.7: =XX is an octet (uppercase hex), a final '=' is a soft
// line break (the line ending is dropped).
void MimeSmtp::decode_qp(core::Bytes line, core::Bytes full, MimeSink& sink,
                         uint32_t& warnings) {
  if (line.size() > kMimeMaxEncLine) warnings |= kMimeLongEncLine;
  std::string out;
  out.reserve(full.size());
  bool soft_break = false;
  size_t i = 0;
  while (i < line.size()) {
    if (line[i] != '=') {
      out.push_back(char(line[i++]));
      continue;
    }
    if (i + 1 == line.size()) {
      soft_break = true;
      break;
    }
    if (i + 2 >= line.size()) {
      warnings |= kMimeInvalidQp;
      break;
    }
    const int hi = hex_upper(line[i + 1]), lo = hex_upper(line[i + 2]);
    if (hi < 0 || lo < 0) warnings |= kMimeInvalidQp;
    else out.push_back(char(hi << 4 | lo));
    i += 3;
  }
  find_urls(core::as_bytes(out));
  if (!soft_break) out.append(core::as_chars(full.subspan(line.size())));
  // As for plain text, the line ending is held back: the one before the
  // boundary belongs to the delimiter (RFC 2046 5.1.1).
  if (held_eol_len_) sink.append(core::Bytes(held_eol_, held_eol_len_));
  held_eol_len_ = 0;
  const size_t body = soft_break ? out.size() : out.size() - (full.size() - line.size());
  sink.append(core::as_bytes(out).first(body));
  if (!soft_break) {
    held_eol_len_ = uint8_t(std::min<size_t>(full.size() - line.size(), 2));
    for (uint8_t i = 0; i < held_eol_len_; ++i) held_eol_[i] = full[line.size() + i];
  }
}

// URLs are searched line by line in decoded text: a partial line is kept
// (up to kMimeMaxDecodedLine) until its end arrives.
void MimeSmtp::find_urls(core::Bytes data) {
  if (!config_.extract_urls || data.empty()) return;
  url_line_.append(core::as_chars(data));
  if (url_line_.back() == '\n' || url_line_.size() > kMimeMaxDecodedLine) {
    extract_urls(url_line_);
    url_line_.clear();
    return;
  }
  size_t nl = url_line_.rfind('\n');
  if (nl == std::string::npos) return;
  extract_urls(std::string_view(url_line_).substr(0, nl + 1));
  url_line_.erase(0, nl + 1);
}

void MimeSmtp::extract_urls(std::string_view text) {
  for (const std::string& scheme : config_.url_schemes) {
    size_t pos = ifind(text, scheme, 0);
    while (pos != std::string_view::npos) {
      std::string_view rest = text.substr(pos);
      size_t end = rest.find_first_of(" \"'<>]\t\r\n");
      std::string_view url = rest.substr(0, std::min(end, rest.size()));
      std::string_view logged = config_.log_url_scheme ? url : url.substr(scheme.size());
      if (urls_.size() < kMimeMaxHeaders) urls_.emplace_back(logged);
      pos = ifind(text, scheme, pos + std::max<size_t>(url.size(), 1));
    }
  }
}

void MimeSmtp::complete() {
  if (md5_ && md5_started_ && body_md5_.empty()) {
    unsigned char d[EVP_MAX_MD_SIZE];
    unsigned n = 0;
    if (EVP_DigestFinal_ex(md5_, d, &n) == 1) {
      static const char* kHex = "0123456789abcdef";
      for (unsigned i = 0; i < n; ++i) {
        body_md5_.push_back(kHex[d[i] >> 4]);
        body_md5_.push_back(kHex[d[i] & 15]);
      }
    }
    md5_started_ = false;
  }
}

}  // namespace pasban::app::smtp
