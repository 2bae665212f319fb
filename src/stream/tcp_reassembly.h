// Per-flow TCP stream reassembly with Suricata's semantics: sequence
// numbers learned from the handshake (or the first packet when picking up
// midstream), target-based overlap policies, a reassembly depth, gaps for
// data the receiver acknowledged but the capture never saw, and a memcap on
// buffered segments shared by all flows of a worker.
//
// In-order data is handed to the sink straight from the packet; only
// out-of-order segments (and a bounded tail of recently delivered bytes,
// kept to spot retransmissions with different data) are copied.
#pragma once
#include <cstdint>
#include <string_view>
#include <vector>

#include "core/bytes.h"
#include "core/counters.h"
#include "decode/packet.h"
#include "defrag/address_table.h"
#include "stream/overlap_policy.h"
#include "stream/segment_list.h"
#include "stream/tcp_timestamps.h"

namespace pasban::stream {

// stream.reassembly.urgent.policy: what becomes of the byte before the
// urgent pointer (RFC 9293 3.8.5, RFC 6093 3.1). Stacks hand that one byte
// to the application out of band unless it asked for urgent data inline.
enum class UrgentPolicy : uint8_t {
  kOob,     // the byte is not part of the stream (the stock setting)
  kInline,  // every byte stays in the stream
};

struct StreamConfig {
  uint32_t depth = 1 << 20;           // stream.reassembly.depth; 0 = unlimited
  uint64_t memcap = 256ull << 20;     // stream.reassembly.memcap; 0 = unlimited
  // stream.memcap: the per-flow session state (Suricata's TcpSession pool);
  // a flow that would pass it is not reassembled. 0 = unlimited.
  uint64_t session_memcap = 64ull << 20;
  OverlapPolicy policy = OverlapPolicy::kBsd;  // for hosts host-os-policy does not list
  // host-os-policy: the overlap policy of a receiving host, by its address
  // (the most specific entry wins), as Suricata sets a stream's policy from
  // the destination of its data.
  defrag::AddressTable<OverlapPolicy> host_policies;
  OverlapPolicy policy_for(const core::IpAddress& receiver) const {
    const OverlapPolicy* p = host_policies.lookup(receiver);
    return p ? *p : policy;
  }
  bool midstream = false;             // stream.midstream
  uint32_t max_queued_segments = 65535;  // out-of-order segments per direction
  // stream.reassembly.check-overlap-different-data: keep a bounded tail of
  // delivered bytes so a retransmission carrying different bytes is seen.
  bool check_overlap_different_data = true;
  UrgentPolicy urgent = UrgentPolicy::kOob;
};

// Receives the reassembled stream. Data views are valid only for the call;
// a sink must not feed packets back into the same worker's reassemblers.
class StreamSink {
 public:
  virtual ~StreamSink() = default;
  virtual void on_data(bool to_server, core::Bytes data) = 0;
  virtual void on_gap(bool to_server, uint32_t length) = 0;
};

// Stream events (Suricata stream-event names, "stream." prefixed).
inline constexpr std::string_view kEvOverlapDifferentData =
    "stream.reassembly_overlap_different_data";
inline constexpr std::string_view kEvSegmentBeforeBaseSeq =
    "stream.reassembly_segment_before_base_seq";
inline constexpr std::string_view kEvPktRetransmission = "stream.pkt_retransmission";
inline constexpr std::string_view kEvSeqGap = "stream.reassembly_seq_gap";
inline constexpr std::string_view kEvDepthReached = "stream.reassembly_depth_reached";
inline constexpr std::string_view kEvPktInvalidTimestamp = "stream.pkt_invalid_timestamp";

// Shared by the reassemblers of one worker: the configuration, the memcap
// account and the counter slots (Suricata stats names).
class ReassemblyContext {
 public:
  ReassemblyContext(const StreamConfig& config, core::Counters& counters);
  ReassemblyContext(const ReassemblyContext&) = delete;
  ReassemblyContext& operator=(const ReassemblyContext&) = delete;

  const StreamConfig& config() const { return config_; }
  core::Counters& counters() { return counters_; }
  uint64_t memuse() const { return memuse_; }
  // Charges n bytes unless that would pass the memcap.
  bool try_charge(uint64_t n);
  void release(uint64_t n);
  // stream.memcap: whether one more session of `cost` bytes fits (counts
  // tcp.ssn_memcap_drop when it does not). TcpReassembler charges its own
  // cost when built and returns it when destroyed.
  bool session_room(uint64_t cost);
  void charge_session(uint64_t cost);
  void release_session(uint64_t cost);

  struct CounterIds {
    core::Counters::Id memcap_drop, gap, overlap, overlap_diff, list_fail, depth, memuse, urg,
        ssn_memcap_drop, ssn_memuse;
  };
  const CounterIds& ids() const { return ids_; }
  // Per-worker scratch for resolving an overlapped packet (reused, never shrunk).
  std::vector<uint8_t>& scratch() { return scratch_; }

 private:
  StreamConfig config_;
  core::Counters& counters_;
  CounterIds ids_;
  uint64_t memuse_ = 0;
  uint64_t session_memuse_ = 0;
  std::vector<uint8_t> scratch_;
};

class TcpReassembler {
 public:
  // What one reassembler costs stream.memcap: itself plus the allocation
  // header and the owner's bookkeeping around it.
  static constexpr uint64_t kSessionOverhead = 128;
  static uint64_t session_cost();

  explicit TcpReassembler(ReassemblyContext& ctx);
  ~TcpReassembler();  // returns its memory to the memcaps
  TcpReassembler(const TcpReassembler&) = delete;
  TcpReassembler& operator=(const TcpReassembler&) = delete;

  // One TCP packet of the flow (p.has_tcp) in direction to_server.
  void on_packet(const decode::Packet& p, bool to_server, StreamSink& sink);
  // End of flow: buffered segments after holes are delivered, each hole as
  // on_gap(length) first (Suricata's flow-timeout reassembly).
  void flush(StreamSink& sink);
  bool depth_reached(bool to_server) const { return half(to_server).depth_reached; }
  // The overlap policy of the host receiving direction to_server's data
  // (host-os-policy looks up the destination); defaults to the config's.
  void set_policy(bool to_server, OverlapPolicy policy) { half(to_server).policy = policy; }

  // Whether the last on_packet() took payload bytes into the stream.
  bool added() const { return added_; }

  // Stream anomalies since the caller last cleared it.
  std::vector<std::string_view> events;

 private:
  struct HalfStream {
    bool to_server = true;
    bool has_base = false;      // the stream start (ISN + 1 or pick-up point) is known
    bool syn_seen = false;      // started by this side's SYN (not picked up midstream)
    bool fin_seen = false;
    bool depth_reached = false;
    bool wscale_offered = false;
    uint8_t wscale = 0;
    OverlapPolicy policy = OverlapPolicy::kBsd;
    uint32_t window = 0;        // last window this side advertised (unscaled)
    uint32_t next_seq = 0;      // first byte not yet delivered (or skipped as a gap)
    uint64_t next_off = 0;      // stream offset of next_seq
    uint32_t fin_seq = 0;       // sequence number of the FIN: the end of the data
    uint32_t right_edge = 0;    // highest seq + len seen
    SegmentList segs;
    // Tail of delivered bytes: stream offsets [next_off - held, next_off),
    // stored at recent[recent_start, recent.size()).
    std::vector<uint8_t> recent;
    size_t recent_start = 0;
    uint64_t recent_charged = 0;  // capacity charged to the memcap
  };

  HalfStream& half(bool to_server) { return to_server ? client_ : server_; }
  const HalfStream& half(bool to_server) const { return to_server ? client_ : server_; }

  void start(HalfStream& s, uint32_t seq);
  void on_peer_ack(HalfStream& s, uint32_t ack, StreamSink& sink);
  bool rst_valid(const HalfStream& s, const HalfStream& receiver, uint32_t seq, size_t len) const;
  bool rst_ends_syn_sent(const HalfStream& s, const decode::Packet& p) const;
  void place(HalfStream& s, uint32_t seq, core::Bytes data, StreamSink& sink);
  void place_urgent(HalfStream& s, uint32_t seq, core::Bytes data, uint16_t pointer,
                    StreamSink& sink);
  void check_retransmitted(HalfStream& s, int64_t off, core::Bytes data, bool whole, bool& overlap,
                           bool& diff);
  void queue(HalfStream& s, uint64_t off, core::Bytes data, StreamSink& sink, bool& overlap,
             bool& diff);
  void deliver(HalfStream& s, core::Bytes data, StreamSink& sink);
  void drain(HalfStream& s, StreamSink& sink);
  void skip_gap(HalfStream& s, uint64_t hole_end, StreamSink& sink);
  void mark_depth(HalfStream& s);
  void set_fin(HalfStream& s, uint32_t fin_seq);
  void retain(HalfStream& s, core::Bytes data);
  void trim_recent(HalfStream& s, uint64_t keep_from);
  void drop_recent(HalfStream& s) { s.recent_start = s.recent.size(); }
  void sync_memuse(HalfStream& s, uint64_t segs_before);
  uint64_t held(const HalfStream& s) const { return s.recent.size() - s.recent_start; }

  ReassemblyContext& ctx_;
  HalfStream client_, server_;  // client_ carries the to_server data
  TcpTimestamps timestamps_;    // PAWS: packets the receiver would drop
  bool closed_by_rst_ = false;
  bool added_ = false;
};

}  // namespace pasban::stream
