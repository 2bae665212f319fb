// 802.1Q / 802.1ad tag as it follows the outer ethertype: TCI (PCP, DEI,
// 12-bit VLAN id) and the encapsulated ethertype.
#pragma once
#include <cstdint>
#include <optional>

#include "core/bytes.h"

namespace pasban::wire {

struct VlanView {
  static constexpr size_t kSize = 4;
  core::Bytes bytes;

  static std::optional<VlanView> from(core::Bytes b) {
    if (b.size() < kSize) return std::nullopt;
    return VlanView{b.first(kSize)};
  }
  uint16_t tci() const { return core::load_be16(bytes.data()); }
  uint8_t priority() const { return uint8_t(bytes[0] >> 5); }
  uint16_t vlan_id() const { return tci() & 0x0fff; }
  uint16_t ether_type() const { return core::load_be16(bytes.data() + 2); }
};

}  // namespace pasban::wire
