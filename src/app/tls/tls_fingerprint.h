// Client and server hello fingerprints as Suricata computes them: JA3 and
// JA3S (Salesforce; MD5 of a decimal string) and JA4 (FoxIO; the TLS
// client part, "t13d1516h2_8daaf6152771_e5627efa2ab1").
#pragma once
#include <string>
#include <string_view>

#include "app/tls/tls_wire.h"

namespace pasban::app::tls {

// "771,4865-4866,0-23-65281,29-23,0": version, ciphers, extensions,
// groups, EC point formats; GREASE values left out, lists joined by '-'.
std::string ja3_string(const ClientHello& ch);
// "771,4866,43-51": version, chosen cipher, extensions.
std::string ja3s_string(const ServerHello& sh);
// Lowercase hex MD5, the ja3.hash / ja3s.hash form.
std::string md5_hex(std::string_view s);
// 36-character JA4; quic selects the 'q' prefix.
std::string ja4(const ClientHello& ch, bool quic = false);

}  // namespace pasban::app::tls
