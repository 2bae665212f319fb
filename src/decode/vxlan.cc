// VXLAN (RFC 7348) on the configured UDP destination ports: an 8-byte
// header (I flag set, reserved byte zero) then an Ethernet frame, which
// becomes an inner packet. Suricata's checks; a frame that is neither IPv4,
// IPv6, VLAN nor ARP is vxlan.unknown_payload_type.
#include "decode/layers.h"
#include "wire/ethernet.h"

namespace pasban::decode::detail {

namespace {
constexpr size_t kVxlanHeader = 8;
constexpr uint8_t kVxlanFlagVni = 0x08;  // "I": the VNI is valid
}  // namespace

bool decode_vxlan(Ctx& c, core::Bytes b) {
  if (b.size() < kVxlanHeader + wire::EthernetView::kSize) return false;
  if ((b[0] & kVxlanFlagVni) == 0 || b[7] != 0) return false;
  c.count(kCtrVxlan);
  const core::Bytes frame = b.subspan(kVxlanHeader);
  switch (core::load_be16(frame.data() + 12)) {
    case wire::kEtherTypeIpv4:
    case wire::kEtherTypeIpv6:
    case wire::kEtherTypeVlan:
    case wire::kEtherTypeArp:
      set_inner(c, TunnelKind::kEthernet, PktSrc::kVxlan, frame);
      break;
    default:
      c.event(Event::kVxlanUnknownPayloadType);
      break;
  }
  return true;
}

}  // namespace pasban::decode::detail
