// Internet checksums (RFC 1071): the IPv4 header, and TCP/UDP/ICMPv6 over
// their pseudo headers (RFC 9293 3.1, RFC 768, RFC 8200 8.1); ICMPv4 has
// none. A region is valid when its one's-complement sum, checksum field
// included, is 0xffff.
#include "decode/decoder.h"
#include "decode/layers.h"
#include "wire/ipv4.h"

namespace pasban::decode {

namespace {

uint64_t sum_words(uint64_t sum, core::Bytes b) {
  size_t i = 0;
  for (; i + 1 < b.size(); i += 2) sum += core::load_be16(b.data() + i);
  if (i < b.size()) sum += uint32_t(b[i]) << 8;  // odd length: pad with zero
  return sum;
}

uint16_t fold(uint64_t sum) {
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return uint16_t(sum);
}

// The transport segment the checksum covers: TCP and ICMP to the end of
// the IP payload, UDP to its length field.
core::Bytes l4_segment(const Packet& p) {
  if (p.has_udp && p.l4_header.size() >= 8) {
    const size_t len = core::load_be16(p.l4_header.data() + 4);
    return len <= p.l3_payload.size() ? p.l3_payload.first(len) : core::Bytes{};
  }
  return p.l3_payload;
}

}  // namespace

namespace detail {

CsumState ipv4_header_checksum(core::Bytes header) {
  return fold(sum_words(0, header)) == 0xffff ? CsumState::kValid : CsumState::kInvalid;
}

CsumState l4_checksum(const Packet& p) {
  if (p.is_fragment || p.ip_version == 0) return CsumState::kNotChecked;
  const core::Bytes seg = l4_segment(p);
  if (seg.empty()) return CsumState::kNotChecked;
  uint8_t proto;
  if (p.has_tcp) proto = wire::kIpProtoTcp;
  else if (p.has_udp) proto = wire::kIpProtoUdp;
  else if (p.has_icmpv4) proto = wire::kIpProtoIcmp;
  else if (p.has_icmpv6) proto = wire::kIpProtoIcmpv6;
  else return CsumState::kNotChecked;

  uint64_t sum = 0;
  if (proto != wire::kIpProtoIcmp) {
    // Pseudo header: addresses, then protocol and segment length.
    sum = sum_words(sum, core::Bytes(p.src.bytes.data(), p.src.size()));
    sum = sum_words(sum, core::Bytes(p.dst.bytes.data(), p.dst.size()));
    sum += proto;
    sum += seg.size() & 0xffff;
    sum += seg.size() >> 16;  // IPv6 length is 32 bits
    // UDP over IPv4 may omit its checksum (RFC 768): zero means "none sent".
    if (proto == wire::kIpProtoUdp && p.ip_version == 4 && core::load_be16(seg.data() + 6) == 0)
      return CsumState::kValid;
  }
  sum = sum_words(sum, seg);
  return fold(sum) == 0xffff ? CsumState::kValid : CsumState::kInvalid;
}

}  // namespace detail

bool ipv4_checksum_valid(const Packet& p) {
  if (p.ip_version != 4 || p.ip_header.size() < wire::Ipv4View::kMinSize) return false;
  return detail::ipv4_header_checksum(p.ip_header) == CsumState::kValid;
}

bool l4_checksum_valid(const Packet& p) {
  return detail::l4_checksum(p) == CsumState::kValid;
}

}  // namespace pasban::decode
