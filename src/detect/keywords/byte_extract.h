// byte_extract: read a number into a rule variable for later keywords.
//   byte_extract:<bytes>,<offset>,<name>[,relative][,multiplier <n>]
//                [,big|little][,string[,hex|dec|oct]][,align <2|4>][,dce]
//                [,bitmask <mask>]
// `string` defaults to dec. The value is masked (bitmask), multiplied, then
// rounded up to `align`. The cursor moves to the end of the bytes read.
#pragma once
#include <cstdint>
#include <string_view>

#include "core/bytes.h"
#include "core/result.h"
#include "detect/keywords/byte_common.h"

namespace pasban::detect::keywords {

struct ByteExtract {
  uint32_t nbytes = 0;  // 1..8 raw; with string 1..23 oct, 1..20 dec, 1..14 hex
  int32_t offset = 0;   // -65535..65535
  int slot = 0;         // where the result goes
  bool relative = false;
  uint32_t multiplier = 1;  // 1..65535
  ByteEndian endian = ByteEndian::kBig;
  bool string = false;
  ByteBase base = ByteBase::kDec;
  uint8_t align = 0;  // 0, 2 or 4
  bool has_bitmask = false;
  uint64_t bitmask = 0;

  static core::Result<ByteExtract> parse(std::string_view value, const VarResolver& resolve,
                                         const VarDefiner& define);

  // Stores into vars.v[slot] and moves `cursor` past the bytes read.
  bool apply(core::Bytes buf, uint32_t& cursor, ByteVars& vars) const noexcept;

  size_t hash() const;
  friend bool operator==(const ByteExtract&, const ByteExtract&) = default;
};

}  // namespace pasban::detect::keywords
