#include "stream/tcp_timestamps.h"

namespace pasban::stream {
namespace {

// RFC 7323 5.5: a timestamp older than 24 days is no longer comparable,
// so a packet after such an idle period is accepted whatever its TSval.
constexpr int64_t kPaws24Days = 24 * 24 * 60 * 60;

// Stacks that accept a TSval of 0 once timestamps are in use (Suricata's
// table: old Linux, Windows (2000/XP/2003), Vista, Solaris).
bool accepts_zero_ts(OverlapPolicy p) {
  switch (p) {
    case OverlapPolicy::kOldLinux:
    case OverlapPolicy::kWindows:
    case OverlapPolicy::kVista:
    case OverlapPolicy::kSolaris:
      return true;
    default:
      return false;
  }
}

}  // namespace

bool TcpTimestamps::check(const decode::Packet& p, bool to_server, OverlapPolicy receiver_policy,
                          bool at_next_seq) {
  if (!to_server && !valid_answer_to_syn(p)) return false;
  if (p.tcp_flags & decode::kTcpSyn) {
    on_syn(p, to_server);
    return true;
  }
  Side& sender = side_[to_server ? 0 : 1];
  if (!enabled_ || !p.tcp_has_ts) return true;
  if (!valid(p, sender, receiver_policy, at_next_seq)) return false;
  accept(p, sender);
  return true;
}

// Until the SYN is answered, a packet from the server that carries a
// timestamp must echo the SYN's TSval (or 0), and echo nothing when the SYN
// offered none (RFC 7323 3.2, 4.3). Otherwise it was not sent by the peer
// that saw the SYN: Suricata's bug 3286 evasion, a forged RST or FIN before
// the SYN/ACK that a sensor would take as the end of the session.
bool TcpTimestamps::valid_answer_to_syn(const decode::Packet& p) const {
  if (!syn_seen_ || synack_seen_ || !p.tcp_has_ts) return true;
  const Side& client = side_[0];
  if (client.offered) return client.last_ts == 0 || p.tcp_tsecr == 0 || p.tcp_tsecr == client.last_ts;
  return p.tcp_tsecr == 0;
}

void TcpTimestamps::on_syn(const decode::Packet& p, bool to_server) {
  Side& s = side_[to_server ? 0 : 1];
  const bool synack = p.tcp_flags & decode::kTcpAck;
  if (synack && !to_server) synack_seen_ = true;
  else if (!synack && to_server) syn_seen_ = true;
  s.offered = p.tcp_has_ts;
  s.zero = p.tcp_has_ts && p.tcp_tsval == 0;
  s.last_ts = p.tcp_has_ts ? p.tcp_tsval : 0;
  s.last_sec = p.ts.sec;
  // Timestamps are in use when the SYN/ACK answers a SYN that offered them
  // with the option too (RFC 7323 3.2); a SYN/ACK without it turns them off.
  if (synack) enabled_ = s.offered && side_[to_server ? 1 : 0].offered;
}

bool TcpTimestamps::valid(const decode::Packet& p, const Side& sender, OverlapPolicy policy,
                          bool at_next_seq) const {
  const uint32_t ts = p.tcp_tsval;
  uint32_t last_ts = sender.last_ts;
  bool compare = true;
  if (sender.zero) {
    // The handshake used TSval 0: Linux does not check until a real
    // value arrives; Windows and old Linux take the in-order packet's
    // value as the new reference.
    if (policy == OverlapPolicy::kLinux) {
      compare = false;
    } else if (policy == OverlapPolicy::kOldLinux || policy == OverlapPolicy::kWindows ||
               policy == OverlapPolicy::kVista) {
      if (at_next_seq) {
        last_ts = ts;
        compare = false;
      }
    }
  }
  // HP-UX 11 ignores the timestamps of out-of-order segments.
  if (policy == OverlapPolicy::kHpux11 && !at_next_seq) compare = false;
  if (ts == 0 && !accepts_zero_ts(policy)) return false;
  if (!compare) return true;
  // Linux accepts a TSval one below the last one.
  const int32_t diff = int32_t(ts - last_ts) + (policy == OverlapPolicy::kLinux ? 1 : 0);
  const bool stale_reference = p.ts.sec > sender.last_sec + kPaws24Days;
  if (diff >= 0 && !(sender.last_ts != 0 && stale_reference)) return true;
  // RFC 7323 5.5: after 24 idle days an in-order segment resets the clock.
  return at_next_seq && stale_reference;
}

void TcpTimestamps::accept(const decode::Packet& p, Side& sender) {
  const uint32_t ts = p.tcp_tsval;
  if (sender.zero && ts != 0) sender.zero = false;
  if (int32_t(ts - sender.last_ts) >= 0 || sender.last_ts == 0) {
    sender.last_ts = ts;
    sender.last_sec = p.ts.sec;
  }
}

}  // namespace pasban::stream
