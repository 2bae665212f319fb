// app-layer-event, app-layer-protocol, stream-event.
//
// app-layer-event:<proto>.<event>  (Suricata's names, *-events.rules)
//   http / dns: the transaction's own events (HttpTx::events,
//   DnsTransaction::events), or an event of that protocol raised by the
//   current packet without a transaction (AppFlowState::packet_events).
//   smtp: the transaction's own events (SmtpTx::events) or the packet's.
//   mqtt: the transaction's own events (MqttTx::events) or the packet's;
//   malformed_traffic sits on an empty transaction of its own.
//   tls: its parser keeps events per flow, not per transaction:
//   the events raised by the current packet (packet_events).
//   proto() is the named protocol (the rule then requires it); sides() 3,
//   except HTTP events named after one side (request_* 1, response_* 2),
//   so that the rule is evaluated on a packet of the direction that raised
//   them (see http_event_side).
//   An event name the protocol does not have loads (Suricata only warns
//   and leaves the rule out) and never matches. Protocols Suricata
//   has but Pasban does not parse (ftp, smb, http2, ...) parse with any event
//   name and never match.
// app-layer-event:applayer_<name>   packet-level (no transaction) events:
//   a FlowKeyword matching packet_events; Pasban's app layer does not raise
//   them yet, so these never match.
// app-layer-protocol:[!]<proto>[,final|original|either|to_server|to_client|direction]
//   compares flow->app_proto. Pasban keeps one protocol per flow (no
//   per-direction or pre-change protocol), so every mode reads it. "failed"
//   is a value; Suricata protocols Pasban never assigns parse and never
//   match (negated: always match).
// stream-event:<name>  the current packet raised "stream.<name>"; names are
//   Suricata's (stream-events.rules), unknown ones are errors.
#include <algorithm>
#include <vector>

#include "app/app_layer.h"
#include "app/dns/dns_parser.h"
#include "app/http/http_parser.h"
#include "app/mqtt/mqtt_parser.h"
#include "app/sip/sip_parser.h"
#include "app/smtp/smtp_parser.h"
#include "detect/keywords/numeric.h"
#include "detect/keywords/tx_keyword_impl.h"
#include "flow/flow.h"

namespace pasban::detect::keywords {
namespace {

constexpr std::string_view kHttpEvents[] = {
    "100_continue_already_seen", "abnormal_ce_header", "compression_bomb",
    "compression_bomb_limit_reached", "double_encoded_uri",
    "duplicate_content_length_field_in_request", "duplicate_content_length_field_in_response",
    "failed_protocol_change", "file_name_too_long", "gzip_decompression_failed",
    "host_header_ambiguous", "invalid_authority_port", "invalid_content_length_field_in_request",
    "invalid_content_length_field_in_response", "invalid_request_chunk_len",
    "invalid_request_field_folding", "invalid_response_chunk_len",
    "invalid_response_field_folding", "invalid_server_port_in_request",
    "invalid_transfer_encoding_value_in_request", "invalid_transfer_encoding_value_in_response",
    "lzma_memlimit_reached", "method_delim_non_compliant", "missing_host_header",
    "multipart_generic_error", "multipart_invalid_header", "multipart_no_filedata",
    "range_invalid", "request_auth_unrecognized", "request_body_unexpected",
    "request_chunk_extension", "request_field_missing_colon", "request_field_too_long",
    "request_header_host_invalid", "request_header_invalid", "request_header_repetition",
    "request_line_incomplete", "request_line_invalid", "request_line_leading_whitespace",
    "request_line_missing_protocol", "request_server_port_tcp_port_mismatch",
    "request_too_many_headers", "request_uri_host_invalid", "response_abnormal_transfer_encoding",
    "response_chunk_extension", "response_chunked_old_proto", "response_field_missing_colon",
    "response_field_too_long", "response_header_invalid", "response_header_repetition",
    "response_invalid_protocol", "response_invalid_status", "response_multipart_byteranges",
    "response_too_many_headers", "too_many_encoding_layers", "too_many_warnings",
    "unable_to_match_response_to_request", "unknown_error", "uri_delim_non_compliant",
};

constexpr std::string_view kDnsEvents[] = {
    "infinite_loop", "invalid_additionals", "invalid_authorities", "invalid_opcode",
    "malformed_data", "name_too_long", "not_request", "not_response", "too_many_labels",
    "z_flag_set",
};

constexpr std::string_view kTlsEvents[] = {
    "certificate_invalid_algorithmidentifier", "certificate_invalid_date",
    "certificate_invalid_der", "certificate_invalid_extensions", "certificate_invalid_issuer",
    "certificate_invalid_length", "certificate_invalid_serial", "certificate_invalid_subject",
    "certificate_invalid_validity", "certificate_invalid_version", "certificate_invalid_x509name",
    "dataleak_heartbeat_mismatch", "error_message_encountered", "handshake_invalid_length",
    "heartbeat_message", "invalid_alert_message", "invalid_certificate",
    "invalid_handshake_message", "invalid_heartbeat_message", "invalid_record_type",
    "invalid_record_version", "invalid_sni_length", "invalid_sni_type", "invalid_ssl_record",
    "invalid_sslv2_header", "invalid_tls_header", "multiple_sni_extensions",
    "overflow_heartbeat_message", "too_many_records_in_packet",
};

constexpr std::string_view kSmtpEvents[] = {
    "bdat_chunk_len_exceeded", "data_command_rejected", "duplicate_fields",
    "failed_protocol_change", "invalid_bdat", "invalid_pipelined_sequence", "invalid_reply",
    "max_command_line_len_exceeded", "max_reply_line_len_exceeded", "mime_invalid_base64",
    "mime_invalid_qp", "mime_long_boundary", "mime_long_enc_line", "mime_long_filename",
    "mime_long_header_name", "mime_long_header_value", "mime_long_line", "mime_malformed_msg",
    "mime_parse_failed", "no_server_welcome_message", "tls_rejected", "truncated_line",
    "unable_to_match_reply_with_request", "unparsable_content",
};

constexpr std::string_view kMqttEvents[] = {
    "double_connect",      "invalid_qos_level",     "malformed_traffic",
    "missing_connect",     "missing_msg_id",        "missing_publish",
    "missing_subscribe",   "missing_unsubscribe",   "too_many_transactions",
    "unassigned_msg_type", "unintroduced_message",
};
constexpr std::string_view kSipEvents[] = {"incomplete_data", "invalid_data"};

constexpr std::string_view kApplayerEvents[] = {
    "applayer_mismatch_protocol_both_directions", "applayer_wrong_direction_first_data",
    "applayer_detect_protocol_only_one_direction", "applayer_proto_detection_skipped",
    "applayer_no_tls_after_starttls", "applayer_unexpected_protocol",
};

// Suricata app-layer protocols (and aliases) that Pasban has no parser for.
constexpr std::string_view kForeignProtocols[] = {
    "ftp",    "ftp-data", "smb",   "dcerpc", "ssh",  "http2", "doh2",
    "modbus", "dnp3",     "enip",  "nfs",    "ntp",  "tftp",  "ikev2",  "ike",
    "krb5",   "quic",     "dhcp",  "snmp",   "rfb",   "rdp",    "pgsql",
    "telnet", "websocket", "ldap", "pop3",   "imap", "mdns",  "bittorrent-dht",
    "template", "jabber", "irc",   "msn",    "nntp",
};

constexpr std::string_view kStreamEvents[] = {
    "3whs_ack_data_inject", "3whs_ack_in_wrong_dir", "3whs_async_wrong_seq",
    "3whs_right_seq_wrong_ack_evasion", "3whs_syn_flood", "3whs_syn_resend_diff_seq_on_syn_recv",
    "3whs_syn_toclient_on_syn_recv", "3whs_synack_flood", "3whs_synack_in_wrong_direction",
    "3whs_synack_resend_with_diff_seq", "3whs_synack_resend_with_different_ack",
    "3whs_synack_tfo_data_ignored", "3whs_synack_toserver_on_syn_recv",
    "3whs_synack_with_wrong_ack", "3whs_wrong_seq_wrong_ack", "4whs_invalid_ack",
    "4whs_synack_with_wrong_ack", "4whs_synack_with_wrong_syn", "4whs_wrong_seq",
    "closewait_ack_out_of_window", "closewait_fin_out_of_window", "closewait_invalid_ack",
    "closewait_pkt_before_last_ack", "closing_ack_wrong_seq", "closing_invalid_ack",
    "est_invalid_ack", "est_packet_out_of_window", "est_pkt_before_last_ack", "est_syn_resend",
    "est_syn_resend_diff_seq", "est_syn_toclient", "est_synack_resend",
    "est_synack_resend_with_diff_seq", "est_synack_resend_with_different_ack",
    "est_synack_toserver", "fin1_ack_wrong_seq", "fin1_fin_wrong_seq", "fin1_invalid_ack",
    "fin2_ack_wrong_seq", "fin2_fin_wrong_seq", "fin2_invalid_ack", "fin_but_no_session",
    "fin_invalid_ack", "fin_out_of_window", "fin_syn", "lastack_ack_wrong_seq",
    "lastack_invalid_ack", "pkt_bad_window_update", "pkt_broken_ack", "pkt_invalid_ack",
    "pkt_invalid_timestamp", "pkt_retransmission", "pkt_spurious_retransmission",
    "reassembly_depth_reached", "reassembly_overlap_different_data",
    "reassembly_segment_before_base_seq", "reassembly_seq_gap",
    "reassembly_urgent_oob_limit_reached", "rst_but_no_session", "rst_invalid_ack",
    "shutdown_syn_resend", "suspected_rst_inject", "timewait_ack_wrong_seq",
    "timewait_invalid_ack", "wrong_thread", "reassembly_no_segment", "reassembly_memcap",
    "reassembly_insert_memcap", "reassembly_insert_limit", "reassembly_insert_invalid",
    "pkt_invalid_timestamp", "rst_with_data_enabled", "pkt_retransmission",
};

template <size_t N>
bool contains(const std::string_view (&list)[N], std::string_view s) {
  return std::find(std::begin(list), std::end(list), s) != std::end(list);
}

bool has_event(const std::vector<std::string_view>& events, std::string_view name) {
  return std::find(events.begin(), events.end(), name) != events.end();
}

bool packet_raised(const decode::Packet& p, std::string_view name) {
  const app::AppFlowState* st = app::AppLayer::state_of(p.flow);
  return st && has_event(st->packet_events, name);
}

class AppLayerEventTx final : public TxKeyword {
 public:
  AppLayerEventTx(app::AppProto proto, std::string event, uint8_t sides)
      : proto_(proto), event_(std::move(event)), sides_(sides) {}
  app::AppProto proto() const override { return proto_; }
  uint8_t sides() const override { return sides_; }
  bool match(const app::Transaction& tx, const decode::Packet& p) const override {
    if (event_.empty()) return false;  // an event the protocol does not have
    if (const auto* h = dynamic_cast<const app::http::HttpTx*>(&tx)) {
      if (has_event(h->events, event_)) return true;
    } else if (const auto* d = dynamic_cast<const app::dns::DnsTransaction*>(&tx)) {
      if (has_event(d->events, event_)) return true;
    } else if (const auto* m = dynamic_cast<const app::smtp::SmtpTx*>(&tx)) {
      if (has_event(m->events, event_)) return true;
    } else if (const auto* q = dynamic_cast<const app::mqtt::MqttTx*>(&tx)) {
      if (has_event(q->events, event_)) return true;
    } else if (const auto* s = dynamic_cast<const app::sip::SipTx*>(&tx)) {
      if (has_event(s->events, event_)) return true;
    }
    return packet_raised(p, event_);
  }

 private:
  app::AppProto proto_;
  std::string event_;
  uint8_t sides_;
};

// The side of an HTTP transaction whose parsing raises the event: the rule
// is then evaluated once that side is complete, on a packet of that
// direction (a `flow:to_server` rule on a request event can match). Events
// either side can raise keep 3.
uint8_t http_event_side(std::string_view ev) {
  if (ev.starts_with("unable_to_match_response")) return 2;
  if (ev.find("request") != std::string_view::npos) return 1;
  if (ev.find("response") != std::string_view::npos) return 2;
  if (ev == "missing_host_header" || ev == "host_header_ambiguous" ||
      ev == "invalid_authority_port" || ev == "uri_delim_non_compliant" ||
      ev == "method_delim_non_compliant" || ev == "double_encoded_uri")
    return 1;
  if (ev == "100_continue_already_seen") return 2;
  return 3;
}

class PacketEvent final : public FlowKeyword {
 public:
  explicit PacketEvent(std::string event) : event_(std::move(event)) {}
  bool match(const decode::Packet& p) const override { return packet_raised(p, event_); }

 private:
  std::string event_;
};

class Never final : public FlowKeyword {
 public:
  bool match(const decode::Packet&) const override { return false; }
};

class AppLayerProtocol final : public FlowKeyword {
 public:
  AppLayerProtocol(int proto, bool negated) : proto_(proto), negated_(negated) {}
  bool match(const decode::Packet& p) const override {
    if (!p.flow) return false;
    // Suricata: a negated protocol does not match while detection is open.
    if (negated_ && p.flow->app_proto == uint8_t(app::AppProto::kUnknown)) return false;
    const bool eq = proto_ >= 0 && p.flow->app_proto == uint8_t(proto_);
    return eq != negated_;
  }

 private:
  int proto_;  // an AppProto value, -1 for a protocol Pasban never assigns
  bool negated_;
};

}  // namespace

TxKeywordPtr make_app_layer_event_tx(std::string_view name, std::string_view value,
                                     core::Error& err) {
  const std::string_view v = unquote(value);
  const size_t dot = v.find('.');
  if (dot == std::string_view::npos) return nullptr;  // applayer_*: flow keyword
  const std::string proto = lower(v.substr(0, dot));
  const std::string_view ev = v.substr(dot + 1);
  app::AppProto p = app::AppProto::kUnknown;
  bool known = false;
  if (proto == "http" || proto == "http1") {
    p = app::AppProto::kHttp;
    known = contains(kHttpEvents, ev);
  } else if (proto == "dns") {
    p = app::AppProto::kDns;
    known = contains(kDnsEvents, ev);
  } else if (proto == "tls" || proto == "ssl") {
    p = app::AppProto::kTls;
    known = contains(kTlsEvents, ev);
  } else if (proto == "smtp") {
    p = app::AppProto::kSmtp;
    known = contains(kSmtpEvents, ev);
  } else if (proto == "mqtt") {
    p = app::AppProto::kMqtt;
    known = contains(kMqttEvents, ev);
  } else if (proto == "sip") {
    p = app::AppProto::kSip;
    known = contains(kSipEvents, ev);
  } else if (contains(kForeignProtocols, proto)) {
    return nullptr;  // parses, never matches (flow keyword below)
  } else {
    err = kw_error(name, "unknown protocol", v.substr(0, dot));
    return nullptr;
  }
  // Suricata (non-strict) warns about an event its protocol does not have
  // and leaves the rule out without failing the load; the closest this
  // interface offers is a keyword that never matches.
  if (!known) return std::make_shared<AppLayerEventTx>(p, std::string(), 3);
  const std::string_view prefix = p == app::AppProto::kTls    ? "tls."
                                  : p == app::AppProto::kHttp ? "http."
                                  : p == app::AppProto::kDns  ? "dns."
                                  : p == app::AppProto::kMqtt ? "mqtt."
                                  : p == app::AppProto::kSip  ? "sip."
                                                              : "smtp.";
  const uint8_t sides = p == app::AppProto::kHttp ? http_event_side(ev) : 3;
  return std::make_shared<AppLayerEventTx>(p, std::string(prefix) + std::string(ev), sides);
}

FlowKeywordPtr make_app_layer_event_flow(std::string_view name, std::string_view value,
                                         core::Error& err) {
  const std::string_view v = unquote(value);
  if (v.find('.') != std::string_view::npos) {
    // Only a protocol Pasban does not parse reaches here.
    if (v.size() < 3 || v.back() == '.') {
      err = kw_error(name, "invalid value", v);
      return nullptr;
    }
    return std::make_shared<Never>();
  }
  if (!contains(kApplayerEvents, v)) {
    err = kw_error(name, "unknown event", v);
    return nullptr;
  }
  return std::make_shared<PacketEvent>(std::string(v));
}

FlowKeywordPtr make_app_layer_protocol(std::string_view name, std::string_view value,
                                       core::Error& err) {
  std::string_view v = unquote(value);
  bool neg = false;
  if (v.starts_with('!')) {
    neg = true;
    v = trim(v.substr(1));
  }
  if (const size_t comma = v.find(','); comma != std::string_view::npos) {
    const std::string_view mode = trim(v.substr(comma + 1));
    if (mode != "final" && mode != "original" && mode != "either" && mode != "to_server" &&
        mode != "to_client" && mode != "direction") {
      err = kw_error(name, "invalid mode", mode);
      return nullptr;
    }
    v = trim(v.substr(0, comma));
  }
  const std::string proto = lower(v);
  if (auto p = app::app_proto_by_name(proto))
    return std::make_shared<AppLayerProtocol>(int(*p), neg);
  if (contains(kForeignProtocols, proto)) return std::make_shared<AppLayerProtocol>(-1, neg);
  err = kw_error(name, "unknown protocol", v);
  return nullptr;
}

FlowKeywordPtr make_stream_event(std::string_view name, std::string_view value,
                                 core::Error& err) {
  const std::string_view v = unquote(value);
  if (!contains(kStreamEvents, v)) {
    err = kw_error(name, "unknown event", v);
    return nullptr;
  }
  return std::make_shared<PacketEvent>("stream." + std::string(v));
}

}  // namespace pasban::detect::keywords
