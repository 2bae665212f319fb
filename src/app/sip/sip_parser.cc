#include "app/sip/sip_parser.h"

#include <algorithm>
#include <utility>

namespace pasban::app::sip {
namespace {

// RFC 3261 7.5: CRLFs before a start line are ignored (RFC 5626 uses them
// as keep-alives).
size_t skip_empty_lines(std::string_view s) {
  size_t i = 0;
  while (i < s.size() && (s[i] == '\r' || s[i] == '\n')) ++i;
  return i;
}

void keep_body(SipMessage& m, std::string_view bytes) {
  const size_t room = kMaxBodyKept - std::min(kMaxBodyKept, m.body.size());
  m.body.append(bytes.substr(0, room));
}

}  // namespace

void SipParser::feed(bool to_server, core::Bytes data, core::Timestamp) {
  const std::string_view s = core::as_chars(data);
  if (tcp_) feed_tcp(to_server, s);
  else feed_udp(to_server, s);
}

void SipParser::raise(std::string_view event, SipTx* tx) {
  // Like Suricata, an event with no message of its own goes to the newest
  // transaction (and is lost when there is none).
  if (!tx && !txs_.empty()) tx = txs_.back().get();
  if (!tx) return;
  tx->events.push_back(event);
  events.push_back(event);
}

void SipParser::emit(SipMessage&& m, bool to_server) {
  if (txs_.size() >= kMaxTransactions) {
    txs_.pop_front();
    note_capped_drop();
  }
  auto tx = std::make_unique<SipTx>();
  tx->message = std::move(m);
  if (!tx->message.body.empty()) tx->sdp = parse_sdp(tx->message.body);
  tx->to_server = to_server;
  tx->tx_id = next_tx_id_++;
  txs_.push_back(std::move(tx));
}

// One datagram is one message; its body is the rest of the datagram
// (RFC 3261 18.3 lets UDP messages go without Content-Length).
void SipParser::feed_udp(bool to_server, std::string_view data) {
  data.remove_prefix(skip_empty_lines(data));
  if (data.empty()) return;  // a keep-alive
  const size_t end = find_head_end(data);
  const std::string_view head = end == std::string_view::npos ? data : data.substr(0, end);
  SipMessage m;
  switch (parse_head(head, m)) {
    case HeadStatus::kOk:
      // As Suricata, requests are read to the server and responses to the
      // client only (a REGISTER sent by the flow's responder is invalid).
      if (m.is_request != to_server) {
        raise(kEventInvalidData, nullptr);
        return;
      }
      break;
    case HeadStatus::kNeedMore:
      raise(kEventIncompleteData, nullptr);
      return;
    default:
      raise(kEventInvalidData, nullptr);
      return;
  }
  if (end != std::string_view::npos) keep_body(m, data.substr(end));
  emit(std::move(m), to_server);
}

// Bytes that cannot be framed as SIP: the direction stops (Suricata fails
// the parser too) and its buffer is freed.
void SipParser::give_up(Side& side) {
  raise(kEventInvalidData, nullptr);
  side.lost = true;
  side.pending.clear();
  side.pending.shrink_to_fit();
}

// Parses the header section at the front of side.pending once it is all
// there. False when more bytes are needed or the direction is lost.
bool SipParser::tcp_head(Side& side, bool to_server) {
  const size_t lead = skip_empty_lines(side.pending);
  if (lead) {
    side.pending.erase(0, lead);
    side.scanned = 0;
  }
  if (side.pending.empty()) return false;
  const size_t end = find_head_end(side.pending, side.scanned);
  SipMessage m;
  if (end == std::string::npos) {
    side.scanned = side.pending.size();
    // A start line that is not SIP is known before the header section ends.
    const size_t nl = side.pending.find('\n');
    bool bad = side.pending.size() > kMaxHeaderBytes;
    if (!bad && nl != std::string::npos)
      bad = parse_head(std::string_view(side.pending).substr(0, nl + 1), m) == HeadStatus::kInvalid;
    if (bad) give_up(side);
    return false;
  }
  if (end > kMaxHeaderBytes ||
      parse_head(std::string_view(side.pending).substr(0, end), m) != HeadStatus::kOk ||
      m.is_request != to_server) {
    give_up(side);
    return false;
  }
  side.pending.erase(0, end);
  side.scanned = 0;
  const int64_t len = content_length(m);
  if (len == -2) {
    // An unreadable length leaves the stream without framing.
    give_up(side);
    return false;
  }
  side.message = std::move(m);
  side.body_left = len < 0 ? 0 : uint64_t(len);
  side.in_body = true;
  return true;
}

void SipParser::feed_tcp(bool to_server, std::string_view data) {
  Side& side = sides_[to_server];
  if (side.lost) return;
  while (true) {
    if (side.in_body) {
      // Body bytes come from what pending held when the head was parsed,
      // then straight from data; kept up to kMaxBodyKept.
      const bool from_pending = !side.pending.empty();
      const std::string_view from = from_pending ? std::string_view(side.pending) : data;
      const size_t take = size_t(std::min<uint64_t>(side.body_left, from.size()));
      keep_body(side.message, from.substr(0, take));
      side.body_left -= take;
      if (from_pending) side.pending.erase(0, take);
      else data.remove_prefix(take);
      if (side.body_left > 0) {
        if (side.pending.empty() && data.empty()) return;
        continue;
      }
      side.in_body = false;
      emit(std::move(side.message), to_server);
      side.message = SipMessage();
      continue;
    }
    // Header section: pending holds at most a little more than
    // kMaxHeaderBytes, so a peer that never ends its headers is cut off.
    if (!data.empty()) {
      const size_t cap = kMaxHeaderBytes + 4;
      const size_t room = cap - std::min(cap, side.pending.size());
      const size_t take = std::min(room + 1, data.size());
      side.pending.append(data.substr(0, take));
      data.remove_prefix(take);
    }
    if (!tcp_head(side, to_server)) return;
  }
}

void SipParser::on_gap(bool to_server) {
  if (!tcp_) return;
  // The message the gap fell into cannot be framed; Suricata gives the
  // direction up too.
  Side& side = sides_[to_server];
  side = Side();
  side.lost = true;
}

void SipParser::on_close() {
  for (Side& s : sides_) {
    if (s.in_body || !s.pending.empty()) raise(kEventIncompleteData, nullptr);
    s.pending.clear();
    s.in_body = false;
  }
}

void SipParser::trim() {
  txs_removed += std::erase_if(txs_, [](const std::unique_ptr<SipTx>& t) { return t->logged; });
}

int sip_probe_udp(core::Bytes data, bool) { return looks_like_sip(data, false); }
int sip_probe_tcp(core::Bytes data, bool) { return looks_like_sip(data, true); }

}  // namespace pasban::app::sip
