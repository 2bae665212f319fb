// Teredo (RFC 4380): IPv6 in UDP with no header of its own. As Suricata
// does, an origin indication (8 bytes starting 0x00 0x00) is skipped, an
// authentication header means negotiation (not a tunnel), and the payload
// is Teredo only when it is exactly one IPv6 packet by its payload length.
#include "decode/layers.h"

namespace pasban::decode::detail {

namespace {
constexpr size_t kIpv6Header = 40;
constexpr size_t kOriginIndication = 8;
constexpr uint8_t kIpProtoNoNext = 59;
}  // namespace

bool decode_teredo(Ctx& c, core::Bytes b) {
  if (b.size() < kIpv6Header) return false;
  size_t start = 0;
  if (b[0] == 0) {
    if (b[1] != 0) return false;  // 0x0001 authentication, or not Teredo
    if (b.size() < kOriginIndication + kIpv6Header) return false;
    start = kOriginIndication;
  }
  const core::Bytes ip = b.subspan(start);
  if ((ip[0] >> 4) != 6) return false;
  const uint16_t plen = core::load_be16(ip.data() + 4);
  const uint8_t next = ip[6], hop_limit = ip[7];
  if (hop_limit == 0) return false;
  if (next == kIpProtoNoNext && plen > 0) return false;
  if (ip.size() != kIpv6Header + plen) return false;
  c.count(kCtrTeredo);
  set_inner(c, TunnelKind::kIpv6, PktSrc::kTeredo, ip);
  return true;
}

namespace {
bool port_listed(const std::vector<uint16_t>& ports, uint16_t port) {
  for (uint16_t p : ports)
    if (p == port) return true;
  return false;
}
}  // namespace

bool decode_udp_tunnel(Ctx& c, core::Bytes payload) {
  const Packet& p = c.p;
  const DecodeOptions& o = c.options;
  if (o.geneve_enabled && (port_listed(o.geneve_ports, p.dp) || port_listed(o.geneve_ports, p.sp)) &&
      decode_geneve(c, payload))
    return true;
  if (o.teredo_enabled &&
      (o.teredo_ports.empty() || port_listed(o.teredo_ports, p.dp) || port_listed(o.teredo_ports, p.sp)) &&
      decode_teredo(c, payload))
    return true;
  // VXLAN is recognised by destination port only: replies from a VXLAN
  // port are ordinary UDP.
  if (o.vxlan_enabled && port_listed(o.vxlan_ports, p.dp) && decode_vxlan(c, payload)) return true;
  return false;
}

}  // namespace pasban::decode::detail
