// Ethernet II, 802.1Q/802.1ad VLAN stacks and the ethertype dispatch
// (Suricata's DecodeEthernet / DecodeVLAN / DecodeNetworkLayer).
#include <algorithm>

#include "decode/layers.h"
#include "wire/ethernet.h"
#include "wire/vlan.h"

namespace pasban::decode::detail {

namespace {
constexpr uint16_t kEtherTypeMplsUnicast = 0x8847, kEtherTypeMplsMulticast = 0x8848;
// Ethertypes Suricata decodes but Pasban does not (yet): not "unknown", so
// they raise no ethernet.unknown_ethertype event, they just end decoding.
bool is_known_undecoded(uint16_t t) {
  switch (t) {
    case 0x8863: case 0x8864:  // PPPoE discovery / session
    case 0x88e7:               // 802.1ah (MAC-in-MAC)
    case 0x8903:               // DCE
    case 0x8926:               // VN-Tag
    case 0x893f:               // 802.1BR E-Tag
    case 0x894f:               // NSH
      return true;
    default:
      return false;
  }
}
}  // namespace

void decode_ethernet(Ctx& c, core::Bytes b) {
  c.count(kCtrEthernet);
  auto eth = wire::EthernetView::from(b);
  if (!eth) {
    c.invalid_event(Event::kEthernetPktTooSmall);
    return;
  }
  c.p.ether_header = eth->bytes;
  decode_network_layer(c, eth->ether_type(), b.subspan(wire::EthernetView::kSize));
}

bool decode_network_layer(Ctx& c, uint16_t ether_type, core::Bytes b) {
  switch (ether_type) {
    case wire::kEtherTypeIpv4:
      decode_ipv4(c, b);
      return true;
    case wire::kEtherTypeIpv6:
      decode_ipv6(c, b);
      return true;
    case wire::kEtherTypeVlan:
    case wire::kEtherTypeQinQ:
    case wire::kEtherTypeQinQ9100:
      decode_vlan(c, b);
      return true;
    case wire::kEtherTypeArp:
      c.count(kCtrArp);
      return true;
    case kEtherTypeMplsUnicast:
    case kEtherTypeMplsMulticast:
      decode_mpls(c, b);
      return true;
    default:
      if (is_known_undecoded(ether_type)) return true;
      c.count(kCtrUnknownEthertype);
      c.event(Event::kEthernetUnknownEthertype);
      return false;
  }
}

void decode_vlan(Ctx& c, core::Bytes b) {
  Packet& p = c.p;
  const int idx = p.vlan_count;
  // Suricata counts the layer before checking it.
  if (idx == 0) c.count(kCtrVlan);
  else if (idx == 1) c.count(kCtrVlanQinq);
  else if (idx == 2) c.count(kCtrVlanQinqinq);

  auto vlan = wire::VlanView::from(b);
  if (!vlan) {
    c.invalid_event(Event::kVlanHeaderTooSmall);
    return;
  }
  // The stack bound also bounds the decode_network_layer/decode_vlan recursion.
  const int max_layers = std::clamp(c.options.max_vlan_layers, 0, int(Packet::kMaxVlans));
  if (idx >= max_layers) {
    c.event(Event::kVlanTooManyLayers);
    return;
  }
  p.vlan_id[idx] = vlan->vlan_id();
  p.vlan_count = uint8_t(idx + 1);
  if (!decode_network_layer(c, vlan->ether_type(), b.subspan(wire::VlanView::kSize)))
    c.invalid_event(Event::kVlanUnknownType);
}

}  // namespace pasban::decode::detail
