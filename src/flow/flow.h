// A bidirectional flow: the 5-tuple as first seen (client -> server), the
// TCP state the `flow:` keyword needs, counters and per-flow detect state.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
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
  // Tunnel nesting level (decoder.recursion-level.use-for-tracking): an
  // inner packet never shares a flow with an outer one of the same tuple.
  uint8_t recursion = 0;

  friend bool operator==(const FlowKey&, const FlowKey&) = default;
  template <typename H>
  friend H AbslHashValue(H h, const FlowKey& k) {
    return H::combine(std::move(h), k.lo_addr, k.hi_addr, k.lo_port, k.hi_port, k.proto, k.vlan0,
                      k.vlan1, k.recursion);
  }
};

// A `tag` keyword's state on a flow (session tags) or a host (host tags):
// what is counted since the alert and the limit. Owned by detect/eval's
// TagTracker; kept here like flowbits so it ends with its flow.
struct TagEntry {
  uint32_t sid = 0, gid = 0;
  uint8_t metric = 0;  // detect::keywords::TagSpec::Metric
  bool skipped_first = false;  // the alerting packet has been counted
  uint16_t matches = 0;        // times the rule re-alerted (restarts are capped)
  uint32_t count = 0;
  uint64_t packets = 0, bytes = 0;
  int64_t first_sec = 0, last_sec = 0;
};

struct Flow {
  FlowKey key;
  core::IpAddress client, server;  // src/dest as EVE writes them
  uint16_t client_port = 0, server_port = 0;
  uint8_t proto = 0;
  uint64_t flow_id = 0;
  // Where the flow began, independent of the thread count: the global
  // number of the packet that created it (high bits) and its rank among the
  // flows that packet created (low 8 bits). Orders flow ends canonically.
  uint64_t origin = 0;
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

  // Detection state. Variables keep the order they were first set in, as
  // Suricata's per-flow variable list does (EVE `metadata` lists them so).
  std::vector<uint32_t> flowbits;  // ids of set bits
  struct IntVar {
    uint32_t id;
    uint32_t value;
  };
  struct StrVar {
    uint32_t id;
    std::string value;
  };
  std::vector<IntVar> flowints;
  std::vector<StrVar> flowvars;
  // TCP sequence progress per direction ([0] client, [1] server) for
  // stream_size: the initial sequence number and the next one expected.
  struct SeqProgress {
    uint32_t isn = 0, next_seq = 0;
    bool known = false;
  };
  SeqProgress tcp_seq[2];
  bool alerted = false;
  bool pass = false;  // a pass rule matched: skip detection for the rest of the flow
  bool drop = false;  // a drop rule matched (IPS): drop the rest of the flow
  uint8_t drop_logged = 0;  // drop records written: bit 0 to server, bit 1 to client
  bool iponly_toserver_done = false, iponly_toclient_done = false;
  std::vector<TagEntry> tags;  // session tags

  // Later stages' state (stream reassembly and app-layer parser) and the
  // detected application protocol (an app::AppProto value).
  std::unique_ptr<FlowExtension> app_state;
  uint8_t app_proto = 0;
  // The protocol one direction was detected as when it differs from
  // app_proto ([0] to server, [1] to client; EVE app_proto_ts/_tc).
  std::string_view app_proto_dir[2];

  // Intrusive LRU links, owned by FlowTable.
  Flow* lru_prev = nullptr;
  Flow* lru_next = nullptr;

  bool has_flowbit(uint32_t id) const;
  void set_flowbit(uint32_t id);
  void unset_flowbit(uint32_t id);
  const IntVar* flowint(uint32_t id) const;
  void set_flowint(uint32_t id, uint32_t value);
  const StrVar* flowvar(uint32_t id) const;
  void set_flowvar(uint32_t id, std::string_view value);
};

}  // namespace pasban::flow
