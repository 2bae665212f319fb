// Link layers without Ethernet: Linux cooked capture (SLL, SLL2), raw IP
// and BSD null/loopback.
#include "decode/layers.h"
#include "wire/ipv4.h"
#include "wire/sll.h"

namespace pasban::decode::detail {

void decode_sll(Ctx& c, core::Bytes b) {
  c.count(kCtrSll);
  auto sll = wire::SllView::from(b);
  if (!sll) {
    c.invalid_event(Event::kSllPktTooSmall);
    return;
  }
  decode_network_layer(c, sll->protocol(), b.subspan(wire::SllView::kSize));
}

void decode_sll2(Ctx& c, core::Bytes b) {
  c.count(kCtrSll);
  auto sll = wire::Sll2View::from(b);
  if (!sll) {
    c.invalid_event(Event::kSllPktTooSmall);
    return;
  }
  decode_network_layer(c, sll->protocol(), b.subspan(wire::Sll2View::kSize));
}

// Raw IP: the version nibble picks the decoder (Suricata's DecodeRaw, which
// requires at least an IPv4 header's worth of bytes first).
void decode_raw(Ctx& c, core::Bytes b) {
  c.count(kCtrRaw);
  if (b.size() < wire::Ipv4View::kMinSize) {
    c.invalid_event(Event::kIpv4PktTooSmall);
    return;
  }
  switch (b[0] >> 4) {
    case 4:
      decode_ipv4(c, b);
      break;
    case 6:
      decode_ipv6(c, b);
      break;
    default:
      c.event(Event::kIpRawInvalidIpVer);
      break;
  }
}

// DLT_NULL (0): a 4-byte address family in the capturing host's byte order;
// DLT_LOOP (108): the same in network order. For DLT_NULL the writer's order
// is unknown to us, so a value that only makes sense byte-swapped is swapped.
// AF_INET is 2 everywhere; AF_INET6 is 24 (NetBSD/OpenBSD), 28 (FreeBSD),
// 30 (Darwin), 26 (Solaris), 23 (Winsock).
void decode_null(Ctx& c, core::Bytes b, bool network_order) {
  c.count(kCtrNull);
  constexpr size_t kHeaderSize = 4;
  if (b.size() < kHeaderSize) {
    c.invalid_event(Event::kNullPktTooSmall);
    return;
  }
  uint32_t family = network_order ? core::load_be32(b.data()) : core::load_le32(b.data());
  if (!network_order && family > 0xffff) family = core::load_be32(b.data());
  const core::Bytes rest = b.subspan(kHeaderSize);
  switch (family) {
    case 2:
      decode_ipv4(c, rest);
      break;
    case 23: case 24: case 26: case 28: case 30:
      decode_ipv6(c, rest);
      break;
    default:
      c.invalid_event(Event::kNullUnsupportedType);
      break;
  }
}

}  // namespace pasban::decode::detail
