// Per-flow DNS state over UDP (one message per datagram) and TCP (RFC 1035
// 4.2.2: each message behind a 2-byte length). As in Suricata 8, every DNS
// message is its own transaction: a request (to_server) or a response
// (to_client), logged as EVE dns "type": "request" / "response".
#pragma once
#include <array>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "app/dns/dns_wire.h"
#include "app/parser.h"

namespace pasban::app::dns {

// App-layer events, Suricata's names (dns-events.rules).
enum class DnsEvent : uint8_t {
  kMalformedData,
  kNotRequest,
  kNotResponse,
  kZFlagSet,
  kInvalidOpcode,
  kNameTooLong,
  kInfiniteLoop,
  kTooManyLabels,
  kInvalidAdditionals,
  kInvalidAuthorities,
  kCount
};
// "dns.malformed_data", "dns.not_request", ...
std::string_view dns_event_name(DnsEvent e);

// EVE dns output options (Suricata's eve-log dns "formats"); both by
// default, as Suricata when "formats" is absent or empty.
struct LogFormat {
  bool detailed = true;  // "answers": [...]
  bool grouped = true;   // "grouped": {"A": [...], ...}
};

// One eve-log output's dns settings (Suricata's eve-log types dns):
//  version 3 (default): one record per message, "type": "request" or
//    "response", in the packet's direction;
//  version 2: one "type": "query" record per question of a request and one
//    "type": "answer" record per response, in the flow's direction.
// requests/responses switch a side off; `types` (when set) keeps only
// messages asking for those rrtypes; `formats` picks detailed/grouped.
struct DnsLogOptions {
  int version = 3;
  bool requests = true;
  bool responses = true;
  LogFormat format;
  bool type_filter = false;         // a `types` list was given
  std::vector<uint16_t> types;      // its rrtypes, when type_filter
  // Whether a question of this rrtype is logged. With every option at its
  // default, any type is; otherwise only the types Suricata has a log flag
  // for (all of them, or the `types` list).
  bool type_enabled(uint16_t rrtype) const;
  // The settings EVE alerts use for their "dns" object: detailed answers,
  // both sides, all known types.
  static DnsLogOptions for_alerts();
};
// The rrtype of a `types` entry ("a", "AAAA", "mx", ...); nullopt for an
// unknown name.
std::optional<uint16_t> rrtype_by_name(std::string_view name);

class DnsTransaction final : public Transaction {
 public:
  // kDnsQuery: question i's name, request transactions only (Suricata reads
  //   tx.request in the to_server direction).
  // kDnsQueriesRrname: question i's name, either direction.
  // kDnsAnswerName / kDnsAnswersRrname: answer i's owner name.
  // kDnsAuthoritiesRrname / kDnsAdditionalsRrname: that section's owner
  //   names, response transactions only.
  // kDnsResponseRrname: response transactions: every question name, then
  //   per answer/authority/additional record its owner name and the name in
  //   its RDATA (CNAME/NS/PTR target, MX exchange, SOA mname).
  // Empty names (the root) are absent, which ends a multi-buffer walk, as
  // in Suricata.
  bool buffer(AppBuffer b, uint32_t index, core::Bytes& out) const override;
  // A DNS transaction is one message: complete on both sides once made.
  bool complete(bool) const override { return true; }
  // The alert's "dns" object (Suricata's AlertJsonDns: detailed answers).
  void log(JsonWriter& w) const override { log_v3(w, DnsLogOptions::for_alerts()); }
  void log_with(JsonWriter& w, const LogFormat& format) const;
  // The version 3 "dns" object with this output's options.
  void log_v3(JsonWriter& w, const DnsLogOptions& o) const;
  // How many EVE dns records this transaction makes under `o` (0 when
  // filtered out; version 2 requests make one per logged question).
  size_t eve_record_count(const DnsLogOptions& o) const;
  // Writes record i's "dns" key and object (i < eve_record_count(o)).
  void log_record(JsonWriter& w, const DnsLogOptions& o, size_t i) const;

  // --- keyword data (dns.opcode, dns.rcode, dns.rrtype) ---
  // True when the message came to_client (Suricata's tx.response); such a
  // message without the QR bit still makes a response tx (not_response).
  bool is_response = false;
  // Header opcode (4 bits, 0..15).
  uint8_t opcode = 0;
  // Header rcode (low 4 bits of the flags) of this message, request or
  // response; dns.rcode in Suricata 8 matches in both directions.
  uint16_t rcode = 0;
  // rrtype of every question, in order (dns.rrtype matches any of them in
  // both directions).
  std::vector<uint16_t> query_types;
  // rrtype of every answer record, in order.
  std::vector<uint16_t> answer_types;
  // Events raised on this transaction (subset of the parser's events).
  std::vector<std::string_view> events;

  Message message;

 private:
  friend class DnsParser;
  void index_response_names();
  std::vector<const std::string*> response_names_;
};

class DnsParser final : public Parser {
 public:
  // Transactions kept before the oldest is dropped (memcap).
  static constexpr size_t kMaxTransactions = 4096;

  explicit DnsParser(bool tcp) : tcp_(tcp) {}

  void feed(bool to_server, core::Bytes data, core::Timestamp ts) override;
  void on_gap(bool to_server) override;
  void on_close() override;
  size_t tx_count() const override { return txs_.size(); }
  Transaction* tx(size_t i) override { return i < txs_.size() ? txs_[i].get() : nullptr; }
  void trim() override;

  bool tcp() const { return tcp_; }
  // TCP: a message was malformed; Suricata disables the app layer for the
  // flow, and so does this parser: further bytes are ignored.
  bool failed() const { return failed_; }
  uint64_t event_count(DnsEvent e) const { return event_counts_[size_t(e)]; }
  uint64_t dropped_transactions() const { return txs_capped; }

 private:
  struct Side {
    std::vector<uint8_t> pending;  // a partial length-prefixed frame (TCP)
    bool gap = false;
  };

  void feed_tcp(bool to_server, core::Bytes data);
  // Parses one message; false on an error that ends a TCP flow.
  bool handle_message(bool to_server, core::Bytes msg);
  void raise(DnsEvent e, DnsTransaction* tx);

  bool tcp_;
  bool failed_ = false;
  uint64_t next_tx_id_ = 0;
  std::array<Side, 2> sides_;  // [0] to_client, [1] to_server
  std::deque<std::unique_ptr<DnsTransaction>> txs_;
  std::array<uint64_t, size_t(DnsEvent::kCount)> event_counts_{};
};

// Content probe, Suricata's probe_udp / probe_tcp: a header that passes
// header_valid() and, when the whole message is present, a body that
// parses. verdict: 1 DNS, 0 need more bytes, -1 not DNS. is_request tells
// the direction the message claims (QR clear); Suricata turns a flow
// around when it disagrees with the packet's direction.
struct ProbeResult {
  int verdict = -1;
  bool is_request = false;
};
ProbeResult dns_probe(core::Bytes data, bool tcp);

}  // namespace pasban::app::dns

namespace pasban::app {
struct ProtocolSpec;
namespace dns {
// DNS's registration (dns_register.cc).
const ProtocolSpec& dns_protocol();
}  // namespace dns
}  // namespace pasban::app
