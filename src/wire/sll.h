// Linux "cooked" capture headers (libpcap LINKTYPE_LINUX_SLL 113 and
// LINKTYPE_LINUX_SLL2 276). Both carry the ethertype of the payload.
#pragma once
#include <cstdint>
#include <optional>

#include "core/bytes.h"

namespace pasban::wire {

// SLL: packet type(2) ARPHRD(2) addr len(2) addr(8) protocol(2).
struct SllView {
  static constexpr size_t kSize = 16;
  core::Bytes bytes;

  static std::optional<SllView> from(core::Bytes b) {
    if (b.size() < kSize) return std::nullopt;
    return SllView{b.first(kSize)};
  }
  uint16_t packet_type() const { return core::load_be16(bytes.data()); }
  uint16_t arphrd_type() const { return core::load_be16(bytes.data() + 2); }
  uint16_t protocol() const { return core::load_be16(bytes.data() + 14); }
};

// SLL2: protocol(2) reserved(2) ifindex(4) ARPHRD(2) packet type(1)
// addr len(1) addr(8).
struct Sll2View {
  static constexpr size_t kSize = 20;
  core::Bytes bytes;

  static std::optional<Sll2View> from(core::Bytes b) {
    if (b.size() < kSize) return std::nullopt;
    return Sll2View{b.first(kSize)};
  }
  uint16_t protocol() const { return core::load_be16(bytes.data()); }
  uint32_t interface_index() const { return core::load_be32(bytes.data() + 4); }
  uint16_t arphrd_type() const { return core::load_be16(bytes.data() + 8); }
  uint8_t packet_type() const { return bytes[10]; }
};

}  // namespace pasban::wire
