// flow: direction and state of the packet's flow.
#pragma once
#include <cstdint>
#include <string_view>

#include "core/result.h"
#include "decode/packet.h"

namespace pasban::detect::keywords {

struct FlowMatch {
  bool to_server = false, to_client = false;
  bool established = false, not_established = false, stateless = false;
  bool only_stream = false, no_stream = false, only_frag = false, no_frag = false;

  static core::Result<FlowMatch> parse(std::string_view value);
  bool match(const decode::Packet& p) const noexcept;
  friend bool operator==(const FlowMatch&, const FlowMatch&) = default;
};

}  // namespace pasban::detect::keywords
