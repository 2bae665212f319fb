#include "stream/overlap_policy.h"

#include <array>
#include <utility>

namespace pasban::stream {
namespace {

struct PolicyName {
  std::string_view name;
  OverlapPolicy policy;
};

constexpr std::array<PolicyName, 15> kPolicyNames{{
    {"bsd", OverlapPolicy::kBsd},
    // The stream engine reassembles bsd-right hosts as bsd and old-solaris
    // ones as solaris (bsd-right differs from bsd only in fragment handling).
    {"bsd-right", OverlapPolicy::kBsd},
    {"linux", OverlapPolicy::kLinux},
    {"old-linux", OverlapPolicy::kOldLinux},
    {"windows", OverlapPolicy::kWindows},
    {"windows2k3", OverlapPolicy::kWindows},  // same stream decisions as windows
    {"vista", OverlapPolicy::kVista},
    {"solaris", OverlapPolicy::kSolaris},
    {"old-solaris", OverlapPolicy::kSolaris},
    {"hpux10", OverlapPolicy::kHpux10},
    {"hpux11", OverlapPolicy::kHpux11},
    {"irix", OverlapPolicy::kIrix},
    {"macos", OverlapPolicy::kMacos},
    {"first", OverlapPolicy::kFirst},
    {"last", OverlapPolicy::kLast},
}};

bool equal_name(std::string_view given, std::string_view canonical) {
  if (given.size() != canonical.size()) return false;
  for (size_t i = 0; i < given.size(); ++i) {
    char c = given[i];
    if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
    if (c == '_') c = '-';
    if (c != canonical[i]) return false;
  }
  return true;
}

}  // namespace

std::optional<OverlapPolicy> parse_overlap_policy(std::string_view name) {
  for (const PolicyName& p : kPolicyNames)
    if (equal_name(name, p.name)) return p.policy;
  return std::nullopt;
}

std::string_view overlap_policy_name(OverlapPolicy policy) {
  switch (policy) {
    case OverlapPolicy::kBsd: return "bsd";
    case OverlapPolicy::kLinux: return "linux";
    case OverlapPolicy::kOldLinux: return "old-linux";
    case OverlapPolicy::kWindows: return "windows";
    case OverlapPolicy::kVista: return "vista";
    case OverlapPolicy::kSolaris: return "solaris";
    case OverlapPolicy::kHpux10: return "hpux10";
    case OverlapPolicy::kHpux11: return "hpux11";
    case OverlapPolicy::kIrix: return "irix";
    case OverlapPolicy::kMacos: return "macos";
    case OverlapPolicy::kFirst: return "first";
    case OverlapPolicy::kLast: return "last";
  }
  return "bsd";
}

// The decision table, by where the new segment starts relative to the old
// one. "Old" wins unless a row below says otherwise:
//
//   new starts ...          new ends ...        new data wins for
//   at the old start        before old end      last
//                           at old end          old-linux solaris hpux11 last
//                           after old end       linux old-linux solaris hpux11 last
//   before the old start    before old end      bsd hpux10 irix windows old-linux
//                                               linux macos last
//                           at / after old end  the same, plus solaris hpux11
//   after the old start     at / before old end last
//                           after old end       solaris hpux11 last
//
// vista and first never take new data.
bool new_data_wins(OverlapPolicy policy, uint64_t new_start, uint64_t new_end,
                   uint64_t old_start, uint64_t old_end) {
  using P = OverlapPolicy;
  if (policy == P::kLast) return true;
  const bool solaris_like = policy == P::kSolaris || policy == P::kHpux11;
  if (new_start == old_start) {
    if (new_end < old_end) return false;
    if (new_end > old_end && policy == P::kLinux) return true;
    return solaris_like || policy == P::kOldLinux;
  }
  if (new_start < old_start) {
    switch (policy) {
      case P::kBsd: case P::kHpux10: case P::kIrix: case P::kWindows:
      case P::kOldLinux: case P::kLinux: case P::kMacos:
        return true;
      default:
        return solaris_like && new_end >= old_end;
    }
  }
  return solaris_like && new_end > old_end;
}

}  // namespace pasban::stream
