// libpcap live capture on a veth pair in a private network namespace.
#include <gtest/gtest.h>

#include <chrono>

#include "capture/pcap_live.h"
#include "capture_netns.h"

namespace pasban::capture {
namespace {

using testing::RawSender;
using testing::TestNetns;
using testing::udp_frame;
using testing::udp_payload;

TEST(CapturePcapLive, ReadsFilteredFramesAndReturnsOnTimeout) {
  TestNetns ns("pcap");
  CAPTURE_NETNS_OR_SKIP(ns);
  ASSERT_TRUE(ns.veth("capt0", "capt1"));
  PcapLiveConfig cfg;
  cfg.interface = "capt1";
  cfg.bpf_filter = "udp dst port 53";
  cfg.poll_timeout_ms = 20;
  auto src = PcapLive::open(cfg);
  ASSERT_TRUE(src.ok()) << src.error().message;
  EXPECT_EQ((*src)->linktype(), 1);
  EXPECT_FALSE((*src)->is_inline());

  // Nothing sent yet: next() must come back (0) instead of blocking.
  LivePacket p;
  const auto t0 = std::chrono::steady_clock::now();
  EXPECT_EQ((*src)->next(p), 0);
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(1));

  RawSender tx("capt0");
  for (int i = 0; i < 30; ++i) {
    ASSERT_TRUE(tx.send(udp_frame(0x0a000001, 0x0a000002, 1000, 53, "captest " + std::to_string(i))));
    ASSERT_TRUE(tx.send(udp_frame(0x0a000001, 0x0a000002, 1000, 80, "captest filtered")));
  }
  std::vector<std::string> got;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  while (got.size() < 30 && std::chrono::steady_clock::now() < deadline) {
    if ((*src)->next(p) != 1) continue;
    const std::string pl = udp_payload(p.data);
    if (pl.rfind("captest", 0) == 0) got.push_back(pl);
  }
  ASSERT_EQ(got.size(), 30u);
  for (int i = 0; i < 30; ++i) EXPECT_EQ(got[size_t(i)], "captest " + std::to_string(i));
  const SourceStats st = (*src)->stats();
  EXPECT_GE(st.kernel_packets, 30u);
  EXPECT_EQ(st.kernel_drops, 0u);
}

TEST(CapturePcapLive, ErrorsNameTheInterfaceAndTheFilter) {
  PcapLiveConfig cfg;
  cfg.interface = "captnosuch0";
  auto s = PcapLive::open(cfg);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("captnosuch0"), std::string::npos) << s.error().message;
  cfg.interface = "lo";
  cfg.bpf_filter = "port nonsense-words";
  auto f = PcapLive::open(cfg);
  if (::geteuid() != 0) GTEST_SKIP() << "opening lo needs root";
  ASSERT_FALSE(f.ok());
  EXPECT_NE(f.error().message.find("bpf-filter"), std::string::npos) << f.error().message;
}

}  // namespace
}  // namespace pasban::capture
