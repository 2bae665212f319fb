// The TLS sticky buffers: what tls.sni, tls.cert_*, tls.certs,
// tls.subjectaltname, tls.alpn, ja3.*, ja3s.* and ja4.hash inspect, and the transaction's progress.
#include "app/tls/tls_parser.h"

namespace pasban::app::tls {
namespace {

bool set(const std::string& s, core::Bytes& out) {
  out = core::as_bytes(s);
  return true;
}

}  // namespace

bool TlsTx::buffer(AppBuffer b, uint32_t index, core::Bytes& out) const {
  // Single-value buffers have only index 0.
  const bool multi = b == AppBuffer::kTlsCerts || b == AppBuffer::kTlsSubjectAltName ||
                     b == AppBuffer::kTlsAlpn || b == AppBuffer::kTlsCertSubject ||
                     b == AppBuffer::kTlsCertIssuer || b == AppBuffer::kTlsCertSerial ||
                     b == AppBuffer::kTlsCertFingerprint;
  if (!multi && index != 0) return false;
  switch (b) {
    case AppBuffer::kTlsSni:
      return has_sni && set(sni, out);
    case AppBuffer::kTlsCertSubject:
      return cert_value(index, &CertInfo::subject, out);
    case AppBuffer::kTlsCertIssuer:
      return cert_value(index, &CertInfo::issuer, out);
    case AppBuffer::kTlsCertSerial:
      return cert_value(index, &CertInfo::serial, out);
    case AppBuffer::kTlsCertFingerprint:
      return cert_value(index, &CertInfo::fingerprint, out);
    case AppBuffer::kTlsCerts:
      if (index >= server_chain.size()) return false;
      out = server_chain[index];
      return true;
    case AppBuffer::kJa3Hash:
      return !ja3_hash.empty() && set(ja3_hash, out);
    case AppBuffer::kJa3String:
      return !ja3_string.empty() && set(ja3_string, out);
    case AppBuffer::kJa3sHash:
      return !ja3s_hash.empty() && set(ja3s_hash, out);
    case AppBuffer::kJa3sString:
      return !ja3s_string.empty() && set(ja3s_string, out);
    case AppBuffer::kTlsSubjectAltName:
      // One value per subjectAltName entry of the server certificate.
      return server_cert && index < server_cert->sans.size() && set(server_cert->sans[index], out);
    case AppBuffer::kTlsAlpn: {
      // The client's offered protocols, then the server's choice: Suricata
      // inspects each side's list in its own direction.
      const auto& c = client_hello.alpns;
      const auto& s = server_hello.alpns;
      if (index < c.size()) return set(c[index], out);
      return index - c.size() < s.size() && set(s[index - c.size()], out);
    }
    case AppBuffer::kJa4Hash:
      return !ja4_hash.empty() && set(ja4_hash, out);
    default:
      return false;
  }
}

// tls.cert_subject / issuer / serial / fingerprint: Suricata inspects the
// server certificate to_client and the client certificate to_server; here
// value 0 is the server's and the next one the client's (either may be
// absent).
bool TlsTx::cert_value(uint32_t index, std::string CertInfo::*field, core::Bytes& out) const {
  const CertInfo* certs[2] = {server_cert ? &*server_cert : nullptr,
                              client_cert ? &*client_cert : nullptr};
  uint32_t n = 0;
  for (const CertInfo* c : certs) {
    if (!c) continue;
    if (n++ == index) return set(c->*field, out);
  }
  return false;
}

bool TlsTx::complete(bool to_server) const { return to_server ? client_done : server_done; }

bool TlsTx::loggable() const {
  bool have_cert = server_cert && !server_cert->subject.empty() && !server_cert->issuer.empty();
  // Suricata 8.0.3 (ticket 5713) also logs a session that ended after a
  // ClientHello the server never answered.
  bool unanswered = closed && client_hello_seen && !server_hello_seen;
  return have_cert || (session_resumed && config_.log_session_resumption) || log_without_cert ||
         unanswered;
}

uint16_t TlsTx::client_version() const {
  for (uint16_t v : client_hello.supported_versions)
    if (!is_grease(v)) return v;
  return client_hello.version;
}

}  // namespace pasban::app::tls
