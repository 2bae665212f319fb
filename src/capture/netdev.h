// Small Linux network-device helpers shared by the live sources and the
// reject sink: interface lookups and an AF_PACKET socket that transmits
// whole Ethernet frames out of one interface.
#pragma once
#include <cstdint>
#include <string>

#include "core/bytes.h"
#include "core/result.h"

namespace pasban::capture {

struct NetDevice {
  int index = 0;
  uint32_t mtu = 0;
  bool up = false;
  uint8_t mac[6] = {};
};

// Errors name the interface: "interface capt0: no such device".
core::Result<NetDevice> lookup_device(const std::string& name);

// Owns an AF_PACKET/SOCK_RAW socket bound to one interface for sending.
class FrameSender {
 public:
  FrameSender() = default;
  ~FrameSender();
  FrameSender(FrameSender&& o) noexcept;
  FrameSender& operator=(FrameSender&& o) noexcept;
  FrameSender(const FrameSender&) = delete;
  FrameSender& operator=(const FrameSender&) = delete;

  static core::Result<FrameSender> open(const std::string& iface);
  // Sends one frame (Ethernet header included); false on error (errno set).
  bool send(core::Bytes frame) const;
  int fd() const { return fd_; }
  int ifindex() const { return ifindex_; }

 private:
  int fd_ = -1;
  int ifindex_ = 0;
};

}  // namespace pasban::capture
