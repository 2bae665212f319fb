// Target-based IP fragment reassembly policies (Novak, "Target-Based
// Fragmentation Reassembly", 2005): when fragments overlap, which copy of
// the bytes a host keeps depends on its IP stack. An IDS that keeps the
// other copy sees a different datagram than the host: the classic overlap
// evasion. Suricata picks the policy per destination address from the
// host-os-policy section; addresses it does not list get bsd.
#pragma once
#include <cstdint>
#include <optional>
#include <string_view>

namespace pasban::defrag {

enum class Policy : uint8_t { kFirst, kLast, kBsd, kBsdRight, kLinux, kWindows, kSolaris };

inline constexpr Policy kDefaultPolicy = Policy::kBsd;

// A host-os-policy name ("bsd", "hpux10", "old-linux", "vista", ...; '_'
// accepted for '-') to the defrag policy Suricata maps it to: bsd, hpux10
// and irix reassemble as bsd; linux and old-linux as linux; old-solaris,
// hpux11, macos and first as first; windows, vista and windows2k3 as
// windows. Unknown names give nullopt.
std::optional<Policy> policy_from_os_name(std::string_view name);
std::string_view policy_name(Policy p);

}  // namespace pasban::defrag
