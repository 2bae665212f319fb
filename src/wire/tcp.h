// TCP header view (RFC 9293 section 3.1) and option kinds.
#pragma once
#include <cstdint>
#include <optional>

#include "core/bytes.h"

namespace pasban::wire {

inline constexpr uint8_t kTcpOptEol = 0;
inline constexpr uint8_t kTcpOptNop = 1;
inline constexpr uint8_t kTcpOptMss = 2;
inline constexpr uint8_t kTcpOptWs = 3;
inline constexpr uint8_t kTcpOptSackOk = 4;
inline constexpr uint8_t kTcpOptSack = 5;
inline constexpr uint8_t kTcpOptTs = 8;

struct TcpView {
  static constexpr size_t kMinSize = 20;
  static constexpr size_t kMaxOptionsSize = 40;
  core::Bytes bytes;  // at least kMinSize bytes

  static std::optional<TcpView> from(core::Bytes b) {
    if (b.size() < kMinSize) return std::nullopt;
    return TcpView{b};
  }
  uint16_t src_port() const { return core::load_be16(bytes.data()); }
  uint16_t dst_port() const { return core::load_be16(bytes.data() + 2); }
  uint32_t seq() const { return core::load_be32(bytes.data() + 4); }
  uint32_t ack() const { return core::load_be32(bytes.data() + 8); }
  size_t header_length() const { return size_t(bytes[12] >> 4) * 4; }
  uint8_t flags() const { return bytes[13]; }
  uint16_t window() const { return core::load_be16(bytes.data() + 14); }
  uint16_t checksum() const { return core::load_be16(bytes.data() + 16); }
  uint16_t urgent_pointer() const { return core::load_be16(bytes.data() + 18); }
};

}  // namespace pasban::wire
