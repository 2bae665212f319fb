#include "app/sip/sip_message.h"

#include <charconv>

namespace pasban::app::sip {
namespace {

char lower(char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; }

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (lower(a[i]) != lower(b[i])) return false;
  return true;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alnum(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
// RFC 3261 25.1 token characters (methods, header names).
bool is_token(char c) {
  return is_alnum(c) || std::string_view("-.!%*_+`'~").find(c) != std::string_view::npos;
}
bool is_blank(char c) { return c == ' ' || c == '\t'; }
// A Request-URI has no blanks or controls (RFC 3261 25.1 and RFC 3986).
bool is_uri_char(char c) { return c > 0x20 && c < 0x7f; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_blank(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_blank(s.back())) s.remove_suffix(1);
  return s;
}

// "SIP/" 1*DIGIT "." 1*DIGIT (RFC 3261 25.1 SIP-Version), digits and dots
// accepted in any order as Suricata does.
bool valid_version(std::string_view v) {
  if (v.size() < 5 || v.substr(0, 4) != "SIP/") return false;
  for (char c : v.substr(4))
    if (!is_digit(c) && c != '.') return false;
  return true;
}

bool parse_request_line(std::string_view line, SipMessage& m) {
  size_t i = 0;
  while (i < line.size() && is_token(line[i])) ++i;
  if (i == 0 || i >= line.size() || line[i] != ' ') return false;
  const std::string_view method = line.substr(0, i);
  const size_t uri_start = ++i;
  while (i < line.size() && is_uri_char(line[i])) ++i;
  if (i == uri_start || i >= line.size() || line[i] != ' ') return false;
  const std::string_view uri = line.substr(uri_start, i - uri_start);
  const std::string_view version = line.substr(i + 1);
  if (!valid_version(version)) return false;
  m.is_request = true;
  m.method = method;
  m.uri = uri;
  m.version = version;
  return true;
}

bool parse_status_line(std::string_view line, SipMessage& m) {
  const size_t sp = line.find(' ');
  if (sp == std::string_view::npos || !valid_version(line.substr(0, sp))) return false;
  const std::string_view code = line.substr(sp + 1, 3);
  if (code.size() != 3 || !is_digit(code[0]) || !is_digit(code[1]) || !is_digit(code[2]))
    return false;
  std::string_view rest = line.substr(sp + 4);
  if (!rest.empty() && rest.front() != ' ') return false;
  if (!rest.empty()) rest.remove_prefix(1);
  m.is_request = false;
  m.version = line.substr(0, sp);
  m.code = code;
  m.reason = rest;
  return true;
}

// The next line of data from pos (without CR LF); pos moves past it.
// False at the end of data.
bool next_line(std::string_view data, size_t& pos, std::string_view& line) {
  if (pos >= data.size()) return false;
  size_t nl = data.find('\n', pos);
  if (nl == std::string_view::npos) nl = data.size();
  line = data.substr(pos, nl - pos);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  pos = nl + 1;
  return true;
}

}  // namespace

const std::string* SipMessage::header(std::string_view name, uint32_t index) const {
  uint32_t seen = 0;
  for (const SipHeader& h : headers)
    if (iequals(h.name, name) && seen++ == index) return &h.value;
  return nullptr;
}

std::string_view expand_compact_name(std::string_view name) {
  if (name.size() != 1) return name;
  switch (lower(name[0])) {
    case 'a': return "Accept-Contact";
    case 'b': return "Referred-By";
    case 'c': return "Content-Type";
    case 'd': return "Request-Disposition";
    case 'e': return "Content-Encoding";
    case 'f': return "From";
    case 'i': return "Call-ID";
    case 'j': return "Reject-Contact";
    case 'k': return "Supported";
    case 'l': return "Content-Length";
    case 'm': return "Contact";
    case 'n': return "Identity-Info";
    case 'o': return "Event";
    case 'r': return "Refer-To";
    case 's': return "Subject";
    case 't': return "To";
    case 'u': return "Allow-Events";
    case 'v': return "Via";
    case 'x': return "Session-Expires";
    case 'y': return "Identity";
    default: return name;
  }
}

size_t find_head_end(std::string_view data, size_t from) {
  // Back up so that an empty line split across two calls is still found.
  size_t pos = from > 3 ? from - 3 : 0;
  while (true) {
    const size_t nl = data.find('\n', pos);
    if (nl == std::string_view::npos) return std::string_view::npos;
    if (nl + 1 < data.size() && data[nl + 1] == '\n') return nl + 2;
    if (nl + 2 < data.size() && data[nl + 1] == '\r' && data[nl + 2] == '\n') return nl + 3;
    pos = nl + 1;
  }
}

HeadStatus parse_head(std::string_view head, SipMessage& m) {
  size_t pos = 0;
  std::string_view line;
  if (!next_line(head, pos, line)) return HeadStatus::kNeedMore;
  m.start_line = line;
  const bool ok = line.starts_with("SIP/") ? parse_status_line(line, m) : parse_request_line(line, m);
  if (!ok) return HeadStatus::kInvalid;
  while (next_line(head, pos, line)) {
    if (line.empty()) return HeadStatus::kOk;
    if (is_blank(line.front())) {
      // Folded continuation of the previous value (RFC 3261 7.3.1).
      if (m.headers.empty()) return HeadStatus::kInvalid;
      std::string& v = m.headers.back().value;
      const std::string_view more = trim(line);
      if (!more.empty()) {
        if (!v.empty()) v.push_back(' ');
        v.append(more);
      }
      continue;
    }
    size_t i = 0;
    while (i < line.size() && is_token(line[i])) ++i;
    const std::string_view name = line.substr(0, i);
    while (i < line.size() && is_blank(line[i])) ++i;
    if (name.empty() || i >= line.size() || line[i] != ':') return HeadStatus::kInvalid;
    if (m.headers.size() >= kMaxHeaders) return HeadStatus::kInvalid;
    m.headers.push_back(SipHeader{std::string(expand_compact_name(name)),
                                  std::string(trim(line.substr(i + 1)))});
  }
  // head ended without its empty line: the caller gave a partial section.
  return HeadStatus::kNeedMore;
}

int64_t content_length(const SipMessage& m) {
  const std::string* v = m.header("Content-Length", 0);
  if (!v) return -1;
  int64_t n = 0;
  auto [p, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
  if (v->empty() || ec != std::errc() || p != v->data() + v->size() || n < 0) return -2;
  return n;
}

int looks_like_sip(core::Bytes data, bool more_may_come) {
  const std::string_view s(reinterpret_cast<const char*>(data.data()), data.size());
  // Keep-alive CRLFs (RFC 5626 4.4.1) and leading empty lines say nothing.
  size_t start = 0;
  while (start < s.size() && (s[start] == '\r' || s[start] == '\n' || s[start] == ' ')) ++start;
  if (start == s.size()) return 0;
  std::string_view first = s.substr(start);
  const size_t nl = first.find('\n');
  const bool whole = nl != std::string_view::npos;
  if (whole) first = first.substr(0, nl);
  if (!first.empty() && first.back() == '\r') first.remove_suffix(1);
  SipMessage m;
  if (first.starts_with("SIP/")) {
    if (parse_status_line(first, m)) return 1;
    return whole || !more_may_come || first.size() >= 16 ? -1 : 0;
  }
  if (parse_request_line(first, m)) return 1;
  if (whole || !more_may_come || first.size() >= 256) return -1;
  // An unfinished request line: still possible while it is a method, or a
  // method, SP and URI characters.
  size_t i = 0;
  while (i < first.size() && is_token(first[i])) ++i;
  if (i == first.size()) return 0;
  if (i == 0 || first[i] != ' ') return -1;
  return 0;
}

}  // namespace pasban::app::sip
