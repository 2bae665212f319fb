// ICMPv4 (RFC 792) and ICMPv6 (RFC 4443) header views: type, code,
// checksum and the 4-byte "rest of header" (id/seq, MTU, pointer).
#pragma once
#include <cstdint>
#include <optional>

#include "core/bytes.h"

namespace pasban::wire {

struct IcmpView {
  static constexpr size_t kSize = 8;
  core::Bytes bytes;

  static std::optional<IcmpView> from(core::Bytes b) {
    if (b.size() < kSize) return std::nullopt;
    return IcmpView{b.first(kSize)};
  }
  uint8_t type() const { return bytes[0]; }
  uint8_t code() const { return bytes[1]; }
  uint16_t checksum() const { return core::load_be16(bytes.data() + 2); }
  uint16_t id() const { return core::load_be16(bytes.data() + 4); }
  uint16_t seq() const { return core::load_be16(bytes.data() + 6); }
  uint32_t rest() const { return core::load_be32(bytes.data() + 4); }  // ICMPv6 MTU / pointer
};

}  // namespace pasban::wire
