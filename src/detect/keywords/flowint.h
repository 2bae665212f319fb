// flowint: named unsigned 32-bit integers per flow. "=", "+" and "-" are
// post-match actions (run when the whole rule matched, like flowbits:set);
// the comparisons, isset and notset/isnotset are conditions. The operand is
// a number or another flowint (read as 0 while that one is unset).
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "core/result.h"
#include "flow/flow.h"

namespace pasban::detect::keywords {

struct Flowint {
  enum Op : uint8_t { kSet, kAdd, kSub, kEq, kNe, kLt, kLe, kGt, kGe, kIsSet, kNotSet };
  Op op = kSet;
  uint32_t id = 0;
  std::string name;
  bool target_is_var = false;
  uint32_t target_id = 0;  // the operand flowint when target_is_var
  uint32_t value = 0;      // the literal operand otherwise

  using Interner = std::function<uint32_t(std::string_view)>;
  // "name, op[, operand]".
  static core::Result<Flowint> parse(std::string_view value, const Interner& intern);
  bool is_action() const { return op == kSet || op == kAdd || op == kSub; }
  // Conditions; false without a flow (Suricata needs one for every op).
  bool check(const flow::Flow* f) const noexcept;
  // Actions.
  void apply(flow::Flow* f) const;

 private:
  uint32_t operand(const flow::Flow& f) const noexcept;
};

}  // namespace pasban::detect::keywords
