// ICMPv4 (RFC 792 and successors) as Suricata's DecodeICMPV4 reads it:
// type/code checks, id/seq for the query kinds, the embedded IPv4 header of
// error messages, and the header length (8, or more for timestamps and
// router adverts) that splits header from payload.
#include "decode/layers.h"
#include "wire/icmp.h"
#include "wire/ipv4.h"

namespace pasban::decode::detail {

namespace {

constexpr uint8_t kEchoReply = 0, kDestUnreach = 3, kSourceQuench = 4, kRedirect = 5,
                  kEcho = 8, kRouterAdvert = 9, kTimeExceeded = 11, kParamProblem = 12,
                  kTimestamp = 13, kTimestampReply = 14, kInfoRequest = 15, kInfoReply = 16,
                  kAddressMask = 17, kAddressMaskReply = 18;
constexpr uint8_t kMaxUnreachCode = 15;   // NR_ICMP_UNREACH
constexpr uint8_t kMaxRedirectCode = 3;   // ICMP_REDIR_HOSTTOS
constexpr uint8_t kMaxExceededCode = 1;   // ICMP_EXC_FRAGTIME
constexpr size_t kTimestampBodyLen = 12;  // originate, receive, transmit

// The invoking datagram's IP header (RFC 792): only checked, as Suricata
// does, for being a whole IPv4 header.
void check_embedded_ipv4(Ctx& c, core::Bytes b) {
  if (b.size() < wire::Ipv4View::kMinSize) {
    c.invalid_event(Event::kIcmpv4Ipv4TruncPkt);
    return;
  }
  if ((b[0] >> 4) != 4) c.invalid_event(Event::kIcmpv4Ipv4UnknownVer);
}

// The invoking datagram's addresses and ports, when it was TCP or UDP and
// its header plus the first 8 bytes of its payload are there (RFC 792).
void read_embedded_tuple(Packet& p, core::Bytes b) {
  auto ip = wire::Ipv4View::from(b);
  if (!ip || ip->version() != 4) return;
  const size_t hl = ip->header_length();
  const uint8_t proto = ip->protocol();
  if (hl < wire::Ipv4View::kMinSize || b.size() < hl + 4 || (proto != 6 && proto != 17)) return;
  p.icmp_emb_valid = true;
  p.emb_proto = proto;
  p.emb_src = core::IpAddress::v4(ip->src());
  p.emb_dst = core::IpAddress::v4(ip->dst());
  p.emb_sp = core::load_be16(b.data() + hl);
  p.emb_dp = core::load_be16(b.data() + hl + 2);
}

}  // namespace

void decode_icmpv4(Ctx& c, core::Bytes msg) {
  Packet& p = c.p;
  c.count(kCtrIcmpv4);
  auto icmp = wire::IcmpView::from(msg);
  if (!icmp) {
    c.invalid_event(Event::kIcmpv4PktTooSmall);
    return;
  }
  p.has_icmpv4 = true;
  const uint8_t type = icmp->type(), code = icmp->code();
  p.icmp_type = type;
  p.icmp_code = code;
  size_t hlen = wire::IcmpView::kSize;
  const core::Bytes after = msg.subspan(wire::IcmpView::kSize);

  auto set_id = [&] {
    p.icmp_has_id = true;
    p.icmp_id = icmp->id();
    p.icmp_seq = icmp->seq();
  };
  auto error_message = [&](bool code_ok, bool allow_empty) {
    if (!code_ok) {
      c.event(Event::kIcmpv4UnknownCode);
      return;
    }
    if (!after.empty() || allow_empty) check_embedded_ipv4(c, after);
  };

  switch (type) {
    case kEchoReply:
    case kEcho:
    case kInfoRequest:
    case kInfoReply:
    case kAddressMask:
    case kAddressMaskReply:
      set_id();
      if (code != 0) c.event(Event::kIcmpv4UnknownCode);
      break;
    case kTimestamp:
    case kTimestampReply:
      set_id();
      if (code != 0) c.event(Event::kIcmpv4UnknownCode);
      if (after.size() < kTimestampBodyLen) c.event(Event::kIcmpv4Ipv4TruncPkt);
      else hlen += kTimestampBodyLen;
      break;
    case kDestUnreach:
      error_message(code <= kMaxUnreachCode, false);
      read_embedded_tuple(p, after);
      break;
    case kSourceQuench:
      error_message(code == 0, true);  // Suricata checks even an empty body here
      break;
    case kRedirect:
      error_message(code <= kMaxRedirectCode, false);
      break;
    case kTimeExceeded:
      error_message(code <= kMaxExceededCode, false);
      break;
    case kParamProblem:
      error_message(code == 0, false);
      break;
    case kRouterAdvert: {
      // RFC 1256: num addrs (byte 4) * addr entry size in words (byte 5).
      const size_t advert_len = size_t(msg[4]) * msg[5] * 4;
      if (after.size() < advert_len) c.event(Event::kIcmpv4Ipv4TruncPkt);
      else hlen += advert_len;
      break;
    }
    default:
      c.event(Event::kIcmpv4UnknownType);
      break;
  }
  p.l4_header = msg.first(hlen);
  p.payload = msg.subspan(hlen);
  if (c.options.verify_checksums) p.l4_csum = l4_checksum(p);
}

}  // namespace pasban::decode::detail
