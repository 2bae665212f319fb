// IPv6 (RFC 8200): fixed header, then the extension header chain as
// Suricata's DecodeIPV6ExtHdrs walks it. Packet::ip_header covers the fixed
// header plus every extension header walked (Suricata's ipv6.hdr buffer).
#include "decode/layers.h"
#include "wire/ipv4.h"
#include "wire/ipv6.h"

namespace pasban::decode::detail {

namespace {

// Option types inside hop-by-hop / destination options (RFC 8200 4.2,
// RFC 2711 router alert, RFC 2675 jumbo, RFC 6275 home address).
constexpr uint8_t kOptPad1 = 0x00;
constexpr uint8_t kOptPadN = 0x01;
constexpr uint8_t kOptRouterAlert = 0x05;
constexpr uint8_t kOptJumbo = 0xc2;
constexpr uint8_t kOptHomeAddress = 0xc9;

bool is_extension_header(uint8_t nh) {
  switch (nh) {
    case wire::kIpProtoHopOpts: case wire::kIpProtoRouting: case wire::kIpProtoFragment:
    case wire::kIpProtoNone: case wire::kIpProtoDstOpts: case wire::kIpProtoAh:
    case wire::kIpProtoEsp: case wire::kIpProtoMobility: case wire::kIpProtoHip:
    case wire::kIpProtoShim6:
      return true;
    default:
      return false;
  }
}

// The TLV options of a hop-by-hop or destination options header
// (opts excludes the next-header and length bytes).
void check_options(Ctx& c, core::Bytes opts, bool hop_by_hop) {
  int padding = 0, other = 0;
  size_t off = 0;
  while (off < opts.size()) {
    const uint8_t type = opts[off];
    if (type == kOptPad1) {
      ++padding;
      ++off;
      continue;
    }
    if (off + 1 >= opts.size()) {
      c.event(Event::kIpv6ExthdrInvalidOptlen);
      break;
    }
    const uint8_t len = opts[off + 1];
    if (off + 1 + len > opts.size()) {  // Suricata's bound (one byte lax)
      c.event(Event::kIpv6ExthdrInvalidOptlen);
      break;
    }
    if (type == kOptPadN) {
      ++padding;
      if (len == 0) c.event(Event::kIpv6ZeroLenPadn);
    } else if (type == kOptRouterAlert || type == kOptJumbo || type == kOptHomeAddress) {
      const uint8_t min_len = type == kOptRouterAlert ? 2 : type == kOptJumbo ? 4 : 16;
      if (len < min_len) {
        c.event(Event::kIpv6ExthdrInvalidOptlen);
        break;
      }
      if (type != kOptJumbo) ++other;
    } else {
      c.event(hop_by_hop ? Event::kIpv6HopoptsUnknownOpt : Event::kIpv6DstoptsUnknownOpt);
      ++other;
    }
    off += size_t(len) + 2;
  }
  if (padding > 0 && other == 0)
    c.event(hop_by_hop ? Event::kIpv6HopoptsOnlyPadding : Event::kIpv6DstoptsOnlyPadding);
}

}  // namespace

void decode_ipv6(Ctx& c, core::Bytes b) {
  Packet& p = c.p;
  c.count(kCtrIpv6);
  auto ip = wire::Ipv6View::from(b);
  if (!ip) {
    c.invalid_event(Event::kIpv6PktTooSmall);
    return;
  }
  if (ip->version() != 6) {
    c.invalid_event(Event::kIpv6WrongIpVer);
    return;
  }
  const size_t total = wire::Ipv6View::kSize + ip->payload_length();
  if (b.size() < total) {
    c.invalid_event(Event::kIpv6TruncPkt);
    return;
  }
  b = b.first(total);  // drop link-layer padding

  p.ip_version = 6;
  p.src = core::IpAddress::v6(ip->src());
  p.dst = core::IpAddress::v6(ip->dst());
  p.ttl = ip->hop_limit();
  p.tos = ip->traffic_class();
  p.ip_len = uint16_t(total > 0xffff ? 0xffff : total);

  uint8_t nh = ip->next_header();
  size_t hdr_len = wire::Ipv6View::kSize;  // fixed header + extension headers walked
  size_t nh_byte = 6;  // offset of the next-header byte naming the current header
  bool seen_hh = false, seen_rh = false, seen_fh = false, seen_ah = false;
  int seen_dh = 0;
  // The fixed header hands transports straight to their decoder; inside the
  // chain Suricata first requires two bytes for any header.
  bool in_chain = is_extension_header(nh);

  // Each pass consumes at least 8 bytes or ends the walk, so the loop is
  // bounded by the payload length.
  for (;;) {
    core::Bytes rest = b.subspan(hdr_len);
    if (in_chain) {
      if (nh == wire::kIpProtoNone) {
        if (!rest.empty()) c.event(Event::kIpv6DataAfterNoneHeader);
        p.ip_proto = nh;
        break;
      }
      if (rest.size() < 2) {
        // Every header in the chain needs at least its first two bytes.
        c.invalid_event(Event::kIpv6TruncExthdr);
        p.ip_proto = nh;
        break;
      }
    }
    in_chain = true;

    bool stop = true;
    size_t ext_len = 0;  // bytes of the current extension header, when we skip it
    switch (nh) {
      case wire::kIpProtoTcp:
      case wire::kIpProtoUdp:
      case wire::kIpProtoIcmpv6:
        p.ip_proto = nh;
        p.ip_header = b.first(hdr_len);
        p.l3_payload = rest;
        if (nh == wire::kIpProtoTcp) decode_tcp(c, rest);
        else if (nh == wire::kIpProtoUdp) decode_udp(c, rest);
        else decode_icmpv6(c, rest);
        return;
      case kIpProtoGre:
        p.ip_proto = nh;
        p.ip_header = b.first(hdr_len);
        p.l3_payload = rest;
        decode_gre(c, rest);
        return;
      case kIpProtoIpip:
      case kIpProtoIpv6:
        p.ip_proto = nh;
        p.ip_header = b.first(hdr_len);
        p.l3_payload = rest;
        decode_ip_in_ip(c, rest, /*outer_v6=*/true, nh);
        return;
      case wire::kIpProtoIcmp:
        p.ip_proto = nh;
        c.event(Event::kIpv6WithIcmpv4);
        break;
      case wire::kIpProtoNone:
      case wire::kIpProtoEsp:  // encrypted: nothing more to walk
        p.ip_proto = nh;
        break;
      case wire::kIpProtoRouting: {
        p.ip_proto = nh;
        ext_len = 8 + size_t(rest[1]) * 8;
        if (ext_len > rest.size()) {
          c.event(Event::kIpv6TruncExthdr);
          break;
        }
        stop = false;
        if (seen_rh) {
          c.event(Event::kIpv6ExthdrDuplRh);
          break;
        }
        seen_rh = true;
        if (rest[2] == 0) c.event(Event::kIpv6RhType0);  // RFC 5095 deprecates type 0
        break;
      }
      case wire::kIpProtoHopOpts:
      case wire::kIpProtoDstOpts: {
        p.ip_proto = nh;
        const bool hop = nh == wire::kIpProtoHopOpts;
        ext_len = (size_t(rest[1]) + 1) * 8;
        if (ext_len > rest.size()) {
          c.event(Event::kIpv6TruncExthdr);
          break;
        }
        stop = false;
        if (hop ? seen_hh : seen_dh >= 2) {  // two destination options headers are legal
          c.event(hop ? Event::kIpv6ExthdrDuplHh : Event::kIpv6ExthdrDuplDh);
          break;
        }
        if (hop) seen_hh = true;
        else ++seen_dh;
        check_options(c, rest.subspan(2, ext_len - 2), hop);
        break;
      }
      case wire::kIpProtoFragment: {
        p.ip_proto = nh;
        auto fh = wire::Ipv6FragmentView::from(rest);
        if (!fh) {
          c.event(Event::kIpv6TruncExthdr);
          break;
        }
        ext_len = wire::Ipv6FragmentView::kSize;
        stop = false;
        if (fh->reserved() != 0) c.event(Event::kIpv6FhNonZeroReservedField);
        if (seen_fh) {
          c.event(Event::kIpv6ExthdrDuplFh);
          break;
        }
        seen_fh = true;
        p.frag_offset = fh->offset_bytes();
        p.frag_bits = fh->more_fragments() ? 0x1 : 0x0;
        p.frag_id = fh->identification();
        p.ip_id = uint16_t(fh->identification() & 0xffff);
        p.frag_next_header = fh->next_header();
        p.frag_hdr_offset = uint16_t(hdr_len);
        p.frag_prev_nh_offset = uint16_t(nh_byte);
        const size_t data_len = rest.size() - ext_len;
        if (fh->more_fragments() && data_len % 8 != 0)
          c.invalid_event(Event::kIpv6FragInvalidLength);
        if (!fh->more_fragments() && p.frag_offset == 0) {
          // An atomic fragment (RFC 6946): nothing to reassemble, walk on.
          c.event(Event::kIpv6ExthdrUselessFh);
          break;
        }
        // The rest is decoded after reassembly.
        p.is_fragment = true;
        hdr_len += ext_len;
        p.ip_header = b.first(hdr_len);
        p.l3_payload = b.subspan(hdr_len);
        return;
      }
      case wire::kIpProtoAh: {
        p.ip_proto = nh;
        // RFC 4302: length in 4-byte units minus 2; Suricata's reading of
        // it (12 bytes minimum) is kept.
        ext_len = 12;
        if (rest[1] > 0) ext_len += (size_t(rest[1]) - 1) * 4;
        if (ext_len > rest.size()) {
          c.event(Event::kIpv6TruncExthdr);
          break;
        }
        stop = false;
        if (rest[2] != 0 || rest[3] != 0) c.event(Event::kIpv6ExthdrAhResNotNull);
        if (seen_ah) {
          c.event(Event::kIpv6ExthdrDuplAh);
          break;
        }
        seen_ah = true;
        break;
      }
      case wire::kIpProtoMobility:
      case wire::kIpProtoHip:
      case wire::kIpProtoShim6:
        ext_len = 8 + size_t(rest[1]) * 8;
        if (ext_len > rest.size()) {
          c.event(Event::kIpv6TruncExthdr);
          break;
        }
        stop = false;
        break;
      default:
        p.ip_proto = nh;
        c.event(Event::kIpv6UnknownNextHeader);
        break;
    }
    if (stop) break;
    nh = rest[0];
    nh_byte = hdr_len;
    hdr_len += ext_len;
  }
  p.ip_header = b.first(hdr_len);
  p.l3_payload = b.subspan(hdr_len);
}

}  // namespace pasban::decode::detail
