// The reject verdict sink (Suricata's reject, rejectsrc, rejectdst,
// rejectboth): builds a TCP RST, or for other protocols an ICMP/ICMPv6
// destination-unreachable, answering one IP packet, and sends it through
// raw IP sockets or, in an AF_PACKET bridge, out of an interface inside an
// Ethernet frame (Suricata's reject-device). Headers are read with the
// views in wire/.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "capture/netdev.h"
#include "core/bytes.h"
#include "core/result.h"

namespace pasban::capture {

enum class RejectDirection : uint8_t {
  kSource,       // reject, rejectsrc: tell the sender
  kDestination,  // rejectdst: tell the receiver (TCP only)
  kBoth,         // rejectboth
};

// ICMP codes used for non-TCP packets: port unreachable for UDP (what a
// closed port answers), administratively prohibited otherwise.
inline constexpr uint8_t kIcmpUnreach = 3;
inline constexpr uint8_t kIcmpCodePort = 3;
inline constexpr uint8_t kIcmpCodeHostProhibited = 10;
inline constexpr uint8_t kIcmp6Unreach = 1;
inline constexpr uint8_t kIcmp6CodeAdmin = 1;
inline constexpr uint8_t kIcmp6CodePort = 4;

// Pure builders: `ip` starts with the offending packet's IPv4 or IPv6
// header. Errors say why no answer is due ("a RST is never answered", "not
// the first fragment", ...).
//
// RST sequence numbers (RFC 9293 3.10.7.x, RFC 5961 section 3): toward the
// source, seq = the packet's ACK number (exactly the source's RCV.NXT) and
// ack = its seq + segment length; without ACK, seq 0 and ACK set. Toward the
// destination, seq = the packet's own seq: the packet was dropped inline,
// so that is exactly what the destination expects next.
core::Result<std::vector<uint8_t>> build_tcp_reset(core::Bytes ip, bool to_source);
// ICMP error toward the source, quoting the IP header + 8 bytes (IPv4,
// RFC 792) or as much as fits in 1280 bytes (IPv6, RFC 4443 2.4(c)).
core::Result<std::vector<uint8_t>> build_icmp_unreachable(core::Bytes ip);

struct RejectPacket {
  std::vector<uint8_t> bytes;  // from the IP header on
  bool to_source = true;       // device mode: swap the Ethernet addresses
};
// The packets `ip` asks for in direction `dir`, in send order (source
// first). Non-TCP packets are answered only toward the source: an ICMP
// error quoting a packet the destination never sent would mean nothing.
core::Result<std::vector<RejectPacket>> build_reject(core::Bytes ip, RejectDirection dir);

// Internet checksum (RFC 1071) over bytes, with an initial partial sum.
uint16_t internet_checksum(core::Bytes b, uint32_t sum = 0);

struct RejectStats {
  uint64_t sent = 0;        // packets sent (ips.rejected counts rejected packets)
  uint64_t not_due = 0;     // nothing to send (RST to a RST, ICMP error, ...)
  uint64_t send_errors = 0;
};

class RejectSender {
 public:
  // Raw IPv4 (IPPROTO_RAW, header included) and IPv6 sockets.
  static core::Result<RejectSender> open_raw();
  // Ethernet frames out of `iface` in both directions (reject-device).
  static core::Result<RejectSender> open_device(const std::string& iface);
  // An AF_PACKET bridge: answers to the source leave through the interface
  // the packet came in on, answers to the destination through the peer
  // (copy-iface), so each reaches its host without a routing table.
  static core::Result<RejectSender> open_bridge(const std::string& source_side,
                                                const std::string& destination_side);

  // `ip` is the offending packet from its IP header on. `eth` is its
  // Ethernet header (14 bytes) when known: device mode needs it for the
  // MAC addresses and swaps them for answers to the source. Returns true
  // when every due packet was sent.
  bool reject(core::Bytes ip, RejectDirection dir, core::Bytes eth = {});
  const RejectStats& stats() const { return st_; }
  const std::string& error() const { return error_; }

  RejectSender(RejectSender&&) noexcept;
  RejectSender& operator=(RejectSender&&) noexcept;
  RejectSender(const RejectSender&) = delete;
  RejectSender& operator=(const RejectSender&) = delete;
  ~RejectSender();

 private:
  RejectSender() = default;
  bool send_raw(const RejectPacket& pkt);
  bool send_frame(const RejectPacket& pkt, core::Bytes eth);

  int fd4_ = -1;
  int fd6_ = -1;
  std::optional<FrameSender> device_;      // toward the source (or both)
  std::optional<FrameSender> device_dst_;  // bridge: toward the destination
  std::vector<uint8_t> frame_;
  RejectStats st_;
  std::string error_;
};

}  // namespace pasban::capture
