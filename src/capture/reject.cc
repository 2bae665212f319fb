#include "capture/reject.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>

#include "wire/ethernet.h"
#include "wire/icmp.h"
#include "wire/ipv4.h"
#include "wire/ipv6.h"
#include "wire/tcp.h"

namespace pasban::capture {

namespace {

constexpr uint8_t kTcpFin = 0x01, kTcpSyn = 0x02, kTcpRst = 0x04, kTcpAck = 0x10;
constexpr uint8_t kTtl = 64;
constexpr size_t kIpv6MinMtu = 1280;  // RFC 8200 section 5
constexpr int kMaxExtensionHeaders = 8;

void put16(uint8_t* p, uint16_t v) {
  p[0] = uint8_t(v >> 8);
  p[1] = uint8_t(v);
}
void put32(uint8_t* p, uint32_t v) {
  put16(p, uint16_t(v >> 16));
  put16(p + 2, uint16_t(v));
}

// What the builders need from the offending packet.
struct Offender {
  bool v6 = false;
  core::Bytes ip;            // captured bytes, from the IP header on
  size_t ip_header_len = 0;  // IPv4 header with options / IPv6 with extensions
  const uint8_t* src = nullptr;
  const uint8_t* dst = nullptr;
  uint8_t proto = 0;
  core::Bytes l4;            // captured transport bytes (within the claimed length)
  size_t l4_claimed = 0;     // transport length the IP header claims
  bool first_fragment = true;
};

core::Result<Offender> parse_ipv4(core::Bytes ip) {
  auto v4 = wire::Ipv4View::from(ip);
  if (!v4) return core::make_error("IPv4 packet shorter than 20 bytes");
  const size_t hl = v4->header_length();
  if (hl < wire::Ipv4View::kMinSize || hl > ip.size())
    return core::make_error("IPv4 header length " + std::to_string(hl) + " is invalid");
  if (v4->total_length() < hl) return core::make_error("IPv4 total length below header length");
  Offender o;
  o.ip = ip;
  o.ip_header_len = hl;
  o.src = v4->src();
  o.dst = v4->dst();
  o.proto = v4->protocol();
  o.l4_claimed = v4->total_length() - hl;
  o.l4 = ip.subspan(hl, std::min(o.l4_claimed, ip.size() - hl));
  o.first_fragment = v4->fragment_offset_bytes() == 0;
  return o;
}

core::Result<Offender> parse_ipv6(core::Bytes ip) {
  auto v6 = wire::Ipv6View::from(ip);
  if (!v6) return core::make_error("IPv6 packet shorter than 40 bytes");
  Offender o;
  o.v6 = true;
  o.ip = ip;
  o.src = v6->src();
  o.dst = v6->dst();
  const size_t end = std::min(ip.size(), wire::Ipv6View::kSize + v6->payload_length());
  size_t off = wire::Ipv6View::kSize;
  uint8_t nh = v6->next_header();
  for (int i = 0; i < kMaxExtensionHeaders; ++i) {
    if (nh == wire::kIpProtoFragment) {
      auto frag = wire::Ipv6FragmentView::from(ip.subspan(std::min(off, end)));
      if (!frag || off + wire::Ipv6FragmentView::kSize > end)
        return core::make_error("IPv6 fragment header truncated");
      o.first_fragment = frag->offset_bytes() == 0;
      nh = frag->next_header();
      off += wire::Ipv6FragmentView::kSize;
    } else if (nh == wire::kIpProtoHopOpts || nh == wire::kIpProtoRouting ||
               nh == wire::kIpProtoDstOpts) {
      if (off + 2 > end) return core::make_error("IPv6 extension header truncated");
      const size_t len = (size_t(ip[off + 1]) + 1) * 8;
      if (off + len > end) return core::make_error("IPv6 extension header truncated");
      nh = ip[off];
      off += len;
    } else {
      break;
    }
  }
  o.ip_header_len = off;
  o.proto = nh;
  o.l4_claimed = wire::Ipv6View::kSize + v6->payload_length() - off;
  o.l4 = ip.subspan(off, end - off);
  return o;
}

core::Result<Offender> parse_offender(core::Bytes ip) {
  if (ip.empty()) return core::make_error("empty packet");
  switch (ip[0] >> 4) {
    case 4: return parse_ipv4(ip);
    case 6: return parse_ipv6(ip);
    default: return core::make_error("not an IPv4 or IPv6 packet");
  }
}

size_t addr_len(const Offender& o) { return o.v6 ? 16 : 4; }

// Sum of the TCP/UDP/ICMPv6 pseudo-header (RFC 9293 3.1, RFC 8200 8.1).
uint32_t pseudo_header_sum(bool v6, const uint8_t* src, const uint8_t* dst, uint8_t proto,
                           size_t len) {
  const size_t alen = v6 ? 16 : 4;
  uint32_t sum = 0;
  for (size_t i = 0; i < alen; i += 2) {
    sum += core::load_be16(src + i);
    sum += core::load_be16(dst + i);
  }
  sum += proto;
  sum += uint32_t(len >> 16) + uint32_t(len & 0xffff);
  return sum;
}

// Writes an IP header for `payload_len` bytes of `proto` into out (which
// it resizes) and returns the header length.
size_t write_ip_header(std::vector<uint8_t>& out, bool v6, const uint8_t* src, const uint8_t* dst,
                       uint8_t proto, size_t payload_len) {
  const size_t hl = v6 ? wire::Ipv6View::kSize : wire::Ipv4View::kMinSize;
  out.assign(hl + payload_len, 0);
  uint8_t* h = out.data();
  if (v6) {
    h[0] = 0x60;
    put16(h + 4, uint16_t(payload_len));
    h[6] = proto;
    h[7] = kTtl;
    std::memcpy(h + 8, src, 16);
    std::memcpy(h + 24, dst, 16);
  } else {
    h[0] = 0x45;
    put16(h + 2, uint16_t(hl + payload_len));
    put16(h + 6, 0x4000);  // DF, id 0: what Linux itself uses for a RST
    h[8] = kTtl;
    h[9] = proto;
    std::memcpy(h + 12, src, 4);
    std::memcpy(h + 16, dst, 4);
    put16(h + 10, internet_checksum(core::Bytes(h, hl)));
  }
  return hl;
}

bool is_multicast_or_broadcast(const Offender& o, const uint8_t* a) {
  if (o.v6) return a[0] == 0xff;
  return (a[0] & 0xf0) == 0xe0 || (a[0] == 0xff && a[1] == 0xff && a[2] == 0xff && a[3] == 0xff);
}

bool is_unspecified(const Offender& o, const uint8_t* a) {
  return std::all_of(a, a + addr_len(o), [](uint8_t b) { return b == 0; });
}

}  // namespace

uint16_t internet_checksum(core::Bytes b, uint32_t sum) {
  uint64_t s = sum;
  size_t i = 0;
  for (; i + 1 < b.size(); i += 2) s += core::load_be16(b.data() + i);
  if (i < b.size()) s += uint32_t(b[i]) << 8;
  while (s >> 16) s = (s & 0xffff) + (s >> 16);
  return uint16_t(~s);
}

core::Result<std::vector<uint8_t>> build_tcp_reset(core::Bytes ip, bool to_source) {
  auto o = parse_offender(ip);
  if (!o) return o.error();
  if (o->proto != wire::kIpProtoTcp) return core::make_error("not a TCP packet");
  if (!o->first_fragment) return core::make_error("not the first fragment: no TCP header");
  auto tcp = wire::TcpView::from(o->l4);
  if (!tcp) return core::make_error("TCP header truncated");
  const uint8_t flags = tcp->flags();
  if (flags & kTcpRst) return core::make_error("a RST is never answered (RFC 9293 3.10.7.1)");
  const size_t thl = std::max(tcp->header_length(), wire::TcpView::kMinSize);
  const size_t data_len = o->l4_claimed > thl ? o->l4_claimed - thl : 0;
  const uint32_t seg_len = uint32_t(data_len) + ((flags & kTcpSyn) ? 1 : 0) + ((flags & kTcpFin) ? 1 : 0);

  const uint8_t* src = to_source ? o->dst : o->src;
  const uint8_t* dst = to_source ? o->src : o->dst;
  std::vector<uint8_t> out;
  const size_t hl = write_ip_header(out, o->v6, src, dst, wire::kIpProtoTcp, wire::TcpView::kMinSize);
  uint8_t* t = out.data() + hl;
  if (to_source) {
    put16(t, tcp->dst_port());
    put16(t + 2, tcp->src_port());
    put32(t + 4, (flags & kTcpAck) ? tcp->ack() : 0);
    put32(t + 8, tcp->seq() + seg_len);
    t[13] = kTcpRst | kTcpAck;
  } else {
    put16(t, tcp->src_port());
    put16(t + 2, tcp->dst_port());
    put32(t + 4, tcp->seq());
    put32(t + 8, tcp->ack());
    t[13] = uint8_t(kTcpRst | (flags & kTcpAck));
  }
  t[12] = uint8_t((wire::TcpView::kMinSize / 4) << 4);
  const uint32_t ph = pseudo_header_sum(o->v6, src, dst, wire::kIpProtoTcp, wire::TcpView::kMinSize);
  put16(t + 16, internet_checksum(core::Bytes(t, wire::TcpView::kMinSize), ph));
  return out;
}

core::Result<std::vector<uint8_t>> build_icmp_unreachable(core::Bytes ip) {
  auto o = parse_offender(ip);
  if (!o) return o.error();
  // RFC 1122 3.2.2 / RFC 4443 2.4(e): no error about an error, a
  // non-first fragment, or a packet from/to a group or nobody.
  if (!o->first_fragment) return core::make_error("not the first fragment");
  if (is_multicast_or_broadcast(*o, o->dst) || is_multicast_or_broadcast(*o, o->src) ||
      is_unspecified(*o, o->src))
    return core::make_error("multicast, broadcast or unspecified address");
  const uint8_t icmp_proto = o->v6 ? wire::kIpProtoIcmpv6 : wire::kIpProtoIcmp;
  if (o->proto == icmp_proto && !o->l4.empty()) {
    const uint8_t type = o->l4[0];
    const bool is_error = o->v6 ? type < 128 : (type == 3 || type == 4 || type == 5 ||
                                                type == 11 || type == 12);
    if (is_error) return core::make_error("an ICMP error is never answered with one");
  }
  const bool udp = o->proto == wire::kIpProtoUdp;
  const size_t quote = o->v6 ? std::min(ip.size(), kIpv6MinMtu - wire::Ipv6View::kSize -
                                                       wire::IcmpView::kSize)
                             : std::min(ip.size(), o->ip_header_len + 8);
  std::vector<uint8_t> out;
  const size_t icmp_len = wire::IcmpView::kSize + quote;
  const size_t hl = write_ip_header(out, o->v6, o->dst, o->src, icmp_proto, icmp_len);
  uint8_t* m = out.data() + hl;
  if (o->v6) {
    m[0] = kIcmp6Unreach;
    m[1] = udp ? kIcmp6CodePort : kIcmp6CodeAdmin;
  } else {
    m[0] = kIcmpUnreach;
    m[1] = udp ? kIcmpCodePort : kIcmpCodeHostProhibited;
  }
  std::memcpy(m + wire::IcmpView::kSize, ip.data(), quote);
  // ICMPv6 includes the pseudo-header in its checksum; ICMPv4 does not.
  const uint32_t ph = o->v6 ? pseudo_header_sum(true, o->dst, o->src, icmp_proto, icmp_len) : 0;
  put16(m + 2, internet_checksum(core::Bytes(m, icmp_len), ph));
  return out;
}

core::Result<std::vector<RejectPacket>> build_reject(core::Bytes ip, RejectDirection dir) {
  auto o = parse_offender(ip);
  if (!o) return o.error();
  std::vector<RejectPacket> out;
  const bool src = dir != RejectDirection::kDestination;
  const bool dst = dir != RejectDirection::kSource;
  if (o->proto == wire::kIpProtoTcp) {
    for (bool to_source : {true, false}) {
      if (to_source ? !src : !dst) continue;
      auto rst = build_tcp_reset(ip, to_source);
      if (!rst) return rst.error();
      out.push_back({std::move(*rst), to_source});
    }
    return out;
  }
  if (!src) return core::make_error("rejectdst answers TCP only");
  auto icmp = build_icmp_unreachable(ip);
  if (!icmp) return icmp.error();
  out.push_back({std::move(*icmp), true});
  return out;
}

// ---- sending ----

core::Result<RejectSender> RejectSender::open_raw() {
  RejectSender s;
  // IPPROTO_RAW implies IP_HDRINCL (v4) and IPV6_HDRINCL (v6): we send
  // the headers we built, addresses and all.
  s.fd4_ = ::socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_RAW);
  if (s.fd4_ < 0)
    return core::make_error(std::string("reject: raw IPv4 socket: ") + std::strerror(errno));
  s.fd6_ = ::socket(AF_INET6, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_RAW);
  // A host without IPv6 can still reject IPv4; send_raw reports the v6 case.
  return s;
}

core::Result<RejectSender> RejectSender::open_device(const std::string& iface) {
  auto dev = FrameSender::open(iface);
  if (!dev) return core::make_error("reject-device: " + dev.error().message);
  RejectSender s;
  s.device_ = std::move(*dev);
  return s;
}

core::Result<RejectSender> RejectSender::open_bridge(const std::string& source_side,
                                                     const std::string& destination_side) {
  auto s = open_device(source_side);
  if (!s) return s;
  auto dst = FrameSender::open(destination_side);
  if (!dst) return core::make_error("reject-device: " + dst.error().message);
  s->device_dst_ = std::move(*dst);
  return s;
}

RejectSender::RejectSender(RejectSender&& o) noexcept
    : fd4_(std::exchange(o.fd4_, -1)),
      fd6_(std::exchange(o.fd6_, -1)),
      device_(std::move(o.device_)),
      device_dst_(std::move(o.device_dst_)),
      st_(o.st_),
      error_(std::move(o.error_)) {}

RejectSender& RejectSender::operator=(RejectSender&& o) noexcept {
  if (this != &o) {
    if (fd4_ >= 0) ::close(fd4_);
    if (fd6_ >= 0) ::close(fd6_);
    fd4_ = std::exchange(o.fd4_, -1);
    fd6_ = std::exchange(o.fd6_, -1);
    device_ = std::move(o.device_);
    device_dst_ = std::move(o.device_dst_);
    st_ = o.st_;
    error_ = std::move(o.error_);
  }
  return *this;
}

RejectSender::~RejectSender() {
  if (fd4_ >= 0) ::close(fd4_);
  if (fd6_ >= 0) ::close(fd6_);
}

bool RejectSender::send_raw(const RejectPacket& pkt) {
  const std::vector<uint8_t>& b = pkt.bytes;
  ssize_t n;
  if ((b[0] >> 4) == 6) {
    if (fd6_ < 0) {
      error_ = "reject: no raw IPv6 socket (IPv6 disabled?)";
      return false;
    }
    sockaddr_in6 to{};
    to.sin6_family = AF_INET6;
    std::memcpy(&to.sin6_addr, b.data() + 24, 16);
    n = ::sendto(fd6_, b.data(), b.size(), MSG_DONTWAIT, reinterpret_cast<sockaddr*>(&to), sizeof to);
  } else {
    sockaddr_in to{};
    to.sin_family = AF_INET;
    std::memcpy(&to.sin_addr, b.data() + 16, 4);
    n = ::sendto(fd4_, b.data(), b.size(), MSG_DONTWAIT, reinterpret_cast<sockaddr*>(&to), sizeof to);
  }
  if (n != ssize_t(b.size())) {
    error_ = std::string("reject: sendto: ") + std::strerror(errno);
    return false;
  }
  return true;
}

bool RejectSender::send_frame(const RejectPacket& pkt, core::Bytes eth) {
  auto e = wire::EthernetView::from(eth);
  if (!e) {
    error_ = "reject-device: the rejected packet has no Ethernet header to answer";
    return false;
  }
  frame_.resize(wire::EthernetView::kSize);
  const core::Bytes to = pkt.to_source ? e->src_mac() : e->dst_mac();
  const core::Bytes from = pkt.to_source ? e->dst_mac() : e->src_mac();
  std::copy(to.begin(), to.end(), frame_.begin());
  std::copy(from.begin(), from.end(), frame_.begin() + 6);
  put16(frame_.data() + 12, (pkt.bytes[0] >> 4) == 6 ? wire::kEtherTypeIpv6 : wire::kEtherTypeIpv4);
  frame_.insert(frame_.end(), pkt.bytes.begin(), pkt.bytes.end());
  const FrameSender& out = !pkt.to_source && device_dst_ ? *device_dst_ : *device_;
  if (!out.send(frame_)) {
    error_ = std::string("reject-device: send: ") + std::strerror(errno);
    return false;
  }
  return true;
}

bool RejectSender::reject(core::Bytes ip, RejectDirection dir, core::Bytes eth) {
  auto pkts = build_reject(ip, dir);
  if (!pkts) {
    ++st_.not_due;
    return true;
  }
  bool ok = true;
  for (const RejectPacket& p : *pkts) {
    const bool sent = device_ ? send_frame(p, eth) : send_raw(p);
    ++(sent ? st_.sent : st_.send_errors);
    ok = ok && sent;
  }
  return ok;
}

}  // namespace pasban::capture
