// Decoder tests: frames built by hand per link type and layer, every
// truncation of valid frames, malformed headers, checksums and counters.
#include <gtest/gtest.h>

#include <cstdint>
#include <initializer_list>
#include <random>
#include <vector>

#include "core/counters.h"
#include "decode/decoder.h"
#include "decode/packet.h"

namespace pasban::decode {
namespace {

using Buf = std::vector<uint8_t>;

// ---------------------------------------------------------------- builders

void put16(Buf& b, uint16_t v) {
  b.push_back(uint8_t(v >> 8));
  b.push_back(uint8_t(v));
}
void put32(Buf& b, uint32_t v) {
  put16(b, uint16_t(v >> 16));
  put16(b, uint16_t(v));
}
void append(Buf& b, const Buf& more) { b.insert(b.end(), more.begin(), more.end()); }
Buf cat(std::initializer_list<Buf> parts) {
  Buf out;
  for (const auto& p : parts) append(out, p);
  return out;
}

// Independent RFC 1071 sum for building valid frames.
uint32_t ones_sum(const uint8_t* d, size_t n, uint32_t sum = 0) {
  for (size_t i = 0; i + 1 < n; i += 2) sum += uint32_t(d[i] << 8 | d[i + 1]);
  if (n % 2) sum += uint32_t(d[n - 1] << 8);
  return sum;
}
uint16_t finish(uint32_t sum) {
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return uint16_t(~sum);
}

const uint8_t kSrc4[4] = {10, 0, 0, 1};
const uint8_t kDst4[4] = {10, 0, 0, 2};
const uint8_t kSrc6[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
const uint8_t kDst6[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2};

Buf ether(uint16_t type) {
  Buf b = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
  put16(b, type);
  return b;
}
Buf vlan_tag(uint16_t id, uint16_t inner_type) {
  Buf b;
  put16(b, uint16_t(0x2000 | id));  // PCP 1
  put16(b, inner_type);
  return b;
}

struct V4 {
  uint8_t proto = 6;
  Buf options;
  uint16_t flags_frag = 0x4000;  // DF
  uint16_t id = 0x1234;
  uint8_t ttl = 64;
  int total_override = -1;
};
Buf ipv4(const V4& v, const Buf& l4) {
  Buf b;
  const size_t hlen = 20 + v.options.size();
  b.push_back(uint8_t(0x40 | (hlen / 4)));
  b.push_back(0x10);
  put16(b, uint16_t(v.total_override >= 0 ? v.total_override : int(hlen + l4.size())));
  put16(b, v.id);
  put16(b, v.flags_frag);
  b.push_back(v.ttl);
  b.push_back(v.proto);
  put16(b, 0);
  b.insert(b.end(), kSrc4, kSrc4 + 4);
  b.insert(b.end(), kDst4, kDst4 + 4);
  append(b, v.options);
  const uint16_t c = finish(ones_sum(b.data(), b.size()));
  b[10] = uint8_t(c >> 8);
  b[11] = uint8_t(c);
  append(b, l4);
  return b;
}

Buf ipv6(uint8_t nh, const Buf& rest, uint8_t hop_limit = 64) {
  Buf b;
  put32(b, 0x60312345);  // traffic class 0x03, flow label 0x12345
  put16(b, uint16_t(rest.size()));
  b.push_back(nh);
  b.push_back(hop_limit);
  b.insert(b.end(), kSrc6, kSrc6 + 16);
  b.insert(b.end(), kDst6, kDst6 + 16);
  append(b, rest);
  return b;
}

// Fill the L4 checksum at csum_off over the pseudo header.
void set_l4_csum(Buf& l4, size_t csum_off, uint8_t proto, int ip_version) {
  uint32_t sum = 0;
  if (ip_version == 4) {
    sum = ones_sum(kSrc4, 4, sum);
    sum = ones_sum(kDst4, 4, sum);
  } else if (ip_version == 6) {
    sum = ones_sum(kSrc6, 16, sum);
    sum = ones_sum(kDst6, 16, sum);
  }
  if (ip_version != 0) sum += proto + uint32_t(l4.size());
  l4[csum_off] = l4[csum_off + 1] = 0;
  const uint16_t c = finish(ones_sum(l4.data(), l4.size(), sum));
  l4[csum_off] = uint8_t(c >> 8);
  l4[csum_off + 1] = uint8_t(c);
}

// TCP SYN with MSS 1460, SACK permitted, timestamps, NOP, window scale 7.
Buf tcp(const Buf& payload, int ip_version = 4, Buf options = {}) {
  if (options.empty())
    options = {2, 4, 0x05, 0xb4, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2, 1, 3, 3, 7};
  Buf b;
  put16(b, 40000);
  put16(b, 80);
  put32(b, 1000);
  put32(b, 2000);
  b.push_back(uint8_t(((20 + options.size()) / 4) << 4));
  b.push_back(kTcpSyn | kTcpAck);
  put16(b, 65535);
  put16(b, 0);
  put16(b, 0);
  append(b, options);
  append(b, payload);
  set_l4_csum(b, 16, 6, ip_version);
  return b;
}

Buf udp(const Buf& payload, int ip_version = 4) {
  Buf b;
  put16(b, 5353);
  put16(b, 53);
  put16(b, uint16_t(8 + payload.size()));
  put16(b, 0);
  append(b, payload);
  set_l4_csum(b, 6, 17, ip_version);
  return b;
}

Buf icmp(uint8_t type, uint8_t code, uint32_t rest, const Buf& body, int pseudo_ip_version) {
  Buf b = {type, code, 0, 0};
  put32(b, rest);
  append(b, body);
  set_l4_csum(b, 2, 58, pseudo_ip_version);
  return b;
}

const Buf kPayload = {'h', 'e', 'l', 'l', 'o'};

// ---------------------------------------------------------------- fixture

class DecodeTest : public ::testing::Test {
 protected:
  core::Counters counters;
  Decoder dec{counters, DecodeOptions{}};
  Packet p;
  Buf frame_;  // the packet's views point here, so they outlive the call

  Packet& run(int linktype, const Buf& frame) {
    frame_ = frame;
    dec.decode(linktype, core::Bytes(frame_.data(), frame_.size()), p);
    return p;
  }
  static Buf bytes_of(core::Bytes b) { return Buf(b.begin(), b.end()); }
  static int count_event(const Packet& p, Event e) {
    int n = 0;
    for (int i = 0; i < p.n_events; ++i) n += p.events[i] == e;
    return n;
  }
};

// ------------------------------------------------------------ link layers

TEST_F(DecodeTest, EthernetIpv4TcpWithOptions) {
  const Buf frame = cat({ether(0x0800), ipv4({}, tcp(kPayload))});
  run(1, frame);
  EXPECT_EQ(p.n_events, 0);
  EXPECT_EQ(p.ether_header.size(), 14u);
  EXPECT_EQ(p.ip_version, 4);
  EXPECT_EQ(p.src.to_string(), "10.0.0.1");
  EXPECT_EQ(p.dst.to_string(), "10.0.0.2");
  EXPECT_EQ(p.ip_proto, 6);
  EXPECT_EQ(p.ttl, 64);
  EXPECT_EQ(p.tos, 0x10);
  EXPECT_EQ(p.ip_id, 0x1234);
  EXPECT_EQ(p.frag_bits, 0x2);  // DF
  EXPECT_FALSE(p.is_fragment);
  EXPECT_EQ(p.ip_header.size(), 20u);
  EXPECT_EQ(p.ip_len, 20 + 40 + 5);
  ASSERT_TRUE(p.has_tcp);
  EXPECT_EQ(p.sp, 40000);
  EXPECT_EQ(p.dp, 80);
  EXPECT_EQ(p.tcp_seq, 1000u);
  EXPECT_EQ(p.tcp_ack, 2000u);
  EXPECT_EQ(p.tcp_flags, kTcpSyn | kTcpAck);
  EXPECT_EQ(p.tcp_window, 65535);
  EXPECT_TRUE(p.tcp_has_mss);
  EXPECT_EQ(p.tcp_mss, 1460);
  EXPECT_TRUE(p.tcp_has_sackok);
  EXPECT_TRUE(p.tcp_has_ts);
  EXPECT_EQ(p.tcp_tsval, 1u);
  EXPECT_EQ(p.tcp_tsecr, 2u);
  EXPECT_TRUE(p.tcp_has_wscale);
  EXPECT_EQ(p.tcp_wscale, 7);
  EXPECT_EQ(p.l4_header.size(), 40u);
  EXPECT_EQ(bytes_of(p.payload), kPayload);
  EXPECT_EQ(p.ip_csum, CsumState::kValid);
  EXPECT_EQ(p.l4_csum, CsumState::kValid);
  EXPECT_EQ(counters.get("decoder.pkts"), 1u);
  EXPECT_EQ(counters.get("decoder.bytes"), frame.size());
  EXPECT_EQ(counters.get("decoder.ethernet"), 1u);
  EXPECT_EQ(counters.get("decoder.ipv4"), 1u);
  EXPECT_EQ(counters.get("decoder.tcp"), 1u);
  EXPECT_EQ(counters.get("decoder.invalid"), 0u);
}

TEST_F(DecodeTest, EthernetPaddingIsTrimmed) {
  Buf frame = cat({ether(0x0800), ipv4({.proto = 17}, udp({1, 2}))});
  frame.resize(60, 0);  // minimum Ethernet frame, zero padded
  run(1, frame);
  EXPECT_EQ(p.n_events, 0);
  ASSERT_TRUE(p.has_udp);
  EXPECT_EQ(bytes_of(p.payload), (Buf{1, 2}));
  EXPECT_EQ(p.l3_payload.size(), 10u);
  EXPECT_EQ(p.l4_csum, CsumState::kValid);
}

TEST_F(DecodeTest, ReusedPacketIsReset) {
  run(1, cat({ether(0x0800), ipv4({}, tcp(kPayload))}));
  p.pcap_cnt = 7;
  run(1, cat({ether(0x0800), ipv4({.proto = 17}, udp({}))}));
  EXPECT_FALSE(p.has_tcp);
  EXPECT_FALSE(p.tcp_has_mss);
  EXPECT_TRUE(p.has_udp);
  EXPECT_EQ(p.pcap_cnt, 7u);
}

TEST_F(DecodeTest, SingleVlan) {
  run(1, cat({ether(0x8100), vlan_tag(100, 0x0800), ipv4({.proto = 17}, udp(kPayload))}));
  EXPECT_EQ(p.n_events, 0);
  EXPECT_EQ(p.vlan_count, 1);
  EXPECT_EQ(p.vlan_id[0], 100);
  EXPECT_TRUE(p.has_udp);
  EXPECT_EQ(counters.get("decoder.vlan"), 1u);
  EXPECT_EQ(counters.get("decoder.vlan_qinq"), 0u);
}

TEST_F(DecodeTest, QinQ) {
  run(1, cat({ether(0x88a8), vlan_tag(10, 0x8100), vlan_tag(20, 0x86dd),
              ipv6(17, udp(kPayload, 6))}));
  EXPECT_EQ(p.n_events, 0);
  EXPECT_EQ(p.vlan_count, 2);
  EXPECT_EQ(p.vlan_id[0], 10);
  EXPECT_EQ(p.vlan_id[1], 20);
  EXPECT_EQ(p.ip_version, 6);
  EXPECT_TRUE(p.has_udp);
  EXPECT_EQ(p.l4_csum, CsumState::kValid);
  EXPECT_EQ(counters.get("decoder.vlan"), 1u);
  EXPECT_EQ(counters.get("decoder.vlan_qinq"), 1u);
}

TEST_F(DecodeTest, Vlan9100AndTooManyLayers) {
  run(1, cat({ether(0x9100), vlan_tag(1, 0x8100), vlan_tag(2, 0x8100), vlan_tag(3, 0x0800),
              ipv4({.proto = 17}, udp({}))}));
  EXPECT_EQ(p.vlan_count, 3);
  EXPECT_TRUE(p.has_udp);

  run(1, cat({ether(0x8100), vlan_tag(1, 0x8100), vlan_tag(2, 0x8100), vlan_tag(3, 0x8100),
              vlan_tag(4, 0x0800), ipv4({.proto = 17}, udp({}))}));
  EXPECT_TRUE(p.has_event(Event::kVlanTooManyLayers));
  EXPECT_EQ(p.ip_version, 0);
  EXPECT_EQ(p.vlan_count, 3);
}

TEST_F(DecodeTest, VlanTooSmallAndUnknownType) {
  run(1, cat({ether(0x8100), Buf{0x00, 0x64}}));
  EXPECT_TRUE(p.has_event(Event::kVlanHeaderTooSmall));
  run(1, cat({ether(0x8100), vlan_tag(5, 0x1234), Buf{1, 2, 3}}));
  EXPECT_TRUE(p.has_event(Event::kVlanUnknownType));
  EXPECT_TRUE(p.has_event(Event::kEthernetUnknownEthertype));
  EXPECT_EQ(counters.get("decoder.invalid"), 2u);
}

TEST_F(DecodeTest, ArpIsKnownNotAnAnomaly) {
  run(1, cat({ether(0x0806), Buf(28, 0)}));
  EXPECT_EQ(p.n_events, 0);
  EXPECT_EQ(counters.get("decoder.arp"), 1u);
  run(1, cat({ether(0x4242), Buf(28, 0)}));
  EXPECT_TRUE(p.has_event(Event::kEthernetUnknownEthertype));
}

TEST_F(DecodeTest, LinuxSll) {
  Buf sll = {0, 0, 0, 1, 0, 6, 1, 2, 3, 4, 5, 6, 0, 0};
  put16(sll, 0x0800);
  run(113, cat({sll, ipv4({}, tcp(kPayload))}));
  EXPECT_EQ(p.n_events, 0);
  EXPECT_TRUE(p.has_tcp);
  EXPECT_TRUE(p.ether_header.empty());
  EXPECT_EQ(counters.get("decoder.sll"), 1u);
  run(113, Buf(15, 0));
  EXPECT_TRUE(p.has_event(Event::kSllPktTooSmall));
}

TEST_F(DecodeTest, LinuxSll2) {
  Buf sll2;
  put16(sll2, 0x86dd);
  put16(sll2, 0);
  put32(sll2, 3);
  append(sll2, {0, 1, 0, 6, 1, 2, 3, 4, 5, 6, 0, 0});
  ASSERT_EQ(sll2.size(), 20u);
  run(276, cat({sll2, ipv6(6, tcp(kPayload, 6))}));
  EXPECT_EQ(p.n_events, 0);
  EXPECT_EQ(p.ip_version, 6);
  EXPECT_TRUE(p.has_tcp);
  EXPECT_EQ(p.l4_csum, CsumState::kValid);
  run(276, Buf(19, 0));
  EXPECT_TRUE(p.has_event(Event::kSllPktTooSmall));
}

TEST_F(DecodeTest, RawIpLinkTypes) {
  const Buf v4 = ipv4({.proto = 17}, udp(kPayload));
  const Buf v6 = ipv6(17, udp(kPayload, 6));
  for (int lt : {101, 12, 14}) {
    run(lt, v4);
    EXPECT_EQ(p.ip_version, 4) << lt;
    EXPECT_TRUE(p.has_udp) << lt;
    run(lt, v6);
    EXPECT_EQ(p.ip_version, 6) << lt;
    EXPECT_TRUE(p.has_udp) << lt;
  }
  run(228, v4);
  EXPECT_TRUE(p.has_udp);
  run(229, v6);
  EXPECT_TRUE(p.has_udp);
  EXPECT_EQ(counters.get("decoder.raw"), 8u);

  Buf bad = v4;
  bad[0] = 0x55;
  run(101, bad);
  EXPECT_TRUE(p.has_event(Event::kIpRawInvalidIpVer));
  run(101, Buf(19, 0x45));
  EXPECT_TRUE(p.has_event(Event::kIpv4PktTooSmall));
  run(229, ipv4({}, tcp(kPayload)));
  EXPECT_TRUE(p.has_event(Event::kIpv6WrongIpVer));
}

TEST_F(DecodeTest, BsdNullAndLoop) {
  const Buf v4 = ipv4({}, tcp(kPayload));
  const Buf v6 = ipv6(6, tcp(kPayload, 6));
  run(0, cat({Buf{2, 0, 0, 0}, v4}));  // little-endian host
  EXPECT_TRUE(p.has_tcp);
  run(0, cat({Buf{0, 0, 0, 2}, v4}));  // written by a big-endian host
  EXPECT_TRUE(p.has_tcp);
  for (uint8_t af : {24, 28, 30}) {
    run(0, cat({Buf{af, 0, 0, 0}, v6}));
    EXPECT_EQ(p.ip_version, 6) << int(af);
    EXPECT_TRUE(p.has_tcp) << int(af);
  }
  run(108, cat({Buf{0, 0, 0, 2}, v4}));
  EXPECT_TRUE(p.has_tcp);
  run(108, cat({Buf{0, 0, 0, 30}, v6}));
  EXPECT_TRUE(p.has_tcp);
  EXPECT_EQ(counters.get("decoder.null"), 7u);

  run(0, cat({Buf{7, 0, 0, 0}, v4}));
  EXPECT_TRUE(p.has_event(Event::kNullUnsupportedType));
  run(108, Buf{0, 0, 0});
  EXPECT_TRUE(p.has_event(Event::kNullPktTooSmall));
}

TEST_F(DecodeTest, UnsupportedLinktype) {
  run(147, ipv4({}, tcp({})));
  EXPECT_TRUE(p.has_event(Event::kUnsupportedLinktype));
  EXPECT_EQ(p.ip_version, 0);
  EXPECT_EQ(counters.get("pasban.decoder.event.unsupported_linktype"), 1u);
}

// -------------------------------------------------------------------- IPv4

TEST_F(DecodeTest, Ipv4OptionsBits) {
  // NOP, RR (len 7, ptr 4), RTRALT, EOL + pad: 16 bytes.
  const Buf opts = {1, 7, 7, 4, 0, 0, 0, 0, 148, 4, 0, 0, 0, 0, 0, 0};
  run(101, ipv4({.options = opts}, tcp({})));
  EXPECT_EQ(p.n_events, 0);
  EXPECT_EQ(p.ipopts, kIpOptNOP | kIpOptRR | kIpOptRTRALT | kIpOptEOL);
  EXPECT_EQ(p.ip_header.size(), 36u);
  EXPECT_TRUE(p.has_tcp);
  EXPECT_EQ(p.ip_csum, CsumState::kValid);

  // TS (ptr 5, flag 0), LSRR, SSRR: 8 + 8 + 8 = 24 bytes.
  const Buf opts2 = {68, 8, 5, 0, 0, 0, 0, 0, 131, 7, 4, 1, 2, 3, 4, 1, 137, 7, 8, 1, 2, 3, 4, 0};
  run(101, ipv4({.options = opts2}, tcp({})));
  EXPECT_EQ(p.n_events, 0) << event_name(p.events[0]);
  EXPECT_EQ(p.ipopts, kIpOptTS | kIpOptLSRR | kIpOptSSRR | kIpOptNOP | kIpOptEOL);

  // SEC (11 bytes), SATID, ESEC, then EOL.
  const Buf opts3 = {130, 11, 0, 0, 0, 0, 0, 0, 0, 0, 0, 136, 4, 0, 1, 133, 3, 1, 0, 0, 0, 0, 0, 0};
  run(101, ipv4({.options = opts3}, tcp({})));
  EXPECT_EQ(p.n_events, 0) << event_name(p.events[0]);
  EXPECT_EQ(p.ipopts, kIpOptSEC | kIpOptSATID | kIpOptESEC | kIpOptEOL);
}

TEST_F(DecodeTest, Ipv4OptionAnomalies) {
  // Malformed RR pointer.
  run(101, ipv4({.options = {7, 7, 5, 0, 0, 0, 0, 0}}, tcp({})));
  EXPECT_TRUE(p.has_event(Event::kIpv4OptMalformed));
  EXPECT_EQ(p.ipopts & kIpOptRR, 0);
  EXPECT_TRUE(p.has_tcp);  // options never stop the packet
  // Duplicate RTRALT.
  run(101, ipv4({.options = {148, 4, 0, 0, 148, 4, 0, 0}}, tcp({})));
  EXPECT_TRUE(p.has_event(Event::kIpv4OptDuplicate));
  // Unknown option type.
  run(101, ipv4({.options = {99, 4, 0, 0, 0, 0, 0, 0}}, tcp({})));
  EXPECT_TRUE(p.has_event(Event::kIpv4OptInvalid));
  // Length 0 and length past the header.
  run(101, ipv4({.options = {7, 0, 0, 0, 0, 0, 0, 0}}, tcp({})));
  EXPECT_TRUE(p.has_event(Event::kIpv4OptInvalidLen));
  run(101, ipv4({.options = {7, 40, 4, 0}}, tcp({})));
  EXPECT_TRUE(p.has_event(Event::kIpv4OptInvalidLen));
  EXPECT_TRUE(p.has_event(Event::kIpv4OptPadRequired));
  // Multi-byte option type in the last byte.
  run(101, ipv4({.options = {1, 1, 1, 7}}, tcp({})));
  EXPECT_TRUE(p.has_event(Event::kIpv4OptEolRequired));
  // Bad CIPSO tag.
  run(101, ipv4({.options = {134, 12, 0, 0, 0, 1, 9, 6, 0, 0, 0, 0}}, tcp({})));
  EXPECT_TRUE(p.has_event(Event::kIpv4OptMalformed));
}

// Suricata-verify bug-7414: a SEC option of length 2 and a garbage option
// give opt_pad_required and opt_invalid_len twice; the packet is invalid.
TEST_F(DecodeTest, Ipv4SecOptionBug7414) {
  const Buf opts = {0x82, 0x02, 0xf1, 0x35, 0x00, 0x00, 0xde, 0xad, 0xbe, 0xef, 0xaa, 0x00};
  run(1, cat({ether(0x0800), ipv4({.proto = 17, .options = opts}, udp(Buf(20, 1)))}));
  EXPECT_EQ(count_event(p, Event::kIpv4OptPadRequired), 1);
  EXPECT_EQ(count_event(p, Event::kIpv4OptInvalidLen), 2);
  EXPECT_TRUE(p.has_udp);
  EXPECT_EQ(counters.get("decoder.invalid"), 1u);
  EXPECT_EQ(counters.get("decoder.event.ipv4.opt_invalid_len"), 2u);
  EXPECT_EQ(counters.get("decoder.event.ipv4.opt_pad_required"), 1u);
}

TEST_F(DecodeTest, Ipv4HeaderAnomalies) {
  Buf b = ipv4({}, tcp({}));
  b[0] = 0x44;  // hlen 16
  run(101, b);
  EXPECT_TRUE(p.has_event(Event::kIpv4HlenTooSmall));
  EXPECT_EQ(p.ip_version, 0);

  run(101, ipv4({.total_override = 19}, tcp({})));
  EXPECT_TRUE(p.has_event(Event::kIpv4IplenSmallerThanHlen));

  run(101, ipv4({.total_override = 100}, tcp({})));
  EXPECT_TRUE(p.has_event(Event::kIpv4TruncPkt));
  EXPECT_EQ(p.ip_version, 0);

  run(228, ipv6(6, tcp({}, 6)));
  EXPECT_TRUE(p.has_event(Event::kIpv4WrongIpVer));

  run(101, ipv4({.proto = 58}, Buf(8, 0)));
  EXPECT_TRUE(p.has_event(Event::kIpv4WithIcmpv6));
}

TEST_F(DecodeTest, Ipv4Fragments) {
  // First fragment: MF, offset 0. No transport decode until reassembly.
  run(101, ipv4({.flags_frag = 0x2000}, tcp(kPayload)));
  EXPECT_TRUE(p.is_fragment);
  EXPECT_EQ(p.frag_bits, 0x1);
  EXPECT_EQ(p.frag_offset, 0);
  EXPECT_FALSE(p.has_tcp);
  EXPECT_EQ(p.ip_proto, 6);
  EXPECT_EQ(p.l3_payload.size(), 45u);
  // Last fragment: offset 185 * 8, reserved bit set.
  run(101, ipv4({.flags_frag = 0x8000 | 185}, kPayload));
  EXPECT_TRUE(p.is_fragment);
  EXPECT_EQ(p.frag_bits, 0x4);
  EXPECT_EQ(p.frag_offset, 1480);
  EXPECT_FALSE(p.has_tcp);
  EXPECT_EQ(bytes_of(p.l3_payload), kPayload);
}

// -------------------------------------------------------------------- IPv6

// Hop-by-hop (PadN only) + fragment header (offset 0, MF) + UDP.
Buf ipv6_hbh_frag(bool more_fragments, uint16_t offset_units) {
  const Buf hbh = {44, 0, 1, 4, 0, 0, 0, 0};
  Buf frag = {17, 0};
  put16(frag, uint16_t(offset_units << 3 | (more_fragments ? 1 : 0)));
  put32(frag, 0x12345678);
  Buf l4 = udp(Buf(8, 0xab), 6);
  return ipv6(0, cat({hbh, frag, l4}));
}

TEST_F(DecodeTest, Ipv6HopByHopAndFragment) {
  run(1, cat({ether(0x86dd), ipv6_hbh_frag(true, 0)}));
  EXPECT_EQ(p.ip_version, 6);
  EXPECT_EQ(p.src.to_string(), "2001:0db8:0000:0000:0000:0000:0000:0001");
  EXPECT_EQ(p.ttl, 64);
  EXPECT_EQ(p.tos, 0x03);
  EXPECT_TRUE(p.is_fragment);
  EXPECT_EQ(p.frag_bits, 0x1);
  EXPECT_EQ(p.frag_offset, 0);
  EXPECT_EQ(p.frag_id, 0x12345678u);
  EXPECT_EQ(p.ip_id, 0x5678);
  EXPECT_EQ(p.frag_next_header, 17);
  EXPECT_EQ(p.frag_hdr_offset, 48);
  EXPECT_EQ(p.ip_proto, 44);
  EXPECT_EQ(p.ip_header.size(), 56u);  // fixed header + HBH + fragment header
  EXPECT_EQ(p.l3_payload.size(), 16u);
  EXPECT_FALSE(p.has_udp);
  EXPECT_TRUE(p.has_event(Event::kIpv6HopoptsOnlyPadding));
  EXPECT_EQ(p.ip_len, 40 + 32);
}

TEST_F(DecodeTest, Ipv6AtomicFragmentIsDecoded) {
  run(1, cat({ether(0x86dd), ipv6_hbh_frag(false, 0)}));
  EXPECT_TRUE(p.has_event(Event::kIpv6ExthdrUselessFh));
  EXPECT_FALSE(p.is_fragment);
  EXPECT_TRUE(p.has_udp);
  EXPECT_EQ(p.ip_proto, 17);
  EXPECT_EQ(p.ip_header.size(), 56u);
  EXPECT_EQ(p.l4_csum, CsumState::kValid);
}

TEST_F(DecodeTest, Ipv6ExtensionAnomalies) {
  // Routing type 0 then duplicate routing header, then TCP.
  const Buf rh0 = {43, 0, 0, 0, 0, 0, 0, 0};
  const Buf rh1 = {6, 0, 0, 0, 0, 0, 0, 0};
  run(229, ipv6(43, cat({rh0, rh1, tcp({}, 6)})));
  EXPECT_TRUE(p.has_event(Event::kIpv6RhType0));
  EXPECT_TRUE(p.has_event(Event::kIpv6ExthdrDuplRh));
  EXPECT_TRUE(p.has_tcp);
  EXPECT_EQ(p.ip_header.size(), 56u);
  // Truncated extension header.
  run(229, ipv6(60, Buf{6, 1, 0, 0}));
  EXPECT_TRUE(p.has_event(Event::kIpv6TruncExthdr));
  // Data after "no next header".
  run(229, ipv6(59, Buf{1, 2, 3}));
  EXPECT_TRUE(p.has_event(Event::kIpv6DataAfterNoneHeader));
  // Unknown next header and ICMPv4 in IPv6.
  run(229, ipv6(253, Buf{1, 2, 3}));
  EXPECT_TRUE(p.has_event(Event::kIpv6UnknownNextHeader));
  EXPECT_EQ(p.ip_proto, 253);
  run(229, ipv6(1, Buf(8, 0)));
  EXPECT_TRUE(p.has_event(Event::kIpv6WithIcmpv4));
  // Unknown destination option, zero-length PadN, AH with reserved bits.
  run(229, ipv6(60, cat({Buf{51, 0, 0x77, 0, 1, 0, 0, 0}, Buf{6, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0},
                         tcp({}, 6)})));
  EXPECT_TRUE(p.has_event(Event::kIpv6DstoptsUnknownOpt));
  EXPECT_TRUE(p.has_event(Event::kIpv6ZeroLenPadn));
  EXPECT_TRUE(p.has_event(Event::kIpv6ExthdrAhResNotNull));
  EXPECT_TRUE(p.has_tcp);
  EXPECT_EQ(p.ip_header.size(), 40u + 8 + 12);
  // Fragment with MF and a data length not a multiple of 8.
  Buf frag = {17, 1, 0, 1, 0, 0, 0, 1};
  run(229, ipv6(44, cat({frag, Buf(5, 0)})));
  EXPECT_TRUE(p.has_event(Event::kIpv6FragInvalidLength));
  EXPECT_TRUE(p.has_event(Event::kIpv6FhNonZeroReservedField));
  EXPECT_TRUE(p.is_fragment);
}

TEST_F(DecodeTest, Ipv6PaddingTrimmedAndTruncation) {
  Buf frame = cat({ether(0x86dd), ipv6(17, udp(kPayload, 6))});
  frame.resize(frame.size() + 6, 0);
  run(1, frame);
  EXPECT_EQ(p.n_events, 0);
  EXPECT_EQ(bytes_of(p.payload), kPayload);
  EXPECT_EQ(p.l4_csum, CsumState::kValid);
  Buf v6 = ipv6(17, udp(kPayload, 6));
  v6[5] += 1;  // payload length one past the capture
  run(229, v6);
  EXPECT_TRUE(p.has_event(Event::kIpv6TruncPkt));
  EXPECT_EQ(p.ip_version, 0);
}

// -------------------------------------------------------------- transports

TEST_F(DecodeTest, TcpMalformed) {
  // Data offset 4 (16 bytes): Suricata's wrapped option length.
  Buf t = tcp({}, 4, {1, 1, 1, 1});
  t[12] = 0x40;
  run(101, ipv4({}, t));
  EXPECT_TRUE(p.has_event(Event::kTcpInvalidOptLen));
  EXPECT_FALSE(p.has_tcp);
  EXPECT_EQ(p.ip_proto, 6);
  EXPECT_EQ(p.src.to_string(), "10.0.0.1");
  // Data offset 15 but 24 bytes of segment.
  t = tcp({}, 4, {1, 1, 1, 1});
  t[12] = 0xf0;
  run(101, ipv4({}, t));
  EXPECT_TRUE(p.has_event(Event::kTcpHlenTooSmall));
  // Option length 1 and option past the header.
  run(101, ipv4({}, tcp({}, 4, {2, 1, 0, 0})));
  EXPECT_TRUE(p.has_event(Event::kTcpOptInvalidLen));
  EXPECT_TRUE(p.has_tcp);
  run(101, ipv4({}, tcp({}, 4, {1, 1, 8, 10})));
  EXPECT_TRUE(p.has_event(Event::kTcpOptInvalidLen));
  // Wrong MSS length, duplicate window scale, SACK blocks.
  run(101, ipv4({}, tcp({}, 4, {2, 3, 0, 0})));
  EXPECT_TRUE(p.has_event(Event::kTcpOptInvalidLen));
  EXPECT_FALSE(p.tcp_has_mss);
  run(101, ipv4({}, tcp({}, 4, {3, 3, 20, 3, 3, 2, 0, 0})));
  EXPECT_TRUE(p.has_event(Event::kTcpOptDuplicate));
  EXPECT_EQ(p.tcp_wscale, 0);  // 20 > 14 reads as 0, as Suricata
  run(101, ipv4({}, tcp({}, 4, {1, 1, 5, 10, 0, 0, 0, 1, 0, 0, 0, 2})));
  EXPECT_TRUE(p.tcp_has_sack);
  EXPECT_EQ(p.tcp_sack.size(), 8u);
}

TEST_F(DecodeTest, UdpLengths) {
  Buf u = udp(kPayload);
  u[5] = 8 + 2;  // length field shorter than the IP payload: payload trimmed
  run(101, ipv4({.proto = 17}, u));
  EXPECT_TRUE(p.has_udp);
  EXPECT_EQ(bytes_of(p.payload), (Buf{'h', 'e'}));
  u[5] = 8 + 9;
  run(101, ipv4({.proto = 17}, u));
  EXPECT_TRUE(p.has_event(Event::kUdpPktTooSmall));
  EXPECT_FALSE(p.has_udp);
  u[5] = 7;
  run(101, ipv4({.proto = 17}, u));
  EXPECT_TRUE(p.has_event(Event::kUdpHlenInvalid));
  EXPECT_EQ(event_name(Event::kUdpHlenInvalid), "udp.len_invalid");
  run(101, ipv4({.proto = 17}, Buf(7, 0)));
  EXPECT_TRUE(p.has_event(Event::kUdpHlenTooSmall));
  EXPECT_EQ(p.src.to_string(), "10.0.0.1");
}

TEST_F(DecodeTest, IcmpEcho) {
  run(101, ipv4({.proto = 1}, icmp(8, 0, 0x00420007, kPayload, 0)));
  EXPECT_EQ(p.n_events, 0);
  ASSERT_TRUE(p.has_icmpv4);
  EXPECT_EQ(p.icmp_type, 8);
  EXPECT_EQ(p.icmp_code, 0);
  EXPECT_TRUE(p.icmp_has_id);
  EXPECT_EQ(p.icmp_id, 0x42);
  EXPECT_EQ(p.icmp_seq, 7);
  EXPECT_EQ(p.l4_header.size(), 8u);
  EXPECT_EQ(bytes_of(p.payload), kPayload);
  EXPECT_EQ(p.l4_csum, CsumState::kValid);
  EXPECT_FALSE(p.has_ports());
  EXPECT_EQ(counters.get("decoder.icmpv4"), 1u);
}

TEST_F(DecodeTest, IcmpAnomalies) {
  run(101, ipv4({.proto = 1}, icmp(42, 0, 0, {}, 0)));
  EXPECT_TRUE(p.has_event(Event::kIcmpv4UnknownType));
  run(101, ipv4({.proto = 1}, icmp(0, 3, 0, {}, 0)));
  EXPECT_TRUE(p.has_event(Event::kIcmpv4UnknownCode));
  run(101, ipv4({.proto = 1}, Buf(7, 0)));
  EXPECT_TRUE(p.has_event(Event::kIcmpv4PktTooSmall));
  run(101, ipv4({.proto = 1}, icmp(3, 1, 0, Buf(10, 0x45), 0)));
  EXPECT_TRUE(p.has_event(Event::kIcmpv4Ipv4TruncPkt));
  run(101, ipv4({.proto = 1}, icmp(11, 0, 0, Buf(28, 0x65), 0)));
  EXPECT_TRUE(p.has_event(Event::kIcmpv4Ipv4UnknownVer));
  // Timestamp: 12 more bytes of header.
  run(101, ipv4({.proto = 1}, icmp(13, 0, 0x00010002, Buf(14, 9), 0)));
  EXPECT_EQ(p.l4_header.size(), 20u);
  EXPECT_EQ(p.payload.size(), 2u);
}

TEST_F(DecodeTest, Icmpv6PacketTooBig) {
  const Buf inner = ipv6(17, udp(Buf(4, 1), 6));
  run(229, ipv6(58, icmp(2, 0, 1280, inner, 6)));
  EXPECT_EQ(p.n_events, 0);
  ASSERT_TRUE(p.has_icmpv6);
  EXPECT_EQ(p.icmp_type, 2);
  EXPECT_TRUE(p.icmpv6_has_mtu);
  EXPECT_EQ(p.icmpv6_mtu, 1280u);
  EXPECT_EQ(p.l4_header.size(), 8u);
  EXPECT_EQ(bytes_of(p.payload), inner);
  EXPECT_EQ(p.l4_csum, CsumState::kValid);
  EXPECT_EQ(counters.get("decoder.icmpv6"), 1u);
}

TEST_F(DecodeTest, Icmpv6EchoAndAnomalies) {
  run(229, ipv6(58, icmp(128, 0, 0x00050006, kPayload, 6)));
  EXPECT_TRUE(p.icmp_has_id);
  EXPECT_EQ(p.icmp_id, 5);
  EXPECT_EQ(p.icmp_seq, 6);
  EXPECT_EQ(bytes_of(p.payload), kPayload);
  run(229, ipv6(58, icmp(2, 0, 1280, Buf(10, 0x60), 6)));
  EXPECT_TRUE(p.has_event(Event::kIcmpv6Ipv6TruncPkt));
  run(229, ipv6(58, icmp(130, 0, 0, Buf(16, 0), 6), 64));
  EXPECT_TRUE(p.has_event(Event::kIcmpv6MldMessageWithInvalidHl));
  run(229, ipv6(58, icmp(100, 0, 0, {}, 6)));
  EXPECT_TRUE(p.has_event(Event::kIcmpv6ExperimentationType));
  run(229, ipv6(58, icmp(50, 0, 0, {}, 6)));
  EXPECT_TRUE(p.has_event(Event::kIcmpv6UnassignedType));
  run(229, ipv6(58, icmp(135, 1, 0, {}, 6)));
  EXPECT_TRUE(p.has_event(Event::kIcmpv6UnknownCode));
  run(229, ipv6(58, Buf(4, 0)));
  EXPECT_TRUE(p.has_event(Event::kIcmpv6PktTooSmall));
}

// ----------------------------------------------------------- truncations

// Every prefix of a valid frame decodes without reading past it and names
// the layer that ran short.
TEST_F(DecodeTest, EthernetIpv4TcpEveryTruncation) {
  const Buf frame = cat({ether(0x0800), ipv4({.options = {1, 1, 1, 0}}, tcp(kPayload))});
  for (size_t n = 0; n < frame.size(); ++n) {
    const Buf cut(frame.begin(), frame.begin() + long(n));
    run(1, cut);
    SCOPED_TRACE(n);
    EXPECT_EQ(p.n_events, 1);
    const Event want = n < 14   ? Event::kEthernetPktTooSmall
                       : n < 34 ? Event::kIpv4PktTooSmall
                                : Event::kIpv4TruncPkt;
    EXPECT_TRUE(p.has_event(want));
    EXPECT_FALSE(p.has_tcp);
  }
  EXPECT_EQ(counters.get("decoder.invalid"), frame.size());
}

// Each length of TCP segment inside a consistent IPv4 header.
TEST_F(DecodeTest, TcpEverySegmentLength) {
  const Buf seg = tcp({});
  for (size_t n = 0; n < seg.size(); ++n) {
    run(101, ipv4({}, Buf(seg.begin(), seg.begin() + long(n))));
    SCOPED_TRACE(n);
    EXPECT_FALSE(p.has_tcp);
    EXPECT_TRUE(p.has_event(n < 20 ? Event::kTcpPktTooSmall : Event::kTcpHlenTooSmall));
  }
  const Buf u = udp({});
  for (size_t n = 0; n < u.size(); ++n) {
    run(229, ipv6(17, Buf(u.begin(), u.begin() + long(n))));
    EXPECT_TRUE(p.has_event(Event::kUdpHlenTooSmall)) << n;
  }
  const Buf i = icmp(128, 0, 0, {}, 6);
  for (size_t n = 0; n < i.size(); ++n) {
    run(229, ipv6(58, Buf(i.begin(), i.begin() + long(n))));
    EXPECT_TRUE(p.has_event(Event::kIcmpv6PktTooSmall)) << n;
  }
}

TEST_F(DecodeTest, Ipv6ExtensionHeadersEveryTruncation) {
  const Buf frame = cat({ether(0x86dd), ipv6_hbh_frag(true, 0)});
  for (size_t n = 0; n < frame.size(); ++n) {
    run(1, Buf(frame.begin(), frame.begin() + long(n)));
    SCOPED_TRACE(n);
    const Event want = n < 14   ? Event::kEthernetPktTooSmall
                       : n < 54 ? Event::kIpv6PktTooSmall
                                : Event::kIpv6TruncPkt;
    EXPECT_TRUE(p.has_event(want));
  }
  // The same chain with a consistent payload length at every cut: the walk
  // stops where the chain runs short.
  const Buf v6 = ipv6_hbh_frag(true, 0);
  const Buf chain(v6.begin() + 40, v6.end());
  for (size_t n = 0; n < chain.size(); ++n) {
    run(229, ipv6(0, Buf(chain.begin(), chain.begin() + long(n))));
    SCOPED_TRACE(n);
    EXPECT_EQ(p.ip_version, 6);
    EXPECT_FALSE(p.has_udp);
    // Suricata: any header of the chain cut short, even before its first
    // two bytes, is a truncated extension header.
    const bool short_header = n < 16;
    EXPECT_EQ(p.has_event(Event::kIpv6TruncExthdr), short_header);
    EXPECT_EQ(p.is_fragment, n >= 16);
  }
}

// Random frames per link type: nothing to check but ASan/UBSan silence.
TEST_F(DecodeTest, RandomFramesDoNotCrash) {
  std::mt19937 rng(1234);
  const Buf seeds[] = {
      cat({ether(0x8100), vlan_tag(1, 0x0800), ipv4({.options = {7, 7, 4, 0, 0, 0, 0, 0}}, tcp(kPayload))}),
      cat({ether(0x86dd), ipv6_hbh_frag(false, 0)}),
      ipv6(58, icmp(2, 0, 1280, ipv6(6, tcp({}, 6)), 6)),
      ipv4({.proto = 1}, icmp(9, 0, 0x02020000, Buf(16, 1), 0)),
  };
  for (int lt : {0, 1, 12, 14, 101, 108, 113, 228, 229, 276}) {
    for (int i = 0; i < 3000; ++i) {
      Buf b = seeds[size_t(i) % std::size(seeds)];
      const int flips = 1 + int(rng() % 6);
      for (int f = 0; f < flips; ++f) b[rng() % b.size()] = uint8_t(rng());
      b.resize(rng() % (b.size() + 1));
      run(lt, b);
    }
  }
  SUCCEED();
}

// ------------------------------------------------------------- checksums

TEST_F(DecodeTest, Ipv4HeaderChecksum) {
  // RFC 1071 style example header (checksum 0xb861).
  const Buf hdr = {0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11,
                   0xb8, 0x61, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7};
  Buf pkt = hdr;
  pkt.resize(0x73, 0);
  run(101, pkt);
  EXPECT_EQ(p.ip_csum, CsumState::kValid);
  EXPECT_TRUE(ipv4_checksum_valid(p));
  pkt[11] = 0x62;
  run(101, pkt);
  EXPECT_EQ(p.ip_csum, CsumState::kInvalid);
  EXPECT_FALSE(ipv4_checksum_valid(p));
}

// A captured SYN/ACK (Suricata's TCPCalculateValidChecksumtest01 vector).
TEST_F(DecodeTest, TcpChecksumCapturedVector) {
  const Buf tcp_seg = {0x00, 0x50, 0x8e, 0x16, 0x0d, 0x59, 0xcd, 0x3c, 0xcf, 0x0d, 0x21, 0x80,
                       0xa0, 0x12, 0x16, 0xa0, 0xfa, 0x03, 0x00, 0x00, 0x02, 0x04, 0x05, 0xb4,
                       0x04, 0x02, 0x08, 0x0a, 0x6e, 0x18, 0x78, 0x73, 0x01, 0x71, 0x74, 0xde,
                       0x01, 0x03, 0x03, 0x02};
  Buf ip = ipv4({}, tcp_seg);
  const uint8_t src[4] = {0x40, 0x8e, 0x7e, 0xb2}, dst[4] = {0xc0, 0xa8, 0x01, 0x03};
  std::copy(src, src + 4, ip.begin() + 12);
  std::copy(dst, dst + 4, ip.begin() + 16);
  run(101, ip);
  EXPECT_EQ(p.ip_csum, CsumState::kInvalid);  // addresses changed after the header sum
  EXPECT_EQ(p.l4_csum, CsumState::kValid);
  EXPECT_TRUE(l4_checksum_valid(p));
  ip.back() = 0x03;
  run(101, ip);
  EXPECT_EQ(p.l4_csum, CsumState::kInvalid);
  EXPECT_FALSE(l4_checksum_valid(p));
}

// A captured IPv6 TCP segment (Suricata's TCPV6CalculateValidChecksumtest03).
TEST_F(DecodeTest, Tcpv6ChecksumCapturedVector) {
  Buf frame = {0x00, 0x60, 0x97, 0x07, 0x69, 0xea, 0x00, 0x00, 0x86, 0x05, 0x80, 0xda, 0x86, 0xdd,
               0x60, 0x00, 0x00, 0x00, 0x00, 0x20, 0x06, 0x40, 0x3f, 0xfe, 0x05, 0x07, 0x00, 0x00,
               0x00, 0x01, 0x02, 0x00, 0x86, 0xff, 0xfe, 0x05, 0x80, 0xda, 0x3f, 0xfe, 0x05, 0x01,
               0x04, 0x10, 0x00, 0x00, 0x02, 0xc0, 0xdf, 0xff, 0xfe, 0x47, 0x03, 0x3e, 0x03, 0xfe,
               0x00, 0x16, 0xd6, 0x76, 0xf5, 0x2d, 0x0c, 0x7a, 0x08, 0x77, 0x80, 0x10, 0x21, 0x5c,
               0xc2, 0xf1, 0x00, 0x00, 0x01, 0x01, 0x08, 0x0a, 0x00, 0x08, 0xca, 0x5a, 0x00, 0x01,
               0x69, 0x27};
  run(1, frame);
  ASSERT_TRUE(p.has_tcp);
  EXPECT_EQ(p.l4_csum, CsumState::kValid);
  frame.back() = 0x28;
  run(1, frame);
  EXPECT_EQ(p.l4_csum, CsumState::kInvalid);
}

TEST_F(DecodeTest, UdpAndIcmpChecksums) {
  Buf u = udp(kPayload);
  u[6] = u[7] = 0;  // no checksum sent: valid over IPv4
  run(101, ipv4({.proto = 17}, u));
  EXPECT_EQ(p.l4_csum, CsumState::kValid);
  run(229, ipv6(17, u));
  EXPECT_EQ(p.l4_csum, CsumState::kInvalid);  // mandatory over IPv6
  Buf i = icmp(8, 0, 1, kPayload, 0);
  i[3] ^= 1;
  run(101, ipv4({.proto = 1}, i));
  EXPECT_EQ(p.l4_csum, CsumState::kInvalid);
  Buf i6 = icmp(128, 0, 1, kPayload, 6);
  run(229, ipv6(58, i6));
  EXPECT_EQ(p.l4_csum, CsumState::kValid);
  i6.back() ^= 0xff;
  run(229, ipv6(58, i6));
  EXPECT_EQ(p.l4_csum, CsumState::kInvalid);
}

TEST_F(DecodeTest, ChecksumsOnDemandWhenNotVerified) {
  dec.set_verify_checksums(false);
  Buf t = tcp(kPayload);
  run(101, ipv4({}, t));
  EXPECT_EQ(p.ip_csum, CsumState::kNotChecked);
  EXPECT_EQ(p.l4_csum, CsumState::kNotChecked);
  EXPECT_TRUE(ipv4_checksum_valid(p));
  EXPECT_TRUE(l4_checksum_valid(p));
  t[16] ^= 0x10;
  run(101, ipv4({}, t));
  EXPECT_FALSE(l4_checksum_valid(p));
}

// --------------------------------------------------------------- counters

TEST_F(DecodeTest, CounterNamesRegistered) {
  for (const char* name :
       {"decoder.pkts", "decoder.bytes", "decoder.invalid", "decoder.ipv4", "decoder.ipv6",
        "decoder.ethernet", "decoder.raw", "decoder.null", "decoder.sll", "decoder.tcp",
        "decoder.udp", "decoder.icmpv4", "decoder.icmpv6", "decoder.vlan", "decoder.vlan_qinq",
        "decoder.event.ipv4.trunc_pkt", "decoder.event.ltnull.pkt_too_small",
        "decoder.event.udp.len_invalid", "decoder.event.ethernet.unknown_ethertype"}) {
    bool found = false;
    for (core::Counters::Id i = 0; i < counters.size(); ++i) found |= counters.name(i) == name;
    EXPECT_TRUE(found) << name;
  }
  run(1, cat({ether(0x0800), ipv4({.total_override = 200}, tcp({}))}));
  EXPECT_EQ(counters.get("decoder.event.ipv4.trunc_pkt"), 1u);
  EXPECT_EQ(counters.get("decoder.invalid"), 1u);
}

TEST(DecodeEvents, NamesRoundTrip) {
  for (size_t i = 0; i < size_t(Event::kCount); ++i) {
    const auto name = event_name(Event(i));
    ASSERT_EQ(event_by_name(name), Event(i)) << name;
  }
}

}  // namespace
}  // namespace pasban::decode
