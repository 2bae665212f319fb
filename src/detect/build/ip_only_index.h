// An address index over the IP-only rules, in the spirit of Suricata's
// IP-only radix trees: each rule is filed under the narrower of its source
// and destination sets, per address family, so a packet finds the few rules
// whose addresses can match with binary searches instead of testing every
// rule's address lists. Rules too wide on both sides stay on a short list.
#pragma once
#include <cstdint>
#include <vector>

#include "core/ip_address.h"
#include "detect/rule.h"

namespace pasban::detect::build {

class IpOnlyIndex {
 public:
  // rule_ids are indexes into rules, in rule order.
  void build(const std::vector<Rule>& rules, const std::vector<uint32_t>& rule_ids);
  // Appends the rule indexes that may match a packet between a and b (in
  // either role); unsorted, may hold duplicates.
  void candidates(const core::IpAddress& a, const core::IpAddress& b,
                  std::vector<uint32_t>& out) const;

 private:
  // Elementary segments: [starts[i], starts[i+1]) maps to
  // rules[offsets[i] .. offsets[i+1]).
  struct Segments {
    std::vector<unsigned __int128> starts;
    std::vector<uint32_t> offsets;
    std::vector<uint32_t> rules;
    void build(std::vector<std::pair<rules::AddressRange, uint32_t>>& ranges);
    void lookup(unsigned __int128 addr, std::vector<uint32_t>& out) const;
  };
  Segments v4_, v6_;
  std::vector<uint32_t> wide_v4_, wide_v6_;
};

}  // namespace pasban::detect::build
