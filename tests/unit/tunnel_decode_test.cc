// Tunnel decoders: VXLAN, Geneve, GRE (with ERSPAN type II/III), IP in IP,
// Teredo and MPLS on hand-built frames; the inner packet each yields, its
// root/depth/pkt_src, the decoder.* counters, and truncations that must not
// read out of bounds. Also the tag keyword's parser and tag bookkeeping.
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "core/counters.h"
#include "decode/decoder.h"
#include "decode/packet.h"
#include "detect/eval/tagging.h"
#include "detect/keywords/tag.h"

namespace pasban::decode {
namespace {

using Buf = std::vector<uint8_t>;

void put16(Buf& b, uint16_t v) {
  b.push_back(uint8_t(v >> 8));
  b.push_back(uint8_t(v));
}
void append(Buf& b, const Buf& more) { b.insert(b.end(), more.begin(), more.end()); }

Buf ether(uint16_t type) {
  Buf b = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
  put16(b, type);
  return b;
}

// IPv4 header (no options, checksum left 0: tests run without checksums).
Buf ipv4(uint8_t proto, uint8_t a, uint8_t b_last, const Buf& payload) {
  Buf b = {0x45, 0};
  put16(b, uint16_t(20 + payload.size()));
  Buf rest = {0, 1, 0, 0, 64, proto, 0, 0, 10, 0, 0, a, 10, 0, 0, b_last};
  append(b, rest);
  append(b, payload);
  return b;
}

Buf ipv6(uint8_t next, const Buf& payload) {
  Buf b = {0x60, 0, 0, 0};
  put16(b, uint16_t(payload.size()));
  b.push_back(next);
  b.push_back(64);
  for (int i = 0; i < 32; ++i) b.push_back(uint8_t(i < 16 ? 0x20 : 0x30));
  append(b, payload);
  return b;
}

Buf udp(uint16_t sp, uint16_t dp, const Buf& payload) {
  Buf b;
  put16(b, sp);
  put16(b, dp);
  put16(b, uint16_t(8 + payload.size()));
  put16(b, 0);
  append(b, payload);
  return b;
}

Buf icmp_echo() { return {8, 0, 0, 0, 0x12, 0x34, 0, 1, 'p', 'i', 'n', 'g'}; }

struct Harness {
  core::Counters counters;
  DecodeOptions options;
  Harness() { options.verify_checksums = false; }
  Decoder make() { return Decoder{counters, options}; }
};

Buf frame_with(const Buf& l3, uint16_t type = 0x0800) {
  Buf f = ether(type);
  append(f, l3);
  return f;
}

TEST(TunnelDecode, VxlanInnerIcmpBecomesItsOwnPacket) {
  Harness h;
  Decoder dec = h.make();
  Buf vx = {0x08, 0, 0, 0, 0, 0, 100, 0};
  append(vx, frame_with(ipv4(1, 3, 5, icmp_echo())));
  const Buf frame = frame_with(ipv4(17, 1, 2, udp(45149, 4789, vx)));
  Packet outer;
  dec.decode(1, core::Bytes(frame.data(), frame.size()), outer);
  ASSERT_TRUE(outer.tunnel_root());
  EXPECT_EQ(outer.inner_kind, TunnelKind::kEthernet);
  EXPECT_EQ(outer.inner_src, PktSrc::kVxlan);
  Packet inner;
  ASSERT_TRUE(dec.decode_tunnel(outer, inner));
  EXPECT_TRUE(inner.has_icmpv4);
  EXPECT_EQ(inner.root, &outer);
  EXPECT_EQ(inner.tunnel_depth, 1);
  EXPECT_EQ(inner.linktype, 12);
  EXPECT_STREQ(pkt_src_name(inner.pkt_src), "vxlan encapsulation");
  EXPECT_EQ(h.counters.get("decoder.vxlan"), 1u);
  EXPECT_EQ(h.counters.get("decoder.pkts"), 1u);  // wire packets only
  EXPECT_EQ(h.counters.get("decoder.ipv4"), 2u);
}

TEST(TunnelDecode, VxlanOnlyOnDestinationPortAndWhenEnabled) {
  Harness h;
  Buf vx = {0x08, 0, 0, 0, 0, 0, 100, 0};
  append(vx, frame_with(ipv4(1, 3, 5, icmp_echo())));
  const Buf reply = frame_with(ipv4(17, 1, 2, udp(4789, 40000, vx)));
  Decoder dec = h.make();
  Packet p;
  dec.decode(1, core::Bytes(reply.data(), reply.size()), p);
  EXPECT_FALSE(p.tunnel_root());
  h.options.vxlan_enabled = false;
  Decoder off = h.make();
  const Buf frame = frame_with(ipv4(17, 1, 2, udp(40000, 4789, vx)));
  off.decode(1, core::Bytes(frame.data(), frame.size()), p);
  EXPECT_FALSE(p.tunnel_root());
}

TEST(TunnelDecode, GeneveWithOptionsCarriesEthernet) {
  Harness h;
  Decoder dec = h.make();
  // ver 0, opt len 2 words; protocol 0x6558; one 4-byte option with 4 bytes data.
  Buf gv = {0x02, 0, 0x65, 0x58, 0, 0, 0x7b, 0, 0x01, 0x02, 0x03, 0x01, 9, 9, 9, 9};
  append(gv, frame_with(ipv4(1, 1, 2, icmp_echo())));
  const Buf frame = frame_with(ipv4(17, 11, 12, udp(1234, 6081, gv)));
  Packet outer, inner;
  dec.decode(1, core::Bytes(frame.data(), frame.size()), outer);
  ASSERT_TRUE(outer.tunnel_root());
  ASSERT_TRUE(dec.decode_tunnel(outer, inner));
  EXPECT_TRUE(inner.has_icmpv4);
  EXPECT_EQ(inner.frame.size(), 14u + 20u + icmp_echo().size());
  EXPECT_EQ(h.counters.get("decoder.geneve"), 1u);
  // An option running past the header is not Geneve.
  Buf bad = gv;
  bad[11] = 0x05;
  const Buf bf = frame_with(ipv4(17, 11, 12, udp(1234, 6081, bad)));
  dec.decode(1, core::Bytes(bf.data(), bf.size()), outer);
  EXPECT_FALSE(outer.tunnel_root());
}

Buf gre(uint8_t flags, uint16_t proto, const Buf& payload, bool seq) {
  Buf b = {flags, 0};
  put16(b, proto);
  if (seq) append(b, Buf{0, 0, 0, 7});
  append(b, payload);
  return b;
}

TEST(TunnelDecode, ErspanTypeIISetsMirroredVlan) {
  Harness h;
  Decoder dec = h.make();
  Buf erspan = {0x10, 23, 0, 1, 0, 0, 0, 0};  // version 1, vlan 23
  append(erspan, frame_with(ipv4(1, 2, 3, icmp_echo())));
  const Buf frame = frame_with(ipv4(47, 1, 2, gre(0x10, 0x88be, erspan, true)));
  Packet outer, inner;
  dec.decode(1, core::Bytes(frame.data(), frame.size()), outer);
  ASSERT_TRUE(outer.tunnel_root());
  EXPECT_EQ(outer.inner_kind, TunnelKind::kErspanII);
  ASSERT_TRUE(dec.decode_tunnel(outer, inner));
  ASSERT_EQ(inner.vlan_count, 1);
  EXPECT_EQ(inner.vlan_id[0], 23);
  EXPECT_TRUE(inner.has_icmpv4);
  EXPECT_EQ(h.counters.get("decoder.gre"), 1u);
  EXPECT_EQ(h.counters.get("decoder.erspan"), 1u);
}

TEST(TunnelDecode, ErspanTypeIIIWithPlatformSubheader) {
  Harness h;
  Decoder dec = h.make();
  Buf erspan = {0x20, 5, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0x01};  // version 2, vlan 5, O bit
  append(erspan, Buf(8, 0));
  append(erspan, frame_with(ipv4(1, 2, 3, icmp_echo())));
  const Buf frame = frame_with(ipv4(47, 1, 2, gre(0x10, 0x22eb, erspan, true)));
  Packet outer, inner;
  dec.decode(1, core::Bytes(frame.data(), frame.size()), outer);
  ASSERT_TRUE(dec.decode_tunnel(outer, inner));
  EXPECT_EQ(inner.vlan_id[0], 5);
  EXPECT_TRUE(inner.has_icmpv4);
}

TEST(TunnelDecode, GreAnomaliesAreNamed) {
  Harness h;
  Decoder dec = h.make();
  Packet p;
  const Buf v3 = frame_with(ipv4(47, 1, 2, Buf{0, 3, 8, 0}));
  dec.decode(1, core::Bytes(v3.data(), v3.size()), p);
  EXPECT_TRUE(p.has_event(Event::kGreWrongVersion));
  const Buf recur = frame_with(ipv4(47, 1, 2, Buf{0x01, 0, 8, 0}));
  dec.decode(1, core::Bytes(recur.data(), recur.size()), p);
  EXPECT_TRUE(p.has_event(Event::kGreV0Recur));
  const Buf big = frame_with(ipv4(47, 1, 2, Buf{0x30, 0, 8, 0, 1}));  // key+seq, no room
  dec.decode(1, core::Bytes(big.data(), big.size()), p);
  EXPECT_TRUE(p.has_event(Event::kGreV0HdrTooBig));
  EXPECT_EQ(h.counters.get("decoder.event.gre.wrong_version"), 1u);
}

TEST(TunnelDecode, Ipv6InIpv4AndIpv4InIpv6) {
  Harness h;
  Decoder dec = h.make();
  Packet outer, inner;
  const Buf six_in_four = frame_with(ipv4(41, 1, 2, ipv6(58, Buf{128, 0, 0, 0, 0, 1, 0, 1})));
  dec.decode(1, core::Bytes(six_in_four.data(), six_in_four.size()), outer);
  ASSERT_TRUE(outer.tunnel_root());
  EXPECT_EQ(outer.inner_src, PktSrc::kIpv4);
  ASSERT_TRUE(dec.decode_tunnel(outer, inner));
  EXPECT_TRUE(inner.has_icmpv6);
  EXPECT_EQ(h.counters.get("decoder.ipv6_in_ipv4"), 1u);

  const Buf four_in_six = frame_with(ipv6(4, ipv4(1, 1, 2, icmp_echo())), 0x86dd);
  dec.decode(1, core::Bytes(four_in_six.data(), four_in_six.size()), outer);
  ASSERT_TRUE(outer.tunnel_root());
  ASSERT_TRUE(dec.decode_tunnel(outer, inner));
  EXPECT_TRUE(inner.has_icmpv4);
  EXPECT_EQ(h.counters.get("decoder.ipv4_in_ipv6"), 1u);

  const Buf wrong = frame_with(ipv6(4, ipv6(59, Buf{})), 0x86dd);
  dec.decode(1, core::Bytes(wrong.data(), wrong.size()), outer);
  EXPECT_FALSE(outer.tunnel_root());
  EXPECT_TRUE(outer.has_event(Event::kIpv4InIpv6Invalid));
}

TEST(TunnelDecode, TeredoNeedsExactIpv6Length) {
  Harness h;
  Decoder dec = h.make();
  Packet outer;
  const Buf inner6 = ipv6(59, Buf{});
  const Buf ok = frame_with(ipv4(17, 1, 2, udp(3544, 50000, inner6)));
  dec.decode(1, core::Bytes(ok.data(), ok.size()), outer);
  EXPECT_TRUE(outer.tunnel_root());
  EXPECT_EQ(outer.inner_src, PktSrc::kTeredo);
  Buf longer = inner6;
  longer.push_back(0);
  const Buf bad = frame_with(ipv4(17, 1, 2, udp(3544, 50000, longer)));
  dec.decode(1, core::Bytes(bad.data(), bad.size()), outer);
  EXPECT_FALSE(outer.tunnel_root());
}

TEST(TunnelDecode, MplsLabelsThenIpv4) {
  Harness h;
  Decoder dec = h.make();
  Packet p;
  Buf mpls = {0x00, 0x01, 0x00, 0x40, 0x00, 0x02, 0x01, 0x40};  // label 16, then 32 with BoS
  append(mpls, ipv4(1, 1, 2, icmp_echo()));
  const Buf f = frame_with(mpls, 0x8847);
  dec.decode(1, core::Bytes(f.data(), f.size()), p);
  EXPECT_TRUE(p.has_icmpv4);
  EXPECT_EQ(h.counters.get("decoder.mpls"), 1u);
  const Buf alert = frame_with(Buf{0x00, 0x00, 0x11, 0x40}, 0x8847);  // label 1, BoS
  dec.decode(1, core::Bytes(alert.data(), alert.size()), p);
  EXPECT_TRUE(p.has_event(Event::kMplsBadLabelRouterAlert));
}

TEST(TunnelDecode, NestingIsBounded) {
  Harness h;
  h.options.max_tunnel_depth = 1;
  Decoder dec = h.make();
  // IPv4 in IPv4 in IPv4: the second encapsulation exceeds depth 1.
  const Buf f = frame_with(ipv4(4, 1, 2, ipv4(4, 3, 4, ipv4(1, 5, 6, icmp_echo()))));
  Packet outer, inner;
  dec.decode(1, core::Bytes(f.data(), f.size()), outer);
  ASSERT_TRUE(outer.tunnel_root());
  dec.decode_tunnel(outer, inner);
  EXPECT_FALSE(inner.tunnel_root());
  EXPECT_TRUE(inner.has_event(Event::kTooManyLayers));
}

TEST(TunnelDecode, TruncationsNeverCrash) {
  Harness h;
  Decoder dec = h.make();
  Buf vx = {0x08, 0, 0, 0, 0, 0, 100, 0};
  append(vx, frame_with(ipv4(1, 3, 5, icmp_echo())));
  Buf erspan = {0x10, 23, 0, 1, 0, 0, 0, 0};
  append(erspan, frame_with(ipv4(1, 2, 3, icmp_echo())));
  for (const Buf& full : {frame_with(ipv4(17, 1, 2, udp(1, 4789, vx))),
                          frame_with(ipv4(47, 1, 2, gre(0x10, 0x88be, erspan, true)))}) {
    for (size_t n = 0; n <= full.size(); ++n) {
      Buf cut(full.begin(), full.begin() + std::ptrdiff_t(n));
      Packet outer, inner;
      dec.decode(1, core::Bytes(cut.data(), cut.size()), outer);
      if (outer.tunnel_root()) dec.decode_tunnel(outer, inner);
    }
  }
}

}  // namespace
}  // namespace pasban::decode

namespace pasban::detect {
namespace {

TEST(TagKeyword, Parses) {
  auto s = keywords::TagSpec::parse("session");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->type, keywords::TagSpec::Type::kSession);
  EXPECT_EQ(s->count, 256u);
  auto h = keywords::TagSpec::parse("host, 9, packets, src");
  ASSERT_TRUE(h);
  EXPECT_EQ(h->type, keywords::TagSpec::Type::kHost);
  EXPECT_EQ(h->count, 9u);
  EXPECT_TRUE(h->src_host);
  auto d = keywords::TagSpec::parse("host,10,seconds");
  ASSERT_TRUE(d);
  EXPECT_FALSE(d->src_host);
  EXPECT_EQ(d->metric, keywords::TagSpec::Metric::kSeconds);
  EXPECT_FALSE(keywords::TagSpec::parse("flow"));
  EXPECT_FALSE(keywords::TagSpec::parse("host,10"));
  EXPECT_FALSE(keywords::TagSpec::parse("host,x,packets"));
  EXPECT_FALSE(keywords::TagSpec::parse("host,10,minutes"));
  EXPECT_FALSE(keywords::TagSpec::parse("host,10,packets,both"));
}

TEST(TagKeyword, PacketLimitCountsTheAlertingPacket) {
  std::vector<flow::TagEntry> tags(1);
  tags[0].metric = uint8_t(keywords::TagSpec::Metric::kPackets);
  tags[0].count = 3;
  EXPECT_FALSE(eval::update_tags(tags, 0, 60));  // the alerting packet
  EXPECT_TRUE(eval::update_tags(tags, 0, 60));
  EXPECT_TRUE(eval::update_tags(tags, 0, 60));
  EXPECT_FALSE(eval::update_tags(tags, 0, 60));  // 4th packet: expired
  EXPECT_TRUE(tags.empty());
}

TEST(TagKeyword, SecondsAndBytes) {
  std::vector<flow::TagEntry> tags(2);
  tags[0].metric = uint8_t(keywords::TagSpec::Metric::kSeconds);
  tags[0].count = 5;
  tags[1].metric = uint8_t(keywords::TagSpec::Metric::kBytes);
  tags[1].count = 100;
  tags[0].first_sec = tags[1].first_sec = 10;
  EXPECT_FALSE(eval::update_tags(tags, 10, 60));
  EXPECT_TRUE(eval::update_tags(tags, 12, 30));  // 90 bytes, 2 s
  EXPECT_TRUE(eval::update_tags(tags, 14, 30));  // bytes over: seconds still on
  EXPECT_EQ(tags.size(), 1u);
  EXPECT_FALSE(eval::update_tags(tags, 16, 30));  // 6 s > 5
  EXPECT_TRUE(tags.empty());
}

}  // namespace
}  // namespace pasban::detect
