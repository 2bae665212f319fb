// TCP stream reassembly: ordering, overlaps per target-based policy, wrap,
// depth, gaps, memcap, midstream, and a split/permutation property.
#include <gtest/gtest.h>

#include <algorithm>
#include <deque>
#include <random>
#include <string>

#include "runtime/config.h"
#include "runtime/defrag_config.h"
#include "stream/tcp_reassembly.h"

namespace pasban::stream {
namespace {

using decode::Packet;
constexpr uint8_t kSyn = decode::kTcpSyn, kAck = decode::kTcpAck, kFin = decode::kTcpFin,
                  kRst = decode::kTcpRst, kPsh = decode::kTcpPsh;

struct RecordingSink : StreamSink {
  std::string out[2];   // [1] to_server, [0] to_client; gaps as "<gap N>"
  std::vector<const uint8_t*> views;  // where each delivered chunk pointed
  void on_data(bool to_server, core::Bytes data) override {
    out[to_server] += std::string(core::as_chars(data));
    views.push_back(data.data());
  }
  void on_gap(bool to_server, uint32_t length) override {
    out[to_server] += "<gap " + std::to_string(length) + ">";
  }
};

class Harness {
 public:
  explicit Harness(StreamConfig cfg = {})
      : ctx(cfg, counters), r(std::make_unique<TcpReassembler>(ctx)) {}

  // Packets keep their payload alive for the harness lifetime (views).
  Packet& packet(uint32_t seq, uint8_t flags, std::string_view payload, uint32_t ack = 0) {
    payloads.emplace_back(payload);
    Packet& p = packets.emplace_back();
    p.has_tcp = true;
    p.tcp_seq = seq;
    p.tcp_ack = ack;
    p.tcp_flags = flags;
    p.tcp_window = 65535;
    p.payload = core::as_bytes(payloads.back());
    return p;
  }
  void client(uint32_t seq, std::string_view data, uint8_t flags = kAck | kPsh, uint32_t ack = 0) {
    r->on_packet(packet(seq, flags, data, ack), true, sink);
  }
  void server(uint32_t seq, std::string_view data, uint8_t flags = kAck | kPsh, uint32_t ack = 0) {
    r->on_packet(packet(seq, flags, data, ack), false, sink);
  }
  // Client ISN 1000 (data from 1001), server ISN 5000 (data from 5001).
  void handshake() {
    client(1000, "", kSyn);
    server(5000, "", kSyn | kAck, 1001);
    client(1001, "", kAck, 5001);
  }
  // Client data at stream offset off (after the handshake).
  void c_at(uint32_t off, std::string_view data) { client(1001 + off, data, kAck | kPsh, 5001); }
  bool has_event(std::string_view e) const {
    return std::find(r->events.begin(), r->events.end(), e) != r->events.end();
  }
  size_t count_event(std::string_view e) const {
    return size_t(std::count(r->events.begin(), r->events.end(), e));
  }
  uint64_t counter(std::string_view name) const { return counters.get(name); }

  core::Counters counters;
  ReassemblyContext ctx;
  std::unique_ptr<TcpReassembler> r;
  RecordingSink sink;
  std::deque<std::string> payloads;
  std::deque<Packet> packets;
};

TEST(StreamReassembly, InOrderIsDeliveredFromThePacket) {
  Harness h;
  h.handshake();
  h.c_at(0, "hello ");
  h.c_at(6, "world");
  h.server(5001, "HTTP/1.1 200", kAck | kPsh, 1012);
  EXPECT_EQ(h.sink.out[1], "hello world");
  EXPECT_EQ(h.sink.out[0], "HTTP/1.1 200");
  ASSERT_EQ(h.sink.views.size(), 3u);
  EXPECT_EQ(h.sink.views[0], h.packets[3].payload.data());  // no copy
  EXPECT_TRUE(h.r->events.empty());
  EXPECT_EQ(h.counter("tcp.overlap"), 0u);
}

TEST(StreamReassembly, OutOfOrderWaitsForTheHole) {
  Harness h;
  h.handshake();
  h.c_at(10, "KLMNO");
  h.c_at(5, "FGHIJ");
  EXPECT_EQ(h.sink.out[1], "");
  EXPECT_GT(h.ctx.memuse(), 0u);
  h.c_at(0, "ABCDE");
  EXPECT_EQ(h.sink.out[1], "ABCDEFGHIJKLMNO");
  h.c_at(15, "P");
  EXPECT_EQ(h.sink.out[1], "ABCDEFGHIJKLMNOP");
  EXPECT_EQ(h.counter("tcp.reassembly_gap"), 0u);
  h.r.reset();
  EXPECT_EQ(h.ctx.memuse(), 0u);
}

TEST(StreamReassembly, DuplicatesAreDeliveredOnce) {
  Harness h;
  h.handshake();
  h.c_at(0, "abcdef");
  h.c_at(0, "abcdef");
  h.c_at(10, "klm");
  h.c_at(10, "klm");  // duplicate of a buffered segment
  h.c_at(6, "ghij");
  EXPECT_EQ(h.sink.out[1], "abcdefghijklm");
  EXPECT_TRUE(h.has_event(kEvPktRetransmission));
  EXPECT_FALSE(h.has_event(kEvOverlapDifferentData));
  EXPECT_EQ(h.counter("tcp.overlap"), 2u);
  EXPECT_EQ(h.counter("tcp.overlap_diff_data"), 0u);
}

TEST(StreamReassembly, RetransmissionWithDifferentDataKeepsWhatWasDelivered) {
  Harness h;
  h.handshake();
  h.c_at(0, "GET /index.html");
  h.c_at(4, "/evil");
  EXPECT_EQ(h.sink.out[1], "GET /index.html");
  EXPECT_TRUE(h.has_event(kEvOverlapDifferentData));
  EXPECT_EQ(h.counter("tcp.overlap_diff_data"), 1u);
  // A retransmission that also brings new bytes: only the new tail counts.
  h.c_at(10, "!html HTTP/1.0");
  EXPECT_EQ(h.sink.out[1], "GET /index.html HTTP/1.0");
  EXPECT_EQ(h.counter("tcp.overlap_diff_data"), 2u);
}

TEST(StreamReassembly, SegmentBeforeBaseSeqWithoutKeptData) {
  StreamConfig cfg;
  cfg.check_overlap_different_data = false;
  Harness h(cfg);
  h.handshake();
  h.c_at(0, "abcdef");
  h.c_at(0, "XYZ");
  EXPECT_EQ(h.sink.out[1], "abcdef");
  EXPECT_TRUE(h.has_event(kEvSegmentBeforeBaseSeq));
  EXPECT_EQ(h.counter("tcp.insert_list_fail"), 1u);
  EXPECT_FALSE(h.has_event(kEvOverlapDifferentData));
}

TEST(StreamReassembly, KeepAliveIsNotData) {
  Harness h;
  h.handshake();
  h.c_at(0, "abc");
  h.c_at(2, std::string_view("\0", 1));  // one garbage byte at next_seq - 1
  EXPECT_EQ(h.sink.out[1], "abc");
  EXPECT_TRUE(h.r->events.empty());
}

// --- overlap policies: the classic pattern ---
//
// Old segments arrive first (all after a hole at offset 0), then new ones
// overlapping them in every way, then '.' fillers for the uncovered bytes,
// then the first byte. Offsets:
//   old  1 AAA   6 BBB  11 CCC  16 DDD  21 EEE  26 FFF  31 GGG  36 HHH  41 III
//   new  1 hh    6 iiii 11 jjj  15 kkk  20 lllll 27 mmm 32 n    35 oooo 42 pp
//        same    same   same    before  before  after   after   before  after
//        start,  start, start,  start,  start,  start,  start,  start,  start,
//        ends    ends   same    ends    ends    ends    inside  same    same
//        inside  after  end     inside  after   after           end     end
struct PolicyCase {
  OverlapPolicy policy;
  const char* expected;
};

constexpr PolicyCase kPolicyTable[] = {
    {OverlapPolicy::kBsd, ".AAA..BBBi.CCC.kkkD.lllll.FFFm.GGG.oooo..III"},
    {OverlapPolicy::kLinux, ".AAA..iiii.CCC.kkkD.lllll.FFFm.GGG.oooo..III"},
    {OverlapPolicy::kOldLinux, ".AAA..iiii.jjj.kkkD.lllll.FFFm.GGG.oooo..III"},
    {OverlapPolicy::kWindows, ".AAA..BBBi.CCC.kkkD.lllll.FFFm.GGG.oooo..III"},
    {OverlapPolicy::kVista, ".AAA..BBBi.CCC.kDDD.lEEEl.FFFm.GGG.oHHH..III"},
    {OverlapPolicy::kSolaris, ".AAA..iiii.jjj.kDDD.lllll.Fmmm.GGG.oooo..III"},
    {OverlapPolicy::kHpux10, ".AAA..BBBi.CCC.kkkD.lllll.FFFm.GGG.oooo..III"},
    {OverlapPolicy::kHpux11, ".AAA..iiii.jjj.kDDD.lllll.Fmmm.GGG.oooo..III"},
    {OverlapPolicy::kIrix, ".AAA..BBBi.CCC.kkkD.lllll.FFFm.GGG.oooo..III"},
    {OverlapPolicy::kMacos, ".AAA..BBBi.CCC.kkkD.lllll.FFFm.GGG.oooo..III"},
    {OverlapPolicy::kFirst, ".AAA..BBBi.CCC.kDDD.lEEEl.FFFm.GGG.oHHH..III"},
    {OverlapPolicy::kLast, ".hhA..iiii.jjj.kkkD.lllll.Fmmm.GnG.oooo..Ipp"},
};

class PolicyTest : public ::testing::TestWithParam<PolicyCase> {};

TEST_P(PolicyTest, ClassicOverlapPattern) {
  StreamConfig cfg;
  cfg.policy = GetParam().policy;
  Harness h(cfg);
  h.handshake();
  const std::pair<uint32_t, const char*> old_segs[] = {
      {1, "AAA"}, {6, "BBB"}, {11, "CCC"}, {16, "DDD"}, {21, "EEE"},
      {26, "FFF"}, {31, "GGG"}, {36, "HHH"}, {41, "III"}};
  const std::pair<uint32_t, const char*> new_segs[] = {
      {1, "hh"}, {6, "iiii"}, {11, "jjj"}, {15, "kkk"}, {20, "lllll"},
      {27, "mmm"}, {32, "n"}, {35, "oooo"}, {42, "pp"}};
  const std::pair<uint32_t, const char*> fillers[] = {
      {4, ".."}, {10, "."}, {14, "."}, {19, "."}, {25, "."}, {30, "."}, {34, "."}, {39, ".."}};
  for (auto [off, d] : old_segs) h.c_at(off, d);
  for (auto [off, d] : new_segs) h.c_at(off, d);
  for (auto [off, d] : fillers) h.c_at(off, d);
  EXPECT_EQ(h.sink.out[1], "");
  h.c_at(0, ".");
  EXPECT_EQ(h.sink.out[1], GetParam().expected) << overlap_policy_name(GetParam().policy);
  EXPECT_EQ(h.counter("tcp.overlap"), 9u);
  EXPECT_EQ(h.counter("tcp.overlap_diff_data"), 9u);
  EXPECT_EQ(h.count_event(kEvOverlapDifferentData), 9u);
  h.r.reset();
  EXPECT_EQ(h.ctx.memuse(), 0u);
}

INSTANTIATE_TEST_SUITE_P(AllPolicies, PolicyTest, ::testing::ValuesIn(kPolicyTable),
                         [](const auto& info) {
                           std::string n(overlap_policy_name(info.param.policy));
                           std::replace(n.begin(), n.end(), '-', '_');
                           return n;
                         });

TEST(StreamReassembly, PolicyPerDirection) {
  Harness h;  // bsd by default
  h.r->set_policy(true, OverlapPolicy::kLast);
  h.handshake();
  h.c_at(2, "AA");
  h.c_at(2, "bb");
  h.c_at(0, "..");
  EXPECT_EQ(h.sink.out[1], "..bb");
}

TEST(StreamReassembly, PolicyNames) {
  EXPECT_EQ(parse_overlap_policy("bsd"), OverlapPolicy::kBsd);
  // Suricata's stream engine maps these two when it sets a stream's policy.
  EXPECT_EQ(parse_overlap_policy("bsd-right"), OverlapPolicy::kBsd);
  EXPECT_EQ(parse_overlap_policy("old_linux"), OverlapPolicy::kOldLinux);
  EXPECT_EQ(parse_overlap_policy("Linux"), OverlapPolicy::kLinux);
  EXPECT_EQ(parse_overlap_policy("windows2k3"), OverlapPolicy::kWindows);
  EXPECT_EQ(parse_overlap_policy("vista"), OverlapPolicy::kVista);
  EXPECT_EQ(parse_overlap_policy("old-solaris"), OverlapPolicy::kSolaris);
  EXPECT_EQ(parse_overlap_policy("hpux11"), OverlapPolicy::kHpux11);
  EXPECT_EQ(parse_overlap_policy("last"), OverlapPolicy::kLast);
  EXPECT_EQ(parse_overlap_policy("beos"), std::nullopt);
  for (const PolicyCase& c : kPolicyTable)
    EXPECT_EQ(parse_overlap_policy(overlap_policy_name(c.policy)), c.policy);
}

// --- sequence space, depth, gaps, memory ---

TEST(StreamReassembly, SequenceWrapAround) {
  Harness h;
  const uint32_t isn = 0xfffffff8u;  // data starts at 2^32 - 7
  h.client(isn, "", kSyn);
  h.server(777, "", kSyn | kAck, isn + 1);
  h.client(isn + 1, "", kAck, 778);
  h.client(isn + 1 + 10, "KLMNOP", kAck);  // after the wrap, out of order
  h.client(isn + 1 + 5, "FGHIJ", kAck);    // straddles 2^32
  h.client(isn + 1, "ABCDE", kAck);
  h.client(isn + 1 + 16, "Q", kAck);
  EXPECT_EQ(h.sink.out[1], "ABCDEFGHIJKLMNOPQ");
  h.client(isn + 1 + 3, "DEFG", kAck);  // retransmission across the wrap
  EXPECT_EQ(h.sink.out[1], "ABCDEFGHIJKLMNOPQ");
  EXPECT_TRUE(h.has_event(kEvPktRetransmission));
  EXPECT_FALSE(h.has_event(kEvOverlapDifferentData));
}

TEST(StreamReassembly, DepthLimitsDeliveredBytes) {
  StreamConfig cfg;
  cfg.depth = 10;
  Harness h(cfg);
  h.handshake();
  h.c_at(0, "0123456");
  EXPECT_FALSE(h.r->depth_reached(true));
  const uint64_t before = h.ctx.memuse();  // the kept tail of "0123456"
  h.c_at(12, "cdef");  // wholly past the depth: not even buffered
  EXPECT_EQ(h.ctx.memuse(), before);
  h.c_at(7, "789ab");
  h.c_at(16, "ghij");
  EXPECT_EQ(h.sink.out[1], "0123456789");
  EXPECT_TRUE(h.r->depth_reached(true));
  EXPECT_FALSE(h.r->depth_reached(false));
  EXPECT_EQ(h.counter("tcp.stream_depth_reached"), 1u);
  EXPECT_EQ(h.count_event(kEvDepthReached), 1u);
}

TEST(StreamReassembly, GapsAreFlushedAtTheEnd) {
  Harness h;
  h.handshake();
  h.c_at(0, "head");
  h.c_at(10, "mid");
  h.c_at(20, "tail");
  h.server(5001, "resp", kAck | kPsh, 1005);  // acks only what was delivered
  EXPECT_EQ(h.sink.out[1], "head");
  h.r->flush(h.sink);
  EXPECT_EQ(h.sink.out[1], "head<gap 6>mid<gap 7>tail");
  EXPECT_EQ(h.sink.out[0], "resp");
  EXPECT_EQ(h.counter("tcp.reassembly_gap"), 2u);
  EXPECT_EQ(h.count_event(kEvSeqGap), 2u);
  h.r.reset();
  EXPECT_EQ(h.ctx.memuse(), 0u);
}

TEST(StreamReassembly, AcknowledgedHoleBecomesAGap) {
  Harness h;
  h.handshake();
  h.c_at(0, "abc");
  h.c_at(8, "ijk");  // [3, 8) was lost by the capture
  EXPECT_EQ(h.sink.out[1], "abc");
  h.server(5001, "", kAck, 1001 + 11);  // the server has everything
  EXPECT_EQ(h.sink.out[1], "abc<gap 5>ijk");
  EXPECT_EQ(h.counter("tcp.reassembly_gap"), 1u);
  h.c_at(11, "l");
  EXPECT_EQ(h.sink.out[1], "abc<gap 5>ijkl");
}

TEST(StreamReassembly, MemcapDropsAndCounts) {
  StreamConfig cfg;
  cfg.memcap = 2 * SegmentList::cost(4) + 10;
  cfg.check_overlap_different_data = false;
  Harness h(cfg);
  h.handshake();
  h.c_at(4, "4444");
  h.c_at(8, "8888");
  h.c_at(12, "cccc");  // over the memcap
  EXPECT_EQ(h.counter("tcp.segment_memcap_drop"), 1u);
  EXPECT_LE(h.ctx.memuse(), cfg.memcap);
  h.c_at(0, "0000");
  EXPECT_EQ(h.sink.out[1], "000044448888");
  EXPECT_EQ(h.ctx.memuse(), 0u);
  h.c_at(12, "cccc");  // in order now: needs no memory
  EXPECT_EQ(h.sink.out[1], "000044448888cccc");
}

TEST(StreamReassembly, QueueLimitPerDirection) {
  StreamConfig cfg;
  cfg.max_queued_segments = 2;
  Harness h(cfg);
  h.handshake();
  h.c_at(2, "b");
  h.c_at(4, "d");
  h.c_at(6, "f");
  EXPECT_EQ(h.counter("tcp.insert_list_fail"), 1u);
  h.r->flush(h.sink);
  EXPECT_EQ(h.sink.out[1], "<gap 2>b<gap 1>d");
}

TEST(StreamReassembly, MidstreamPickUp) {
  {
    Harness h;  // midstream off: no handshake, nothing tracked
    h.client(424242, "GET / HTTP/1.1\r\n", kAck | kPsh, 9000);
    h.server(9000, "HTTP/1.1 200 OK\r\n", kAck | kPsh, 424258);
    EXPECT_EQ(h.sink.out[1], "");
    EXPECT_EQ(h.sink.out[0], "");
  }
  StreamConfig cfg;
  cfg.midstream = true;
  Harness h(cfg);
  h.client(424242, "GET / HTTP/1.1\r\n", kAck | kPsh, 9000);
  h.server(9000, "HTTP/1.1 200 OK\r\n", kAck | kPsh, 424258);
  h.client(424258, "Host: x\r\n", kAck | kPsh, 9017);
  EXPECT_EQ(h.sink.out[1], "GET / HTTP/1.1\r\nHost: x\r\n");
  EXPECT_EQ(h.sink.out[0], "HTTP/1.1 200 OK\r\n");
}

TEST(StreamReassembly, FinCarriesDataAndEndsTheStream) {
  Harness h;
  h.handshake();
  h.c_at(10, "after-fin");  // buffered, but past the FIN that follows
  h.c_at(0, "bye");
  h.client(1001 + 3, "!!", kAck | kFin, 5001);  // data on the FIN: accepted
  h.c_at(5, "more");                              // past the FIN: dropped
  h.r->flush(h.sink);
  EXPECT_EQ(h.sink.out[1], "bye!!");
  h.r.reset();
  EXPECT_EQ(h.ctx.memuse(), 0u);
}

TEST(StreamReassembly, RstCarriesDataThenCloses) {
  Harness h;
  h.handshake();
  h.c_at(0, "abc");
  h.client(1001 + 50, "spoof", kRst);  // not at next_seq (bsd): ignored
  h.c_at(3, "def");
  h.client(1001 + 6, "why", kRst | kAck, 5001);
  h.c_at(9, "ghi");
  h.server(5001, "late", kAck, 1010);
  EXPECT_EQ(h.sink.out[1], "abcdefwhy");
  EXPECT_EQ(h.sink.out[0], "");
}

TEST(StreamReassembly, LinuxAcceptsRstInWindow) {
  StreamConfig cfg;
  cfg.policy = OverlapPolicy::kLinux;
  Harness h(cfg);
  h.handshake();
  h.c_at(0, "abc");
  h.client(1001 + 50, "", kRst);
  h.c_at(3, "def");
  EXPECT_EQ(h.sink.out[1], "abc");
}

// --- the split / permutation property ---
//
// One byte stream, cut into segments at random points, sent in a random
// order with some segments repeated, must come out whole and unchanged for
// every cut and order (no overlaps with different data: policy irrelevant).
TEST(StreamReassembly, SplitsAndPermutationsGiveTheSameStream) {
  std::mt19937 rng(20240611);
  std::string stream;
  for (int i = 0; i < 300; ++i) stream += char('a' + (i * 7 + i / 13) % 26);
  for (int round = 0; round < 300; ++round) {
    StreamConfig cfg;
    cfg.policy = OverlapPolicy(round % 13);
    Harness h(cfg);
    const uint32_t isn = rng();  // any ISN, including near the wrap
    h.client(isn, "", kSyn);
    std::vector<std::pair<uint32_t, uint32_t>> segs;  // (offset, length)
    for (uint32_t off = 0; off < stream.size();) {
      uint32_t len = 1 + rng() % (round % 3 == 0 ? 3 : 40);
      len = std::min<uint32_t>(len, uint32_t(stream.size()) - off);
      segs.push_back({off, len});
      off += len;
    }
    const size_t unique = segs.size();
    for (size_t i = 0; i < unique / 4; ++i) segs.push_back(segs[rng() % unique]);  // retransmits
    // Plus segments re-cut across the original edges (same bytes).
    for (int i = 0; i < 5; ++i) {
      const uint32_t off = rng() % uint32_t(stream.size());
      segs.push_back({off, std::min<uint32_t>(1 + rng() % 30, uint32_t(stream.size()) - off)});
    }
    std::shuffle(segs.begin(), segs.end(), rng);
    for (auto [off, len] : segs) {
      h.client(isn + 1 + off, std::string_view(stream).substr(off, len), kAck);
    }
    h.r->flush(h.sink);
    ASSERT_EQ(h.sink.out[1], stream) << "round " << round;
    EXPECT_EQ(h.counter("tcp.overlap_diff_data"), 0u);
    EXPECT_EQ(h.counter("tcp.reassembly_gap"), 0u);
    h.r.reset();
    EXPECT_EQ(h.ctx.memuse(), 0u);
  }
}


// --- host-os-policy: the receiving host's policy, by address ---

TEST(StreamReassembly, HostOsPolicyFromConfig) {
  auto config = runtime::Config::load_default();
  ASSERT_TRUE(config.ok());
  // The stock config maps every IPv4 host to windows; more specific entries win.
  ASSERT_TRUE(config->set("host-os-policy.linux=10.5.0.3").ok());
  ASSERT_TRUE(config->set("host-os-policy.bsd-right=[10.5.0.4, 10.5.0.5]").ok());
  ASSERT_TRUE(config->set("host-os-policy.old-solaris=10.5.0.6").ok());
  ASSERT_TRUE(config->set("host-os-policy.last=2001:db8::/32").ok());
  StreamConfig sc;
  ASSERT_TRUE(runtime::load_stream_config(*config, sc).ok());
  EXPECT_EQ(sc.urgent, UrgentPolicy::kOob);  // the stock setting
  auto ip = [](const char* text) { return *core::IpAddress::parse(text); };
  EXPECT_EQ(sc.policy_for(ip("192.0.2.1")), OverlapPolicy::kWindows);
  EXPECT_EQ(sc.policy_for(ip("10.5.0.3")), OverlapPolicy::kLinux);
  EXPECT_EQ(sc.policy_for(ip("10.5.0.5")), OverlapPolicy::kBsd);
  EXPECT_EQ(sc.policy_for(ip("10.5.0.6")), OverlapPolicy::kSolaris);
  EXPECT_EQ(sc.policy_for(ip("2001:db8::7")), OverlapPolicy::kLast);
  EXPECT_EQ(sc.policy_for(ip("2001:db9::7")), OverlapPolicy::kBsd);  // unlisted: the default
}

// --- urgent data (RFC 6093: the byte before the pointer is out of band) ---

// A client segment at stream offset off with URG set and the given pointer.
void urgent_at(Harness& h, uint32_t off, std::string_view data, uint16_t pointer) {
  // The header bytes must outlive the packet's view of them: keep them with
  // the harness's payloads.
  h.payloads.emplace_back(20, '\0');
  auto& hdr = h.payloads.back();
  hdr[18] = char(pointer >> 8);
  hdr[19] = char(pointer);
  h.packet(1001 + off, kAck | kPsh | decode::kTcpUrg, data, 5001);
  Packet& p = h.packets.back();
  p.l4_header = core::as_bytes(hdr);
  h.r->on_packet(p, true, h.sink);
}

TEST(StreamReassembly, UrgentByteIsOutOfBand) {
  Harness h;  // oob by default, as the stock config
  h.handshake();
  h.c_at(0, "GET /ATT");
  urgent_at(h, 8, "X", 1);
  h.c_at(9, "ACK HTTP");
  EXPECT_EQ(h.sink.out[1], "GET /ATTACK HTTP");
  EXPECT_EQ(h.counter("tcp.urg"), 1u);
  // Only the last urgent byte is out of band, wherever it sits in the segment.
  Harness two;
  two.handshake();
  urgent_at(two, 0, "abXYcd", 4);
  two.c_at(6, "ef");
  EXPECT_EQ(two.sink.out[1], "abXcdef");
  EXPECT_TRUE(two.r->events.empty());  // later offsets shifted with the skipped byte
}

TEST(StreamReassembly, UrgentInlineAndOutOfOrderKeepTheByte) {
  StreamConfig cfg;
  cfg.urgent = UrgentPolicy::kInline;
  Harness h(cfg);
  h.handshake();
  urgent_at(h, 0, "ATTX", 4);
  EXPECT_EQ(h.sink.out[1], "ATTX");
  // oob, but the urgent segment arrives behind a hole: kept inline.
  Harness ooo;
  ooo.handshake();
  urgent_at(ooo, 3, "X", 1);
  ooo.c_at(0, "ATT");
  EXPECT_EQ(ooo.sink.out[1], "ATTX");
  // A pointer past the segment's data marks no byte of it.
  Harness past;
  past.handshake();
  urgent_at(past, 0, "AB", 9);
  EXPECT_EQ(past.sink.out[1], "AB");
}

// --- stream.memcap: session state ---

TEST(StreamReassembly, SessionMemcapRefusesNewSessions) {
  StreamConfig cfg;
  cfg.session_memcap = 2 * TcpReassembler::session_cost();
  core::Counters counters;
  ReassemblyContext ctx(cfg, counters);
  ASSERT_TRUE(ctx.session_room(TcpReassembler::session_cost()));
  auto a = std::make_unique<TcpReassembler>(ctx);
  ASSERT_TRUE(ctx.session_room(TcpReassembler::session_cost()));
  auto b = std::make_unique<TcpReassembler>(ctx);
  EXPECT_FALSE(ctx.session_room(TcpReassembler::session_cost()));
  EXPECT_EQ(counters.get("tcp.ssn_memcap_drop"), 1u);
  EXPECT_EQ(counters.get("tcp.memuse"), 2 * TcpReassembler::session_cost());
  a.reset();  // a session ending makes room again
  EXPECT_TRUE(ctx.session_room(TcpReassembler::session_cost()));
  b.reset();
  EXPECT_EQ(counters.get("tcp.memuse"), 0u);
}


// --- before the SYN/ACK (Suricata bug 3286) ---

TEST(StreamReassembly, ForgedClientRstBeforeSynAckIsIgnored) {
  Harness h;
  h.client(1000, "", kSyn);
  h.client(1001, "", kRst);  // not the form a stack resets its own SYN in
  h.server(5000, "", kSyn | kAck, 1001);
  h.client(1001, "", kAck, 5001);
  h.c_at(0, "GET /");
  EXPECT_EQ(h.sink.out[1], "GET /");
  // The client's real answer to a SYN/ACK it did not expect: seq = ISN,
  // ack = ISN + 1, window 0. It ends the session.
  Harness real;
  real.client(1000, "", kSyn);
  real.packet(1000, kRst | kAck, "", 1001).tcp_window = 0;
  real.r->on_packet(real.packets.back(), true, real.sink);
  real.server(5000, "", kSyn | kAck, 1001);
  real.c_at(0, "GET /");
  EXPECT_EQ(real.sink.out[1], "");
}

TEST(StreamReassembly, ServerPacketMustEchoTheSynTimestamp) {
  Harness h;
  Packet& syn = h.packet(1000, kSyn, "");
  syn.tcp_has_ts = true;
  syn.tcp_tsval = 777;
  h.r->on_packet(syn, true, h.sink);
  // A RST claiming a timestamp echo the SYN never sent: not from the peer.
  Packet& rst = h.packet(5000, kRst | kAck, "", 1001);
  rst.tcp_has_ts = true;
  rst.tcp_tsval = 100;
  rst.tcp_tsecr = 100;
  h.r->on_packet(rst, false, h.sink);
  EXPECT_TRUE(h.has_event(kEvPktInvalidTimestamp));
  h.r->events.clear();
  Packet& synack = h.packet(5000, kSyn | kAck, "", 1001);
  synack.tcp_has_ts = true;
  synack.tcp_tsval = 9;
  synack.tcp_tsecr = 777;
  h.r->on_packet(synack, false, h.sink);
  EXPECT_FALSE(h.has_event(kEvPktInvalidTimestamp));
  Packet& data = h.packet(1001, kAck | kPsh, "GET /", 5001);
  data.tcp_has_ts = true;
  data.tcp_tsval = 778;
  data.tcp_tsecr = 9;
  h.r->on_packet(data, true, h.sink);
  EXPECT_EQ(h.sink.out[1], "GET /");
}

}  // namespace
}  // namespace pasban::stream
