// An IPv4 or IPv6 address. IPv4 lives in the first 4 bytes; the rest are 0.
#pragma once
#include <array>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

namespace pasban::core {

struct IpAddress {
  uint8_t family = 0;  // 4, 6, or 0 when unset
  std::array<uint8_t, 16> bytes{};

  static IpAddress v4(const uint8_t* p) {
    IpAddress a;
    a.family = 4;
    std::memcpy(a.bytes.data(), p, 4);
    return a;
  }
  static IpAddress v6(const uint8_t* p) {
    IpAddress a;
    a.family = 6;
    std::memcpy(a.bytes.data(), p, 16);
    return a;
  }
  static std::optional<IpAddress> parse(std::string_view text);

  bool is_v4() const { return family == 4; }
  bool is_v6() const { return family == 6; }
  size_t size() const { return family == 4 ? 4 : 16; }
  uint32_t v4_host_order() const {
    return uint32_t(bytes[0]) << 24 | uint32_t(bytes[1]) << 16 | uint32_t(bytes[2]) << 8 | bytes[3];
  }
  // Suricata's text form: dotted quad, or full uncompressed IPv6 groups
  // ("2001:0db8:0000:...") as EVE writes them.
  std::string to_string() const;

  friend bool operator==(const IpAddress& a, const IpAddress& b) {
    return a.family == b.family && a.bytes == b.bytes;
  }
  friend auto operator<=>(const IpAddress& a, const IpAddress& b) {
    if (a.family != b.family) return a.family <=> b.family;
    return a.bytes <=> b.bytes;
  }
  template <typename H>
  friend H AbslHashValue(H h, const IpAddress& a) {
    return H::combine(std::move(h), a.family, a.bytes);
  }
};

}  // namespace pasban::core
