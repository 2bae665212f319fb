// flowbits: named per-flow booleans. Names are interned to ids by the
// rule-set builder; conditions are checked before the payload, actions
// run after the rule matched (before thresholds, as in Suricata).
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "flow/flow.h"

namespace pasban::detect::keywords {

struct Flowbits {
  enum Op : uint8_t { kSet, kUnset, kToggle, kIsSet, kIsNotSet, kNoAlert };
  Op op = kSet;
  std::vector<uint32_t> ids;  // several for "a|b" (any) or "a&b" (all)
  bool any_of = false;        // '|' form
  std::vector<std::string> names;

  using Interner = std::function<uint32_t(std::string_view)>;
  static core::Result<Flowbits> parse(std::string_view value, const Interner& intern);
  bool is_condition() const { return op == kIsSet || op == kIsNotSet; }
  bool is_action() const { return op == kSet || op == kUnset || op == kToggle; }
  bool check(const flow::Flow* f) const noexcept;
  void apply(flow::Flow* f) const;
};

}  // namespace pasban::detect::keywords
