// Protocols Suricata recognises by their first bytes but Pasban does not
// parse. Knowing them lets protocol detection tell that the two directions
// of a flow speak different protocols (Suricata's
// APPLAYER_MISMATCH_PROTOCOL_BOTH_DIRECTIONS event and the EVE flow
// record's app_proto_ts / app_proto_tc), e.g. an HTTP request answered by
// an SSH banner.
#pragma once
#include <string_view>

#include "core/bytes.h"

namespace pasban::app {

// The Suricata name of the protocol `data` (a direction's first bytes)
// starts with, or "" when none of the known signatures matches.
std::string_view detect_only_protocol(core::Bytes data);

}  // namespace pasban::app
