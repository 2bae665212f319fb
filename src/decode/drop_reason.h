// Why an inline engine dropped a packet (Suricata's packet drop reasons):
// the EVE drop record's "reason" and the ips.drop_reason.* counters.
#pragma once
#include <cstdint>
#include <string_view>

namespace pasban::decode {

enum class DropReason : uint8_t {
  kNone,
  kRules,            // a drop/reject rule matched
  kRulesThreshold,   // a rate_filter turned the match into a drop
  kFlowDrop,         // an earlier rule dropped the whole flow
  kDecodeError,
  kDefragError,
  kStreamError,
  kStreamMidstream,
  kStreamUrgent,
  kApplayerError,
  kTunnelPacket,     // the inner packet of this tunnel packet was dropped
  kNfqError,         // no verdict could be given in time
  kCount,
};

// The EVE drop.reason text ("rules", "flow drop", ...).
std::string_view drop_reason_text(DropReason r);
// The counter name under ips.drop_reason. ("rules", "flow_drop", ...).
std::string_view drop_reason_counter(DropReason r);

}  // namespace pasban::decode
