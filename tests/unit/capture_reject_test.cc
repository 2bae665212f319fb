// The reject sink: packets built for IPv4/IPv6 TCP/UDP parsed back field by
// field with checksums verified, and a live test that resets both ends of a
// real TCP connection from one captured packet.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>

#include <chrono>

#include "capture/af_packet.h"
#include "capture/pcap_live.h"
#include "capture/reject.h"
#include "capture_netns.h"
#include "wire/icmp.h"
#include "wire/ipv4.h"
#include "wire/ipv6.h"
#include "wire/tcp.h"
#include "wire/udp.h"

namespace pasban::capture {
namespace {

using Packet = std::vector<uint8_t>;

const uint8_t kV4A[4] = {192, 0, 2, 1}, kV4B[4] = {198, 51, 100, 7};
const uint8_t kV6A[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
const uint8_t kV6B[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2};

void put16(uint8_t* p, uint16_t v) { p[0] = uint8_t(v >> 8), p[1] = uint8_t(v); }
void put32(uint8_t* p, uint32_t v) { put16(p, uint16_t(v >> 16)), put16(p + 2, uint16_t(v)); }

// A packet from A:1234 to B:80 (TCP) or B:53 (UDP) with `l4` after the IP header.
Packet ip_packet(bool v6, uint8_t proto, const Packet& l4) {
  const size_t hl = v6 ? 40 : 20;
  Packet p(hl + l4.size(), 0);
  std::copy(l4.begin(), l4.end(), p.begin() + long(hl));
  if (v6) {
    p[0] = 0x60;
    put16(&p[4], uint16_t(l4.size()));
    p[6] = proto;
    p[7] = 64;
    std::memcpy(&p[8], kV6A, 16);
    std::memcpy(&p[24], kV6B, 16);
  } else {
    p[0] = 0x45;
    put16(&p[2], uint16_t(20 + l4.size()));
    p[8] = 64;
    p[9] = proto;
    std::memcpy(&p[12], kV4A, 4);
    std::memcpy(&p[16], kV4B, 4);
  }
  return p;
}

Packet tcp_segment(uint32_t seq, uint32_t ack, uint8_t flags, size_t data_len) {
  Packet t(20 + data_len, 'x');
  put16(&t[0], 1234);
  put16(&t[2], 80);
  put32(&t[4], seq);
  put32(&t[8], ack);
  t[12] = 5 << 4;
  t[13] = flags;
  put16(&t[14], 512);
  put16(&t[16], 0);
  put16(&t[18], 0);
  return t;
}

// Checks the IP header of a built packet and returns its payload.
core::Bytes check_ip(const Packet& out, bool v6, uint8_t proto, const uint8_t* src,
                     const uint8_t* dst) {
  if (v6) {
    auto ip = wire::Ipv6View::from(out);
    EXPECT_TRUE(ip.has_value());
    EXPECT_EQ(ip->version(), 6);
    EXPECT_EQ(ip->next_header(), proto);
    EXPECT_EQ(ip->payload_length(), out.size() - 40);
    EXPECT_EQ(std::memcmp(ip->src(), src, 16), 0);
    EXPECT_EQ(std::memcmp(ip->dst(), dst, 16), 0);
    return core::Bytes(out).subspan(40);
  }
  auto ip = wire::Ipv4View::from(out);
  EXPECT_TRUE(ip.has_value());
  EXPECT_EQ(ip->version(), 4);
  EXPECT_EQ(ip->header_length(), 20u);
  EXPECT_EQ(ip->total_length(), out.size());
  EXPECT_EQ(ip->protocol(), proto);
  EXPECT_EQ(internet_checksum(core::Bytes(out).first(20)), 0) << "IPv4 header checksum";
  EXPECT_EQ(std::memcmp(ip->src(), src, 4), 0);
  EXPECT_EQ(std::memcmp(ip->dst(), dst, 4), 0);
  return core::Bytes(out).subspan(20);
}

// The transport checksum over pseudo-header + segment must verify to 0.
uint16_t verify_l4(bool v6, const uint8_t* src, const uint8_t* dst, uint8_t proto,
                   core::Bytes l4) {
  Packet ph;
  const size_t alen = v6 ? 16 : 4;
  ph.insert(ph.end(), src, src + alen);
  ph.insert(ph.end(), dst, dst + alen);
  ph.push_back(0);
  ph.push_back(proto);
  ph.push_back(uint8_t(l4.size() >> 8));
  ph.push_back(uint8_t(l4.size()));
  ph.insert(ph.end(), l4.begin(), l4.end());
  return internet_checksum(ph);
}

class RejectBuild : public ::testing::TestWithParam<bool> {};

TEST_P(RejectBuild, ResetToSourceAcksTheSegmentAndUsesItsAckAsSeq) {
  const bool v6 = GetParam();
  const Packet in = ip_packet(v6, 6, tcp_segment(1000, 5000, 0x18 /*PSH|ACK*/, 10));
  auto out = build_tcp_reset(in, /*to_source=*/true);
  ASSERT_TRUE(out.ok()) << out.error().message;
  const uint8_t* a = v6 ? kV6A : kV4A;
  const uint8_t* b = v6 ? kV6B : kV4B;
  core::Bytes l4 = check_ip(*out, v6, 6, b, a);
  auto tcp = wire::TcpView::from(l4);
  ASSERT_TRUE(tcp.has_value());
  EXPECT_EQ(l4.size(), 20u);
  EXPECT_EQ(tcp->src_port(), 80);
  EXPECT_EQ(tcp->dst_port(), 1234);
  EXPECT_EQ(tcp->seq(), 5000u);
  EXPECT_EQ(tcp->ack(), 1010u);
  EXPECT_EQ(tcp->flags(), 0x14);  // RST|ACK
  EXPECT_EQ(tcp->header_length(), 20u);
  EXPECT_EQ(verify_l4(v6, b, a, 6, l4), 0) << "TCP checksum";
}

TEST_P(RejectBuild, ResetToDestinationUsesTheSegmentsOwnSeq) {
  const bool v6 = GetParam();
  const Packet in = ip_packet(v6, 6, tcp_segment(1000, 5000, 0x10, 10));
  auto out = build_tcp_reset(in, /*to_source=*/false);
  ASSERT_TRUE(out.ok()) << out.error().message;
  const uint8_t* a = v6 ? kV6A : kV4A;
  const uint8_t* b = v6 ? kV6B : kV4B;
  core::Bytes l4 = check_ip(*out, v6, 6, a, b);
  auto tcp = wire::TcpView::from(l4);
  EXPECT_EQ(tcp->src_port(), 1234);
  EXPECT_EQ(tcp->dst_port(), 80);
  EXPECT_EQ(tcp->seq(), 1000u);
  EXPECT_EQ(tcp->ack(), 5000u);
  EXPECT_EQ(tcp->flags(), 0x14);
  EXPECT_EQ(verify_l4(v6, a, b, 6, l4), 0);
}

TEST_P(RejectBuild, ResetToASynHasSeqZeroAndAcksTheSyn) {
  const bool v6 = GetParam();
  auto out = build_tcp_reset(ip_packet(v6, 6, tcp_segment(777, 0, 0x02, 0)), true);
  ASSERT_TRUE(out.ok());
  auto tcp = wire::TcpView::from(core::Bytes(*out).subspan(v6 ? 40 : 20));
  EXPECT_EQ(tcp->seq(), 0u);
  EXPECT_EQ(tcp->ack(), 778u);  // SYN takes one sequence number
  EXPECT_EQ(tcp->flags(), 0x14);
}

TEST_P(RejectBuild, UdpGetsPortUnreachableQuotingTheOffender) {
  const bool v6 = GetParam();
  Packet udp(8 + 20, 'q');
  put16(&udp[0], 5353);
  put16(&udp[2], 53);
  put16(&udp[4], uint16_t(udp.size()));
  put16(&udp[6], 0);
  const Packet in = ip_packet(v6, 17, udp);
  auto out = build_reject(in, RejectDirection::kBoth);  // non-TCP: source only
  ASSERT_TRUE(out.ok()) << out.error().message;
  ASSERT_EQ(out->size(), 1u);
  EXPECT_TRUE((*out)[0].to_source);
  const uint8_t* a = v6 ? kV6A : kV4A;
  const uint8_t* b = v6 ? kV6B : kV4B;
  const uint8_t proto = v6 ? 58 : 1;
  core::Bytes l4 = check_ip((*out)[0].bytes, v6, proto, b, a);
  auto icmp = wire::IcmpView::from(l4);
  ASSERT_TRUE(icmp.has_value());
  EXPECT_EQ(icmp->type(), v6 ? kIcmp6Unreach : kIcmpUnreach);
  EXPECT_EQ(icmp->code(), v6 ? kIcmp6CodePort : kIcmpCodePort);
  EXPECT_EQ(icmp->rest(), 0u);
  // IPv4 quotes header + 8 bytes; IPv6 the whole (small) packet.
  const size_t quoted = v6 ? in.size() : 20 + 8;
  ASSERT_EQ(l4.size(), 8 + quoted);
  EXPECT_TRUE(std::equal(in.begin(), in.begin() + quoted, l4.begin() + 8));
  if (v6)
    EXPECT_EQ(verify_l4(true, b, a, 58, l4), 0) << "ICMPv6 checksum";
  else
    EXPECT_EQ(internet_checksum(l4), 0) << "ICMP checksum";
}

TEST_P(RejectBuild, OtherProtocolsGetAdministrativelyProhibited) {
  const bool v6 = GetParam();
  auto out = build_icmp_unreachable(ip_packet(v6, 47 /*GRE*/, Packet(12, 0)));
  ASSERT_TRUE(out.ok()) << out.error().message;
  auto icmp = wire::IcmpView::from(core::Bytes(*out).subspan(v6 ? 40 : 20));
  EXPECT_EQ(icmp->code(), v6 ? kIcmp6CodeAdmin : kIcmpCodeHostProhibited);
}

TEST_P(RejectBuild, NothingIsDueForResetsErrorsAndMulticast) {
  const bool v6 = GetParam();
  EXPECT_FALSE(build_tcp_reset(ip_packet(v6, 6, tcp_segment(1, 2, 0x04, 0)), true).ok());
  Packet err(8, 0);
  err[0] = v6 ? 1 : 3;  // destination unreachable itself
  EXPECT_FALSE(build_icmp_unreachable(ip_packet(v6, v6 ? 58 : 1, err)).ok());
  EXPECT_FALSE(build_reject(ip_packet(v6, 17, Packet(8, 0)), RejectDirection::kDestination).ok());
  Packet mc = ip_packet(v6, 17, Packet(8, 0));
  mc[v6 ? 24 : 16] = v6 ? 0xff : 224;  // multicast destination
  EXPECT_FALSE(build_icmp_unreachable(mc).ok());
}

INSTANTIATE_TEST_SUITE_P(IpVersions, RejectBuild, ::testing::Values(false, true),
                         [](const auto& info) { return info.param ? "ipv6" : "ipv4"; });

TEST(RejectBuildInput, TruncatedAndGarbageInputIsRefusedNotCrashed) {
  for (size_t n = 0; n < 60; ++n) {
    Packet p = ip_packet(false, 6, tcp_segment(1, 2, 0x10, 0));
    p.resize(std::min(n, p.size()));
    (void)build_reject(p, RejectDirection::kBoth);
    Packet q = ip_packet(true, 6, tcp_segment(1, 2, 0x10, 0));
    q.resize(std::min(n, q.size()));
    (void)build_reject(q, RejectDirection::kBoth);
  }
  Packet bad_ihl = ip_packet(false, 6, tcp_segment(1, 2, 0x10, 0));
  bad_ihl[0] = 0x4f;  // 60-byte header claimed, 40 bytes present
  EXPECT_FALSE(build_reject(bad_ihl, RejectDirection::kSource).ok());
  Packet ext = ip_packet(true, 0 /*hop-by-hop*/, Packet{6, 200});  // extension runs off the end
  EXPECT_FALSE(build_reject(ext, RejectDirection::kSource).ok());
}

// ---- live: reset a real connection inside a namespace ----

int poll_recv_error(int fd, int ms) {
  pollfd p{fd, POLLIN, 0};
  if (::poll(&p, 1, ms) != 1) return 0;
  char c;
  return ::recv(fd, &c, 1, MSG_DONTWAIT) < 0 ? errno : 0;
}

TEST(RejectLive, ResetFromOneCapturedAckKillsBothEnds) {
  testing::TestNetns ns("rej");
  CAPTURE_NETNS_OR_SKIP(ns);
  PcapLiveConfig pc;
  pc.interface = "lo";
  pc.bpf_filter = "tcp port 5555";
  pc.poll_timeout_ms = 50;
  auto cap = PcapLive::open(pc);
  ASSERT_TRUE(cap.ok()) << cap.error().message;

  const int lfd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(5555);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(lfd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(::listen(lfd, 4), 0);
  const int cfd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  ASSERT_EQ(::connect(cfd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  const int sfd = ::accept(lfd, nullptr, nullptr);
  ASSERT_GE(sfd, 0);

  // The handshake's last packet: client -> server, ACK only, no data. Its
  // seq is the server's RCV.NXT and its ack the client's RCV.NXT.
  Packet ack;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  while (ack.empty() && std::chrono::steady_clock::now() < deadline) {
    LivePacket p;
    if ((*cap)->next(p) != 1) continue;
    ASSERT_EQ(p.linktype, 1);  // lo: Ethernet with zero addresses
    core::Bytes ip = p.data.subspan(14);
    auto tcp = wire::TcpView::from(ip.subspan(20));
    if (tcp && tcp->dst_port() == 5555 && tcp->flags() == 0x10 && ip.size() == 20 + tcp->header_length())
      ack.assign(ip.begin(), ip.end());
  }
  ASSERT_FALSE(ack.empty()) << "no handshake ACK captured";

  auto sender = RejectSender::open_raw();
  ASSERT_TRUE(sender.ok()) << sender.error().message;
  EXPECT_TRUE(sender->reject(ack, RejectDirection::kBoth)) << sender->error();
  EXPECT_EQ(sender->stats().sent, 2u);
  EXPECT_EQ(poll_recv_error(cfd, 1000), ECONNRESET) << "client not reset";
  EXPECT_EQ(poll_recv_error(sfd, 1000), ECONNRESET) << "server not reset";
  ::close(cfd);
  ::close(sfd);
  ::close(lfd);
}

// First TCP frame `src` delivers within two seconds, or empty.
Packet next_tcp_frame(AfPacket& src) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  while (std::chrono::steady_clock::now() < deadline) {
    LivePacket p;
    if (src.next(p) == 1 && p.data.size() >= 54 && p.data[12] == 0x08 && p.data[23] == 6)
      return Packet(p.data.begin(), p.data.end());
  }
  return {};
}

TEST(RejectLive, BridgeSendsEachResetOutOfItsSide) {
  testing::TestNetns ns("rejbr");
  CAPTURE_NETNS_OR_SKIP(ns);
  // source host - capt0 | capt1 [bridge] capt2 | capt3 - destination host
  ASSERT_TRUE(ns.veth("capt0", "capt1"));
  ASSERT_TRUE(ns.veth("capt2", "capt3"));
  std::vector<std::unique_ptr<AfPacket>> watch;
  for (const char* side : {"capt0", "capt3"}) {
    AfPacketConfig c;
    c.interface = side;
    c.cluster_id = uint16_t(watch.size() + 1);
    c.poll_timeout_ms = 20;
    auto s = AfPacket::open(c, 0);
    ASSERT_TRUE(s.ok()) << s.error().message;
    watch.push_back(std::move(*s));
  }
  auto sender = RejectSender::open_bridge("capt1", "capt2");
  ASSERT_TRUE(sender.ok()) << sender.error().message;

  const uint8_t mac_a[6] = {2, 0, 0, 0, 0, 0xa}, mac_b[6] = {2, 0, 0, 0, 0, 0xb};
  Packet eth(14, 0);
  std::memcpy(&eth[0], mac_b, 6);  // A -> B
  std::memcpy(&eth[6], mac_a, 6);
  eth[12] = 0x08;
  const Packet ip = ip_packet(false, 6, tcp_segment(1000, 5000, 0x18, 4));
  EXPECT_TRUE(sender->reject(ip, RejectDirection::kBoth, eth)) << sender->error();

  const Packet to_a = next_tcp_frame(*watch[0]);
  const Packet to_b = next_tcp_frame(*watch[1]);
  ASSERT_FALSE(to_a.empty()) << "no RST reached the source side";
  ASSERT_FALSE(to_b.empty()) << "no RST reached the destination side";
  EXPECT_EQ(std::memcmp(&to_a[0], mac_a, 6), 0);  // to A, from B
  EXPECT_EQ(std::memcmp(&to_a[6], mac_b, 6), 0);
  EXPECT_EQ(std::memcmp(&to_b[0], mac_b, 6), 0);  // to B, from A
  EXPECT_EQ(std::memcmp(&to_b[6], mac_a, 6), 0);
  auto rst_a = wire::TcpView::from(core::Bytes(to_a).subspan(34));
  auto rst_b = wire::TcpView::from(core::Bytes(to_b).subspan(34));
  EXPECT_EQ(rst_a->dst_port(), 1234);
  EXPECT_EQ(rst_a->seq(), 5000u);
  EXPECT_EQ(rst_b->dst_port(), 80);
  EXPECT_EQ(rst_b->seq(), 1000u);
  EXPECT_EQ(sender->stats().sent, 2u);
}

}  // namespace
}  // namespace pasban::capture
