// Base64 decoding in Suricata's three modes, shared by the from_base64
// transform and the base64_decode keyword.
#pragma once
#include <cstdint>
#include <string>

#include "core/bytes.h"

namespace pasban::detect::transforms {

enum class Base64Mode : uint8_t {
  // RFC 4648 section 3.3: decoding stops at the first character outside
  // the alphabet; a trailing partial group is decoded as if padded.
  kRfc4648,
  // RFC 2045 section 6.8: characters outside the alphabet (line breaks,
  // spaces) are skipped; a trailing partial group is dropped.
  kRfc2045,
  // Canonical base64 only: any other character, or bad padding, fails.
  kStrict,
};

// Appends the decoding of in to out. Returns false when the input is
// invalid for the mode; out then holds nothing new.
bool base64_decode(core::Bytes in, Base64Mode mode, std::string& out);

}  // namespace pasban::detect::transforms
