// Live packet sources. A worker thread owns one Source and loops on next();
// an inline source (NFQUEUE, AF_PACKET in IPS copy mode) also needs exactly
// one verdict() per packet it returned. Everything here is single-threaded
// per object: stats() is meant to be called by the owning worker.
#pragma once
#include <cstdint>
#include <string>

#include "core/bytes.h"
#include "core/timestamp.h"

namespace pasban::capture {

struct LivePacket {
  core::Timestamp ts;
  core::Bytes data;        // valid until the next next() or verdict() call
  uint32_t orig_len = 0;   // length on the wire; data may be shorter (snaplen)
  uint32_t id = 0;         // NFQUEUE packet id, or a running number
  int linktype = 0;        // DLT value for the decoder (1 Ethernet, 101 raw IP)
  // The kernel says the transport checksum is unfinished (offloaded to the
  // NIC, CHECKSUM_PARTIAL on veth and local traffic) or already verified:
  // checksum validation must skip this packet or it flags valid traffic.
  bool checksum_unverifiable = false;
};

enum class Verdict : uint8_t { kAccept, kDrop };

// Counters of one source; all cumulative since open. Names in comments are
// the Suricata stats names the runtime should publish them under.
struct SourceStats {
  uint64_t received = 0;        // packets next() returned
  uint64_t kernel_packets = 0;  // capture.kernel_packets (AF_PACKET, pcap)
  uint64_t kernel_drops = 0;    // capture.kernel_drops: ring/queue full
  uint64_t kernel_ifdrops = 0;  // capture.kernel_ifdrops (pcap only)
  uint64_t accepted = 0;        // ips.accepted
  uint64_t dropped = 0;         // ips.blocked
  // Packets the kernel let through without asking us because the queue was
  // full (NFQUEUE fail-open), or that we never saw for other reasons.
  uint64_t bypassed = 0;
  uint64_t overflows = 0;       // socket receive buffer overflowed (ENOBUFS)
  uint64_t flushed = 0;         // pending verdicts given at close
  uint64_t forwarded = 0;       // AF_PACKET copy mode: sent to the peer
  uint64_t send_errors = 0;     // capture.afpacket.send_errors
  uint64_t errors = 0;          // capture.errors
};

class Source {
 public:
  virtual ~Source() = default;
  // 1: a packet in out; 0: nothing within the poll timeout (check the stop
  // flag and call again); -1: fatal, error() names the interface/queue.
  virtual int next(LivePacket& out) = 0;
  // True: every packet next() returns must get exactly one verdict().
  virtual bool is_inline() const { return false; }
  // Inline sources act on it; passive ones ignore it and return true.
  virtual bool verdict(const LivePacket& p, Verdict v) { return true; }
  // Not const: reading the kernel's counters resets them (AF_PACKET), so
  // the source accumulates them.
  virtual SourceStats stats() = 0;
  virtual const std::string& error() const = 0;
  // "af-packet eth0 (cluster 99, socket 2/4)", for logs.
  virtual std::string describe() const = 0;
};

}  // namespace pasban::capture
