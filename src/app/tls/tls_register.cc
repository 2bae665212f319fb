// Registration of TLS: proto kTls over TCP, port 443, content probe.
#include "app/tls/tls_register.h"

#include "app/tls/tls_parser.h"
#include "app/tls/tls_wire.h"

namespace pasban::app::tls {
namespace {

std::unique_ptr<Parser> create_tls() { return std::make_unique<TlsParser>(); }

}  // namespace

// A handshake record (22) with an SSL 3.0 .. TLS 1.3 record version whose
// first message is a ClientHello (to_server) or ServerHello (to_client);
// or an SSLv2-compatible ClientHello (RFC 5246 E.2) from the client.
int tls_probe(core::Bytes data, bool to_server) {
  if (data.empty()) return 0;
  if (data[0] & 0x80) {
    if (data.size() < 5) return 0;
    if (!to_server) return data[2] == 4 ? 1 : -1;  // SSLv2 SERVER-HELLO
    uint16_t v = core::load_be16(data.data() + 3);
    bool ok = data[2] == 1 && (v == kSsl2 || is_valid_record_version(v));
    return ok ? 1 : -1;
  }
  if (data[0] != uint8_t(ContentType::kHandshake)) return -1;
  if (data.size() < 3) return 0;
  if (!is_valid_record_version(core::load_be16(data.data() + 1))) return -1;
  if (data.size() < kRecordHeaderLen + 1) return 0;
  uint8_t expected = uint8_t(to_server ? HandshakeType::kClientHello : HandshakeType::kServerHello);
  return data[kRecordHeaderLen] == expected ? 1 : -1;
}

const ProtocolSpec& tls_protocol() {
  static const ProtocolSpec spec = [] {
    ProtocolSpec s;
    s.proto = AppProto::kTls;
    s.tcp = true;
    s.default_ports = {443};
    s.probe = &tls_probe;
    s.create = &create_tls;
    return s;
  }();
  return spec;
}

}  // namespace pasban::app::tls
