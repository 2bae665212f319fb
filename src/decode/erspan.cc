// ERSPAN (Cisco's Encapsulated Remote SPAN, draft-foschiano-erspan) inside
// GRE. Type I has no header: the mirrored Ethernet frame follows GRE.
// Type II has an 8-byte header (version 1) and type III a 12-byte one
// (version 2) plus an 8-byte platform subheader when its O bit is set. The
// mirrored VLAN from the header is the inner packet's VLAN, as in Suricata
// (so flows of different mirrored VLANs stay apart).
#include "decode/layers.h"

namespace pasban::decode::detail {

namespace {
constexpr size_t kErspan2Header = 8;
constexpr size_t kErspan3Header = 12;
constexpr size_t kErspan3PlatformSubheader = 8;
constexpr uint8_t kErspan2Version = 1, kErspan3Version = 2;
constexpr uint8_t kErspan3FrameEthernet = 0;
}  // namespace

void decode_erspan(Ctx& c, TunnelKind kind, core::Bytes b) {
  c.count(kCtrErspan);
  if (kind == TunnelKind::kErspanI) {
    decode_ethernet(c, b);
    return;
  }
  const bool type3 = kind == TunnelKind::kErspanIII;
  size_t hlen = type3 ? kErspan3Header : kErspan2Header;
  if (b.size() < hlen) {
    c.invalid_event(Event::kErspanHeaderTooSmall);
    return;
  }
  const uint16_t ver_vlan = core::load_be16(b.data());
  if ((ver_vlan >> 12) != (type3 ? kErspan3Version : kErspan2Version)) {
    c.invalid_event(Event::kErspanUnsupportedVersion);
    return;
  }
  if (type3) {
    const uint8_t last = b[11];
    if (((last >> 1) & 0x1f) != kErspan3FrameEthernet) return;  // mirrored IP frames: not decoded
    if (last & 0x01) hlen += kErspan3PlatformSubheader;
    if (b.size() < hlen) {
      c.invalid_event(Event::kErspanHeaderTooSmall);
      return;
    }
  }
  const uint16_t vlan = ver_vlan & 0x0fff;
  Packet& p = c.p;
  if (vlan != 0) {
    if (p.vlan_count >= 2) {
      c.invalid_event(Event::kErspanTooManyVlanLayers);
      return;
    }
    p.vlan_id[p.vlan_count++] = vlan;
  }
  decode_ethernet(c, b.subspan(hlen));
}

}  // namespace pasban::decode::detail
