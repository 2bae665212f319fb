// The TLS protocol's registration: name, ports, probe and factory.
#pragma once
#include "app/parser.h"

namespace pasban::app::tls {

const ProtocolSpec& tls_protocol();
// The content probe on its own (exposed for tests).
int tls_probe(core::Bytes data, bool to_server);

}  // namespace pasban::app::tls
