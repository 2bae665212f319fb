// AF_PACKET moving real frames through a veth pair in a private network
// namespace: the fanout group, each ring flavour, and the IPS bridge.
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <set>

#include "capture/af_packet.h"
#include "capture_netns.h"

namespace pasban::capture {
namespace {

using testing::RawSender;
using testing::TestNetns;
using testing::udp_frame;
using testing::udp_payload;

AfPacketConfig config_for(const std::string& iface) {
  AfPacketConfig c;
  c.interface = iface;
  c.ring_size = 256;
  c.poll_timeout_ms = 20;
  return c;
}

// Reads from every source until `want` test frames arrived or a second
// passes; returns payload -> indexes of the sources that delivered it.
std::map<std::string, std::vector<int>> drain(std::vector<std::unique_ptr<AfPacket>>& srcs,
                                              size_t want) {
  std::map<std::string, std::vector<int>> got;
  size_t n = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  while (n < want && std::chrono::steady_clock::now() < deadline) {
    for (size_t i = 0; i < srcs.size(); ++i) {
      LivePacket p;
      int rc;
      while ((rc = srcs[i]->next(p)) == 1) {
        const std::string pl = udp_payload(p.data);
        if (pl.rfind("captest", 0) != 0) continue;  // not ours
        EXPECT_EQ(p.linktype, 1);
        EXPECT_EQ(p.orig_len, p.data.size());
        got[pl].push_back(int(i));
        ++n;
      }
      EXPECT_EQ(rc, 0) << srcs[i]->error();
    }
  }
  return got;
}

TEST(CaptureAfPacket, FanoutDeliversEachPacketOnceAndKeepsFlowsTogether) {
  TestNetns ns("fan");
  CAPTURE_NETNS_OR_SKIP(ns);
  ASSERT_TRUE(ns.veth("capt0", "capt1"));
  AfPacketConfig cfg = config_for("capt1");
  cfg.threads = 2;
  cfg.cluster_id = 4242;
  auto group = AfPacket::open_group(cfg);
  ASSERT_TRUE(group.ok()) << group.error().message;
  ASSERT_EQ(group->size(), 2u);
  EXPECT_NE((*group)[1]->describe().find("socket 2/2"), std::string::npos);

  RawSender tx("capt0");
  ASSERT_TRUE(tx.ok());
  constexpr int kFlows = 32, kPerFlow = 6;
  for (int s = 0; s < kPerFlow; ++s)
    for (int f = 0; f < kFlows; ++f)
      ASSERT_TRUE(tx.send(udp_frame(0x0a000001 + f, 0x0a000101, uint16_t(10000 + f), 53,
                                    "captest f" + std::to_string(f) + " s" + std::to_string(s))));

  auto got = drain(*group, kFlows * kPerFlow);
  ASSERT_EQ(got.size(), size_t(kFlows * kPerFlow));
  std::set<int> used;
  for (int f = 0; f < kFlows; ++f) {
    std::set<int> sockets;
    for (int s = 0; s < kPerFlow; ++s) {
      const auto& where = got["captest f" + std::to_string(f) + " s" + std::to_string(s)];
      ASSERT_EQ(where.size(), 1u) << "flow " << f << " packet " << s << " seen " << where.size();
      sockets.insert(where[0]);
    }
    EXPECT_EQ(sockets.size(), 1u) << "flow " << f << " was split across sockets";
    used.insert(*sockets.begin());
  }
  EXPECT_EQ(used.size(), 2u) << "32 flows all hashed to one socket";
  uint64_t received = 0, kernel = 0;
  for (auto& s : *group) {
    const SourceStats st = s->stats();
    received += st.received;
    kernel += st.kernel_packets;
    EXPECT_EQ(st.kernel_drops, 0u);
  }
  EXPECT_GE(received, uint64_t(kFlows * kPerFlow));
  EXPECT_EQ(kernel, received);  // every frame the kernel queued was read
}

struct RingCase {
  const char* name;
  bool use_mmap;
  bool v3;
};

class CaptureAfPacketRing : public ::testing::TestWithParam<RingCase> {};

TEST_P(CaptureAfPacketRing, ReadsFramesAndAppliesTheBpfFilter) {
  TestNetns ns(GetParam().name);
  CAPTURE_NETNS_OR_SKIP(ns);
  ASSERT_TRUE(ns.veth("capt0", "capt1"));
  AfPacketConfig cfg = config_for("capt1");
  cfg.use_mmap = GetParam().use_mmap;
  cfg.tpacket_v3 = GetParam().v3;
  cfg.bpf_filter = "udp dst port 53";
  std::vector<std::unique_ptr<AfPacket>> srcs;
  auto s = AfPacket::open(cfg, 0);
  ASSERT_TRUE(s.ok()) << s.error().message;
  srcs.push_back(std::move(*s));

  RawSender tx("capt0");
  for (int i = 0; i < 50; ++i) {
    ASSERT_TRUE(tx.send(udp_frame(0x0a000001, 0x0a000002, 999, 53, "captest " + std::to_string(i))));
    ASSERT_TRUE(tx.send(udp_frame(0x0a000001, 0x0a000002, 999, 54, "captest filtered")));
  }
  auto got = drain(srcs, 50);
  EXPECT_EQ(got.size(), 50u);
  EXPECT_EQ(got.count("captest filtered"), 0u);
  EXPECT_EQ(srcs[0]->stats().received, 50u);
}

// The kernel strips an 802.1Q tag on receive; the source must put it back
// so the decoder sees the VLAN (and a bridge forwards it).
TEST_P(CaptureAfPacketRing, PutsTheStrippedVlanTagBack) {
  TestNetns ns(std::string(GetParam().name) + "vlan");
  CAPTURE_NETNS_OR_SKIP(ns);
  ASSERT_TRUE(ns.veth("capt0", "capt1"));
  AfPacketConfig cfg = config_for("capt1");
  cfg.use_mmap = GetParam().use_mmap;
  cfg.tpacket_v3 = GetParam().v3;
  auto s = AfPacket::open(cfg, 0);
  ASSERT_TRUE(s.ok()) << s.error().message;
  std::vector<uint8_t> f = udp_frame(0x0a000001, 0x0a000002, 1, 2, "captest vlan");
  const uint8_t tag[4] = {0x81, 0x00, 0x00, 42};
  f.insert(f.begin() + 12, tag, tag + 4);
  RawSender tx("capt0");
  ASSERT_TRUE(tx.send(f));
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  std::vector<uint8_t> got;
  while (got.empty() && std::chrono::steady_clock::now() < deadline) {
    LivePacket p;
    if ((*s)->next(p) == 1 && p.data.size() == f.size()) got.assign(p.data.begin(), p.data.end());
  }
  EXPECT_EQ(got, f);
}

INSTANTIATE_TEST_SUITE_P(Rings, CaptureAfPacketRing,
                         ::testing::Values(RingCase{"v3", true, true}, RingCase{"v2", true, false},
                                           RingCase{"recv", false, false}),
                         [](const auto& info) { return std::string(info.param.name); });

// capt0 -> capt1 [bridge in `mode`, to capt2] capt2 -> capt3, plus a
// reader on capt3 that sees what the bridge forwarded.
struct BridgeRig {
  std::vector<std::unique_ptr<AfPacket>> bridge;  // one socket
  std::vector<std::unique_ptr<AfPacket>> out;
  std::string error;

  BridgeRig(const TestNetns& ns, CopyMode mode) {
    if (!ns.veth("capt0", "capt1") || !ns.veth("capt2", "capt3")) {
      error = "veth setup failed";
      return;
    }
    AfPacketConfig cfg = config_for("capt1");
    cfg.copy_mode = mode;
    cfg.copy_iface = "capt2";
    cfg.tpacket_v3 = false;
    AfPacketConfig out_cfg = config_for("capt3");
    out_cfg.cluster_id = 7;
    auto b = AfPacket::open(cfg, 0);
    auto o = AfPacket::open(out_cfg, 0);
    if (!b.ok() || !o.ok()) {
      error = b.ok() ? o.error().message : b.error().message;
      return;
    }
    bridge.push_back(std::move(*b));
    out.push_back(std::move(*o));
  }
  // Sends "captest 0" .. "captest n-1" into capt0.
  static bool send_numbered(int n) {
    RawSender tx("capt0");
    for (int i = 0; i < n; ++i)
      if (!tx.send(udp_frame(0x0a000001, 0x0a000002, 1, 2, "captest " + std::to_string(i))))
        return false;
    return true;
  }
};

TEST(CaptureAfPacket, IpsModeForwardsAcceptedFramesOnly) {
  TestNetns ns("ips");
  CAPTURE_NETNS_OR_SKIP(ns);
  BridgeRig rig(ns, CopyMode::kIps);
  ASSERT_TRUE(rig.error.empty()) << rig.error;
  AfPacket& bridge = *rig.bridge[0];
  ASSERT_TRUE(bridge.is_inline());
  ASSERT_TRUE(BridgeRig::send_numbered(20));
  int seen = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  while (seen < 20 && std::chrono::steady_clock::now() < deadline) {
    LivePacket p;
    if (bridge.next(p) != 1) continue;
    const std::string pl = udp_payload(p.data);
    if (pl.rfind("captest", 0) != 0) {
      bridge.verdict(p, Verdict::kAccept);
      continue;
    }
    ++seen;
    // Odd-numbered packets are "attacks".
    const int n = std::stoi(pl.substr(8));
    EXPECT_TRUE(bridge.verdict(p, n % 2 ? Verdict::kDrop : Verdict::kAccept));
    EXPECT_FALSE(bridge.verdict(p, Verdict::kAccept)) << "a second verdict must be refused";
  }
  ASSERT_EQ(seen, 20);
  auto got = drain(rig.out, 10);
  EXPECT_EQ(got.size(), 10u);
  for (int i = 0; i < 20; ++i)
    EXPECT_EQ(got.count("captest " + std::to_string(i)), i % 2 ? 0u : 1u) << i;
  const SourceStats st = bridge.stats();
  EXPECT_EQ(st.dropped, 10u);
  EXPECT_GE(st.accepted, 10u);
  EXPECT_EQ(st.send_errors, 0u);
}

TEST(CaptureAfPacket, TapModeForwardsEverythingWithoutVerdicts) {
  TestNetns ns("tap");
  CAPTURE_NETNS_OR_SKIP(ns);
  BridgeRig rig(ns, CopyMode::kTap);
  ASSERT_TRUE(rig.error.empty()) << rig.error;
  EXPECT_FALSE(rig.bridge[0]->is_inline());
  ASSERT_TRUE(BridgeRig::send_numbered(10));
  EXPECT_EQ(drain(rig.bridge, 10).size(), 10u);
  EXPECT_EQ(drain(rig.out, 10).size(), 10u);
  EXPECT_GE(rig.bridge[0]->stats().forwarded, 10u);
}

TEST(CaptureAfPacket, ErrorsNameTheInterface) {
  AfPacketConfig cfg = config_for("captnosuch0");
  auto s = AfPacket::open(cfg, 0);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("captnosuch0"), std::string::npos) << s.error().message;
}

}  // namespace
}  // namespace pasban::capture
