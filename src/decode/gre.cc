// GRE (RFC 2784 / RFC 2890 version 0, RFC 2637 version 1 "enhanced GRE"
// as PPTP uses it) with Suricata's checks: optional fields are sized from
// the flag bits, RFC 1701 source routes are walked, and anything a version
// does not allow is a named event that ends decoding. The payload becomes
// an inner packet for the protocol types Pasban decodes.
#include "decode/layers.h"

namespace pasban::decode::detail {

namespace {
constexpr size_t kGreBaseHeader = 4;
constexpr size_t kGreOptionalWord = 4;  // checksum+offset, key, sequence, ack: 4 bytes each
constexpr size_t kGreSreHeader = 4;     // address family (2), offset (1), length (1)

// First byte: C R K S s Recur(3); second byte: A Flags(4) Ver(3).
constexpr uint8_t kFlagChecksum = 0x80, kFlagRouting = 0x40, kFlagKey = 0x20,
                  kFlagSeq = 0x10, kFlagStrictRoute = 0x08, kRecurMask = 0x07;
constexpr uint8_t kV1Ack = 0x80, kFlagsMask = 0x78, kVersionMask = 0x07;

constexpr uint16_t kProtoIpv4 = 0x0800, kProtoIpv6 = 0x86dd, kProtoVlan = 0x8100,
                   kProtoBridge = 0x6558,  // transparent Ethernet bridging
                   kProtoErspan2 = 0x88be, kProtoErspan3 = 0x22eb, kProtoPpp = 0x880b;

// Walks RFC 1701 source route entries until the NULL entry; false when they
// run past the packet.
bool walk_source_routes(core::Bytes b, size_t& header_len) {
  for (;;) {
    if (header_len + kGreSreHeader > b.size()) return false;
    const uint16_t af = core::load_be16(b.data() + header_len);
    const uint8_t sre_len = b[header_len + 3];
    header_len += kGreSreHeader;
    if (af == 0 && sre_len == 0) return true;
    header_len += sre_len;  // grows by at least 4 per entry: bounded by b.size()
    if (header_len > b.size()) return false;
  }
}

// Returns the header length, or 0 when the header is not decodable (an
// event has been raised).
size_t gre_header_length(Ctx& c, core::Bytes b) {
  const uint8_t f = b[0], v = b[1];
  size_t len = kGreBaseHeader;
  switch (v & kVersionMask) {
    case 0:
      if (f & kRecurMask) return c.invalid_event(Event::kGreV0Recur), 0;
      if (v & kFlagsMask) return c.invalid_event(Event::kGreV0Flags), 0;
      if (f & kFlagKey) len += kGreOptionalWord;
      if (f & kFlagSeq) len += kGreOptionalWord;
      if (f & (kFlagChecksum | kFlagRouting)) len += kGreOptionalWord;
      if (len > b.size()) return c.invalid_event(Event::kGreV0HdrTooBig), 0;
      if ((f & kFlagRouting) && !walk_source_routes(b, len))
        return c.invalid_event(Event::kGreV0MalformedSreHdr), 0;
      return len;
    case 1:
      if (f & kFlagChecksum) return c.invalid_event(Event::kGreV1Chksum), 0;
      if (f & kFlagRouting) return c.invalid_event(Event::kGreV1Route), 0;
      if (f & kFlagStrictRoute) return c.invalid_event(Event::kGreV1Ssr), 0;
      if (f & kRecurMask) return c.invalid_event(Event::kGreV1Recur), 0;
      if (v & kFlagsMask) return c.invalid_event(Event::kGreV1Flags), 0;
      if (core::load_be16(b.data() + 2) != kProtoPpp)
        return c.invalid_event(Event::kGreV1WrongProtocol), 0;
      if (!(f & kFlagKey)) return c.invalid_event(Event::kGreV1NoKey), 0;
      len += kGreOptionalWord;
      if (f & kFlagSeq) len += kGreOptionalWord;
      if (v & kV1Ack) len += kGreOptionalWord;
      if (len > b.size()) return c.invalid_event(Event::kGreV1HdrTooBig), 0;
      return len;
    default:
      c.invalid_event(Event::kGreWrongVersion);
      return 0;
  }
}
}  // namespace

void decode_gre(Ctx& c, core::Bytes b) {
  c.count(kCtrGre);
  if (b.size() < kGreBaseHeader) {
    c.invalid_event(Event::kGrePktTooSmall);
    return;
  }
  const size_t len = gre_header_length(c, b);
  if (len == 0) return;
  const core::Bytes inner = b.subspan(len);
  switch (core::load_be16(b.data() + 2)) {
    case kProtoIpv4:
      set_inner(c, TunnelKind::kIpv4, PktSrc::kGre, inner);
      break;
    case kProtoIpv6:
      set_inner(c, TunnelKind::kIpv6, PktSrc::kGre, inner);
      break;
    case kProtoBridge:
      set_inner(c, TunnelKind::kEthernet, PktSrc::kGre, inner);
      break;
    case kProtoVlan:
      set_inner(c, TunnelKind::kVlan, PktSrc::kGre, inner);
      break;
    case kProtoErspan2:
      // Type I has no ERSPAN header and GRE without a sequence number;
      // type II carries a sequence number (and an 8-byte header).
      if (b[0] & kFlagSeq) set_inner(c, TunnelKind::kErspanII, PktSrc::kGre, inner);
      else if (c.options.erspan_type1) set_inner(c, TunnelKind::kErspanI, PktSrc::kGre, inner);
      break;
    case kProtoErspan3:
      set_inner(c, TunnelKind::kErspanIII, PktSrc::kGre, inner);
      break;
    default:
      // PPP (PPTP) and others: the GRE header was valid, the
      // payload is not decoded.
      break;
  }
}

}  // namespace pasban::decode::detail
