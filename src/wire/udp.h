// UDP header view (RFC 768).
#pragma once
#include <cstdint>
#include <optional>

#include "core/bytes.h"

namespace pasban::wire {

struct UdpView {
  static constexpr size_t kSize = 8;
  core::Bytes bytes;

  static std::optional<UdpView> from(core::Bytes b) {
    if (b.size() < kSize) return std::nullopt;
    return UdpView{b.first(kSize)};
  }
  uint16_t src_port() const { return core::load_be16(bytes.data()); }
  uint16_t dst_port() const { return core::load_be16(bytes.data() + 2); }
  uint16_t length() const { return core::load_be16(bytes.data() + 4); }
  uint16_t checksum() const { return core::load_be16(bytes.data() + 6); }
};

}  // namespace pasban::wire
