#include "stream/tcp_reassembly.h"

#include <algorithm>
#include <cstring>

namespace pasban::stream {
namespace {

// Delivered bytes kept per direction for the different-data check on
// retransmissions, and how much already-acknowledged data stays in it
// (Suricata keeps a window, 4096 bytes when none is known, for injected
// packets that were acknowledged before the real ones arrived).
constexpr size_t kMaxRecent = 16 * 1024;
constexpr uint64_t kAckedKeep = 4096;

// Sequence arithmetic modulo 2^32 (RFC 793 3.3): the signed distance a - b.
int32_t seq_diff(uint32_t a, uint32_t b) { return int32_t(a - b); }

}  // namespace

// --- ReassemblyContext ---

ReassemblyContext::ReassemblyContext(const StreamConfig& config, core::Counters& counters)
    : config_(config), counters_(counters) {
  ids_.memcap_drop = counters_.id("tcp.segment_memcap_drop");
  ids_.gap = counters_.id("tcp.reassembly_gap");
  ids_.overlap = counters_.id("tcp.overlap");
  ids_.overlap_diff = counters_.id("tcp.overlap_diff_data");
  ids_.list_fail = counters_.id("tcp.insert_list_fail");
  ids_.depth = counters_.id("tcp.stream_depth_reached");
  ids_.memuse = counters_.id("tcp.reassembly_memuse");
  ids_.urg = counters_.id("tcp.urg");
  ids_.ssn_memcap_drop = counters_.id("tcp.ssn_memcap_drop");
  ids_.ssn_memuse = counters_.id("tcp.memuse");
}

bool ReassemblyContext::try_charge(uint64_t n) {
  if (config_.memcap != 0 && memuse_ + n > config_.memcap) return false;
  memuse_ += n;
  counters_.set(ids_.memuse, memuse_);
  return true;
}

bool ReassemblyContext::session_room(uint64_t cost) {
  if (config_.session_memcap == 0 || session_memuse_ + cost <= config_.session_memcap) return true;
  counters_.add(ids_.ssn_memcap_drop);
  return false;
}

void ReassemblyContext::charge_session(uint64_t cost) {
  session_memuse_ += cost;
  counters_.set(ids_.ssn_memuse, session_memuse_);
}

void ReassemblyContext::release_session(uint64_t cost) {
  session_memuse_ -= std::min(cost, session_memuse_);
  counters_.set(ids_.ssn_memuse, session_memuse_);
}

void ReassemblyContext::release(uint64_t n) {
  memuse_ -= std::min(n, memuse_);
  counters_.set(ids_.memuse, memuse_);
}

// --- TcpReassembler: packets ---

uint64_t TcpReassembler::session_cost() { return sizeof(TcpReassembler) + kSessionOverhead; }

TcpReassembler::TcpReassembler(ReassemblyContext& ctx) : ctx_(ctx) {
  ctx_.charge_session(session_cost());
  client_.to_server = true;
  server_.to_server = false;
  client_.policy = server_.policy = ctx.config().policy;
}

TcpReassembler::~TcpReassembler() {
  ctx_.release_session(session_cost());
  ctx_.release(client_.segs.memuse() + server_.segs.memuse() + client_.recent_charged +
               server_.recent_charged);
}

void TcpReassembler::start(HalfStream& s, uint32_t seq) {
  s.has_base = true;
  s.next_seq = seq;
  s.next_off = 0;
  s.right_edge = seq;
}

void TcpReassembler::on_packet(const decode::Packet& p, bool to_server, StreamSink& sink) {
  added_ = false;
  if (!p.has_tcp || closed_by_rst_) return;
  HalfStream& s = half(to_server);
  HalfStream& peer = half(!to_server);
  // half(to_server).policy is the receiving host's; a packet it would drop
  // for its timestamp carries neither data nor a usable ACK.
  if (!timestamps_.check(p, to_server, s.policy, s.has_base && p.tcp_seq == s.next_seq)) {
    events.push_back(kEvPktInvalidTimestamp);
    return;
  }
  const uint8_t fl = p.tcp_flags;
  const bool syn = fl & decode::kTcpSyn, ack = fl & decode::kTcpAck;
  const bool rst = fl & decode::kTcpRst, fin = fl & decode::kTcpFin;
  s.window = p.tcp_window;

  uint32_t seq = p.tcp_seq;
  if (syn) {
    if (p.tcp_has_wscale) {
      s.wscale_offered = true;
      s.wscale = std::min<uint8_t>(p.tcp_wscale, 14);
    }
    if (!s.has_base) {
      start(s, seq + 1);
      s.syn_seen = true;
    }
    seq += 1;  // the SYN takes one sequence number; data on it follows
  } else if (!s.has_base && ctx_.config().midstream && !rst) {
    start(s, seq);  // midstream pick-up: the stream starts at this packet
  }
  // The ACK is about the other direction: it may release kept bytes there,
  // or prove a hole there will never be filled.
  if (ack && !rst) on_peer_ack(peer, p.tcp_ack, sink);
  if (!s.has_base) return;  // no handshake seen and midstream is off: untracked

  const core::Bytes payload = p.payload;
  if (rst) {
    // RFC 1122 4.2.2.12: a RST may carry data; it is accepted like Suricata
    // does, then the session takes no more data. An out-of-window RST is
    // ignored: otherwise a spoofed RST would blind reassembly.
    if (to_server && s.syn_seen && !peer.has_base) {
      closed_by_rst_ = rst_ends_syn_sent(s, p);  // else forged: ignored
      return;
    }
    if (!rst_valid(s, peer, seq, payload.size())) return;
    place(s, seq, payload, sink);
    closed_by_rst_ = true;
    return;
  }
  // Keep-alive: zero or one garbage byte at next_seq - 1. Not data.
  if (!syn && !fin && payload.size() <= 1 && seq == s.next_seq - 1) return;
  if ((fl & decode::kTcpUrg) && p.l4_header.size() >= 20) {
    ctx_.counters().add(ctx_.ids().urg);
    place_urgent(s, seq, payload, core::load_be16(p.l4_header.data() + 18), sink);
  } else {
    place(s, seq, payload, sink);
  }
  if (fin) set_fin(s, seq + uint32_t(payload.size()));  // data on the FIN is accepted
}

bool TcpReassembler::rst_valid(const HalfStream& s, const HalfStream& receiver, uint32_t seq,
                               size_t len) const {
  // As Suricata validates a RST, by the receiving host's policy: most stacks
  // want it exactly at the next sequence number; HP-UX 11 takes anything at
  // or after it; Linux and Solaris anything inside the receive window.
  const bool at_edge = seq == s.next_seq || seq == s.right_edge;
  const int32_t d = seq_diff(seq, s.next_seq);
  switch (s.policy) {
    case OverlapPolicy::kHpux11:
      return d >= 0;
    case OverlapPolicy::kLinux:
    case OverlapPolicy::kOldLinux:
    case OverlapPolicy::kSolaris: {
      const bool scaled = s.wscale_offered && receiver.wscale_offered;
      const uint32_t wnd = receiver.window << (scaled ? receiver.wscale : 0);
      return at_edge || (d + int64_t(len) >= 0 && d < int64_t(std::max<uint32_t>(wnd, 1)));
    }
    default:
      return at_edge;
  }
}

// The client's SYN is not answered yet: its stack only resets the attempt
// with seq = ISN, ack = ISN + 1 and a zero window (Suricata's SYN_SENT
// rule). Any other RST from its side is taken as forged, so a sensor cannot
// be made to drop the session the server goes on to open (bug 3286).
bool TcpReassembler::rst_ends_syn_sent(const HalfStream& s, const decode::Packet& p) const {
  return s.next_off == 0 && p.tcp_seq + 1 == s.next_seq && p.tcp_ack == s.next_seq &&
         p.tcp_window == 0;
}

void TcpReassembler::on_peer_ack(HalfStream& s, uint32_t ack, StreamSink& sink) {
  if (!s.has_base) return;
  const int32_t ahead = seq_diff(ack, s.next_seq);
  if (held(s) != 0) {
    const int64_t ack_off = int64_t(s.next_off) + ahead;
    if (ack_off > int64_t(kAckedKeep)) trim_recent(s, uint64_t(ack_off) - kAckedKeep);
  }
  // Acknowledged bytes we never saw: the capture lost them and the sender
  // will not retransmit. Skip the hole (up to the next buffered segment) as
  // a gap instead of stalling the stream until the flow ends. Without a
  // buffered segment there is nothing to unblock, so nothing is skipped.
  if (ahead <= 0 || s.segs.empty()) return;
  const uint64_t hole_end = std::min<uint64_t>(s.next_off + uint32_t(ahead), s.segs.first().off);
  if (hole_end > s.next_off) skip_gap(s, hole_end, sink);
}

void TcpReassembler::set_fin(HalfStream& s, uint32_t fin_seq) {
  if (s.fin_seen || seq_diff(fin_seq, s.next_seq) < 0) return;
  s.fin_seen = true;
  s.fin_seq = fin_seq;
  // Bytes past the FIN are never read by the receiver: drop any buffered.
  const uint64_t before = s.segs.memuse();
  s.segs.truncate_from(s.next_off + uint32_t(seq_diff(fin_seq, s.next_seq)));
  sync_memuse(s, before);
}

// --- placing data ---

// With the oob policy the last urgent byte (just before the pointer) never
// enters the stream: the receiving application reads it out of band, so a
// sensor keeping it would read "ATTXACK" where the server reads "ATTACK".
// The byte is skipped only when it lands in order; an out-of-order urgent
// segment is kept inline, as later offsets could not be shifted safely.
void TcpReassembler::place_urgent(HalfStream& s, uint32_t seq, core::Bytes data,
                                  uint16_t pointer, StreamSink& sink) {
  if (ctx_.config().urgent != UrgentPolicy::kOob || pointer == 0 || pointer > data.size()) {
    place(s, seq, data, sink);
    return;
  }
  const size_t oob = size_t(pointer) - 1;
  place(s, seq, data.first(oob), sink);
  const uint32_t oob_seq = seq + uint32_t(oob);
  if (oob_seq != s.next_seq || s.fin_seen) {
    place(s, oob_seq, data.subspan(oob), sink);
    return;
  }
  // Consumed out of band: the sequence number advances, the stream does not.
  s.next_seq += 1;
  if (seq_diff(s.next_seq, s.right_edge) > 0) s.right_edge = s.next_seq;
  drop_recent(s);  // the kept tail maps offsets to sequence numbers 1:1
  place(s, oob_seq + 1, data.subspan(oob + 1), sink);
}

void TcpReassembler::place(HalfStream& s, uint32_t seq, core::Bytes data, StreamSink& sink) {
  if (data.empty()) return;
  if (s.fin_seen) {
    const int32_t past = seq_diff(seq + uint32_t(data.size()), s.fin_seq);
    if (past > 0) {
      if (size_t(past) >= data.size()) return;
      data = data.first(data.size() - size_t(past));
    }
  }
  const uint32_t end_seq = seq + uint32_t(data.size());
  if (seq_diff(end_seq, s.right_edge) > 0) s.right_edge = end_seq;

  bool overlap = false, diff = false;
  int64_t off = int64_t(s.next_off) + seq_diff(seq, s.next_seq);
  if (off < int64_t(s.next_off)) {
    // The head was delivered already: delivered bytes are final (the
    // receiver consumed them), so only check whether they differ.
    const size_t head =
        size_t(std::min<int64_t>(off + int64_t(data.size()), int64_t(s.next_off)) - off);
    const bool whole = head == data.size();
    check_retransmitted(s, off, data.first(head), whole, overlap, diff);
    if (whole) {
      events.push_back(kEvPktRetransmission);
      data = {};
    } else {
      data = data.subspan(head);
      off = int64_t(s.next_off);
    }
  }
  const uint32_t depth = ctx_.config().depth;
  if (!data.empty() && depth != 0) {
    // stream.reassembly.depth: bytes past it are neither kept nor delivered.
    if (uint64_t(off) >= depth) {
      mark_depth(s);
      data = {};
    } else if (uint64_t(off) + data.size() > depth) {
      data = data.first(size_t(depth - uint64_t(off)));
      mark_depth(s);
    }
  }
  if (!data.empty()) {
    added_ = true;
    const uint64_t uoff = uint64_t(off);
    if (uoff == s.next_off && !s.segs.overlaps(uoff, data.size())) {
      deliver(s, data, sink);  // the common case: straight from the packet
      drain(s, sink);
    } else {
      queue(s, uoff, data, sink, overlap, diff);
    }
  }
  core::Counters& c = ctx_.counters();
  if (overlap) c.add(ctx_.ids().overlap);
  if (diff) {
    c.add(ctx_.ids().overlap_diff);
    events.push_back(kEvOverlapDifferentData);
  }
}

void TcpReassembler::check_retransmitted(HalfStream& s, int64_t off, core::Bytes data,
                                         bool whole, bool& overlap, bool& diff) {
  const int64_t end = off + int64_t(data.size());
  const int64_t kept_off = int64_t(s.next_off - held(s));
  if (end <= kept_off) {
    // Entirely before what is kept (Suricata's base_seq): cannot be inserted.
    if (whole) {
      events.push_back(kEvSegmentBeforeBaseSeq);
      ctx_.counters().add(ctx_.ids().list_fail);
    }
    return;
  }
  const int64_t lo = std::max(off, kept_off);
  const uint8_t* mine = data.data() + (lo - off);
  const uint8_t* kept = s.recent.data() + s.recent_start + (lo - kept_off);
  overlap = true;
  if (std::memcmp(mine, kept, size_t(end - lo)) != 0) diff = true;
}

void TcpReassembler::queue(HalfStream& s, uint64_t off, core::Bytes data, StreamSink& sink,
                           bool& overlap, bool& diff) {
  std::vector<uint8_t>& buf = ctx_.scratch();
  buf.assign(data.begin(), data.end());  // reuses the worker's capacity
  const OverlapResult r = s.segs.resolve(s.policy, off, buf);
  overlap |= r.overlapped;
  diff |= r.different;
  if (off == s.next_off) {
    // In order but overlapping buffered data: deliver the resolved bytes.
    deliver(s, buf, sink);
    drain(s, sink);
    return;
  }
  if (!s.segs.contains(off, uint32_t(buf.size()))) {
    if (s.segs.size() >= ctx_.config().max_queued_segments) {
      ctx_.counters().add(ctx_.ids().list_fail);
      return;
    }
    if (!ctx_.try_charge(SegmentList::cost(buf.size()))) {
      ctx_.counters().add(ctx_.ids().memcap_drop);
      return;
    }
  }
  s.segs.store(off, buf);  // charged above when it adds a segment
}

void TcpReassembler::deliver(HalfStream& s, core::Bytes data, StreamSink& sink) {
  retain(s, data);
  s.next_seq += uint32_t(data.size());
  s.next_off += data.size();
  sink.on_data(s.to_server, data);
}

void TcpReassembler::drain(HalfStream& s, StreamSink& sink) {
  while (!s.segs.empty()) {
    const SegmentList::View v = s.segs.first();
    if (v.off > s.next_off) break;  // a hole
    const uint64_t end = v.off + v.len;
    if (end > s.next_off) {
      deliver(s, {v.data + (s.next_off - v.off), size_t(end - s.next_off)}, sink);
    }
    const uint64_t before = s.segs.memuse();
    s.segs.pop_first();
    sync_memuse(s, before);
  }
}

void TcpReassembler::skip_gap(HalfStream& s, uint64_t hole_end, StreamSink& sink) {
  const uint32_t len = uint32_t(hole_end - s.next_off);
  s.next_seq += len;
  s.next_off = hole_end;
  drop_recent(s);  // the kept tail must end at next_off
  ctx_.counters().add(ctx_.ids().gap);
  events.push_back(kEvSeqGap);
  sink.on_gap(s.to_server, len);
  drain(s, sink);
}

void TcpReassembler::mark_depth(HalfStream& s) {
  if (s.depth_reached) return;
  s.depth_reached = true;
  ctx_.counters().add(ctx_.ids().depth);
  events.push_back(kEvDepthReached);
}

void TcpReassembler::flush(StreamSink& sink) {
  for (HalfStream* s : {&client_, &server_}) {
    while (!s->segs.empty()) {
      const uint64_t first = s->segs.first().off;
      if (first > s->next_off) skip_gap(*s, first, sink);
      else drain(*s, sink);
    }
  }
}

// --- the kept tail of delivered bytes ---

void TcpReassembler::retain(HalfStream& s, core::Bytes data) {
  if (!ctx_.config().check_overlap_different_data) return;
  if (data.size() >= kMaxRecent) {
    drop_recent(s);
    data = data.last(kMaxRecent);
  } else if (held(s) + data.size() > kMaxRecent) {
    s.recent_start += held(s) + data.size() - kMaxRecent;  // forget the oldest
  }
  std::vector<uint8_t>& r = s.recent;
  if (r.size() + data.size() > r.capacity() && s.recent_start != 0) {
    r.erase(r.begin(), r.begin() + std::ptrdiff_t(s.recent_start));
    s.recent_start = 0;
  }
  if (r.size() + data.size() > r.capacity()) {
    // Grows geometrically up to kMaxRecent, then compacts in place.
    const size_t want = std::min(kMaxRecent, std::max(r.size() + data.size(), 2 * r.capacity()));
    if (!ctx_.try_charge(want - s.recent_charged)) {
      drop_recent(s);  // at the memcap the check is given up, not the data
      return;
    }
    r.reserve(want);
    s.recent_charged = want;
  }
  r.insert(r.end(), data.begin(), data.end());
}

void TcpReassembler::trim_recent(HalfStream& s, uint64_t keep_from) {
  const uint64_t kept_off = s.next_off - held(s);
  if (keep_from > kept_off)
    s.recent_start += size_t(std::min<uint64_t>(keep_from - kept_off, held(s)));
}

void TcpReassembler::sync_memuse(HalfStream& s, uint64_t segs_before) {
  const uint64_t now = s.segs.memuse();
  if (now < segs_before) ctx_.release(segs_before - now);
}

}  // namespace pasban::stream
