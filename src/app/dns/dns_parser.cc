#include "app/dns/dns_parser.h"

#include <algorithm>
#include <utility>

namespace pasban::app::dns {

using core::Bytes;

std::string_view dns_event_name(DnsEvent e) {
  switch (e) {
    case DnsEvent::kMalformedData: return "dns.malformed_data";
    case DnsEvent::kNotRequest: return "dns.not_request";
    case DnsEvent::kNotResponse: return "dns.not_response";
    case DnsEvent::kZFlagSet: return "dns.z_flag_set";
    case DnsEvent::kInvalidOpcode: return "dns.invalid_opcode";
    case DnsEvent::kNameTooLong: return "dns.name_too_long";
    case DnsEvent::kInfiniteLoop: return "dns.infinite_loop";
    case DnsEvent::kTooManyLabels: return "dns.too_many_labels";
    case DnsEvent::kInvalidAdditionals: return "dns.invalid_additionals";
    case DnsEvent::kInvalidAuthorities: return "dns.invalid_authorities";
    default: return "dns.unknown";
  }
}

// ---------------------------------------------------------------- buffers

namespace {

bool name_buffer(const std::string& name, Bytes& out) {
  if (name.empty()) return false;  // Suricata returns no buffer for the root
  out = core::as_bytes(name);
  return true;
}

bool record_name(const std::vector<Record>& records, uint32_t i, Bytes& out) {
  return i < records.size() && name_buffer(records[i].name.value, out);
}

// The name inside RDATA that dns.response.rrname inspects (Suricata's
// get_rdata_name: CNAME, PTR, MX, NS and the SOA mname).
const std::string* rdata_name(const Rdata& d) {
  if (auto* n = std::get_if<Name>(&d)) return &n->value;
  if (auto* mx = std::get_if<Mx>(&d)) return &mx->exchange.value;
  if (auto* soa = std::get_if<Soa>(&d)) return &soa->mname.value;
  return nullptr;
}

}  // namespace

void DnsTransaction::index_response_names() {
  response_names_.clear();
  if (!is_response) return;
  auto add = [this](const std::string* s) {
    if (s && !s->empty()) response_names_.push_back(s);
  };
  for (const Question& q : message.questions) add(&q.name.value);
  for (const auto* section : {&message.answers, &message.authorities, &message.additionals}) {
    for (const Record& r : *section) {
      add(&r.name.value);
      add(rdata_name(r.data));
    }
  }
}

bool DnsTransaction::buffer(AppBuffer b, uint32_t i, Bytes& out) const {
  switch (b) {
    case AppBuffer::kDnsQuery:
      if (is_response) return false;
      [[fallthrough]];
    case AppBuffer::kDnsQueriesRrname:
      return i < message.questions.size() && name_buffer(message.questions[i].name.value, out);
    case AppBuffer::kDnsAnswerName:
    case AppBuffer::kDnsAnswersRrname:
      return record_name(message.answers, i, out);
    case AppBuffer::kDnsAuthoritiesRrname:
      return is_response && record_name(message.authorities, i, out);
    case AppBuffer::kDnsAdditionalsRrname:
      return is_response && record_name(message.additionals, i, out);
    case AppBuffer::kDnsResponseRrname:
      if (i >= response_names_.size()) return false;
      out = core::as_bytes(*response_names_[i]);
      return true;
    default:
      return false;
  }
}

// ----------------------------------------------------------------- parser

void DnsParser::raise(DnsEvent e, DnsTransaction* tx) {
  ++event_counts_[size_t(e)];
  // Suricata attaches every DNS event to a transaction; malformed_data and
  // not_request go to the newest one and are lost when there is none.
  if (!tx) return;
  tx->events.push_back(dns_event_name(e));
  events.push_back(dns_event_name(e));
}

bool DnsParser::handle_message(bool to_server, Bytes msg) {
  auto tx = std::make_unique<DnsTransaction>();
  Message& m = tx->message;
  DnsTransaction* newest = txs_.empty() ? nullptr : txs_.back().get();
  switch (parse_message(msg, m)) {
    case ParseStatus::kBadHeader:
      // Suricata ignores such a datagram; on TCP the stream is lost.
      return !tcp_;
    case ParseStatus::kMalformed:
      raise(DnsEvent::kMalformedData, newest);
      return false;
    case ParseStatus::kOk:
      break;
  }
  const Header& h = m.header;
  if (to_server && h.qr()) {
    raise(DnsEvent::kNotRequest, newest);
    return false;
  }
  if (txs_.size() >= kMaxTransactions) {
    txs_.pop_front();
    note_capped_drop();
  }
  tx->tx_id = next_tx_id_++;
  tx->is_response = !to_server;
  tx->opcode = h.opcode();
  tx->rcode = h.rcode();
  tx->query_types.reserve(m.questions.size());
  for (const Question& q : m.questions) tx->query_types.push_back(q.rrtype);
  tx->answer_types.reserve(m.answers.size());
  for (const Record& r : m.answers) tx->answer_types.push_back(r.rrtype);
  tx->index_response_names();

  DnsTransaction* t = tx.get();
  txs_.push_back(std::move(tx));
  // Same order as Suricata's dns_parse_request / dns_parse_response.
  if (m.invalid_additionals) raise(DnsEvent::kInvalidAdditionals, t);
  if (m.invalid_authorities) raise(DnsEvent::kInvalidAuthorities, t);
  if (!to_server && !h.qr()) raise(DnsEvent::kNotResponse, t);
  if (h.z()) raise(DnsEvent::kZFlagSet, t);
  if (h.opcode() >= 7) raise(DnsEvent::kInvalidOpcode, t);
  if (m.name_flags & kNameTruncated) raise(DnsEvent::kNameTooLong, t);
  if (m.name_flags & kNameInfiniteLoop) raise(DnsEvent::kInfiniteLoop, t);
  if (m.name_flags & kNameLabelLimit) raise(DnsEvent::kTooManyLabels, t);
  return true;
}

void DnsParser::feed(bool to_server, Bytes data, core::Timestamp) {
  if (failed_) return;
  if (tcp_) {
    feed_tcp(to_server, data);
    return;
  }
  (void)handle_message(to_server, data);  // UDP: one datagram, one message
}

void DnsParser::feed_tcp(bool to_server, Bytes data) {
  Side& side = sides_[to_server];
  if (side.gap) {
    // After lost bytes the next byte may not start a frame: resume only on
    // data that looks like a length-prefixed DNS message (Suricata).
    if (dns_probe(data, true).verdict < 0) return;
    side.gap = false;
  }
  std::vector<uint8_t>& pending = side.pending;
  while (!data.empty() && !failed_) {
    if (!pending.empty()) {
      // Complete the frame started by an earlier feed; the buffer never
      // holds more than one frame (at most 2 + 65535 bytes).
      if (pending.size() < 2) {
        pending.push_back(data[0]);
        data = data.subspan(1);
        continue;
      }
      const size_t total = 2 + size_t(core::load_be16(pending.data()));
      const size_t take = std::min(total - pending.size(), data.size());
      pending.insert(pending.end(), data.begin(), data.begin() + take);
      data = data.subspan(take);
      if (pending.size() < total) return;
      if (total > 2 && !handle_message(to_server, Bytes(pending).subspan(2))) failed_ = true;
      pending.clear();
      continue;
    }
    if (data.size() < 2) {
      pending.assign(data.begin(), data.end());
      return;
    }
    const size_t len = core::load_be16(data.data());
    if (data.size() < 2 + len) {
      pending.assign(data.begin(), data.end());
      return;
    }
    // A zero length frame is skipped, as Suricata does.
    if (len > 0 && !handle_message(to_server, data.subspan(2, len))) failed_ = true;
    data = data.subspan(2 + len);
  }
  if (failed_) {
    for (Side& s : sides_) s.pending.clear();
  }
}

void DnsParser::on_gap(bool to_server) {
  if (!tcp_) return;
  Side& side = sides_[to_server];
  side.gap = true;
  side.pending.clear();  // the frame it belonged to cannot be completed
}

void DnsParser::on_close() {
  for (Side& s : sides_) s.pending.clear();
}

void DnsParser::trim() {
  txs_removed += std::erase_if(txs_, [](const std::unique_ptr<DnsTransaction>& t) { return t->logged; });
}

// ------------------------------------------------------------------ probe

ProbeResult dns_probe(Bytes data, bool tcp) {
  ProbeResult r;
  size_t dlen = data.size();
  if (tcp) {
    // Suricata waits for the length and a whole header.
    if (data.size() < 2 + kHeaderSize) {
      r.verdict = 0;
      return r;
    }
    dlen = core::load_be16(data.data());
    data = data.subspan(2);
  }
  Header h;
  if (!parse_header(data, h)) return r;
  r.is_request = !h.qr();
  if (data.size() < dlen) {
    // Only part of a TCP message: judge the header alone.
    r.verdict = header_valid(h, dlen) ? 1 : -1;
    return r;
  }
  Message m;
  r.verdict = parse_message(data.first(dlen), m) == ParseStatus::kOk ? 1 : -1;
  return r;
}

}  // namespace pasban::app::dns
