// isdataat: is there data at a position?
//   isdataat:[!]<n|var>[,relative][,rawbytes]
// Absolute: true when n < buffer size. Relative: true when cursor + n <=
// buffer size (Suricata's asymmetry: relative asks for n more bytes).
// `rawbytes` is accepted and ignored, as in Suricata.
#pragma once
#include <cstdint>
#include <string_view>

#include "core/bytes.h"
#include "core/result.h"
#include "detect/keywords/byte_common.h"

namespace pasban::detect::keywords {

struct IsDataAt {
  ByteOperand position;
  bool negate = false;
  bool relative = false;

  static core::Result<IsDataAt> parse(std::string_view value, const VarResolver& resolve);
  bool match(core::Bytes buf, uint32_t cursor, const ByteVars& vars) const noexcept;

  size_t hash() const;
  friend bool operator==(const IsDataAt&, const IsDataAt&) = default;
};

}  // namespace pasban::detect::keywords
