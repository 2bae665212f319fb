// Names of the rule language's variables (flowbits, flowints, flowvars,
// pktvars, hostbits, ip-pair xbits), interned to small ids per kind when
// the rule set is built. Flows, hosts and packets store ids; the names are
// only needed again to log them (EVE `metadata`, `traffic`).
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace pasban::detect {

enum class VarKind : uint8_t { kFlowbit, kFlowint, kFlowvar, kPktvar, kHostbit, kIpPairbit, kCount };

class VarNames {
 public:
  // Build side: the id of name (a new one on first use).
  uint32_t intern(VarKind kind, std::string_view name);
  // The id of name if some rule used it.
  bool find(VarKind kind, std::string_view name, uint32_t& id) const;
  const std::string& name(VarKind kind, uint32_t id) const;
  size_t count(VarKind kind) const { return names_[size_t(kind)].size(); }

 private:
  std::vector<std::string> names_[size_t(VarKind::kCount)];
  std::unordered_map<std::string, uint32_t> ids_[size_t(VarKind::kCount)];
};

// A variable captured for one packet (pcre `pkt:name` / `(?P<pkt_name>)`).
struct PktVar {
  uint32_t id = 0;
  std::string value;
};

}  // namespace pasban::detect
