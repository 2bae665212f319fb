// The fields Suricata extracts from the first certificate of a chain,
// formatted as Suricata logs and matches them. X.509 decoding is OpenSSL's.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/bytes.h"

namespace pasban::app::tls {

struct CertInfo {
  std::string subject;      // "C=US, O=Let's Encrypt, CN=R3"
  std::string issuer;       // same format
  std::string serial;       // "00:97:E6:47": DER INTEGER content bytes
  std::string fingerprint;  // SHA-1 of the DER, "3a:0b:3b:..."
  int64_t not_before = 0;   // epoch seconds, UTC
  int64_t not_after = 0;
  std::vector<std::string> sans;  // subjectAltName dNSName entries
};

// Decodes one DER certificate. On failure returns false and names the
// Suricata event ("tls.certificate_invalid_der", ...).
bool parse_certificate(core::Bytes der, CertInfo& out, std::string_view& event);

// Hex helpers used for fingerprints and hashes.
std::string hex_colon(core::Bytes b, bool upper);
std::string hex_plain(core::Bytes b);
// "2019-01-15T16:18:01" (UTC), as Suricata logs notbefore/notafter.
std::string format_cert_time(int64_t epoch);
std::string base64(core::Bytes b);

}  // namespace pasban::app::tls
