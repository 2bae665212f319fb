// Registration of SMTP: proto kSmtp over TCP, port 25, content probe.
#include "app/smtp/smtp_register.h"

#include "app/smtp/smtp_parser.h"

namespace pasban::app::smtp {
namespace {

std::unique_ptr<Parser> create_smtp() { return std::make_unique<SmtpParser>(); }

char lower(uint8_t c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : char(c); }

bool prefix(core::Bytes data, std::string_view word, bool& partial) {
  const size_t n = std::min(data.size(), word.size());
  for (size_t i = 0; i < n; ++i)
    if (lower(data[i]) != word[i]) return false;
  partial = data.size() < word.size();
  return true;
}

}  // namespace

// A client starting with EHLO/HELO/QUIT (Suricata's patterns), or the
// server greeting "220 " / "220-" (RFC 5321 4.3.1). The greeting must win
// before the client speaks: the parser has to see it first.
int smtp_probe(core::Bytes data, bool to_server) {
  if (data.empty()) return 0;
  if (to_server) {
    bool undecided = false;
    for (std::string_view w : {"ehlo ", "helo ", "quit"}) {
      bool partial = false;
      if (!prefix(data, w, partial)) continue;
      if (!partial) return 1;
      undecided = true;
    }
    return undecided ? 0 : -1;
  }
  bool partial = false;
  if (!prefix(data, "220", partial)) return -1;
  if (partial || data.size() < 4) return 0;
  return data[3] == ' ' || data[3] == '-' ? 1 : -1;
}

const ProtocolSpec& smtp_protocol() {
  static const ProtocolSpec spec = [] {
    ProtocolSpec s;
    s.proto = AppProto::kSmtp;
    s.tcp = true;
    s.default_ports = {25};
    s.probe = &smtp_probe;
    s.create = &create_smtp;
    return s;
  }();
  return spec;
}

}  // namespace pasban::app::smtp
