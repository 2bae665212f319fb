// byte_test: read a number from the buffer and compare it.
//   byte_test:<bytes>,[!]<op>,<value>,<offset>[,relative][,big|little]
//             [,string[,hex|dec|oct]][,dce][,bitmask <mask>]
// bytes, value and offset may name a byte_extract/byte_math variable.
#pragma once
#include <cstdint>
#include <string_view>

#include "core/bytes.h"
#include "core/result.h"
#include "detect/keywords/byte_common.h"

namespace pasban::detect::keywords {

struct ByteTest {
  enum class Op : uint8_t { kEq, kLt, kGt, kLe, kGe, kAnd, kXor };

  ByteOperand nbytes;  // 1..8 raw, 1..23 with string
  Op op = Op::kEq;
  bool negate = false;
  ByteOperand value;
  ByteOperand offset;
  bool relative = false;
  ByteEndian endian = ByteEndian::kBig;
  bool string = false;
  ByteBase base = ByteBase::kAuto;
  bool has_bitmask = false;
  uint64_t bitmask = 0;

  static core::Result<ByteTest> parse(std::string_view value, const VarResolver& resolve);

  // Out of bounds, or a string with no digits, is no match.
  bool match(core::Bytes buf, uint32_t cursor, const ByteVars& vars) const noexcept;

  size_t hash() const;
  friend bool operator==(const ByteTest&, const ByteTest&) = default;
};

}  // namespace pasban::detect::keywords
