// The HTTP/1.x protocol's registration: TCP, content probe, HttpParser.
#pragma once
#include "app/parser.h"

namespace pasban::app::http {

const ProtocolSpec& http_protocol();
// The content probe on its own (exposed for tests): a request method and a
// space or tab to the server, "HTTP/0.9|1.0|1.1" to the client.
int http_probe(core::Bytes data, bool to_server);

}  // namespace pasban::app::http
