// Live capture: the sources the command line names (-q, -i, --af-packet),
// opened from their config sections, and the reject sender of an inline run.
#pragma once
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "capture/reject.h"
#include "capture/source.h"
#include "core/result.h"
#include "detect/rule.h"
#include "runtime/cli.h"
#include "runtime/config.h"

namespace pasban::runtime {

struct LiveSetup {
  // One per worker: an NFQUEUE queue each, or the sockets of an AF_PACKET
  // fanout group, or one libpcap handle.
  std::vector<std::unique_ptr<capture::Source>> sources;
  // Inline only: what answers reject rules (raw sockets for NFQUEUE, the
  // bridge's interfaces for AF_PACKET copy-mode ips). Empty when it could
  // not be opened (a warning says why); rejects then only drop.
  std::optional<capture::RejectSender> reject;
  std::string capture_mode;  // Suricata's names: NFQ, AF_PACKET_DEV, PCAP_DEV
  bool is_inline = false;
};

// Whether the capture the command line names is inline (drops take
// effect), decided before the engine is built.
core::Result<bool> live_is_inline(const Config& config, const CliOptions& cli);

// Opens every source; errors name the queue or interface. warnings gets
// what still lets the run go on (no reject sender, threads capped).
core::Result<LiveSetup> open_live(const Config& config, const CliOptions& cli,
                                  std::vector<std::string>& warnings);

// The reject answer a rule action asks for (reject/rejectsrc, rejectdst,
// rejectboth).
capture::RejectDirection reject_direction(detect::Action a);

}  // namespace pasban::runtime
