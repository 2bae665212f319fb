// Test support for the live capture tests: a network namespace the test
// creates and always deletes (also when an assertion fails), entered by
// the calling thread only, plus a raw frame sender and a frame builder.
#pragma once
#include <arpa/inet.h>
#include <fcntl.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <sched.h>
#include <sys/socket.h>
#include <signal.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "capture/reject.h"

namespace pasban::capture::testing {

// Runs a shell command quietly; true on exit status 0.
inline bool sh(const std::string& cmd) {
  return std::system((cmd + " >/dev/null 2>&1").c_str()) == 0;
}

class TestNetns {
 public:
  // `tag` makes the name unique per test: capt-<tag>-<pid>.
  explicit TestNetns(const std::string& tag)
      : name_("capt-" + tag + "-" + std::to_string(::getpid())) {
    if (::geteuid() != 0) {
      why_ = "needs root for network namespaces";
      return;
    }
    remove_orphans();
    if (!sh("ip netns add " + name_)) {
      why_ = "cannot create network namespace " + name_;
      return;
    }
    created_ = true;
    if (!exec("ip link set lo up")) {
      why_ = "cannot bring up lo in " + name_;
      return;
    }
    exec("sysctl -w net.ipv6.conf.all.disable_ipv6=1");  // no router solicitations
    exec("sysctl -w net.ipv6.conf.default.disable_ipv6=1");
    const std::string path = "/var/run/netns/" + name_;
    const int target = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    home_ = ::open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
    if (target < 0 || home_ < 0 || ::setns(target, CLONE_NEWNET) != 0) {
      why_ = "cannot enter network namespace " + name_ + ": " + std::strerror(errno);
    } else {
      entered_ = true;
    }
    if (target >= 0) ::close(target);
  }
  ~TestNetns() {
    if (entered_) ::setns(home_, CLONE_NEWNET);
    if (home_ >= 0) ::close(home_);
    if (created_) sh("ip netns del " + name_);
  }
  TestNetns(const TestNetns&) = delete;
  TestNetns& operator=(const TestNetns&) = delete;

  // Namespaces of earlier runs that were killed before their destructor
  // ran: ours by prefix, orphaned when the pid in the name is gone.
  static void remove_orphans() {
    namespace fs = std::filesystem;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator("/var/run/netns", ec)) {
      const std::string n = e.path().filename().string();
      const size_t dash = n.rfind('-');
      if (n.rfind("capt-", 0) != 0 || dash == std::string::npos) continue;
      const int pid = std::atoi(n.c_str() + dash + 1);
      if (pid > 0 && ::kill(pid, 0) != 0 && errno == ESRCH) sh("ip netns del " + n);
    }
  }

  bool ready() const { return entered_; }
  const std::string& why_not() const { return why_; }
  const std::string& name() const { return name_; }
  bool exec(const std::string& cmd) const { return sh("ip netns exec " + name_ + " " + cmd); }
  // A veth pair a <-> b, both up, inside the namespace.
  bool veth(const std::string& a, const std::string& b) const {
    return exec("ip link add " + a + " type veth peer name " + b) &&
           exec("ip link set " + a + " up") && exec("ip link set " + b + " up");
  }

 private:
  std::string name_;
  std::string why_;
  int home_ = -1;
  bool created_ = false;
  bool entered_ = false;
};

#define CAPTURE_NETNS_OR_SKIP(ns)                              \
  if (!(ns).ready()) GTEST_SKIP() << (ns).why_not();

// An Ethernet + IPv4 + UDP frame with a valid IPv4 checksum (UDP checksum
// 0: "none", allowed for IPv4) and `payload`.
inline std::vector<uint8_t> udp_frame(uint32_t src_ip, uint32_t dst_ip, uint16_t sport,
                                      uint16_t dport, const std::string& payload) {
  std::vector<uint8_t> f(14 + 20 + 8 + payload.size(), 0);
  std::memset(f.data(), 0xff, 6);  // broadcast: every receiver takes it
  const uint8_t src_mac[6] = {0x02, 0, 0, 0, 0, 0x01};
  std::memcpy(f.data() + 6, src_mac, 6);
  f[12] = 0x08;
  uint8_t* ip = f.data() + 14;
  ip[0] = 0x45;
  const uint16_t tot = uint16_t(20 + 8 + payload.size());
  ip[2] = uint8_t(tot >> 8);
  ip[3] = uint8_t(tot);
  ip[8] = 64;
  ip[9] = 17;
  for (int i = 0; i < 4; ++i) {
    ip[12 + i] = uint8_t(src_ip >> (24 - 8 * i));
    ip[16 + i] = uint8_t(dst_ip >> (24 - 8 * i));
  }
  const uint16_t ck = internet_checksum(core::Bytes(ip, 20));
  ip[10] = uint8_t(ck >> 8);
  ip[11] = uint8_t(ck);
  uint8_t* udp = ip + 20;
  udp[0] = uint8_t(sport >> 8);
  udp[1] = uint8_t(sport);
  udp[2] = uint8_t(dport >> 8);
  udp[3] = uint8_t(dport);
  const uint16_t ulen = uint16_t(8 + payload.size());
  udp[4] = uint8_t(ulen >> 8);
  udp[5] = uint8_t(ulen);
  std::memcpy(udp + 8, payload.data(), payload.size());
  return f;
}

// The UDP payload of a frame udp_frame() built, or "" for anything else.
inline std::string udp_payload(core::Bytes frame) {
  if (frame.size() < 42 || frame[12] != 0x08 || frame[13] != 0x00 || frame[23] != 17) return {};
  return std::string(reinterpret_cast<const char*>(frame.data()) + 42, frame.size() - 42);
}

// Sends frames out of one interface with a plain AF_PACKET socket.
class RawSender {
 public:
  explicit RawSender(const std::string& iface) {
    fd_ = ::socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
    sll_.sll_family = AF_PACKET;
    sll_.sll_ifindex = int(if_nametoindex(iface.c_str()));
    sll_.sll_halen = 6;
  }
  ~RawSender() {
    if (fd_ >= 0) ::close(fd_);
  }
  bool ok() const { return fd_ >= 0 && sll_.sll_ifindex != 0; }
  bool send(const std::vector<uint8_t>& f) {
    return ::sendto(fd_, f.data(), f.size(), 0, reinterpret_cast<sockaddr*>(&sll_), sizeof sll_) ==
           ssize_t(f.size());
  }

 private:
  int fd_ = -1;
  sockaddr_ll sll_{};
};

}  // namespace pasban::capture::testing
