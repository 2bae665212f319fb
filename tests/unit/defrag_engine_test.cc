// The Defragmenter on decoded fragments: rebuilt IPv4/IPv6 datagrams,
// events on the fragments, timeouts, memcap, max-frags and tracker keys.
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "core/counters.h"
#include "decode/decoder.h"
#include "decode/packet.h"
#include "defrag/defrag.h"

namespace pasban::defrag {
namespace {

using Buf = std::vector<uint8_t>;
constexpr int kLinkIpv4 = 228;
constexpr int kLinkIpv6 = 229;

void put16(Buf& b, uint16_t v) {
  b.push_back(uint8_t(v >> 8));
  b.push_back(uint8_t(v));
}

uint16_t ipv4_checksum(const uint8_t* h, size_t n) {
  uint32_t sum = 0;
  for (size_t i = 0; i + 1 < n; i += 2) sum += uint32_t(h[i] << 8 | h[i + 1]);
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return uint16_t(~sum);
}

// An IPv4 fragment 10.0.0.1 -> 10.0.0.2 carrying payload at offset (bytes).
Buf ipv4_frag(uint16_t id, uint16_t offset, bool more, const Buf& payload, uint8_t proto = 17,
              uint8_t dst_last = 2) {
  Buf b = {0x45, 0};
  put16(b, uint16_t(20 + payload.size()));
  put16(b, id);
  put16(b, uint16_t((more ? 0x2000 : 0) | (offset / 8)));
  b.insert(b.end(), {64, proto, 0, 0, 10, 0, 0, 1, 10, 0, 0, dst_last});
  const uint16_t sum = ipv4_checksum(b.data(), 20);
  b[10] = uint8_t(sum >> 8);
  b[11] = uint8_t(sum);
  b.insert(b.end(), payload.begin(), payload.end());
  return b;
}

// An IPv6 fragment ::1 -> ::2, optionally behind a destination options
// header (an unfragmentable part).
Buf ipv6_frag(uint32_t id, uint16_t offset, bool more, const Buf& payload, bool dstopts = false,
              uint8_t nh = 17) {
  Buf ext;
  if (dstopts) ext = {44, 0, 1, 4, 0, 0, 0, 0};  // next: fragment; PadN
  Buf fh = {nh, 0};
  put16(fh, uint16_t(offset | (more ? 1 : 0)));
  put16(fh, uint16_t(id >> 16));
  put16(fh, uint16_t(id));
  Buf b = {0x60, 0, 0, 0};
  put16(b, uint16_t(ext.size() + fh.size() + payload.size()));
  b.push_back(dstopts ? 60 : 44);
  b.push_back(64);
  for (int i = 0; i < 15; ++i) b.push_back(0);
  b.push_back(1);
  for (int i = 0; i < 15; ++i) b.push_back(0);
  b.push_back(2);
  b.insert(b.end(), ext.begin(), ext.end());
  b.insert(b.end(), fh.begin(), fh.end());
  b.insert(b.end(), payload.begin(), payload.end());
  return b;
}

// A UDP datagram 1000 -> 53 with n bytes of 'x', checksum left 0.
Buf udp(size_t n) {
  Buf b;
  put16(b, 1000);
  put16(b, 53);
  put16(b, uint16_t(8 + n));
  put16(b, 0);
  b.insert(b.end(), n, 'x');
  return b;
}
Buf slice(const Buf& b, size_t from, size_t n) {
  return Buf(b.begin() + ptrdiff_t(from), b.begin() + ptrdiff_t(from + n));
}

struct Harness {
  core::Counters counters;
  decode::Decoder decoder{counters, decode::DecodeOptions{}};
  Defragmenter defrag;
  decode::Packet p;
  explicit Harness(DefragConfig c = {}) : defrag(std::move(c), counters) {}

  std::optional<Rebuilt> feed(int linktype, const Buf& frame, int64_t sec = 1000) {
    p = decode::Packet{};
    p.ts.sec = sec;
    decoder.decode(linktype, core::Bytes(frame.data(), frame.size()), p);
    EXPECT_TRUE(p.is_fragment);
    return defrag.insert(p);
  }
  decode::Packet decode_rebuilt(const Rebuilt& r) {
    decode::Packet out;
    decoder.decode_rebuilt(r.linktype, r.frame, r.ip_offset, r.ip_version, p, out);
    return out;
  }
};

TEST(Defragmenter, Ipv4InOrderRebuildsValidHeader) {
  Harness h;
  const Buf d = udp(40);
  EXPECT_FALSE(h.feed(kLinkIpv4, ipv4_frag(7, 0, true, slice(d, 0, 24))));
  EXPECT_FALSE(h.feed(kLinkIpv4, ipv4_frag(7, 24, true, slice(d, 24, 16))));
  auto r = h.feed(kLinkIpv4, ipv4_frag(7, 40, false, slice(d, 40, 8)));
  ASSERT_TRUE(r);
  ASSERT_EQ(r->frame.size(), 20 + d.size());
  EXPECT_EQ(r->frame[2] << 8 | r->frame[3], int(20 + d.size()));
  EXPECT_EQ(r->frame[6], 0);  // no MF, no offset
  EXPECT_EQ(ipv4_checksum(r->frame.data(), 20), 0);  // the checksum still adds up
  decode::Packet rp = h.decode_rebuilt(*r);
  EXPECT_TRUE(rp.rebuilt);
  EXPECT_FALSE(rp.is_fragment);
  ASSERT_TRUE(rp.has_udp);
  EXPECT_EQ(rp.dp, 53);
  EXPECT_EQ(rp.payload.size(), 40u);
  EXPECT_EQ(h.counters.get("defrag.ipv4.fragments"), 3u);
  EXPECT_EQ(h.counters.get("defrag.ipv4.reassembled"), 1u);
  EXPECT_EQ(h.defrag.trackers(), 0u);
  EXPECT_EQ(h.defrag.memuse(), 0u);
}

TEST(Defragmenter, Ipv4ReverseOrderAndOverlapEvent) {
  Harness h;
  const Buf d = udp(24);
  EXPECT_FALSE(h.feed(kLinkIpv4, ipv4_frag(9, 16, false, slice(d, 16, 16))));
  EXPECT_FALSE(h.feed(kLinkIpv4, ipv4_frag(9, 8, true, slice(d, 8, 16))));  // overlaps 16..24
  EXPECT_TRUE(h.p.has_event(decode::Event::kIpv4FragOverlap));
  auto r = h.feed(kLinkIpv4, ipv4_frag(9, 0, true, slice(d, 0, 8)));
  ASSERT_TRUE(r);
  EXPECT_FALSE(h.p.has_event(decode::Event::kIpv4FragOverlap));
  EXPECT_EQ(r->frame.size(), 20 + d.size());
}

TEST(Defragmenter, Ipv4TooLarge) {
  Harness h;
  h.feed(kLinkIpv4, ipv4_frag(1, 65528, false, Buf(16, 'x')));
  EXPECT_TRUE(h.p.has_event(decode::Event::kIpv4FragPktTooLarge));
  EXPECT_EQ(h.defrag.trackers(), 0u);
}

TEST(Defragmenter, KeysSeparateIdsProtocolsAndVlans) {
  Harness h;
  const Buf d = udp(8);
  h.feed(kLinkIpv4, ipv4_frag(1, 0, true, slice(d, 0, 8)));
  // Same id, other protocol: another datagram.
  EXPECT_FALSE(h.feed(kLinkIpv4, ipv4_frag(1, 8, false, slice(d, 8, 8), /*proto=*/6)));
  EXPECT_FALSE(h.feed(kLinkIpv4, ipv4_frag(2, 8, false, slice(d, 8, 8))));
  EXPECT_EQ(h.defrag.trackers(), 3u);
  EXPECT_TRUE(h.feed(kLinkIpv4, ipv4_frag(1, 8, false, slice(d, 8, 8))));
}

TEST(Defragmenter, TimeoutStartsOver) {
  DefragConfig c;
  c.timeout_s = 30;
  Harness h(c);
  const Buf d = udp(8);
  h.feed(kLinkIpv4, ipv4_frag(5, 0, true, slice(d, 0, 8)), 1000);
  // Within the timeout the datagram completes.
  EXPECT_TRUE(h.feed(kLinkIpv4, ipv4_frag(5, 8, false, slice(d, 8, 8)), 1030));
  // Past it the first fragment is forgotten.
  h.feed(kLinkIpv4, ipv4_frag(6, 0, true, slice(d, 0, 8)), 2000);
  EXPECT_FALSE(h.feed(kLinkIpv4, ipv4_frag(6, 8, false, slice(d, 8, 8)), 2031));
  EXPECT_EQ(h.counters.get("defrag.ipv4.timeouts"), 1u);
  EXPECT_EQ(h.defrag.trackers(), 1u);
}

TEST(Defragmenter, SweepExpiresIdleTrackers) {
  Harness h;
  const Buf d = udp(8);
  h.feed(kLinkIpv4, ipv4_frag(5, 0, true, slice(d, 0, 8)), 1000);
  h.defrag.expire(core::Timestamp{1059, 0});
  EXPECT_EQ(h.defrag.trackers(), 1u);
  h.defrag.expire(core::Timestamp{1061, 0});
  EXPECT_EQ(h.defrag.trackers(), 0u);
  EXPECT_EQ(h.counters.get("defrag.mgr.tracker_timeout"), 1u);
}

TEST(Defragmenter, HostConfigTimeout) {
  DefragConfig c;
  ASSERT_TRUE(c.host_timeouts.add("10.0.0.0/24", 5).ok());
  Harness h(std::move(c));
  const Buf d = udp(8);
  h.feed(kLinkIpv4, ipv4_frag(5, 0, true, slice(d, 0, 8)), 1000);
  EXPECT_FALSE(h.feed(kLinkIpv4, ipv4_frag(5, 8, false, slice(d, 8, 8)), 1006));
}

TEST(Defragmenter, MaxFragsIgnoresAndCounts) {
  DefragConfig c;
  c.max_frags = 2;
  Harness h(c);
  h.feed(kLinkIpv4, ipv4_frag(1, 0, true, Buf(8, 'a')));
  h.feed(kLinkIpv4, ipv4_frag(2, 0, true, Buf(8, 'a')));
  h.feed(kLinkIpv4, ipv4_frag(3, 0, true, Buf(8, 'a')));
  EXPECT_TRUE(h.p.has_event(decode::Event::kIpv4FragIgnored));
  EXPECT_EQ(h.counters.get("defrag.max_frags_reached"), 1u);
  EXPECT_EQ(h.defrag.fragments(), 2u);
}

TEST(Defragmenter, MemcapEvictsOldestTracker) {
  DefragConfig c;
  c.memcap = 1200;  // room for a few small trackers only
  Harness h(c);
  for (uint16_t id = 1; id <= 20; ++id) h.feed(kLinkIpv4, ipv4_frag(id, 8, true, Buf(64, 'a')));
  EXPECT_LE(h.defrag.memuse(), c.memcap);
  EXPECT_GT(h.counters.get("defrag.tracker_hard_reuse"), 0u);
  // A fragment larger than the whole memcap is refused.
  h.feed(kLinkIpv4, ipv4_frag(99, 8, true, Buf(1400, 'a')));
  EXPECT_TRUE(h.p.has_event(decode::Event::kIpv4FragIgnored));
  EXPECT_EQ(h.counters.get("pasban.defrag.memcap"), 1u);
}

// The memcap evicts the tracker that least recently got a fragment, not the
// oldest one: a datagram still arriving survives a flood of new ones.
TEST(Defragmenter, MemcapEvictsLeastRecentlyUsed) {
  Harness probe;
  probe.feed(kLinkIpv4, ipv4_frag(1, 8, true, Buf(64, 'a')));
  const uint64_t per_tracker = probe.defrag.memuse();
  DefragConfig c;
  c.memcap = 3 * per_tracker + per_tracker / 2;
  Harness h(c);
  for (uint16_t id = 1; id <= 3; ++id) h.feed(kLinkIpv4, ipv4_frag(id, 8, true, Buf(64, 'a')));
  h.feed(kLinkIpv4, ipv4_frag(1, 72, true, Buf(8, 'b')));  // tracker 1 is the newest now
  for (uint16_t id = 4; id <= 40; ++id) {
    h.feed(kLinkIpv4, ipv4_frag(id, 8, true, Buf(64, 'a')));
    h.feed(kLinkIpv4, ipv4_frag(1, 72, true, Buf(8, 'b')));  // keeps arriving
  }
  EXPECT_GT(h.counters.get("defrag.tracker_hard_reuse"), 30u);
  EXPECT_LE(h.defrag.memuse(), c.memcap);
  h.feed(kLinkIpv4, ipv4_frag(1, 0, true, Buf(8, 'h')));
  auto r = h.feed(kLinkIpv4, ipv4_frag(1, 80, false, Buf(8, 'z')));
  EXPECT_TRUE(r.has_value());  // tracker 1 was never evicted
}

TEST(Defragmenter, PolicyByDestination) {
  DefragConfig c;
  ASSERT_TRUE(c.policies.add("10.0.0.3", Policy::kLast).ok());
  Harness h(std::move(c));
  const Buf a(16, 'A'), b(8, 'B');
  for (uint8_t dst : {2, 3}) {
    h.feed(kLinkIpv4, ipv4_frag(1, 0, true, a, 17, dst));
    h.feed(kLinkIpv4, ipv4_frag(1, 8, true, b, 17, dst));  // overlaps A's second block
    auto r = h.feed(kLinkIpv4, ipv4_frag(1, 16, false, b, 17, dst));
    ASSERT_TRUE(r);
    // bsd (the default) keeps A; last (10.0.0.3) takes B.
    EXPECT_EQ(r->frame[20 + 8], dst == 3 ? 'B' : 'A');
  }
}

TEST(Defragmenter, Ipv6RemovesFragmentHeader) {
  Harness h;
  const Buf d = udp(32);
  EXPECT_FALSE(h.feed(kLinkIpv6, ipv6_frag(0x01020304, 0, true, slice(d, 0, 24))));
  auto r = h.feed(kLinkIpv6, ipv6_frag(0x01020304, 24, false, slice(d, 24, 16)));
  ASSERT_TRUE(r);
  ASSERT_EQ(r->frame.size(), 40 + d.size());
  EXPECT_EQ(r->frame[6], 17);  // next header: what the fragment header carried
  EXPECT_EQ(r->frame[4] << 8 | r->frame[5], int(d.size()));
  decode::Packet rp = h.decode_rebuilt(*r);
  ASSERT_TRUE(rp.has_udp);
  EXPECT_EQ(rp.payload.size(), 32u);
  EXPECT_EQ(h.counters.get("defrag.ipv6.reassembled"), 1u);
}

TEST(Defragmenter, Ipv6KeepsUnfragmentablePart) {
  Harness h;
  const Buf d = udp(8);
  h.feed(kLinkIpv6, ipv6_frag(9, 0, true, slice(d, 0, 8), /*dstopts=*/true));
  auto r = h.feed(kLinkIpv6, ipv6_frag(9, 8, false, slice(d, 8, 8), /*dstopts=*/true));
  ASSERT_TRUE(r);
  ASSERT_EQ(r->frame.size(), 40 + 8 + d.size());
  EXPECT_EQ(r->frame[6], 60);      // fixed header still names the options header
  EXPECT_EQ(r->frame[40], 17);     // which now names UDP
  EXPECT_EQ(r->frame[4] << 8 | r->frame[5], int(8 + d.size()));
  decode::Packet rp = h.decode_rebuilt(*r);
  EXPECT_TRUE(rp.has_udp);
}

TEST(Defragmenter, Ipv6OverlapAndTooLarge) {
  Harness h;
  h.feed(kLinkIpv6, ipv6_frag(3, 0, true, Buf(16, 'a')));
  h.feed(kLinkIpv6, ipv6_frag(3, 8, false, Buf(1, 'b')));
  EXPECT_TRUE(h.p.has_event(decode::Event::kIpv6FragOverlap));
  h.feed(kLinkIpv6, ipv6_frag(4, 65528, false, Buf(16, 'c')));
  EXPECT_TRUE(h.p.has_event(decode::Event::kIpv6FragPktTooLarge));
}

}  // namespace
}  // namespace pasban::defrag
