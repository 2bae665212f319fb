// IPv4 (RFC 791): header checks in Suricata's order, options, fragments,
// then the transport. Captured bytes beyond the total length (Ethernet
// padding) are not part of the packet.
#include "decode/layers.h"
#include "wire/ipv4.h"

namespace pasban::decode::detail {

namespace {

struct OptionView {
  uint8_t type;
  uint8_t len;         // including type and length bytes; 2..remaining
  core::Bytes data;    // len - 2 bytes after type and length
};

// Route options (RR, LSRR, SSRR; RFC 791): [type][len][ptr][addresses...].
// The 1-based pointer points past type+len+ptr, moves in 4-byte steps and
// may point one past the end (the list is full).
bool route_valid(Ctx& c, const OptionView& o) {
  constexpr uint8_t kMinLen = 3;
  if (o.len < kMinLen) {
    c.invalid_event(Event::kIpv4OptInvalidLen);
    return false;
  }
  const uint8_t ptr = o.data[0];
  if (ptr < 4 || ptr % 4 != 0 || ptr > o.len + 1) {
    c.invalid_event(Event::kIpv4OptMalformed);
    return false;
  }
  return true;
}

// Timestamp (RFC 781): [type][len][ptr][oflw|flag][records...]; a record is
// 4 bytes (timestamp) or 8 (address + timestamp, flags 1 and 3).
bool timestamp_valid(Ctx& c, const OptionView& o) {
  constexpr uint8_t kMinLen = 5;
  if (o.len < kMinLen) {
    c.invalid_event(Event::kIpv4OptInvalidLen);
    return false;
  }
  const uint8_t ptr = o.data[0];
  if (ptr < 5) {
    c.invalid_event(Event::kIpv4OptMalformed);
    return false;
  }
  const uint8_t flag = o.data[1] & 0x0f;
  const uint8_t rec_size = (flag == 1 || flag == 3) ? 8 : 4;
  if ((ptr - 5) % rec_size != 0 || ptr > o.len + 1) {
    c.invalid_event(Event::kIpv4OptMalformed);
    return false;
  }
  return true;
}

// CIPSO (draft-ietf-cipso-ipsecurity-01, FIPS 188): [type][len][doi:4][tags]
// with tags [ttype][tlen][...]; tag types 1, 2, 5, 6, 7 only.
bool cipso_valid(Ctx& c, const OptionView& o) {
  constexpr uint8_t kMinLen = 10;
  if (o.len < kMinLen) {
    c.invalid_event(Event::kIpv4OptInvalidLen);
    return false;
  }
  core::Bytes tags = o.data.subspan(4);
  while (!tags.empty()) {
    if (tags.size() < 2) {
      c.invalid_event(Event::kIpv4OptMalformed);
      return false;
    }
    const uint8_t ttype = tags[0];
    const uint8_t tlen = tags[1];
    const bool known = ttype == 1 || ttype == 2 || ttype == 5 || ttype == 6 || ttype == 7;
    if (!known || tlen < 4 || tlen > tags.size()) {
      c.invalid_event(Event::kIpv4OptMalformed);
      return false;
    }
    // The alignment octet is zero except in tag type 7.
    if (ttype != 7 && tags[2] != 0) {
      c.invalid_event(Event::kIpv4OptMalformed);
      return false;
    }
    tags = tags.subspan(tlen);
  }
  return true;
}

// Fixed or minimum lengths: SEC 11 (RFC 791), SATID 4, RTRALT 4 (RFC 2113),
// QS at least 8 (RFC 4782), ESEC at least 3 (RFC 1108).
bool length_valid(Ctx& c, const OptionView& o) {
  bool ok = true;
  switch (o.type) {
    case wire::kIpv4OptSec: ok = o.len == 11; break;
    case wire::kIpv4OptSatid: ok = o.len == 4; break;
    case wire::kIpv4OptRtralt: ok = o.len == 4; break;
    case wire::kIpv4OptQs: ok = o.len >= 8; break;
    case wire::kIpv4OptEsec: ok = o.len >= 3; break;
    default: break;
  }
  if (!ok) c.invalid_event(Event::kIpv4OptInvalidLen);
  return ok;
}

uint16_t option_bit(uint8_t type) {
  switch (type) {
    case wire::kIpv4OptRr: return kIpOptRR;
    case wire::kIpv4OptTs: return kIpOptTS;
    case wire::kIpv4OptSec: return kIpOptSEC;
    case wire::kIpv4OptEsec: return kIpOptESEC;
    case wire::kIpv4OptLsrr: return kIpOptLSRR;
    case wire::kIpv4OptSsrr: return kIpOptSSRR;
    case wire::kIpv4OptSatid: return kIpOptSATID;
    case wire::kIpv4OptRtralt: return kIpOptRTRALT;
    case wire::kIpv4OptCipso: return kIpOptCIPSO;
    default: return 0;
  }
}

// Suricata's DecodeIPV4Options: a bad option is named and skipped; an
// option whose length cannot be trusted ends the walk. Options never make
// the IPv4 layer itself unusable.
void decode_options(Ctx& c, core::Bytes opts) {
  Packet& p = c.p;
  if (opts.size() % 8 != 0) c.event(Event::kIpv4OptPadRequired);
  uint16_t seen_types = 0;  // IpOptBit of each valid option seen (QS has no bit)
  bool seen_qs = false;
  while (!opts.empty()) {
    const uint8_t type = opts[0];
    if (type == wire::kIpv4OptEol) {
      p.ipopts |= kIpOptEOL;
      break;
    }
    if (type == wire::kIpv4OptNop) {
      p.ipopts |= kIpOptNOP;
      opts = opts.subspan(1);
      continue;
    }
    if (opts.size() < 2) {
      c.event(Event::kIpv4OptEolRequired);
      break;
    }
    const uint8_t len = opts[1];
    if (len > opts.size() || len < 2) {
      c.invalid_event(Event::kIpv4OptInvalidLen);
      return;
    }
    const OptionView o{type, len, opts.subspan(2, len - 2)};
    opts = opts.subspan(len);

    const uint16_t bit = option_bit(type);
    if (bit == 0 && type != wire::kIpv4OptQs) {
      c.event(Event::kIpv4OptInvalid);  // Suricata names unknown types "opt_invalid"
      continue;
    }
    const bool duplicate = type == wire::kIpv4OptQs ? seen_qs : (seen_types & bit) != 0;
    if (duplicate) {
      c.event(Event::kIpv4OptDuplicate);
      continue;
    }
    bool valid;
    switch (type) {
      case wire::kIpv4OptRr:
      case wire::kIpv4OptLsrr:
      case wire::kIpv4OptSsrr:
        valid = route_valid(c, o);
        break;
      case wire::kIpv4OptTs:
        valid = timestamp_valid(c, o);
        break;
      case wire::kIpv4OptCipso:
        valid = cipso_valid(c, o);
        break;
      default:
        valid = length_valid(c, o);
        break;
    }
    if (!valid) continue;
    if (type == wire::kIpv4OptQs) {
      seen_qs = true;
    } else {
      seen_types |= bit;
      p.ipopts |= bit;
    }
  }
}

}  // namespace

void decode_ipv4(Ctx& c, core::Bytes b) {
  Packet& p = c.p;
  c.count(kCtrIpv4);
  auto ip = wire::Ipv4View::from(b);
  if (!ip) {
    c.invalid_event(Event::kIpv4PktTooSmall);
    return;
  }
  if (ip->version() != 4) {
    c.invalid_event(Event::kIpv4WrongIpVer);
    return;
  }
  const size_t hlen = ip->header_length();
  if (hlen < wire::Ipv4View::kMinSize) {
    c.invalid_event(Event::kIpv4HlenTooSmall);
    return;
  }
  const size_t total = ip->total_length();
  if (total < hlen) {
    c.invalid_event(Event::kIpv4IplenSmallerThanHlen);
    return;
  }
  if (b.size() < total) {
    c.invalid_event(Event::kIpv4TruncPkt);
    return;
  }
  b = b.first(total);  // drop link-layer padding

  p.ip_version = 4;
  p.src = core::IpAddress::v4(ip->src());
  p.dst = core::IpAddress::v4(ip->dst());
  p.ip_header = b.first(hlen);
  p.l3_payload = b.subspan(hlen);
  p.ip_proto = ip->protocol();
  p.ttl = ip->ttl();
  p.tos = ip->tos();
  p.ip_id = ip->id();
  p.frag_id = ip->id();
  p.ip_len = uint16_t(total);
  p.frag_bits = ip->flags();
  p.frag_offset = ip->fragment_offset_bytes();
  if (c.options.verify_checksums) p.ip_csum = ipv4_header_checksum(p.ip_header);

  if (hlen > wire::Ipv4View::kMinSize)
    decode_options(c, p.ip_header.subspan(wire::Ipv4View::kMinSize));

  // Any fragment, first one included, waits for reassembly (Suricata does
  // not decode the transport of fragments).
  if (p.frag_offset > 0 || (p.frag_bits & 0x1)) {
    p.is_fragment = true;
    return;
  }

  switch (p.ip_proto) {
    case wire::kIpProtoTcp:
      decode_tcp(c, p.l3_payload);
      break;
    case wire::kIpProtoUdp:
      decode_udp(c, p.l3_payload);
      break;
    case wire::kIpProtoIcmp:
      decode_icmpv4(c, p.l3_payload);
      break;
    case wire::kIpProtoIcmpv6:
      c.invalid_event(Event::kIpv4WithIcmpv6);
      break;
    case kIpProtoGre:
      decode_gre(c, p.l3_payload);
      break;
    case kIpProtoIpip:
    case kIpProtoIpv6:
      decode_ip_in_ip(c, p.l3_payload, /*outer_v6=*/false, p.ip_proto);
      break;
    default:
      break;
  }
}

}  // namespace pasban::decode::detail
