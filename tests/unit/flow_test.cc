// FlowTable: direction, TCP state and Packet::flow_established through the
// handshake and close, UDP and ICMP flows, midstream pick-up, reuse after
// close, timeouts, memcap eviction; and Community ID v1 against the public
// test vectors (corelight/community-id-spec baseline/baseline_deflt.json and
// corelight/pycommunityid tests/communityid_test.py).
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "core/counters.h"
#include "decode/packet.h"
#include "flow/community_id.h"
#include "flow/flow_table.h"

namespace pasban::flow {
namespace {

using decode::Packet;
using namespace decode;  // kTcp* flag names

core::IpAddress ip(const char* text) {
  auto a = core::IpAddress::parse(text);
  EXPECT_TRUE(a.has_value()) << text;
  return a.value_or(core::IpAddress{});
}

const char* const kClient = "10.0.0.1";
const char* const kServer = "10.0.0.2";

Packet tcp(const char* src, uint16_t sp, const char* dst, uint16_t dp, uint8_t flags, int64_t sec = 0) {
  Packet p;
  p.ts = {sec, 0};
  p.ip_version = 4;
  p.src = ip(src);
  p.dst = ip(dst);
  p.ip_proto = 6;
  p.has_tcp = true;
  p.sp = sp;
  p.dp = dp;
  p.tcp_flags = flags;
  return p;
}
Packet c2s(uint8_t flags, int64_t sec = 0) { return tcp(kClient, 40000, kServer, 80, flags, sec); }
Packet s2c(uint8_t flags, int64_t sec = 0) { return tcp(kServer, 80, kClient, 40000, flags, sec); }

Packet udp(const char* src, uint16_t sp, const char* dst, uint16_t dp, int64_t sec = 0) {
  Packet p;
  p.ts = {sec, 0};
  p.ip_version = 4;
  p.src = ip(src);
  p.dst = ip(dst);
  p.ip_proto = 17;
  p.has_udp = true;
  p.sp = sp;
  p.dp = dp;
  return p;
}

Packet icmp(const char* src, const char* dst, uint8_t type, uint16_t id, int64_t sec = 0) {
  Packet p;
  p.ts = {sec, 0};
  p.ip_version = 4;
  p.src = ip(src);
  p.dst = ip(dst);
  p.ip_proto = 1;
  p.has_icmpv4 = true;
  p.icmp_type = type;
  p.icmp_has_id = type == 8 || type == 0;
  p.icmp_id = id;
  return p;
}

struct Ended {
  uint64_t flow_id;
  EndReason why;
};

struct Harness {
  core::Counters counters;
  FlowConfig config;
  std::unique_ptr<FlowTable> table;
  std::vector<Ended> ended;
  explicit Harness(FlowConfig c = {}) : config(c) {
    table = std::make_unique<FlowTable>(config, counters);
    table->set_end_callback([this](Flow& f, EndReason why) { ended.push_back({f.flow_id, why}); });
  }
  Flow* handle(Packet& p) {
    // As the engine: a due sweep runs at the start of a packet.
    if (table->sweep_due(p.ts)) table->expire(p.ts);
    table->handle(p);
    return p.flow;
  }
};

// ------------------------------------------------------------- direction

TEST(FlowTable, InitiatorIsToServer) {
  Harness h;
  Packet syn = c2s(kTcpSyn);
  Flow* f = h.handle(syn);
  ASSERT_NE(f, nullptr);
  EXPECT_TRUE(syn.to_server);
  EXPECT_EQ(f->client, ip(kClient));
  EXPECT_EQ(f->server, ip(kServer));
  EXPECT_EQ(f->client_port, 40000);
  EXPECT_EQ(f->server_port, 80);
  EXPECT_EQ(f->proto, 6);
  EXPECT_NE(f->flow_id, 0u);
  EXPECT_LT(f->flow_id, 1ull << 51);  // fits a JSON number exactly

  Packet synack = s2c(kTcpSyn | kTcpAck);
  EXPECT_EQ(h.handle(synack), f);
  EXPECT_FALSE(synack.to_server);
  Packet ack = c2s(kTcpAck);
  EXPECT_EQ(h.handle(ack), f);
  EXPECT_TRUE(ack.to_server);
  EXPECT_EQ(f->pkts_toserver, 2u);
  EXPECT_EQ(f->pkts_toclient, 1u);
  EXPECT_EQ(h.table->size(), 1u);
  EXPECT_EQ(h.counters.get("flow.total"), 1u);
  EXPECT_EQ(h.counters.get("flow.tcp"), 1u);
}

TEST(FlowTable, BytesCountFrames) {
  Harness h;
  const uint8_t frame[60] = {};
  Packet a = c2s(kTcpSyn);
  a.frame = {frame, 60};
  Flow* f = h.handle(a);
  Packet b = s2c(kTcpSyn | kTcpAck);
  b.frame = {frame, 54};
  h.handle(b);
  EXPECT_EQ(f->bytes_toserver, 60u);
  EXPECT_EQ(f->bytes_toclient, 54u);
}

TEST(FlowTable, DifferentPortsAreDifferentFlows) {
  Harness h;
  Packet a = c2s(kTcpSyn);
  Packet b = tcp(kClient, 40001, kServer, 80, kTcpSyn);
  Flow* fa = h.handle(a);
  Flow* fb = h.handle(b);
  EXPECT_NE(fa, fb);
  EXPECT_NE(fa->flow_id, fb->flow_id);
  EXPECT_EQ(h.table->size(), 2u);
}

// ------------------------------------------------------------- TCP state

struct TcpStep {
  Packet p;
  TcpState after;
  bool established;  // Packet::flow_established: Suricata's flow state before this packet
};

void run_tcp_steps(std::vector<TcpStep> steps, const char* what) {
  Harness h;
  Flow* f = nullptr;
  for (size_t i = 0; i < steps.size(); ++i) {
    Flow* got = h.handle(steps[i].p);
    if (!f) f = got;
    ASSERT_EQ(got, f) << what << " step " << i;
    EXPECT_EQ(f->tcp_state, steps[i].after)
        << what << " step " << i << ": " << tcp_state_name(f->tcp_state);
    EXPECT_EQ(steps[i].p.flow_established, steps[i].established) << what << " step " << i;
  }
  EXPECT_FALSE(f->midstream);
  EXPECT_TRUE(f->ever_established);
}

TEST(FlowTable, TcpHandshakeAndClientClose) {
  run_tcp_steps({
      {c2s(kTcpSyn), TcpState::kSynSent, false},
      {s2c(kTcpSyn | kTcpAck), TcpState::kSynRecv, false},
      // The ACK that completes the handshake is not yet "established".
      {c2s(kTcpAck), TcpState::kEstablished, false},
      {c2s(kTcpAck | kTcpPsh), TcpState::kEstablished, true},
      {s2c(kTcpAck | kTcpPsh), TcpState::kEstablished, true},
      {c2s(kTcpFin | kTcpAck), TcpState::kFinWait1, true},
      {s2c(kTcpAck), TcpState::kFinWait2, true},
      {s2c(kTcpFin | kTcpAck), TcpState::kTimeWait, true},
      // Suricata's flow state leaves "established" at TIME_WAIT.
      {c2s(kTcpAck), TcpState::kClosed, false},
  }, "client close");
}

TEST(FlowTable, TcpServerClose) {
  run_tcp_steps({
      {c2s(kTcpSyn), TcpState::kSynSent, false},
      {s2c(kTcpSyn | kTcpAck), TcpState::kSynRecv, false},
      {c2s(kTcpAck), TcpState::kEstablished, false},
      {s2c(kTcpFin | kTcpAck), TcpState::kCloseWait, true},
      {c2s(kTcpFin | kTcpAck), TcpState::kLastAck, true},
      {s2c(kTcpAck), TcpState::kClosed, false},
  }, "server close");
}

TEST(FlowTable, TcpSimultaneousClose) {
  run_tcp_steps({
      {c2s(kTcpSyn), TcpState::kSynSent, false},
      {s2c(kTcpSyn | kTcpAck), TcpState::kSynRecv, false},
      {c2s(kTcpAck), TcpState::kEstablished, false},
      {c2s(kTcpFin), TcpState::kFinWait1, true},
      {s2c(kTcpFin), TcpState::kClosing, true},  // FIN without ACK of ours
      {c2s(kTcpAck), TcpState::kTimeWait, true},
  }, "simultaneous close");
}

TEST(FlowTable, RstClosesAtAnyStage) {
  for (int stage = 0; stage < 3; ++stage) {
    Harness h;
    std::vector<Packet> ps = {c2s(kTcpSyn), s2c(kTcpSyn | kTcpAck), c2s(kTcpAck)};
    Flow* f = nullptr;
    for (int i = 0; i <= stage; ++i) f = h.handle(ps[size_t(i)]);
    Packet rst = s2c(kTcpRst);
    h.handle(rst);
    EXPECT_EQ(f->tcp_state, TcpState::kClosed) << "stage " << stage;
  }
}

TEST(FlowTable, BadChecksumDoesNotMoveTcpState) {
  Harness h;  // stream.checksum-validation on by default
  Packet syn = c2s(kTcpSyn);
  Flow* f = h.handle(syn);
  Packet synack = s2c(kTcpSyn | kTcpAck);
  synack.l4_csum = CsumState::kInvalid;
  h.handle(synack);
  EXPECT_EQ(f->tcp_state, TcpState::kSynSent);
  FlowConfig off;
  off.tcp_checksum_gate = false;
  Harness h2(off);
  Packet syn2 = c2s(kTcpSyn);
  Flow* f2 = h2.handle(syn2);
  Packet synack2 = s2c(kTcpSyn | kTcpAck);
  synack2.l4_csum = CsumState::kInvalid;
  h2.handle(synack2);
  EXPECT_EQ(f2->tcp_state, TcpState::kSynRecv);
}

// ------------------------------------------------------------- midstream

TEST(FlowTable, MidstreamOffNeverEstablishes) {
  Harness h;
  Packet a = c2s(kTcpAck | kTcpPsh);
  Flow* f = h.handle(a);
  EXPECT_EQ(f->tcp_state, TcpState::kNone);
  EXPECT_FALSE(a.flow_established);
  Packet b = s2c(kTcpAck);
  h.handle(b);
  Packet c = c2s(kTcpAck | kTcpPsh);
  h.handle(c);
  EXPECT_EQ(f->tcp_state, TcpState::kNone);
  EXPECT_FALSE(c.flow_established);
  EXPECT_FALSE(f->midstream);
  EXPECT_EQ(h.counters.get("tcp.midstream_pickups"), 0u);
}

TEST(FlowTable, MidstreamOnPicksUp) {
  FlowConfig cfg;
  cfg.midstream = true;
  Harness h(cfg);
  Packet a = c2s(kTcpAck | kTcpPsh);
  Flow* f = h.handle(a);
  EXPECT_EQ(f->tcp_state, TcpState::kEstablished);
  EXPECT_TRUE(f->midstream);
  EXPECT_TRUE(a.to_server);  // without a SYN the first sender is the client
  EXPECT_EQ(h.counters.get("tcp.midstream_pickups"), 1u);
  Packet b = s2c(kTcpAck);
  h.handle(b);
  EXPECT_TRUE(b.flow_established);
  EXPECT_FALSE(b.to_server);
}

TEST(FlowTable, SynAckFirstWithMidstreamSwapsEndpoints) {
  FlowConfig cfg;
  cfg.midstream = true;
  Harness h(cfg);
  // We missed the SYN: the SYN/ACK's sender is the server.
  Packet synack = s2c(kTcpSyn | kTcpAck);
  Flow* f = h.handle(synack);
  EXPECT_EQ(f->client, ip(kClient));
  EXPECT_EQ(f->server, ip(kServer));
  EXPECT_EQ(f->client_port, 40000);
  EXPECT_EQ(f->server_port, 80);
  EXPECT_FALSE(synack.to_server);
  EXPECT_EQ(f->tcp_state, TcpState::kSynRecv);
  Packet ack = c2s(kTcpAck);
  h.handle(ack);
  EXPECT_TRUE(ack.to_server);
  EXPECT_EQ(f->tcp_state, TcpState::kEstablished);
  Packet data = c2s(kTcpAck | kTcpPsh);
  h.handle(data);
  EXPECT_TRUE(data.flow_established);
}

TEST(FlowTable, SynAckFirstWithoutMidstreamKeepsSender) {
  Harness h;
  Packet synack = s2c(kTcpSyn | kTcpAck);
  Flow* f = h.handle(synack);
  EXPECT_EQ(f->client, ip(kServer));  // nothing to go on: first sender
  EXPECT_TRUE(synack.to_server);
  EXPECT_EQ(f->tcp_state, TcpState::kNone);
}

// ------------------------------------------------------------- reuse

TEST(FlowTable, NewSynAfterCloseStartsNewFlow) {
  Harness h;
  std::vector<Packet> first = {c2s(kTcpSyn, 1), s2c(kTcpSyn | kTcpAck, 1), c2s(kTcpAck, 1),
                               c2s(kTcpRst, 2)};
  Flow* f = nullptr;
  for (auto& p : first) f = h.handle(p);
  ASSERT_EQ(f->tcp_state, TcpState::kClosed);
  const uint64_t old_id = f->flow_id;

  Packet syn = c2s(kTcpSyn, 3);
  Flow* g = h.handle(syn);
  EXPECT_NE(g->flow_id, old_id);
  EXPECT_EQ(g->tcp_state, TcpState::kSynSent);
  EXPECT_EQ(g->pkts_toserver, 1u);
  EXPECT_EQ(g->pkts_toclient, 0u);
  EXPECT_TRUE(syn.to_server);
  EXPECT_EQ(h.counters.get("flow.tcp_reuse"), 1u);
  EXPECT_EQ(h.counters.get("flow.total"), 2u);
  ASSERT_EQ(h.ended.size(), 1u);
  EXPECT_EQ(h.ended[0].flow_id, old_id);
  EXPECT_EQ(h.ended[0].why, EndReason::kForced);
  EXPECT_EQ(h.table->size(), 1u);
}

TEST(FlowTable, SynOnOpenSessionIsNotReuse) {
  Harness h;
  Packet a = c2s(kTcpSyn);
  Flow* f = h.handle(a);
  Packet b = c2s(kTcpSyn);  // retransmitted SYN
  EXPECT_EQ(h.handle(b), f);
  EXPECT_EQ(h.counters.get("flow.tcp_reuse"), 0u);
  EXPECT_EQ(f->pkts_toserver, 2u);
}

// ------------------------------------------------------------- UDP / ICMP

TEST(FlowTable, UdpEstablishedAfterFirstReply) {
  Harness h;
  Packet q = udp("192.168.1.52", 54585, "8.8.8.8", 53);
  Flow* f = h.handle(q);
  EXPECT_TRUE(q.to_server);
  EXPECT_FALSE(q.flow_established);
  Packet q2 = udp("192.168.1.52", 54585, "8.8.8.8", 53);
  h.handle(q2);
  EXPECT_FALSE(q2.flow_established);
  Packet r = udp("8.8.8.8", 53, "192.168.1.52", 54585);
  EXPECT_EQ(h.handle(r), f);
  EXPECT_FALSE(r.to_server);
  EXPECT_TRUE(r.flow_established);
  Packet q3 = udp("192.168.1.52", 54585, "8.8.8.8", 53);
  h.handle(q3);
  EXPECT_TRUE(q3.flow_established);
  EXPECT_EQ(f->tcp_state, TcpState::kNone);
  EXPECT_EQ(h.counters.get("flow.udp"), 1u);
}

TEST(FlowTable, IcmpEchoRequestAndReplyShareAFlow) {
  Harness h;
  Packet req = icmp("192.168.0.89", "192.168.0.1", 8, 0x1234);
  Flow* f = h.handle(req);
  ASSERT_NE(f, nullptr);
  EXPECT_TRUE(req.to_server);
  EXPECT_FALSE(req.flow_established);
  Packet rep = icmp("192.168.0.1", "192.168.0.89", 0, 0x1234);
  EXPECT_EQ(h.handle(rep), f);
  EXPECT_FALSE(rep.to_server);
  EXPECT_TRUE(rep.flow_established);
  // Another echo id is another conversation.
  Packet other = icmp("192.168.0.89", "192.168.0.1", 8, 0x4321);
  EXPECT_NE(h.handle(other), f);
  EXPECT_EQ(h.counters.get("flow.icmpv4"), 2u);
  EXPECT_EQ(f->client_port, 0);
  EXPECT_EQ(f->server_port, 0);
}

TEST(FlowTable, NoFlowWithoutIpOrForFragments) {
  Harness h;
  Packet none;
  h.handle(none);
  EXPECT_EQ(none.flow, nullptr);
  Packet frag = udp(kClient, 1, kServer, 2);
  frag.is_fragment = true;
  h.handle(frag);
  EXPECT_EQ(frag.flow, nullptr);
  Packet broken = udp(kClient, 1, kServer, 2);
  broken.has_udp = false;  // IP says UDP, header did not decode
  h.handle(broken);
  EXPECT_EQ(broken.flow, nullptr);
  EXPECT_EQ(h.table->size(), 0u);
}

// ------------------------------------------------------------- timeouts

TEST(FlowTable, NewUdpFlowTimesOut) {
  Harness h;  // udp new 30 s, established 300 s
  Packet q = udp(kClient, 1000, kServer, 53, 100);
  const uint64_t id = h.handle(q)->flow_id;
  h.table->expire({130, 0});
  EXPECT_EQ(h.table->size(), 1u);  // exactly 30 s idle: not yet
  h.table->expire({131, 0});
  EXPECT_EQ(h.table->size(), 0u);
  ASSERT_EQ(h.ended.size(), 1u);
  EXPECT_EQ(h.ended[0].flow_id, id);
  EXPECT_EQ(h.ended[0].why, EndReason::kTimeout);
  EXPECT_EQ(h.counters.get("flow.mgr.flows_timeout"), 1u);
}

TEST(FlowTable, EstablishedUdpFlowUsesLongerTimeout) {
  Harness h;
  Packet q = udp(kClient, 1000, kServer, 53, 100);
  h.handle(q);
  Packet r = udp(kServer, 53, kClient, 1000, 100);
  h.handle(r);
  h.table->expire({131, 0});
  EXPECT_EQ(h.table->size(), 1u);
  h.table->expire({401, 0});
  EXPECT_EQ(h.table->size(), 0u);
}

TEST(FlowTable, LaterPacketSweepsIdleFlows) {
  Harness h;
  Packet old = udp(kClient, 1000, kServer, 53, 100);
  h.handle(old);
  Packet fresh = udp(kClient, 2000, kServer, 53, 200);  // 100 s later, another flow
  h.handle(fresh);
  EXPECT_EQ(h.table->size(), 1u);
  ASSERT_EQ(h.ended.size(), 1u);
  EXPECT_EQ(h.ended[0].why, EndReason::kTimeout);
}

TEST(FlowTable, TcpTimeoutFollowsState) {
  FlowConfig cfg;
  cfg.tcp = {60, 3600, 10};
  Harness h(cfg);
  std::vector<Packet> ps = {c2s(kTcpSyn, 0), s2c(kTcpSyn | kTcpAck, 0), c2s(kTcpAck, 0)};
  for (auto& p : ps) h.handle(p);
  h.table->expire({100, 0});
  EXPECT_EQ(h.table->size(), 1u);  // established: 3600 s
  Packet rst = c2s(kTcpRst, 100);
  h.handle(rst);
  h.table->expire({111, 0});
  EXPECT_EQ(h.table->size(), 0u);  // closed: 10 s
}

TEST(FlowTable, ShortTimeoutBehindLongerOneStillExpires) {
  // The oldest flow (established UDP, 300 s) is still live; a newer flow
  // with a 5 s timeout behind it in last-seen order must expire anyway.
  FlowConfig cfg;
  cfg.udp = {5, 300, 0};
  Harness h(cfg);
  Packet a = udp(kClient, 1000, kServer, 53, 100);
  h.handle(a);
  Packet ar = udp(kServer, 53, kClient, 1000, 100);
  h.handle(ar);
  Packet b = udp(kClient, 2000, kServer, 53, 101);
  const uint64_t b_id = h.handle(b)->flow_id;
  h.table->expire({110, 0});
  ASSERT_EQ(h.ended.size(), 1u);
  EXPECT_EQ(h.ended[0].flow_id, b_id);
  EXPECT_EQ(h.table->size(), 1u);
}

TEST(FlowTable, FlushEndsEverything) {
  Harness h;
  Packet a = udp(kClient, 1, kServer, 2);
  Packet b = c2s(kTcpSyn);
  h.handle(a);
  h.handle(b);
  h.table->flush();
  EXPECT_EQ(h.table->size(), 0u);
  ASSERT_EQ(h.ended.size(), 2u);
  EXPECT_EQ(h.ended[0].why, EndReason::kShutdown);
  EXPECT_EQ(h.ended[1].why, EndReason::kShutdown);
}

// ------------------------------------------------------------- memcap

TEST(FlowTable, MemcapEvictsLeastRecentlySeen) {
  FlowConfig cfg;
  cfg.memcap = 1;  // the table keeps at least 1024 flows
  Harness h(cfg);
  const size_t cap = h.table->max_flows();
  ASSERT_GE(cap, 1024u);
  std::vector<uint64_t> ids;
  for (size_t i = 0; i < cap; ++i) {
    Packet p = udp(kClient, uint16_t(1000 + i), kServer, 53);
    ids.push_back(h.handle(p)->flow_id);
  }
  EXPECT_EQ(h.counters.get("flow.memcap"), 0u);
  // Touch the oldest flow so the second oldest becomes the eviction victim.
  Packet again = udp(kClient, 1000, kServer, 53);
  h.handle(again);
  Packet extra = udp(kClient, 60000, kServer, 53);
  h.handle(extra);
  EXPECT_EQ(h.table->size(), cap);
  EXPECT_EQ(h.counters.get("flow.memcap"), 1u);
  ASSERT_EQ(h.ended.size(), 1u);
  EXPECT_EQ(h.ended[0].flow_id, ids[1]);
  EXPECT_EQ(h.ended[0].why, EndReason::kForced);
  EXPECT_NE(extra.flow, nullptr);
}

// A flood of flows nobody answers (SYNs, one-sided datagrams) takes them
// out first: an established session at the LRU head survives, and the
// emergency mode is entered once and left when the table drains.
TEST(FlowTable, MemcapSparesEstablishedSessions) {
  FlowConfig cfg;
  cfg.memcap = 1;  // the table keeps at least 1024 flows
  Harness h(cfg);
  Packet syn = c2s(kTcpSyn), syn_ack = s2c(kTcpSyn | kTcpAck), ack = c2s(kTcpAck);
  h.handle(syn);
  h.handle(syn_ack);
  h.handle(ack);
  Packet data = c2s(kTcpAck | kTcpPsh);
  const uint64_t session = h.handle(data)->flow_id;
  const size_t cap = h.table->max_flows();
  for (size_t i = 0; i < 3 * cap; ++i) {
    Packet flood = tcp("10.9.0.1", uint16_t(1024 + i), kServer, 80, kTcpSyn);
    h.handle(flood);
  }
  EXPECT_EQ(h.table->size(), cap);
  for (const Ended& e : h.ended) EXPECT_NE(e.flow_id, session);
  EXPECT_EQ(h.counters.get("flow.emerg_mode_entered"), 1u);
  EXPECT_EQ(h.counters.get("flow.emerg_mode_over"), 0u);
  h.table->flush();
  EXPECT_EQ(h.counters.get("flow.emerg_mode_over"), 1u);
  EXPECT_EQ(h.ended.back().why, EndReason::kShutdown);
}

// ------------------------------------------------------------- Community ID

struct CidCase {
  const char* src;
  const char* dst;
  uint16_t sport, dport;  // ICMP: type and code
  uint8_t proto;
  uint16_t seed;
  const char* expect;
};

// baseline_deflt.json lists ICMP "ports" as the mapped pair (type, counter
// type); the ICMP entries here pass (type, code) as a packet carries them.
const CidCase kCommunityId[] = {
    // TCP / UDP / SCTP, both directions give one id.
    {"128.232.110.120", "66.35.250.204", 34855, 80, 6, 0, "1:LQU9qZlK+B5F3KDmev6m5PMibrg="},
    {"66.35.250.204", "128.232.110.120", 80, 34855, 6, 0, "1:LQU9qZlK+B5F3KDmev6m5PMibrg="},
    {"192.168.1.52", "8.8.8.8", 54585, 53, 17, 0, "1:d/FP5EW3wiY1vCndhwleRRKHowQ="},
    {"8.8.8.8", "192.168.1.52", 53, 54585, 17, 0, "1:d/FP5EW3wiY1vCndhwleRRKHowQ="},
    {"2001:470:e5bf:dead:4957:2174:e82c:4887", "2607:f8b0:400c:c03::1a", 63943, 25, 6, 0,
     "1:/qFaeAR+gFe1KYjMzVDsMv+wgU4="},
    {"2607:f8b0:400c:c03::1a", "2001:470:e5bf:dead:4957:2174:e82c:4887", 25, 63943, 6, 0,
     "1:/qFaeAR+gFe1KYjMzVDsMv+wgU4="},
    {"192.168.170.8", "192.168.170.56", 7, 7, 132, 0, "1:MP2EtRCAUIZvTw6MxJHLV7N7JDs="},
    {"192.168.170.56", "192.168.170.8", 7, 7, 132, 0, "1:MP2EtRCAUIZvTw6MxJHLV7N7JDs="},
    // pycommunityid issue 3: the lower address comes first even when its
    // port is the higher one.
    {"10.0.0.1", "10.0.0.2", 10, 11569, 6, 0, "1:SXBGMX1lBOwhhoDrZynfROxnhnM="},
    // ICMP echo request / reply.
    {"192.168.0.89", "192.168.0.1", 8, 0, 1, 0, "1:X0snYXpgwiv9TZtqg64sgzUn6Dk="},
    {"192.168.0.1", "192.168.0.89", 0, 0, 1, 0, "1:X0snYXpgwiv9TZtqg64sgzUn6Dk="},
    // Echo reply: the code does not enter the hash of a mapped type.
    {"192.168.0.1", "192.168.0.89", 0, 20, 1, 0, "1:X0snYXpgwiv9TZtqg64sgzUn6Dk="},
    // ICMP time exceeded: one-way, the code is the second "port".
    {"10.0.0.1", "10.0.0.2", 11, 0, 1, 0, "1:YHxtAirCG//0OzkcVAukqKQN9xM="},
    // ICMPv6 neighbor solicitation / advertisement, both pairings.
    {"fe80::200:86ff:fe05:80da", "fe80::260:97ff:fe07:69ea", 135, 0, 58, 0, "1:dGHyGvjMfljg6Bppwm3bg0LO8TY="},
    {"fe80::260:97ff:fe07:69ea", "fe80::200:86ff:fe05:80da", 136, 0, 58, 0, "1:dGHyGvjMfljg6Bppwm3bg0LO8TY="},
    {"fe80::260:97ff:fe07:69ea", "fe80::200:86ff:fe05:80da", 135, 0, 58, 0, "1:zavyT/cezQr1fmImYCwYnMXbgck="},
    {"fe80::200:86ff:fe05:80da", "fe80::260:97ff:fe07:69ea", 136, 0, 58, 0, "1:zavyT/cezQr1fmImYCwYnMXbgck="},
    // ICMPv6 one-way messages from the lower address.
    {"3ffe:501:1800:2345::2", "3ffe:507:0:1:200:86ff:fe05:80da", 3, 0, 58, 0, "1:2ObVBgIn28oZvibYZhZMBgh7WdQ="},
    {"3ffe:501:410:0:2c0:dfff:fe47:33e", "3ffe:507:0:1:200:86ff:fe05:80da", 1, 4, 58, 0,
     "1:hLZd0XGWojozrvxqE0dWB1iM6R0="},
    // ICMPv6 echo request / reply.
    {"3ffe:507:0:1:200:86ff:fe05:80da", "3ffe:501:0:1001::2", 128, 0, 58, 0, "1:+TW+HtLHvV1xnGhV1lv7XoJrqQg="},
    {"3ffe:501:0:1001::2", "3ffe:507:0:1:200:86ff:fe05:80da", 129, 0, 58, 0, "1:+TW+HtLHvV1xnGhV1lv7XoJrqQg="},
    // Router solicitation / advertisement to multicast.
    {"fe80::200:86ff:fe05:80da", "ff02::2", 133, 0, 58, 0, "1:hO+sN4H+MG5MY/8hIrXPqc4ZQz0="},
    {"fe80::260:97ff:fe07:69ea", "ff02::1", 134, 0, 58, 0, "1:pkvHqCL88/tg1k4cPigmZXUtL00="},
    // Seed 1 (pycommunityid's third column).
    {"128.232.110.120", "66.35.250.204", 34855, 80, 6, 1, "1:3V71V58M3Ksw/yuFALMcW0LAHvc="},
    {"8.8.8.8", "192.168.1.52", 53, 54585, 17, 1, "1:Q9We8WO3piVF8yEQBNJF4uiSVrI="},
    {"192.168.0.89", "192.168.0.1", 8, 0, 1, 1, "1:03g6IloqVBdcZlPyX8r0hgoE7kA="},
    {"fe80::200:86ff:fe05:80da", "fe80::260:97ff:fe07:69ea", 135, 0, 58, 1, "1:kHa1FhMYIT6Ym2Vm2AOtoOARDzY="},
    {"192.168.170.8", "192.168.170.56", 7, 80, 132, 1, "1:Y1/0jQg6e+I3ZwZZ9LP65DNbTXU="},
    {"192.168.170.56", "192.168.170.8", 80, 7, 132, 0, "1:jQgCxbku+pNGw8WPbEc/TS/uTpQ="},
};

TEST(CommunityId, PublicTestVectors) {
  for (const auto& c : kCommunityId) {
    EXPECT_EQ(community_id_v1(ip(c.src), ip(c.dst), c.sport, c.dport, c.proto, c.seed), c.expect)
        << c.src << ":" << c.sport << " -> " << c.dst << ":" << c.dport << " proto " << int(c.proto)
        << " seed " << c.seed;
  }
}

}  // namespace
}  // namespace pasban::flow
