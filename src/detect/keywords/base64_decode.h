// base64_decode:[bytes N][, offset N][, relative]: decodes base64 from the
// current buffer (at offset from its start, or from the previous match when
// relative) into the inspection scratch; base64_data then switches the
// rule's following keywords to those decoded bytes. As in Suricata the
// decoding follows RFC 4648 (it stops at the first character outside the
// alphabet) and base64_data is inspected at the point the decode happens.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

#include "core/bytes.h"
#include "core/result.h"

namespace pasban::detect::keywords {

struct Base64Decode {
  // Suricata caps a decode at 64 KiB of input; bytes 0 or absent means the cap.
  static constexpr uint32_t kMaxBytes = 65535;
  uint32_t bytes = kMaxBytes;
  uint32_t offset = 0;
  bool relative = false;

  // value: the option text ("" for a bare base64_decode;).
  static core::Result<Base64Decode> parse(std::string_view value);
  // Decodes from buf into out (cleared first). False when there is nothing
  // to decode or nothing decoded: the keyword does not match then.
  bool decode(core::Bytes buf, uint32_t cursor, std::string& out) const;
  bool operator==(const Base64Decode&) const = default;
};

}  // namespace pasban::detect::keywords
