// byte_math: read a number, combine it with rvalue, store the result.
//   byte_math:bytes <n|var>, offset <n>, oper <+|-|*|/|<<|>>>,
//             rvalue <n|var>, result <name>[, relative]
//             [, endian <big|little|dce>][, dce][, string <hex|dec|oct>]
//             [, bitmask <hex>]
// Parts may come in any order. The result is the full 64-bit value
// (Suricata keeps byte_math results as uint64); arithmetic wraps. Division
// by zero is no match; shifts of 64 or more give 0. The bitmask (always read
// as hex, as Suricata does) is applied to the result. The cursor moves to the
// end of the bytes read.
#pragma once
#include <cstdint>
#include <string_view>

#include "core/bytes.h"
#include "core/result.h"
#include "detect/keywords/byte_common.h"

namespace pasban::detect::keywords {

struct ByteMath {
  enum class Oper : uint8_t { kAdd, kSub, kMul, kDiv, kShl, kShr };

  ByteOperand nbytes;  // 1..10 (raw reads above 8 never match)
  int32_t offset = 0;  // -65535..65535
  Oper oper = Oper::kAdd;
  ByteOperand rvalue;  // uint32 or variable
  int slot = 0;
  bool relative = false;
  ByteEndian endian = ByteEndian::kBig;
  bool string = false;
  ByteBase base = ByteBase::kDec;
  bool has_bitmask = false;
  uint64_t bitmask = 0;

  static core::Result<ByteMath> parse(std::string_view value, const VarResolver& resolve,
                                      const VarDefiner& define);

  bool apply(core::Bytes buf, uint32_t& cursor, ByteVars& vars) const noexcept;

  size_t hash() const;
  friend bool operator==(const ByteMath&, const ByteMath&) = default;
};

}  // namespace pasban::detect::keywords
