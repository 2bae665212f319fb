// The flow table: finds or creates the Flow of each packet, tracks the TCP
// handshake for the `flow:` keyword, and expires flows by timeout, under a
// memcap whose evictions are counted (flow.memcap, flow.mgr.flows_evicted,
// flow.emerg_mode_entered/over).
#pragma once
#include <absl/container/flat_hash_map.h>

#include <functional>
#include <memory>
#include <vector>

#include "core/counters.h"
#include "decode/packet.h"
#include "flow/flow.h"

namespace pasban::flow {

struct FlowTimeouts {
  uint32_t new_s = 30, established_s = 300, closed_s = 0;
};

struct FlowConfig {
  uint64_t memcap = 128ull << 20;
  bool midstream = false;       // stream.midstream
  bool recursion_for_tracking = true;  // decoder.recursion-level.use-for-tracking
  bool tcp_checksum_gate = true;  // bad TCP checksums do not move TCP state (stream.checksum-validation)
  FlowTimeouts tcp{60, 3600, 60}, udp{30, 300, 0}, icmp{30, 300, 0}, other{30, 300, 0};
};

enum class EndReason : uint8_t { kTimeout, kForced, kShutdown };

// True while Suricata's flow state for a TCP session is "established".
bool tcp_state_counts_established(TcpState s);

class FlowTable {
 public:
  using EndCallback = std::function<void(Flow&, EndReason)>;

  FlowTable(FlowConfig config, core::Counters& counters);
  ~FlowTable();
  FlowTable(const FlowTable&) = delete;
  FlowTable& operator=(const FlowTable&) = delete;

  // Finds or creates p's flow, updates direction, counters and TCP state,
  // and sets p.flow / p.to_server. Packets without ports-or-ICMP (or with
  // no IP layer) get no flow unless they are other IP protocols.
  void handle(decode::Packet& p);
  // Ends flows idle past their timeout at time now.
  void expire(core::Timestamp now);
  // True when a sweep is due at packet time now (once per second of packet
  // time). The caller sweeps at the start of a packet, before its flow is
  // looked up, so that every worker of a pool sweeps at the same packets.
  bool sweep_due(core::Timestamp now) const;
  // Ends every flow (end of input).
  void flush();
  // The live flows in origin order, and ending one of them: a pool ends the
  // flows of all its workers in one canonical order at shutdown.
  std::vector<Flow*> flows_by_origin() const;
  void end_flow(Flow* f, EndReason why) { end(f, why); }
  void set_end_callback(EndCallback cb) { on_end_ = std::move(cb); }
  // Visits every live flow (a rule reload renumbers per-flow rule state).
  template <class Fn>
  void for_each(Fn&& fn) {
    for (auto& kv : table_) fn(*kv.second);
  }
  size_t size() const { return table_.size(); }
  size_t max_flows() const { return max_flows_; }

 private:
  Flow* create(const FlowKey& key, const decode::Packet& p);
  void end(Flow* f, EndReason why);
  void lru_touch(Flow* f);
  void lru_unlink(Flow* f);
  // The flow to end at the memcap: the least recently seen one that was
  // never answered, among the oldest few; else the least recently seen.
  Flow* eviction_victim() const;
  void update_tcp(Flow& f, const decode::Packet& p, bool to_server);
  // An ICMP error joins the flow of the datagram it reports, if known.
  bool join_error_flow(decode::Packet& p);
  const FlowTimeouts& timeouts(uint8_t proto) const;
  uint32_t timeout_for(const Flow& f) const;

  FlowConfig config_;
  core::Counters& counters_;
  absl::flat_hash_map<FlowKey, std::unique_ptr<Flow>> table_;
  Flow* lru_head_ = nullptr;  // least recently seen
  Flow* lru_tail_ = nullptr;  // most recently seen
  size_t max_flows_;
  bool emergency_ = false;  // at the memcap, until back under the recovery mark
  uint32_t min_timeout_ = 0;  // shortest timeout any flow can have (expire's stop rule)
  core::Timestamp last_sweep_;
  uint64_t origin_packet_ = 0;  // pcap_cnt of the last flow created
  uint8_t origin_rank_ = 0;     // flows created by that packet so far
  EndCallback on_end_;
  core::Counters::Id c_total_, c_tcp_, c_udp_, c_icmpv4_, c_icmpv6_, c_memcap_, c_active_,
      c_timeout_, c_reuse_, c_end_forced_, c_midstream_, c_emerg_entered_, c_emerg_over_;
};

}  // namespace pasban::flow
