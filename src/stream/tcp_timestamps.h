// TCP timestamp validation (PAWS, RFC 7323 section 5) as Suricata's stream
// engine does it. Once both hosts offered the timestamp option in the
// handshake, a packet whose TSval went backwards from its sender's last
// accepted one, or is 0 where the receiving stack rejects 0, is invalid:
// the receiver drops it, so reassembly must ignore it too (otherwise an
// attacker's segment with a stale timestamp would be reassembled although
// the host never accepts it). Such packets raise
// stream.pkt_invalid_timestamp.
#pragma once
#include <cstdint>

#include "decode/packet.h"
#include "stream/overlap_policy.h"

namespace pasban::stream {

class TcpTimestamps {
 public:
  // One TCP packet of the flow. receiver_policy is the OS policy of the
  // host receiving it; at_next_seq tells whether the packet starts at the
  // sender's next expected sequence number. False: the packet is invalid
  // and must be ignored.
  bool check(const decode::Packet& p, bool to_server, OverlapPolicy receiver_policy,
             bool at_next_seq);
  bool enabled() const { return enabled_; }

 private:
  struct Side {
    bool offered = false;   // the SYN (or SYN/ACK) carried a timestamp
    bool zero = false;      // ... whose value was 0
    uint32_t last_ts = 0;   // last accepted TSval
    int64_t last_sec = 0;   // capture time (seconds) of that packet
  };
  bool valid_answer_to_syn(const decode::Packet& p) const;
  void on_syn(const decode::Packet& p, bool to_server);
  bool valid(const decode::Packet& p, const Side& sender, OverlapPolicy policy,
             bool at_next_seq) const;
  void accept(const decode::Packet& p, Side& sender);

  Side side_[2];  // [0] client (to_server), [1] server
  bool enabled_ = false;  // both sides offered timestamps
  bool syn_seen_ = false, synack_seen_ = false;  // the handshake so far
};

}  // namespace pasban::stream
