// MPLS (RFC 3032) label stacks on Ethernet, decoded in place as Suricata
// does: labels up to the bottom of stack, then the payload by its first
// nibble (IPv4, IPv6) or, for a pseudowire control word (RFC 4385, first
// nibble 0), an Ethernet frame. Reserved labels (RFC 3032 section 2.1) are
// named events.
#include "decode/layers.h"

namespace pasban::decode::detail {

namespace {
constexpr size_t kLabelSize = 4;
constexpr size_t kPwControlWord = 4;
constexpr uint32_t kLabelIpv4ExplicitNull = 0, kLabelRouterAlert = 1,
                   kLabelIpv6ExplicitNull = 2, kLabelImplicitNull = 3, kLabelMaxReserved = 15;
}  // namespace

void decode_mpls(Ctx& c, core::Bytes b) {
  c.count(kCtrMpls);
  if (++c.nested_layers > Ctx::kMaxNestedLayers) {
    c.invalid_event(Event::kTooManyLayers);
    return;
  }
  uint32_t label = 0;
  size_t off = 0;
  // Each pass consumes one 4-byte label: bounded by the packet length.
  for (;;) {
    if (b.size() - off < kLabelSize) {
      c.invalid_event(Event::kMplsHeaderTooSmall);
      return;
    }
    const uint32_t entry = core::load_be32(b.data() + off);
    off += kLabelSize;
    label = entry >> 12;
    if (entry & 0x100) break;  // bottom of stack
  }
  const core::Bytes rest = b.subspan(off);
  if (label == kLabelRouterAlert) {
    c.event(Event::kMplsBadLabelRouterAlert);
    return;
  }
  if (label == kLabelImplicitNull) {
    c.event(Event::kMplsBadLabelImplicitNull);
    return;
  }
  if (label > kLabelIpv6ExplicitNull && label <= kLabelMaxReserved) {
    c.event(Event::kMplsBadLabelReserved);
    return;
  }
  if (label == kLabelIpv4ExplicitNull) {
    decode_ipv4(c, rest);
    return;
  }
  if (label == kLabelIpv6ExplicitNull) {
    decode_ipv6(c, rest);
    return;
  }
  if (rest.empty()) {
    c.invalid_event(Event::kMplsPktTooSmall);
    return;
  }
  switch (rest[0] >> 4) {
    case 4:
      decode_ipv4(c, rest);
      break;
    case 6:
      decode_ipv6(c, rest);
      break;
    case 0:
      if (rest.size() < kPwControlWord) {
        c.invalid_event(Event::kMplsPktTooSmall);
        return;
      }
      decode_ethernet(c, rest.subspan(kPwControlWord));
      break;
    default:
      c.event(Event::kMplsUnknownPayloadType);
      break;
  }
}

}  // namespace pasban::decode::detail
