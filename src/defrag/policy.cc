#include "defrag/policy.h"

#include <array>
#include <string>

namespace pasban::defrag {

namespace {
struct OsEntry {
  std::string_view os;
  Policy policy;
};
constexpr std::array<OsEntry, 15> kOsPolicies = {{
    {"bsd", Policy::kBsd},           {"hpux10", Policy::kBsd},
    {"irix", Policy::kBsd},          {"bsd-right", Policy::kBsdRight},
    {"old-linux", Policy::kLinux},   {"linux", Policy::kLinux},
    {"old-solaris", Policy::kFirst}, {"hpux11", Policy::kFirst},
    {"macos", Policy::kFirst},       {"first", Policy::kFirst},
    {"solaris", Policy::kSolaris},   {"windows", Policy::kWindows},
    {"vista", Policy::kWindows},     {"windows2k3", Policy::kWindows},
    {"last", Policy::kLast},
}};
}  // namespace

std::optional<Policy> policy_from_os_name(std::string_view name) {
  std::string n(name);
  for (char& c : n) {
    if (c == '_') c = '-';
    else if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
  }
  for (const auto& e : kOsPolicies)
    if (e.os == n) return e.policy;
  return std::nullopt;
}

std::string_view policy_name(Policy p) {
  switch (p) {
    case Policy::kFirst: return "first";
    case Policy::kLast: return "last";
    case Policy::kBsd: return "bsd";
    case Policy::kBsdRight: return "bsd-right";
    case Policy::kLinux: return "linux";
    case Policy::kWindows: return "windows";
    case Policy::kSolaris: return "solaris";
  }
  return "bsd";
}

}  // namespace pasban::defrag
