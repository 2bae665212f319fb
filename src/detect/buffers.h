// Named inspection buffers. Content-like keywords inspect one buffer; a
// sticky buffer keyword (`tcp.hdr;`) switches the buffer that following
// keywords go to. Packet buffers are views of the decoded packet; protocol
// buffers (http.uri, dns.query, ...) are published by app/ parsers later.
#pragma once
#include <cstdint>
#include <optional>
#include <string_view>

#include "core/bytes.h"
#include "decode/packet.h"

namespace pasban::detect {

enum class BufferId : uint8_t {
  kPayload,  // pkt_data: the packet payload
  kIpv4Hdr,
  kIpv6Hdr,
  kTcpHdr,
  kUdpHdr,
  kIcmpv4Hdr,
  kIcmpv6Hdr,
  kCount
};

std::string_view buffer_name(BufferId id);
// Sticky-buffer keyword name -> buffer ("ipv4.hdr", "tcp.hdr", "pkt_data").
std::optional<BufferId> buffer_by_keyword(std::string_view keyword);
// The bytes of a packet buffer; empty when the packet has no such layer.
core::Bytes packet_buffer(const decode::Packet& p, BufferId id);

}  // namespace pasban::detect
