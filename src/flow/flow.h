// A bidirectional flow: the 5-tuple as first seen (client -> server), the
// TCP state the `flow:` keyword needs, counters and per-flow detect state.
#pragma once
#include <cstdint>
#include <memory>
#include <vector>

#include "core/ip_address.h"
#include "core/timestamp.h"

namespace pasban::flow {

// Suricata's TCP session states; their names appear in EVE flow records.
enum class TcpState : uint8_t {
  kNone,         // no session tracked (mid-stream pick-up while midstream is off)
  kSynSent,      // client sent SYN
  kSynRecv,      // server answered SYN/ACK
  kEstablished,  // three-way handshake complete (or mid-stream pick-up)
  kFinWait1,     // client sent FIN
  kFinWait2,     // server acknowledged the client's FIN
  kClosing,      // both sent FIN before either was acknowledged
  kCloseWait,    // server sent FIN first
  kLastAck,      // client answered the server's FIN with its own
  kTimeWait,     // both FINs sent and the last one is being acknowledged
  kClosed,       // RST, or the close completed
};
const char* tcp_state_name(TcpState s);

// Flows hold per-stage state of later stages (reassembly, parsers) behind
// this base so flow/ does not depend on them.
struct FlowExtension {
  virtual ~FlowExtension() = default;
};

struct FlowKey {
  core::IpAddress lo_addr, hi_addr;  // ordered so both directions give one key
  uint16_t lo_port = 0, hi_port = 0;
  uint8_t proto = 0;
  uint16_t vlan0 = 0, vlan1 = 0;  // vlan.use-for-tracking: VLANs separate flows

  friend bool operator==(const FlowKey&, const FlowKey&) = default;
  template <typename H>
  friend H AbslHashValue(H h, const FlowKey& k) {
    return H::combine(std::move(h), k.lo_addr, k.hi_addr, k.lo_port, k.hi_port, k.proto, k.vlan0, k.vlan1);
  }
};

struct Flow {
  FlowKey key;
  core::IpAddress client, server;  // src/dest as EVE writes them
  uint16_t client_port = 0, server_port = 0;
  uint8_t proto = 0;
  uint64_t flow_id = 0;
  uint16_t vlan_ids[2] = {0, 0};
  uint8_t vlan_count = 0;

  core::Timestamp start, last;
  uint64_t pkts_toserver = 0, pkts_toclient = 0;
  uint64_t bytes_toserver = 0, bytes_toclient = 0;

  TcpState tcp_state = TcpState::kNone;
  bool ever_established = false;
  uint8_t tcp_flags_toserver = 0, tcp_flags_toclient = 0;  // OR of flags seen
  bool seen_toserver = false, seen_toclient = false;
  bool midstream = false;

  // Detection state.
  std::vector<uint32_t> flowbits;  // sorted ids of set bits
  bool alerted = false;
  bool pass = false;  // a pass rule matched: skip detection for the rest of the flow
  bool drop = false;  // a drop rule matched (IPS): drop the rest of the flow
  bool iponly_toserver_done = false, iponly_toclient_done = false;

  // Later stages' state (stream reassembly and app-layer parser) and the
  // detected application protocol (an app::AppProto value).
  std::unique_ptr<FlowExtension> app_state;
  uint8_t app_proto = 0;

  // Intrusive LRU links, owned by FlowTable.
  Flow* lru_prev = nullptr;
  Flow* lru_next = nullptr;

  bool has_flowbit(uint32_t id) const;
  void set_flowbit(uint32_t id);
  void unset_flowbit(uint32_t id);
};

}  // namespace pasban::flow
