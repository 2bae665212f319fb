// NFQUEUE with real iptables rules in a private network namespace: UDP
// sent to a local port goes through `-j NFQUEUE` on OUTPUT, and the
// verdict decides whether the listening socket gets the datagram.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <thread>

#include "capture/nfqueue.h"
#include "capture_netns.h"

namespace pasban::capture {
namespace {

using testing::TestNetns;

constexpr uint16_t kPort = 7777;

class UdpPair {
 public:
  UdpPair() {
    rx_ = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    tx_ = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    addr_.sin_family = AF_INET;
    addr_.sin_port = htons(kPort);
    addr_.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bound_ = ::bind(rx_, reinterpret_cast<sockaddr*>(&addr_), sizeof addr_) == 0;
  }
  ~UdpPair() {
    ::close(rx_);
    ::close(tx_);
  }
  bool ok() const { return bound_; }
  void send(const std::string& s) {
    // Fail-closed drops make sendto fail with EPERM; that is expected.
    ::sendto(tx_, s.data(), s.size(), 0, reinterpret_cast<const sockaddr*>(&addr_), sizeof addr_);
  }
  // Datagrams that arrive within `ms`, then within `more_ms` of each other.
  std::vector<std::string> receive(int ms, int more_ms = 50) {
    std::vector<std::string> got;
    pollfd p{rx_, POLLIN, 0};
    while (::poll(&p, 1, ms) == 1) {
      char buf[256];
      const ssize_t n = ::recv(rx_, buf, sizeof buf, 0);
      if (n < 0) break;
      got.emplace_back(buf, size_t(n));
      ms = more_ms;
    }
    return got;
  }

 private:
  int rx_ = -1, tx_ = -1;
  sockaddr_in addr_{};
  bool bound_ = false;
};

// Sets up the namespace's rule; false (and a reason) when iptables or the
// NFQUEUE target is unavailable.
bool add_queue_rule(const TestNetns& ns, int queue) {
  return ns.exec("iptables -A OUTPUT -p udp --dport " + std::to_string(kPort) +
                 " -j NFQUEUE --queue-num " + std::to_string(queue));
}

int next_within(NfQueue& q, LivePacket& p, int ms = 2000) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
  int rc = 0;
  while (rc == 0 && std::chrono::steady_clock::now() < deadline) rc = q.next(p);
  return rc;
}

std::string udp_data(const LivePacket& p) {
  if (p.data.size() < 28 || (p.data[0] >> 4) != 4) return {};
  return std::string(reinterpret_cast<const char*>(p.data.data()) + 28, p.data.size() - 28);
}

TEST(CaptureNfQueue, AcceptDeliversDropDoesNot) {
  TestNetns ns("nfq");
  CAPTURE_NETNS_OR_SKIP(ns);
  if (!add_queue_rule(ns, 5)) GTEST_SKIP() << "iptables NFQUEUE target unavailable";
  NfqConfig cfg;
  cfg.queue = 5;
  auto q = NfQueue::open(cfg);
  ASSERT_TRUE(q.ok()) << q.error().message;
  ASSERT_TRUE((*q)->is_inline());
  UdpPair udp;
  ASSERT_TRUE(udp.ok());

  udp.send("captest accept");
  LivePacket p;
  ASSERT_EQ(next_within(**q, p), 1) << (*q)->error();
  EXPECT_EQ(p.linktype, 101);
  EXPECT_EQ(udp_data(p), "captest accept");
  EXPECT_EQ((*q)->pending(), 1u);
  EXPECT_TRUE(udp.receive(100).empty()) << "delivered before the verdict";
  EXPECT_TRUE((*q)->verdict(p, Verdict::kAccept));
  EXPECT_FALSE((*q)->verdict(p, Verdict::kAccept)) << "a second verdict must be refused";
  EXPECT_EQ(udp.receive(1000), std::vector<std::string>{"captest accept"});

  udp.send("captest drop");
  ASSERT_EQ(next_within(**q, p), 1) << (*q)->error();
  EXPECT_EQ(udp_data(p), "captest drop");
  EXPECT_TRUE((*q)->verdict(p, Verdict::kDrop));
  EXPECT_TRUE(udp.receive(200).empty());

  const SourceStats st = (*q)->stats();
  EXPECT_EQ(st.received, 2u);
  EXPECT_EQ(st.accepted, 1u);
  EXPECT_EQ(st.dropped, 1u);
  EXPECT_EQ(st.kernel_packets, 2u);
  EXPECT_EQ(st.errors, 1u);  // the refused second verdict
  EXPECT_EQ((*q)->pending(), 0u);
}

TEST(CaptureNfQueue, CloseSettlesPendingPackets) {
  TestNetns ns("nfqclose");
  CAPTURE_NETNS_OR_SKIP(ns);
  if (!add_queue_rule(ns, 6)) GTEST_SKIP() << "iptables NFQUEUE target unavailable";
  NfqConfig cfg;
  cfg.queue = 6;
  cfg.fail_open = true;  // pending packets are accepted at close
  auto q = NfQueue::open(cfg);
  ASSERT_TRUE(q.ok()) << q.error().message;
  UdpPair udp;
  udp.send("captest pending");
  LivePacket p;
  ASSERT_EQ(next_within(**q, p), 1);
  (*q)->close();
  EXPECT_EQ(udp.receive(1000), std::vector<std::string>{"captest pending"});
  EXPECT_EQ((*q)->stats().flushed, 1u);
  EXPECT_EQ((*q)->next(p), -1);
}

// Queue of 4: a burst of 20 overflows it. Fail-open: the kernel lets the
// other 16 through unseen. Fail-closed: it drops them and counts them.
TEST(CaptureNfQueue, FullQueueFailOpenVersusFailClosed) {
  for (bool fail_open : {true, false}) {
    SCOPED_TRACE(fail_open ? "fail-open" : "fail-closed");
    TestNetns ns(fail_open ? "nfqopen" : "nfqclosed");
    CAPTURE_NETNS_OR_SKIP(ns);
    if (!add_queue_rule(ns, 7)) GTEST_SKIP() << "iptables NFQUEUE target unavailable";
    NfqConfig cfg;
    cfg.queue = 7;
    cfg.queue_maxlen = 4;
    cfg.fail_open = fail_open;
    auto q = NfQueue::open(cfg);
    ASSERT_TRUE(q.ok()) << q.error().message;
    UdpPair udp;
    for (int i = 0; i < 20; ++i) udp.send("captest " + std::to_string(i));
    const auto early = udp.receive(300);
    EXPECT_EQ(early.size(), fail_open ? 16u : 0u);
    LivePacket p;
    int queued = 0;
    while (next_within(**q, p, 300) == 1) {
      ++queued;
      (*q)->verdict(p, Verdict::kAccept);
    }
    EXPECT_EQ(queued, 4);
    EXPECT_EQ(udp.receive(500).size(), 4u);
    const SourceStats st = (*q)->stats();
    EXPECT_EQ(st.kernel_drops, fail_open ? 0u : 16u);
    EXPECT_EQ(st.kernel_packets, 4u);  // the kernel numbers queued packets only
  }
}

// A tiny netlink buffer: the kernel cannot hand us the burst. Fail-open,
// it accepts what it could not send (we see the id gaps and ENOBUFS);
// fail-closed, it drops and counts them (queue_user_dropped).
TEST(CaptureNfQueue, SocketOverflowIsCountedBothWays) {
  for (bool fail_open : {true, false}) {
    SCOPED_TRACE(fail_open ? "fail-open" : "fail-closed");
    TestNetns ns(fail_open ? "nfqovo" : "nfqovc");
    CAPTURE_NETNS_OR_SKIP(ns);
    if (!add_queue_rule(ns, 10)) GTEST_SKIP() << "iptables NFQUEUE target unavailable";
    NfqConfig cfg;
    cfg.queue = 10;
    cfg.fail_open = fail_open;
    cfg.buffer_size = 4096;
    auto q = NfQueue::open(cfg);
    ASSERT_TRUE(q.ok()) << q.error().message;
    UdpPair udp;
    constexpr int kBurst = 200;
    for (int i = 0; i < kBurst; ++i) udp.send("captest " + std::to_string(i));
    LivePacket p;
    int seen = 0;
    auto read_all = [&] {
      while (next_within(**q, p, 300) == 1) {
        ++seen;
        (*q)->verdict(p, Verdict::kAccept);
      }
    };
    read_all();
    // One more packet after the burst closes a trailing gap in the ids.
    udp.send("captest last");
    read_all();
    const size_t delivered = udp.receive(500).size();
    const SourceStats st = (*q)->stats();
    ASSERT_LT(seen, kBurst + 1) << "the buffer did not overflow; nothing to check";
    EXPECT_GE(st.overflows, 1u);
    if (fail_open) {
      EXPECT_EQ(delivered, size_t(kBurst + 1));
      EXPECT_EQ(st.bypassed, uint64_t(kBurst + 1 - seen));
      EXPECT_EQ(st.kernel_drops, 0u);
    } else {
      EXPECT_EQ(delivered, size_t(seen));
      EXPECT_EQ(st.bypassed, 0u);
      EXPECT_EQ(st.kernel_drops, uint64_t(kBurst + 1 - seen));
    }
  }
}

TEST(CaptureNfQueue, RepeatModeMarksThePacket) {
  TestNetns ns("nfqrep");
  CAPTURE_NETNS_OR_SKIP(ns);
  // Marked packets skip the queue rule on the second pass.
  if (!ns.exec("iptables -A OUTPUT -m mark --mark 0x10/0x10 -j ACCEPT") || !add_queue_rule(ns, 8))
    GTEST_SKIP() << "iptables mark/NFQUEUE unavailable";
  NfqConfig cfg;
  cfg.queue = 8;
  cfg.mode = NfqMode::kRepeat;
  cfg.repeat_mark = 0x10;
  cfg.repeat_mask = 0x10;
  auto q = NfQueue::open(cfg);
  ASSERT_TRUE(q.ok()) << q.error().message;
  UdpPair udp;
  udp.send("captest repeat");
  LivePacket p;
  ASSERT_EQ(next_within(**q, p), 1);
  EXPECT_TRUE((*q)->verdict(p, Verdict::kAccept));
  EXPECT_EQ(udp.receive(1000), std::vector<std::string>{"captest repeat"});
  EXPECT_EQ(next_within(**q, p, 200), 0) << "the repeated packet came back to the queue";
}

}  // namespace
}  // namespace pasban::capture

// ---- manual measurement (bench/nfq_latency.md) ----
// Run: pasban_tests --gtest_also_run_disabled_tests
//        --gtest_filter='*DISABLED_MeasureLatency*'
namespace pasban::capture {
namespace {

struct Latency {
  double p50_us = 0, p99_us = 0, pps = 0;
};

// Sends `n` datagrams one at a time (each waits for its delivery) and then
// `n` in a burst (whatever the namespace's rules do with them).
Latency measure(UdpPair& udp, int n) {
  using Clock = std::chrono::steady_clock;
  std::vector<double> rtt;
  rtt.reserve(size_t(n));
  for (int i = 0; i < n; ++i) {
    const auto t0 = Clock::now();
    udp.send("captest");
    if (udp.receive(1000, 0).empty()) break;
    rtt.push_back(std::chrono::duration<double, std::micro>(Clock::now() - t0).count());
  }
  std::sort(rtt.begin(), rtt.end());
  Latency l;
  if (!rtt.empty()) {
    l.p50_us = rtt[rtt.size() / 2];
    l.p99_us = rtt[rtt.size() * 99 / 100];
  }
  const auto t0 = Clock::now();
  int got = 0;
  for (int i = 0; i < n; ++i) {
    udp.send("captest");
    if (i % 64 == 63) got += int(udp.receive(0, 0).size());
  }
  while (got < n) {
    const auto more = udp.receive(200).size();
    if (more == 0) break;
    got += int(more);
  }
  l.pps = got / std::chrono::duration<double>(Clock::now() - t0).count();
  return l;
}

TEST(CaptureNfQueue, DISABLED_MeasureLatency) {
  TestNetns ns("nfqbench");
  CAPTURE_NETNS_OR_SKIP(ns);
  constexpr int kPackets = 20000;
  UdpPair udp;
  const Latency base = measure(udp, kPackets);
  if (!add_queue_rule(ns, 9)) GTEST_SKIP() << "iptables NFQUEUE target unavailable";
  NfqConfig cfg;
  cfg.queue = 9;
  auto q = NfQueue::open(cfg);
  ASSERT_TRUE(q.ok()) << q.error().message;
  std::atomic<bool> stop{false};
  std::thread worker([&] {
    LivePacket p;
    while (!stop.load(std::memory_order_relaxed))
      if ((*q)->next(p) == 1) (*q)->verdict(p, Verdict::kAccept);
  });
  const Latency nfq = measure(udp, kPackets);
  stop = true;
  worker.join();
  const SourceStats st = (*q)->stats();
  std::printf("direct : p50 %.1f us  p99 %.1f us  %.0f pkt/s\n", base.p50_us, base.p99_us, base.pps);
  std::printf("nfqueue: p50 %.1f us  p99 %.1f us  %.0f pkt/s  (accepted %llu, overflows %llu)\n",
              nfq.p50_us, nfq.p99_us, nfq.pps, (unsigned long long)st.accepted,
              (unsigned long long)st.overflows);
}

}  // namespace
}  // namespace pasban::capture
