// byte_jump: read a length from the buffer and move the cursor past it.
//   byte_jump:<bytes>,<offset>[,relative][,multiplier <n>][,big|little]
//             [,string[,hex|dec|oct]][,align][,from_beginning|from_end]
//             [,post_offset <n>][,dce][,bitmask <mask>]
// bytes and offset may name a variable.
//
// New position (Suricata 7): base + value*multiplier (rounded up to 4 with
// align) + post_offset, where base is 0 (from_beginning), the buffer size
// (from_end) or the end of the bytes read. A position before the buffer
// start is clamped to 0; past the end is no match; exactly the end is ok.
#pragma once
#include <cstdint>
#include <string_view>

#include "core/bytes.h"
#include "core/result.h"
#include "detect/keywords/byte_common.h"

namespace pasban::detect::keywords {

struct ByteJump {
  ByteOperand nbytes;
  ByteOperand offset;
  bool relative = false;
  uint32_t multiplier = 1;  // 1..65535
  ByteEndian endian = ByteEndian::kBig;
  bool string = false;
  ByteBase base = ByteBase::kAuto;
  bool align = false;
  bool from_beginning = false;
  bool from_end = false;
  int32_t post_offset = 0;  // -65535..65535
  bool has_bitmask = false;
  uint64_t bitmask = 0;

  static core::Result<ByteJump> parse(std::string_view value, const VarResolver& resolve);

  // On success moves `cursor` to the new position.
  bool apply(core::Bytes buf, uint32_t& cursor, const ByteVars& vars) const noexcept;

  size_t hash() const;
  friend bool operator==(const ByteJump&, const ByteJump&) = default;
};

}  // namespace pasban::detect::keywords
