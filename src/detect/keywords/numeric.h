// The numeric comparison shared by ttl, dsize, itype, icode, tcp.mss and
// friends: "N", "!N", "<N", ">N", "<=N", ">=N", and the ranges "N<>M" and
// "N-M", both exclusive as in Suricata's integer keywords ("a range between
// 1 and 4 will match 2 and 3, but neither 1 nor 4"), negated with a leading
// '!' ("!1-4" matches 1 or below and 4 or above).
#pragma once
#include <cstdint>
#include <string_view>

#include "core/result.h"

namespace pasban::detect::keywords {

struct NumCmp {
  enum Op : uint8_t { kEq, kNe, kLt, kGt, kLe, kGe, kRange, kNegRange };
  Op op = kEq;
  uint64_t a = 0, b = 0;

  bool match(uint64_t v) const noexcept {
    switch (op) {
      case kEq: return v == a;
      case kNe: return v != a;
      case kLt: return v < a;
      case kGt: return v > a;
      case kLe: return v <= a;
      case kGe: return v >= a;
      case kRange: return v > a && v < b;
      case kNegRange: return v <= a || v >= b;
    }
    return false;
  }
  friend bool operator==(const NumCmp&, const NumCmp&) = default;
};

// keyword names the rule keyword in errors; max is the largest valid value.
core::Result<NumCmp> parse_num_cmp(std::string_view keyword, std::string_view text, uint64_t max);
// Parses an unsigned integer in decimal or 0x hex; nullopt-like error otherwise.
core::Result<uint64_t> parse_uint(std::string_view keyword, std::string_view text, uint64_t max);
std::string_view trim(std::string_view s);

}  // namespace pasban::detect::keywords
