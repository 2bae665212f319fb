// The SMTP protocol's registration: name, ports, probe and factory.
#pragma once
#include "app/parser.h"

namespace pasban::app::smtp {

const ProtocolSpec& smtp_protocol();
// The content probe on its own (exposed for tests).
int smtp_probe(core::Bytes data, bool to_server);

}  // namespace pasban::app::smtp
