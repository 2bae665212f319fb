#include "detect/buffers.h"

#include <array>

namespace pasban::detect {
namespace {
struct BufferName {
  BufferId id;
  std::string_view name;
};
constexpr std::array<BufferName, size_t(BufferId::kCount)> kBuffers = {{
    {BufferId::kPayload, "pkt_data"},
    {BufferId::kIpv4Hdr, "ipv4.hdr"},
    {BufferId::kIpv6Hdr, "ipv6.hdr"},
    {BufferId::kTcpHdr, "tcp.hdr"},
    {BufferId::kUdpHdr, "udp.hdr"},
    {BufferId::kIcmpv4Hdr, "icmpv4.hdr"},
    {BufferId::kIcmpv6Hdr, "icmpv6.hdr"},
}};
}  // namespace

std::string_view buffer_name(BufferId id) {
  return size_t(id) < kBuffers.size() ? kBuffers[size_t(id)].name : "unknown";
}

std::optional<BufferId> buffer_by_keyword(std::string_view keyword) {
  for (const auto& b : kBuffers)
    if (b.name == keyword) return b.id;
  return std::nullopt;
}

core::Bytes packet_buffer(const decode::Packet& p, BufferId id) {
  switch (id) {
    case BufferId::kPayload: return p.payload;
    case BufferId::kIpv4Hdr: return p.ip_version == 4 ? p.ip_header : core::Bytes{};
    case BufferId::kIpv6Hdr: return p.ip_version == 6 ? p.ip_header : core::Bytes{};
    case BufferId::kTcpHdr: return p.has_tcp ? p.l4_header : core::Bytes{};
    case BufferId::kUdpHdr: return p.has_udp ? p.l4_header : core::Bytes{};
    case BufferId::kIcmpv4Hdr: return p.has_icmpv4 ? p.l4_header : core::Bytes{};
    case BufferId::kIcmpv6Hdr: return p.has_icmpv6 ? p.l4_header : core::Bytes{};
    case BufferId::kCount: break;
  }
  return {};
}

}  // namespace pasban::detect
