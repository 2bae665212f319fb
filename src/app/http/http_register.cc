// HTTP/1.x as Pasban sees it from outside: TCP, detected by content on any
// port (Suricata registers patterns, not ports, for HTTP), parsed by
// HttpParser.
#include <array>
#include <cctype>
#include <memory>
#include <string_view>

#include "app/http/http_parser.h"
#include "app/http/http_register.h"

namespace pasban::app::http {

namespace {

// A request starts with a method token and a space or tab; a response with
// an HTTP version. Case-insensitive, at offset 0, like Suricata's patterns.
constexpr std::array<std::string_view, 28> kMethods = {
    "GET",       "PUT",         "POST",        "HEAD",        "TRACE",      "OPTIONS",
    "CONNECT",   "DELETE",      "PATCH",       "PROPFIND",    "PROPPATCH",  "MKCOL",
    "COPY",      "MOVE",        "LOCK",        "UNLOCK",      "CHECKOUT",   "UNCHECKOUT",
    "CHECKIN",   "UPDATE",      "LABEL",       "REPORT",      "MKWORKSPACE", "MKACTIVITY",
    "MERGE",     "INVALID",     "VERSION-CONTROL", "BASELINE-CONTROL"};
constexpr std::array<std::string_view, 3> kVersions = {"HTTP/0.9", "HTTP/1.0", "HTTP/1.1"};

// 1 when data starts with pattern, 0 when data is a proper prefix of it.
int match_ci(std::string_view data, std::string_view pattern) {
  const size_t n = std::min(data.size(), pattern.size());
  for (size_t i = 0; i < n; ++i)
    if (std::toupper(static_cast<unsigned char>(data[i])) != pattern[i]) return -1;
  return data.size() >= pattern.size() ? 1 : 0;
}

}  // namespace

int http_probe(core::Bytes bytes, bool to_server) {
  const std::string_view data = core::as_chars(bytes);
  bool need_more = false;
  if (to_server) {
    for (const std::string_view m : kMethods) {
      const int r = match_ci(data, m);
      if (r < 0) continue;
      if (r == 0 || data.size() == m.size()) {
        need_more = true;
        continue;
      }
      const char sep = data[m.size()];
      if (sep == ' ' || sep == '\t') return 1;
    }
  } else {
    for (const std::string_view v : kVersions) {
      const int r = match_ci(data, v);
      if (r == 1) return 1;
      if (r == 0) need_more = true;
    }
  }
  return need_more ? 0 : -1;
}

namespace {

std::unique_ptr<Parser> create() { return std::make_unique<HttpParser>(); }

}  // namespace

const ProtocolSpec& http_protocol() {
  static const ProtocolSpec spec = [] {
    ProtocolSpec s;
    s.proto = AppProto::kHttp;
    s.tcp = true;
    s.default_ports = {80};
    s.probe = http_probe;
    s.create = create;
    return s;
  }();
  return spec;
}

}  // namespace pasban::app::http
