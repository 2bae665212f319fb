// Target-based overlap resolution: when a TCP segment overlaps bytes already
// held for the stream, which copy the receiving host keeps depends on its OS
// (Novak & Sturges, "Target-Based TCP Stream Reassembly", 2007). An IDS that
// picks the wrong copy sees a different stream than the host: the classic
// overlap evasion. The policies and their decisions follow Suricata's
// host-os-policy (stream engine) semantics.
#pragma once
#include <cstdint>
#include <optional>
#include <string_view>

namespace pasban::stream {

enum class OverlapPolicy : uint8_t {
  kBsd, kLinux, kOldLinux, kWindows, kVista, kSolaris, kHpux10, kHpux11,
  kIrix, kMacos, kFirst, kLast,
};

// Suricata host-os-policy names ("bsd", "bsd-right", "old-linux", "linux",
// "old-solaris", "solaris", "hpux10", "hpux11", "irix", "macos", "windows",
// "vista", "windows2k3"), plus "first" and "last". '_' is accepted for '-'.
// "windows2k3" resolves like "windows", "bsd-right" like "bsd" and
// "old-solaris" like "solaris", as Suricata's stream engine maps them when
// it sets a stream's policy.
std::optional<OverlapPolicy> parse_overlap_policy(std::string_view name);
std::string_view overlap_policy_name(OverlapPolicy policy);

// Does the new segment [new_start, new_end) win over an existing segment
// [old_start, old_end) it overlaps? Offsets are 64-bit stream offsets (no
// wrap). Applied per existing segment, on the segments' original edges.
bool new_data_wins(OverlapPolicy policy, uint64_t new_start, uint64_t new_end,
                   uint64_t old_start, uint64_t old_end);

}  // namespace pasban::stream
