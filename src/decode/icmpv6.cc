// ICMPv6 (RFC 4443 and the IANA type registry) as Suricata's DecodeICMPV6
// reads it: code checks per type, id/seq for echo, the MTU of packet-too-big,
// the embedded IPv6 header of error messages, MLD hop limit (RFC 2710 3).
#include "decode/layers.h"
#include "wire/icmp.h"
#include "wire/ipv6.h"

namespace pasban::decode::detail {

namespace {

constexpr uint8_t kDstUnreach = 1, kPacketTooBig = 2, kTimeExceeded = 3, kParamProblem = 4,
                  kEchoRequest = 128, kEchoReply = 129, kMldQuery = 130, kMldReport = 131,
                  kMldReduction = 132, kRouterRenumbering = 138, kNiQuery = 139, kNiReply = 140,
                  kMobileExperimental = 150, kMcRouterAdvert = 151, kMcRouterSolicit = 152,
                  kMcRouterTerminate = 153, kRplControl = 155, kLastAssignedType = 161;

void check_embedded_ipv6(Ctx& c, core::Bytes b) {
  if (b.size() < wire::Ipv6View::kSize) {
    c.invalid_event(Event::kIcmpv6Ipv6TruncPkt);
    return;
  }
  if ((b[0] >> 4) != 6) c.invalid_event(Event::kIcmpv6Ipv6UnknownVersion);
}

// Unlisted types by IANA range: unassigned, private experimentation
// (100-101, 200-201), or plain unknown.
Event unlisted_type_event(uint8_t type) {
  if ((type > 4 && type < 100) || (type >= 102 && type < 127)) return Event::kIcmpv6UnassignedType;
  if ((type >= 100 && type < 102) || (type >= 200 && type < 202))
    return Event::kIcmpv6ExperimentationType;
  if (type > kLastAssignedType) return Event::kIcmpv6UnassignedType;
  return Event::kIcmpv6UnknownType;
}

}  // namespace

void decode_icmpv6(Ctx& c, core::Bytes msg) {
  Packet& p = c.p;
  c.count(kCtrIcmpv6);
  auto icmp = wire::IcmpView::from(msg);
  if (!icmp) {
    c.invalid_event(Event::kIcmpv6PktTooSmall);
    return;
  }
  p.has_icmpv6 = true;
  const uint8_t type = icmp->type(), code = icmp->code();
  p.icmp_type = type;
  p.icmp_code = code;
  const core::Bytes after = msg.subspan(wire::IcmpView::kSize);
  bool full_header = false;  // the 4 bytes after type/code/csum are header
  bool code_ok = true;

  switch (type) {
    case kDstUnreach:
    case kTimeExceeded:
    case kParamProblem: {
      const uint8_t max_code = type == kDstUnreach ? 6 : type == kTimeExceeded ? 1 : 2;
      code_ok = code <= max_code;
      if (code_ok) {
        check_embedded_ipv6(c, after);
        full_header = true;
      }
      break;
    }
    case kPacketTooBig:
      code_ok = code == 0;
      if (code_ok) {
        p.icmpv6_has_mtu = true;
        p.icmpv6_mtu = icmp->rest();
        check_embedded_ipv6(c, after);
        full_header = true;
      }
      break;
    case kEchoRequest:
    case kEchoReply:
      code_ok = code == 0;
      if (code_ok) {
        p.icmp_has_id = true;
        p.icmp_id = icmp->id();
        p.icmp_seq = icmp->seq();
        full_header = true;
      }
      break;
    case kMldQuery:
    case kMldReport:
    case kMldReduction:
      code_ok = code == 0;
      if (p.ttl != 1) c.event(Event::kIcmpv6MldMessageWithInvalidHl);
      break;
    case kRouterRenumbering:
      code_ok = code <= 2 || code == 255;
      break;
    case kNiQuery:
    case kNiReply:
      code_ok = code <= 2;
      break;
    case kMobileExperimental:
    case kMcRouterAdvert:
    case kMcRouterSolicit:
    case kMcRouterTerminate:
      break;
    case kRplControl:
      code_ok = code <= 3 || (code >= 128 && code <= 132);
      break;
    default:
      if (type >= 133 && type <= kLastAssignedType) {
        code_ok = code == 0;  // ND, inverse ND, MLDv2, mobility, SEND, ... (code 0 only)
      } else {
        c.event(unlisted_type_event(type));
      }
      break;
  }
  if (!code_ok) c.event(Event::kIcmpv6UnknownCode);

  p.l4_header = icmp->bytes;
  if (full_header) {
    p.payload = after;
  } else if (after.size() >= 4) {
    // Suricata's reading of messages without a 4-byte body header: the
    // payload starts at offset 4 and is 4 bytes shorter than the message
    // after the 8-byte header. Kept for identical content matches.
    p.payload = msg.subspan(4, after.size() - 4);
  }
  if (c.options.verify_checksums) p.l4_csum = l4_checksum(p);
}

}  // namespace pasban::decode::detail
