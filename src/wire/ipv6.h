// IPv6 fixed header view (RFC 8200 section 3) and the extension header
// numbers the decoder walks (section 4).
#pragma once
#include <cstdint>
#include <optional>

#include "core/bytes.h"

namespace pasban::wire {

inline constexpr uint8_t kIpProtoHopOpts = 0;
inline constexpr uint8_t kIpProtoIpip = 4;
inline constexpr uint8_t kIpProtoIpv6 = 41;
inline constexpr uint8_t kIpProtoRouting = 43;
inline constexpr uint8_t kIpProtoFragment = 44;
inline constexpr uint8_t kIpProtoEsp = 50;
inline constexpr uint8_t kIpProtoAh = 51;
inline constexpr uint8_t kIpProtoNone = 59;
inline constexpr uint8_t kIpProtoDstOpts = 60;
inline constexpr uint8_t kIpProtoMobility = 135;
inline constexpr uint8_t kIpProtoHip = 139;
inline constexpr uint8_t kIpProtoShim6 = 140;

struct Ipv6View {
  static constexpr size_t kSize = 40;
  core::Bytes bytes;  // at least kSize bytes

  static std::optional<Ipv6View> from(core::Bytes b) {
    if (b.size() < kSize) return std::nullopt;
    return Ipv6View{b};
  }
  uint8_t version() const { return bytes[0] >> 4; }
  uint8_t traffic_class() const { return uint8_t((bytes[0] << 4) | (bytes[1] >> 4)); }
  uint32_t flow_label() const { return core::load_be32(bytes.data()) & 0xfffff; }
  uint16_t payload_length() const { return core::load_be16(bytes.data() + 4); }
  uint8_t next_header() const { return bytes[6]; }
  uint8_t hop_limit() const { return bytes[7]; }
  const uint8_t* src() const { return bytes.data() + 8; }
  const uint8_t* dst() const { return bytes.data() + 24; }
};

// Fragment extension header (RFC 8200 section 4.5), 8 bytes.
struct Ipv6FragmentView {
  static constexpr size_t kSize = 8;
  core::Bytes bytes;

  static std::optional<Ipv6FragmentView> from(core::Bytes b) {
    if (b.size() < kSize) return std::nullopt;
    return Ipv6FragmentView{b.first(kSize)};
  }
  uint8_t next_header() const { return bytes[0]; }
  uint8_t reserved() const { return bytes[1]; }
  uint16_t offset_bytes() const { return core::load_be16(bytes.data() + 2) & 0xfff8; }
  bool more_fragments() const { return (bytes[3] & 0x01) != 0; }
  uint32_t identification() const { return core::load_be32(bytes.data() + 4); }
};

}  // namespace pasban::wire
