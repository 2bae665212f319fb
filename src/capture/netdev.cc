#include "capture/netdev.h"

#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

namespace pasban::capture {

namespace {

std::string device_error(const std::string& name, const char* what) {
  return "interface " + name + ": " + what + ": " + std::strerror(errno);
}

}  // namespace

core::Result<NetDevice> lookup_device(const std::string& name) {
  if (name.empty() || name.size() >= IFNAMSIZ)
    return core::make_error("interface '" + name + "': invalid name");
  NetDevice dev;
  dev.index = int(if_nametoindex(name.c_str()));
  if (dev.index == 0) return core::make_error(device_error(name, "lookup failed"));
  const int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return core::make_error(device_error(name, "socket"));
  ifreq ifr{};
  std::memcpy(ifr.ifr_name, name.c_str(), name.size());
  std::string err;
  if (::ioctl(fd, SIOCGIFMTU, &ifr) == 0)
    dev.mtu = uint32_t(ifr.ifr_mtu);
  else
    err = device_error(name, "SIOCGIFMTU");
  if (err.empty() && ::ioctl(fd, SIOCGIFFLAGS, &ifr) == 0)
    dev.up = (ifr.ifr_flags & IFF_UP) != 0;
  else if (err.empty())
    err = device_error(name, "SIOCGIFFLAGS");
  if (err.empty() && ::ioctl(fd, SIOCGIFHWADDR, &ifr) == 0)
    std::memcpy(dev.mac, ifr.ifr_hwaddr.sa_data, 6);
  else if (err.empty())
    err = device_error(name, "SIOCGIFHWADDR");
  ::close(fd);
  if (!err.empty()) return core::make_error(err);
  return dev;
}

FrameSender::~FrameSender() {
  if (fd_ >= 0) ::close(fd_);
}

FrameSender::FrameSender(FrameSender&& o) noexcept
    : fd_(std::exchange(o.fd_, -1)), ifindex_(o.ifindex_) {}

FrameSender& FrameSender::operator=(FrameSender&& o) noexcept {
  if (this != &o) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(o.fd_, -1);
    ifindex_ = o.ifindex_;
  }
  return *this;
}

core::Result<FrameSender> FrameSender::open(const std::string& iface) {
  auto dev = lookup_device(iface);
  if (!dev) return dev.error();
  FrameSender s;
  // Protocol 0: this socket only transmits, so it must not get a copy of
  // every frame on the host queued to it.
  s.fd_ = ::socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
  if (s.fd_ < 0) return core::make_error(device_error(iface, "AF_PACKET socket"));
  s.ifindex_ = dev->index;
  sockaddr_ll sll{};
  sll.sll_family = AF_PACKET;
  sll.sll_protocol = 0;
  sll.sll_ifindex = dev->index;
  if (::bind(s.fd_, reinterpret_cast<sockaddr*>(&sll), sizeof sll) != 0)
    return core::make_error(device_error(iface, "bind for sending"));
  return s;
}

bool FrameSender::send(core::Bytes frame) const {
  if (fd_ < 0) {
    errno = EBADF;
    return false;
  }
  const ssize_t n = ::send(fd_, frame.data(), frame.size(), MSG_DONTWAIT);
  return n == ssize_t(frame.size());
}

}  // namespace pasban::capture
