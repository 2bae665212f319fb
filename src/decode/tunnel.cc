// Tunnel plumbing shared by the encapsulation decoders: recording the inner
// packet (Suricata's PacketTunnelPktSetup, minus the copy: the inner bytes
// are a view into the outer frame, valid while the outer packet is) and IP
// directly in IP.
#include "decode/layers.h"

namespace pasban::decode {

const char* pkt_src_name(PktSrc s) {
  switch (s) {
    case PktSrc::kWire: return "wire/pcap";
    case PktSrc::kGre: return "gre tunnel";
    case PktSrc::kIpv4: return "ipv4 tunnel";
    case PktSrc::kIpv6: return "ipv6 tunnel";
    case PktSrc::kTeredo: return "teredo tunnel";
    case PktSrc::kVxlan: return "vxlan encapsulation";
    case PktSrc::kGeneve: return "geneve encapsulation";
    case PktSrc::kFlowTimeout: return "stream (flow timeout)";
    case PktSrc::kDefrag: return "defrag";
  }
  return "wire/pcap";
}

namespace detail {

bool set_inner(Ctx& c, TunnelKind kind, PktSrc src, core::Bytes b) {
  Packet& p = c.p;
  // One inner packet per packet: a second encapsulation inside the same
  // outer header chain cannot happen (each decoder stops at its tunnel).
  if (p.tunnel_root()) return false;
  if (int(p.tunnel_depth) + 1 > c.options.max_tunnel_depth) {
    c.invalid_event(Event::kTooManyLayers);
    return false;
  }
  p.inner_kind = kind;
  p.inner_src = src;
  p.inner = b;
  return true;
}

// Suricata checks the inner version before spawning the tunnel packet for
// IPv6 outer headers (ipv4_in_ipv6 / ipv6_in_ipv6 events); IPv4 outer
// headers hand the bytes over and let the inner decoder complain.
void decode_ip_in_ip(Ctx& c, core::Bytes b, bool outer_v6, uint8_t proto) {
  const bool inner_v6 = proto == kIpProtoIpv6;
  constexpr size_t kIpv4Min = 20, kIpv6Min = 40;
  if (outer_v6) {
    c.count(inner_v6 ? kCtrIpv6InIpv6 : kCtrIpv4InIpv6);
    if (b.size() < (inner_v6 ? kIpv6Min : kIpv4Min)) {
      c.event(inner_v6 ? Event::kIpv6InIpv6TooSmall : Event::kIpv4InIpv6TooSmall);
      return;
    }
    if ((b[0] >> 4) != (inner_v6 ? 6 : 4)) {
      c.event(inner_v6 ? Event::kIpv6InIpv6WrongVersion : Event::kIpv4InIpv6Invalid);
      return;
    }
  } else {
    c.count(inner_v6 ? kCtrIpv6InIpv4 : kCtrIpv4InIpv4);
  }
  set_inner(c, inner_v6 ? TunnelKind::kIpv6 : TunnelKind::kIpv4,
            outer_v6 ? PktSrc::kIpv6 : PktSrc::kIpv4, b);
}

}  // namespace detail
}  // namespace pasban::decode
