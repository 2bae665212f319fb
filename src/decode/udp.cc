// UDP (RFC 768) with Suricata's checks: fewer than 8 bytes is
// udp.hlen_too_small, a length field past the IP payload udp.pkt_too_small,
// a length field below 8 udp.len_invalid. Bytes after the UDP length are
// not payload.
#include "decode/layers.h"
#include "wire/udp.h"

namespace pasban::decode::detail {

void decode_udp(Ctx& c, core::Bytes segment) {
  Packet& p = c.p;
  c.count(kCtrUdp);
  auto udp = wire::UdpView::from(segment);
  if (!udp) {
    c.invalid_event(Event::kUdpHlenTooSmall);
    return;
  }
  const size_t len = udp->length();
  if (segment.size() < len) {
    c.invalid_event(Event::kUdpPktTooSmall);
    return;
  }
  if (len < wire::UdpView::kSize) {
    c.invalid_event(Event::kUdpHlenInvalid);  // "udp.len_invalid"
    return;
  }
  p.has_udp = true;
  p.l4_header = udp->bytes;
  p.sp = udp->src_port();
  p.dp = udp->dst_port();
  p.payload = segment.subspan(wire::UdpView::kSize, len - wire::UdpView::kSize);
  if (c.options.verify_checksums) p.l4_csum = l4_checksum(p);
  decode_udp_tunnel(c, p.payload);
}

}  // namespace pasban::decode::detail
