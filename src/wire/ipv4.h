// IPv4 header view (RFC 791 section 3.1). from() checks the fixed 20 bytes;
// header_length() and total_length() are the claimed values, which the
// decoder checks against the captured length before trusting them.
#pragma once
#include <cstdint>
#include <optional>

#include "core/bytes.h"

namespace pasban::wire {

inline constexpr uint8_t kIpProtoIcmp = 1;
inline constexpr uint8_t kIpProtoTcp = 6;
inline constexpr uint8_t kIpProtoUdp = 17;
inline constexpr uint8_t kIpProtoIcmpv6 = 58;

// IPv4 option types (RFC 791, RFC 1108, RFC 2113, RFC 4782, CIPSO draft).
inline constexpr uint8_t kIpv4OptEol = 0;
inline constexpr uint8_t kIpv4OptNop = 1;
inline constexpr uint8_t kIpv4OptRr = 7;
inline constexpr uint8_t kIpv4OptQs = 25;
inline constexpr uint8_t kIpv4OptTs = 68;
inline constexpr uint8_t kIpv4OptSec = 130;
inline constexpr uint8_t kIpv4OptLsrr = 131;
inline constexpr uint8_t kIpv4OptEsec = 133;
inline constexpr uint8_t kIpv4OptCipso = 134;
inline constexpr uint8_t kIpv4OptSatid = 136;
inline constexpr uint8_t kIpv4OptSsrr = 137;
inline constexpr uint8_t kIpv4OptRtralt = 148;

struct Ipv4View {
  static constexpr size_t kMinSize = 20;
  core::Bytes bytes;  // at least kMinSize bytes

  static std::optional<Ipv4View> from(core::Bytes b) {
    if (b.size() < kMinSize) return std::nullopt;
    return Ipv4View{b};
  }
  uint8_t version() const { return bytes[0] >> 4; }
  size_t header_length() const { return size_t(bytes[0] & 0x0f) * 4; }
  uint8_t tos() const { return bytes[1]; }
  uint16_t total_length() const { return core::load_be16(bytes.data() + 2); }
  uint16_t id() const { return core::load_be16(bytes.data() + 4); }
  // Flags: bit 0x4 reserved ("evil"), 0x2 DF, 0x1 MF.
  uint8_t flags() const { return uint8_t(bytes[6] >> 5); }
  uint16_t fragment_offset_bytes() const {
    return uint16_t((core::load_be16(bytes.data() + 6) & 0x1fff) * 8);
  }
  uint8_t ttl() const { return bytes[8]; }
  uint8_t protocol() const { return bytes[9]; }
  uint16_t checksum() const { return core::load_be16(bytes.data() + 10); }
  const uint8_t* src() const { return bytes.data() + 12; }
  const uint8_t* dst() const { return bytes.data() + 16; }
};

}  // namespace pasban::wire
