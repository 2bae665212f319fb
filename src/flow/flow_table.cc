#include "flow/flow_table.h"

#include <algorithm>

namespace pasban::flow {
namespace {

// What one flow costs the memcap: the Flow, its table slot, the later
// stages' per-flow state (app::AppFlowState, about 430 bytes on x86-64;
// the TCP reassembler is charged to stream.memcap) and allocator headers.
// Measured: a flood of one-packet UDP flows grows RSS by ~870 bytes a flow.
constexpr uint64_t kStateAllowance = 448;
constexpr uint64_t kMallocOverhead = 16;
constexpr uint64_t kApproxFlowBytes = sizeof(Flow) + sizeof(FlowKey) + sizeof(void*) +
                                      kStateAllowance + 2 * kMallocOverhead;
constexpr int64_t kSweepIntervalSec = 1;
// At the memcap the victim is looked for among this many least recently
// seen flows: the first one that never got an answer goes, so a flood of
// SYNs or one-sided datagrams cannot push out an established session (what
// Suricata's emergency timeouts achieve, in constant time per new flow).
constexpr int kEvictionScan = 64;
// flow.emergency-recovery's default: emergency mode ends once the table is
// back under (100 - 30)% of its capacity.
constexpr uint64_t kEmergencyRecoveryPercent = 30;

// A flow the other side never answered (an unfinished TCP handshake, a
// one-sided UDP or ICMP exchange): the cheapest to lose under pressure.
bool never_answered(const Flow& f) {
  if (f.proto == 6) return !f.ever_established;
  return !(f.seen_toserver && f.seen_toclient);
}

FlowKey make_key(const decode::Packet& p, bool& src_is_lo, bool use_recursion) {
  FlowKey k;
  if (use_recursion) k.recursion = p.tunnel_depth;
  k.proto = p.ip_proto;
  uint16_t sp = p.sp, dp = p.dp;
  if (p.has_icmpv4 || p.has_icmpv6) {
    // ICMP echo-like messages of one id form one flow.
    sp = p.icmp_has_id ? p.icmp_id : 0;
    dp = sp;
  }
  bool lo = p.src < p.dst || (p.src == p.dst && sp <= dp);
  src_is_lo = lo;
  k.lo_addr = lo ? p.src : p.dst;
  k.hi_addr = lo ? p.dst : p.src;
  k.lo_port = lo ? sp : dp;
  k.hi_port = lo ? dp : sp;
  if (p.vlan_count > 0) k.vlan0 = p.vlan_id[0];
  if (p.vlan_count > 1) k.vlan1 = p.vlan_id[1];
  return k;
}

uint64_t mix64(uint64_t h, uint64_t v) {
  h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
  return h;
}

// A stable 51-bit id (JSON-safe integer) from the tuple and start time.
// Computed without absl::Hash, whose seed changes from run to run: two
// replays of the same capture give the same ids (and the same eve.json).
uint64_t make_flow_id(const FlowKey& k, core::Timestamp start) {
  uint64_t h = 0x51ed270b27a5f1e3ull;
  for (const core::IpAddress* a : {&k.lo_addr, &k.hi_addr})
    for (uint8_t b : a->bytes) h = mix64(h, b);
  h = mix64(h, (uint64_t(k.lo_port) << 48) | (uint64_t(k.hi_port) << 32) |
                   (uint64_t(k.proto) << 24) | (uint64_t(k.recursion) << 16));
  h = mix64(h, (uint64_t(k.vlan0) << 16) | k.vlan1);
  h = mix64(h, uint64_t(start.sec));
  h = mix64(h, uint64_t(start.usec));
  h ^= h >> 29;
  h *= 0xbf58476d1ce4e5b9ull;
  h ^= h >> 32;
  h &= 0x7ffffffffffffull;
  return h ? h : 1;
}

}  // namespace

FlowTable::FlowTable(FlowConfig config, core::Counters& counters)
    : config_(config), counters_(counters) {
  max_flows_ = std::max<uint64_t>(1024, config_.memcap / kApproxFlowBytes);
  // TCP flows use all three timeouts; the others only new and established.
  min_timeout_ = std::min({config_.tcp.new_s, config_.tcp.established_s, config_.tcp.closed_s,
                           config_.udp.new_s, config_.udp.established_s, config_.icmp.new_s,
                           config_.icmp.established_s, config_.other.new_s,
                           config_.other.established_s});
  c_total_ = counters_.id("flow.total");
  c_tcp_ = counters_.id("flow.tcp");
  c_udp_ = counters_.id("flow.udp");
  c_icmpv4_ = counters_.id("flow.icmpv4");
  c_icmpv6_ = counters_.id("flow.icmpv6");
  c_memcap_ = counters_.id("flow.memcap");
  c_active_ = counters_.id("flow.active");
  c_timeout_ = counters_.id("flow.mgr.flows_timeout");
  c_reuse_ = counters_.id("flow.tcp_reuse");
  c_end_forced_ = counters_.id("flow.mgr.flows_evicted");
  c_midstream_ = counters_.id("tcp.midstream_pickups");
  c_emerg_entered_ = counters_.id("flow.emerg_mode_entered");
  c_emerg_over_ = counters_.id("flow.emerg_mode_over");
}

FlowTable::~FlowTable() = default;

const FlowTimeouts& FlowTable::timeouts(uint8_t proto) const {
  switch (proto) {
    case 6: return config_.tcp;
    case 17: return config_.udp;
    case 1:
    case 58: return config_.icmp;
    default: return config_.other;
  }
}

uint32_t FlowTable::timeout_for(const Flow& f) const {
  const FlowTimeouts& t = timeouts(f.proto);
  if (f.proto == 6) {
    if (f.tcp_state >= TcpState::kLastAck) return t.closed_s;
    if (f.tcp_state >= TcpState::kEstablished) return t.established_s;
    return t.new_s;
  }
  return (f.seen_toserver && f.seen_toclient) ? t.established_s : t.new_s;
}

void FlowTable::lru_unlink(Flow* f) {
  if (f->lru_prev) f->lru_prev->lru_next = f->lru_next; else lru_head_ = f->lru_next;
  if (f->lru_next) f->lru_next->lru_prev = f->lru_prev; else lru_tail_ = f->lru_prev;
  f->lru_prev = f->lru_next = nullptr;
}

void FlowTable::lru_touch(Flow* f) {
  if (lru_tail_ == f) return;
  if (f->lru_prev || f->lru_next || lru_head_ == f) lru_unlink(f);
  f->lru_prev = lru_tail_;
  f->lru_next = nullptr;
  if (lru_tail_) lru_tail_->lru_next = f; else lru_head_ = f;
  lru_tail_ = f;
}

void FlowTable::end(Flow* f, EndReason why) {
  if (on_end_) on_end_(*f, why);
  lru_unlink(f);
  table_.erase(f->key);  // destroys f
  counters_.set(c_active_, table_.size());
  if (emergency_ && table_.size() * 100 < max_flows_ * (100 - kEmergencyRecoveryPercent)) {
    emergency_ = false;
    counters_.add(c_emerg_over_);
  }
}

Flow* FlowTable::eviction_victim() const {
  Flow* f = lru_head_;
  for (int i = 0; f && i < kEvictionScan; ++i, f = f->lru_next)
    if (never_answered(*f)) return f;
  return lru_head_;
}

Flow* FlowTable::create(const FlowKey& key, const decode::Packet& p) {
  if (table_.size() >= max_flows_) {
    // At the memcap (Suricata's emergency mode): reclaim a flow and count it.
    if (!emergency_) {
      emergency_ = true;
      counters_.add(c_emerg_entered_);
    }
    counters_.add(c_memcap_);
    counters_.add(c_end_forced_);
    if (Flow* victim = eviction_victim()) end(victim, EndReason::kForced);
  }
  auto owned = std::make_unique<Flow>();
  Flow* f = owned.get();
  f->key = key;
  f->proto = p.ip_proto;
  f->client = p.src;
  f->server = p.dst;
  f->client_port = p.sp;
  f->server_port = p.dp;
  if (p.has_icmpv4 || p.has_icmpv6) f->client_port = f->server_port = 0;
  f->start = f->last = p.ts;
  f->vlan_count = uint8_t(std::min<int>(p.vlan_count, 2));
  for (int i = 0; i < f->vlan_count; ++i) f->vlan_ids[i] = p.vlan_id[size_t(i)];
  // A SYN/ACK seen first means we missed the SYN: the sender is the server.
  if (p.has_tcp && (p.tcp_flags & (decode::kTcpSyn | decode::kTcpAck)) ==
                       (decode::kTcpSyn | decode::kTcpAck) && config_.midstream) {
    std::swap(f->client, f->server);
    std::swap(f->client_port, f->server_port);
  }
  f->flow_id = make_flow_id(key, p.ts);
  if (p.pcap_cnt != origin_packet_) {
    origin_packet_ = p.pcap_cnt;
    origin_rank_ = 0;
  }
  f->origin = (p.pcap_cnt << 8) | origin_rank_;
  if (origin_rank_ < 0xff) ++origin_rank_;
  table_.emplace(key, std::move(owned));
  counters_.add(c_total_);
  if (p.ip_proto == 6) counters_.add(c_tcp_);
  else if (p.ip_proto == 17) counters_.add(c_udp_);
  else if (p.ip_proto == 1) counters_.add(c_icmpv4_);
  else if (p.ip_proto == 58) counters_.add(c_icmpv6_);
  counters_.set(c_active_, table_.size());
  return f;
}

namespace {

// Sequence progress of one direction, as stream_size reads it (Suricata's
// next_seq - isn): SYN and FIN count one each, RST data never counts, and
// a side picked up mid-stream starts one before its first sequence number.
// Only forward movement within a window's reach is taken, so a stray old
// segment cannot rewind it.
constexpr uint32_t kMaxSeqAdvance = 1u << 30;

void track_seq(Flow& f, const decode::Packet& p, bool to_server) {
  Flow::SeqProgress& s = f.tcp_seq[to_server ? 0 : 1];
  const uint8_t fl = p.tcp_flags;
  if (fl & decode::kTcpRst) return;
  const bool syn = fl & decode::kTcpSyn, fin = fl & decode::kTcpFin;
  const uint32_t end = p.tcp_seq + uint32_t(p.payload.size()) + (syn ? 1u : 0u) + (fin ? 1u : 0u);
  if (!s.known) {
    s.known = true;
    s.isn = syn ? p.tcp_seq : p.tcp_seq - 1;
    s.next_seq = end;
    return;
  }
  const uint32_t advance = end - s.next_seq;
  if (advance != 0 && advance < kMaxSeqAdvance) s.next_seq = end;
}

}  // namespace

void FlowTable::update_tcp(Flow& f, const decode::Packet& p, bool to_server) {
  (to_server ? f.tcp_flags_toserver : f.tcp_flags_toclient) |= p.tcp_flags;
  if (config_.tcp_checksum_gate && p.l4_csum == decode::CsumState::kInvalid) return;
  const uint8_t fl = p.tcp_flags;
  const bool syn = fl & decode::kTcpSyn, ack = fl & decode::kTcpAck;
  const bool rst = fl & decode::kTcpRst, fin = fl & decode::kTcpFin;
  track_seq(f, p, to_server);
  if (rst && f.tcp_state != TcpState::kNone) {
    f.tcp_state = TcpState::kClosed;
    return;
  }
  using S = TcpState;
  switch (f.tcp_state) {
    case S::kNone:
      if (syn && !ack && to_server) {
        f.tcp_state = S::kSynSent;
      } else if (config_.midstream && !rst) {
        f.midstream = true;
        counters_.add(c_midstream_);
        f.tcp_state = (syn && ack) ? S::kSynRecv : S::kEstablished;
      }
      break;
    case S::kSynSent:
      if (syn && ack && !to_server) f.tcp_state = S::kSynRecv;
      break;
    case S::kSynRecv:
      if (ack && !syn && to_server) f.tcp_state = fin ? S::kFinWait1 : S::kEstablished;
      break;
    case S::kEstablished:
      if (fin) f.tcp_state = to_server ? S::kFinWait1 : S::kCloseWait;
      break;
    case S::kFinWait1:
      if (!to_server && fin) f.tcp_state = ack ? S::kTimeWait : S::kClosing;
      else if (!to_server && ack) f.tcp_state = S::kFinWait2;
      break;
    case S::kFinWait2:
      if (!to_server && fin) f.tcp_state = S::kTimeWait;
      break;
    case S::kCloseWait:
      if (to_server && fin) f.tcp_state = S::kLastAck;
      break;
    case S::kClosing:
      if (ack) f.tcp_state = S::kTimeWait;
      break;
    case S::kLastAck:
      if (!to_server && ack) f.tcp_state = S::kClosed;
      break;
    case S::kTimeWait:
      if (to_server && ack) f.tcp_state = S::kClosed;
      break;
    case S::kClosed:
      break;
  }
  if (f.tcp_state >= S::kEstablished) f.ever_established = true;
}

bool tcp_state_counts_established(TcpState s) {
  // Suricata's flow state: established from ESTABLISHED through the
  // closing states until LAST_ACK / TIME_WAIT / CLOSED.
  switch (s) {
    case TcpState::kEstablished: case TcpState::kFinWait1: case TcpState::kFinWait2:
    case TcpState::kClosing: case TcpState::kCloseWait:
      return true;
    default:
      return false;
  }
}

void FlowTable::handle(decode::Packet& p) {
  p.flow = nullptr;
  if (p.ip_version == 0 || p.is_fragment) return;
  if (p.ip_proto == 6 && !p.has_tcp) return;
  if (p.ip_proto == 17 && !p.has_udp) return;

  bool src_is_lo;
  if (p.has_icmpv4 && p.icmp_emb_valid && join_error_flow(p)) return;
  FlowKey key = make_key(p, src_is_lo, config_.recursion_for_tracking);
  auto it = table_.find(key);
  Flow* f;
  if (it == table_.end()) {
    f = create(key, p);
  } else {
    f = it->second.get();
    // TCP port reuse: a fresh SYN on a closed session starts a new flow.
    if (p.has_tcp && f->tcp_state == TcpState::kClosed &&
        (p.tcp_flags & (decode::kTcpSyn | decode::kTcpAck)) == decode::kTcpSyn) {
      counters_.add(c_reuse_);
      end(f, EndReason::kForced);
      f = create(key, p);
    }
  }
  const bool icmp = p.has_icmpv4 || p.has_icmpv6;
  const bool to_server = p.src == f->client && (icmp || p.sp == f->client_port);
  p.flow = f;
  p.to_server = to_server;
  f->last = p.ts;
  const uint64_t bytes = p.frame.size();
  if (to_server) {
    f->pkts_toserver++;
    f->bytes_toserver += bytes;
    f->seen_toserver = true;
  } else {
    f->pkts_toclient++;
    f->bytes_toclient += bytes;
    f->seen_toclient = true;
  }
  if (f->proto == 6) {
    // Established and closing states count, as Suricata's flow state does;
    // the packet that completes the handshake is not yet established.
    p.flow_established = tcp_state_counts_established(f->tcp_state);
    // A dropped flow's packets never reach the session (IPS flow drop).
    if (p.has_tcp && !f->drop) update_tcp(*f, p, to_server);
  } else {
    p.flow_established = f->seen_toserver && f->seen_toclient;
  }
  lru_touch(f);
}

// An ICMP destination unreachable about a datagram of a known flow belongs
// to that flow (Suricata hashes it by the invoking datagram's tuple); it
// counts as a packet of the flow but does not move its TCP state.
bool FlowTable::join_error_flow(decode::Packet& p) {
  FlowKey key;
  if (config_.recursion_for_tracking) key.recursion = p.tunnel_depth;
  key.proto = p.emb_proto;
  const bool lo = p.emb_src < p.emb_dst || (p.emb_src == p.emb_dst && p.emb_sp <= p.emb_dp);
  key.lo_addr = lo ? p.emb_src : p.emb_dst;
  key.hi_addr = lo ? p.emb_dst : p.emb_src;
  key.lo_port = lo ? p.emb_sp : p.emb_dp;
  key.hi_port = lo ? p.emb_dp : p.emb_sp;
  if (p.vlan_count > 0) key.vlan0 = p.vlan_id[0];
  if (p.vlan_count > 1) key.vlan1 = p.vlan_id[1];
  auto it = table_.find(key);
  if (it == table_.end()) return false;
  Flow* f = it->second.get();
  p.flow = f;
  p.to_server = p.src == f->client;
  f->last = p.ts;
  (p.to_server ? f->pkts_toserver : f->pkts_toclient)++;
  (p.to_server ? f->bytes_toserver : f->bytes_toclient) += p.frame.size();
  p.flow_established = f->proto == 6 ? tcp_state_counts_established(f->tcp_state)
                                     : f->seen_toserver && f->seen_toclient;
  lru_touch(f);
  return true;
}

void FlowTable::expire(core::Timestamp now) {
  last_sweep_ = now;
  // The LRU order is last-seen order: walk from the oldest until a flow has
  // been idle no longer than the shortest timeout in use.
  Flow* f = lru_head_;
  while (f) {
    Flow* next = f->lru_next;
    if (now.sec - f->last.sec > int64_t(timeout_for(*f))) {
      counters_.add(c_timeout_);
      end(f, EndReason::kTimeout);
    } else if (now.sec - f->last.sec <= int64_t(min_timeout_)) {
      // Flows after this one were seen no earlier, so none of them has been
      // idle longer than the shortest timeout: none can have timed out.
      break;
    }
    f = next;
  }
}

bool FlowTable::sweep_due(core::Timestamp now) const {
  return now.sec - last_sweep_.sec >= kSweepIntervalSec;
}

std::vector<Flow*> FlowTable::flows_by_origin() const {
  std::vector<Flow*> out;
  out.reserve(table_.size());
  for (Flow* f = lru_head_; f; f = f->lru_next) out.push_back(f);
  std::sort(out.begin(), out.end(), [](const Flow* a, const Flow* b) { return a->origin < b->origin; });
  return out;
}

void FlowTable::flush() {
  while (lru_head_) end(lru_head_, EndReason::kShutdown);
}

}  // namespace pasban::flow
