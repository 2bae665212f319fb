// Ethernet II header view (IEEE 802.3 clause 3.2.6): dst MAC, src MAC,
// ethertype. Pure function of bytes; from() checks the length once.
#pragma once
#include <cstdint>
#include <optional>

#include "core/bytes.h"

namespace pasban::wire {

inline constexpr uint16_t kEtherTypeIpv4 = 0x0800;
inline constexpr uint16_t kEtherTypeArp = 0x0806;
inline constexpr uint16_t kEtherTypeIpv6 = 0x86dd;
inline constexpr uint16_t kEtherTypeVlan = 0x8100;    // 802.1Q
inline constexpr uint16_t kEtherTypeQinQ = 0x88a8;    // 802.1ad
inline constexpr uint16_t kEtherTypeQinQ9100 = 0x9100;  // pre-standard QinQ

struct EthernetView {
  static constexpr size_t kSize = 14;
  core::Bytes bytes;  // exactly kSize bytes

  static std::optional<EthernetView> from(core::Bytes b) {
    if (b.size() < kSize) return std::nullopt;
    return EthernetView{b.first(kSize)};
  }
  core::Bytes dst_mac() const { return bytes.subspan(0, 6); }
  core::Bytes src_mac() const { return bytes.subspan(6, 6); }
  uint16_t ether_type() const { return core::load_be16(bytes.data() + 12); }
};

}  // namespace pasban::wire
