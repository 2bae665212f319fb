#include "output/eve.h"

#include <openssl/evp.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstdio>
#include <map>
#include <vector>

#include "app/http/http_parser.h"
#include "app/sip/sip_parser.h"
#include "app/tls/tls_parser.h"
#include "flow/community_id.h"
#include "flow/flow.h"
#include "output/eve_metadata.h"

namespace pasban::output {
std::string eve_base64(core::Bytes b) {
  std::string out(((b.size() + 2) / 3) * 4 + 1, '\0');
  const int n =
      EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), b.data(), int(b.size()));
  out.resize(size_t(std::max(n, 0)));
  return out;
}

namespace {

using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;

void key(JsonWriter& w, const char* k) { w.Key(k); }
void str(JsonWriter& w, const std::string& s) { w.String(s.data(), rapidjson::SizeType(s.size())); }

std::string base64(core::Bytes b) { return eve_base64(b); }

std::string printable(core::Bytes b) {
  std::string out;
  out.reserve(b.size());
  // Suricata's PrintStringsToBuffer: isprint() bytes, \n and \r; a tab is '.'.
  for (uint8_t c : b) out.push_back((c >= 32 && c < 127) || c == '\n' || c == '\r' ? char(c) : '.');
  return out;
}

void vlan_array(JsonWriter& w, const uint16_t* ids, int count) {
  if (count == 0) return;
  key(w, "vlan");
  w.StartArray();
  for (int i = 0; i < count; ++i) w.Uint(ids[i]);
  w.EndArray();
}

const char* action_text(const detect::eval::Alert& a) {
  return a.blocked ? "blocked" : "allowed";
}

}  // namespace

std::string proto_name(uint8_t proto) {
  switch (proto) {
    case 1: return "ICMP";
    case 2: return "IGMP";
    case 4: return "IP-in-IP";
    case 41: return "IPv6";
    case 6: return "TCP";
    case 17: return "UDP";
    case 47: return "GRE";
    case 50: return "ESP";
    case 51: return "AH";
    case 58: return "IPv6-ICMP";
    case 132: return "SCTP";
    default: return std::to_string(proto);
  }
}

namespace {
// The header of records about a flow (flow, protocol records): time,
// flow_id, pcap_cnt (when a packet completed the record), event_type,
// vlan, the flow's client/server endpoints (swapped when `reverse`: a
// record in the direction of a to_client packet), proto.
void flow_header(JsonWriter& w, const flow::Flow& f, core::Timestamp ts, std::string_view event_type,
                 uint64_t pcap_cnt = 0, bool reverse = false) {
  const bool ports = f.proto == 6 || f.proto == 17;
  key(w, "timestamp");
  str(w, core::format_eve_timestamp(ts));
  key(w, "flow_id");
  w.Uint64(f.flow_id);
  if (pcap_cnt) {
    key(w, "pcap_cnt");
    w.Uint64(pcap_cnt);
  }
  key(w, "event_type");
  w.String(event_type.data(), rapidjson::SizeType(event_type.size()));
  vlan_array(w, f.vlan_ids, f.vlan_count);
  const core::IpAddress& src = reverse ? f.server : f.client;
  const core::IpAddress& dst = reverse ? f.client : f.server;
  key(w, "src_ip");
  str(w, src.to_string());
  if (ports) {
    key(w, "src_port");
    w.Uint(reverse ? f.server_port : f.client_port);
  }
  key(w, "dest_ip");
  str(w, dst.to_string());
  if (ports) {
    key(w, "dest_port");
    w.Uint(reverse ? f.client_port : f.server_port);
  }
  key(w, "proto");
  str(w, proto_name(f.proto));
  key(w, "ip_v");
  w.Uint(f.client.is_v6() ? 6 : 4);
}

}  // namespace

bool EveWriter::open(const std::string& dir) {
  if (!options_.enabled) return true;
  return file_.open(LogFile::resolve(dir, options_.filename), true);
}

void EveWriter::packet_header(JsonWriter& w, const decode::Packet& p, const char* event_type) {
  key(w, "timestamp");
  str(w, core::format_eve_timestamp(p.ts));
  if (p.flow) {
    key(w, "flow_id");
    w.Uint64(p.flow->flow_id);
  }
  if (p.pcap_cnt) {
    key(w, "pcap_cnt");
    w.Uint64(p.pcap_cnt);
  }
  key(w, "event_type");
  w.String(event_type);
  vlan_array(w, p.vlan_id.data(), p.vlan_count);
  if (p.ip_version) {
    key(w, "src_ip");
    str(w, p.src.to_string());
    if (p.has_ports()) {
      key(w, "src_port");
      w.Uint(p.sp);
    }
    key(w, "dest_ip");
    str(w, p.dst.to_string());
    if (p.has_ports()) {
      key(w, "dest_port");
      w.Uint(p.dp);
    }
    key(w, "proto");
    str(w, proto_name(p.ip_proto));
    key(w, "ip_v");
    w.Uint(p.ip_version);
    if (p.has_icmpv4 || p.has_icmpv6) {
      key(w, "icmp_type");
      w.Uint(p.icmp_type);
      key(w, "icmp_code");
      w.Uint(p.icmp_code);
    }
  }
  key(w, "pkt_src");
  w.String(p.pseudo ? "stream (flow timeout)" : p.rebuilt ? "defrag" : decode::pkt_src_name(p.pkt_src));
}

// The "alert" object: what the rule is and what it did (alert and drop
// records share it).
void EveWriter::alert_object(JsonWriter& w, const decode::Packet& p,
                             const detect::eval::Alert& a) const {
  const detect::Rule& r = *a.rule;
  key(w, "alert");
  w.StartObject();
  key(w, "action");
  w.String(action_text(a));
  key(w, "gid");
  w.Uint(r.gid);
  key(w, "signature_id");
  w.Uint(r.sid);
  key(w, "rev");
  w.Uint(r.rev);
  key(w, "signature");
  str(w, r.msg);
  key(w, "category");
  str(w, r.category);
  key(w, "severity");
  w.Int(r.priority);
  if (r.target != detect::Rule::Target::kNone) {
    const bool src_is_target = r.target == detect::Rule::Target::kSrc;
    auto endpoint = [&](const char* name, bool use_src) {
      key(w, name);
      w.StartObject();
      key(w, "ip");
      str(w, (use_src ? p.src : p.dst).to_string());
      if (p.has_ports()) {
        key(w, "port");
        w.Uint(use_src ? p.sp : p.dp);
      }
      w.EndObject();
    };
    endpoint("source", !src_is_target);
    endpoint("target", src_is_target);
  }
  if (options_.metadata && !r.metadata.empty()) {
    // Keys in first-seen order, values as arrays (Suricata's form).
    std::vector<std::pair<std::string, std::vector<std::string>>> grouped;
    for (const auto& [k, v] : r.metadata) {
      // k is captured through a plain reference: clang 14 cannot capture a
      // structured binding in a lambda (C++20 allows it), which broke the
      // clang/libFuzzer build.
      const auto& name = k;
      auto it = std::find_if(grouped.begin(), grouped.end(), [&](auto& g) { return g.first == name; });
      if (it == grouped.end()) grouped.push_back({k, {v}});
      else it->second.push_back(v);
    }
    key(w, "metadata");
    w.StartObject();
    for (const auto& [k, vs] : grouped) {
      str(w, k);
      w.StartArray();
      for (const auto& v : vs) str(w, v);
      w.EndArray();
    }
    w.EndObject();
  }
  w.EndObject();
}

void EveWriter::alert(const decode::Packet& p, const detect::eval::Alert& a,
                      const detect::eval::PacketVerdict* verdict) {
  if (!options_.enabled || !options_.alerts) return;
  const flow::Flow* f = p.flow;
  rapidjson::StringBuffer sb;
  JsonWriter w(sb);
  w.StartObject();
  packet_header(w, p, "alert");
  const bool icmp = p.has_icmpv4 || p.has_icmpv6;
  if (options_.community_id && (p.has_ports() || icmp)) {
    key(w, "community_id");
    uint16_t sp = icmp ? p.icmp_type : p.sp, dp = icmp ? p.icmp_code : p.dp;
    str(w, flow::community_id_v1(p.src, p.dst, sp, dp, p.ip_proto, options_.community_id_seed));
  }
  write_common_options(w, p, false);  // metadata (flowbits), ether
  if (a.tx) {
    key(w, "tx_id");
    w.Uint64(a.tx->tx_id);
  }
  alert_object(w, p, a);
  if (p.root) tunnel_object(w, p);
  if (a.tx && options_.metadata) a.tx->log(w);
  if (f && f->app_proto != 0) {
    key(w, "app_proto");
    auto name = app::app_proto_name(app::AppProto(f->app_proto));
    w.String(name.data(), rapidjson::SizeType(name.size()));
  }
  if (f) {
    key(w, "direction");
    w.String(p.to_server ? "to_server" : "to_client");
    key(w, "flow");
    w.StartObject();
    key(w, "pkts_toserver");
    w.Uint64(f->pkts_toserver);
    key(w, "pkts_toclient");
    w.Uint64(f->pkts_toclient);
    key(w, "bytes_toserver");
    w.Uint64(f->bytes_toserver);
    key(w, "bytes_toclient");
    w.Uint64(f->bytes_toclient);
    key(w, "start");
    str(w, core::format_eve_timestamp(f->start));
    key(w, "src_ip");
    str(w, f->client.to_string());
    key(w, "dest_ip");
    str(w, f->server.to_string());
    if (f->proto == 6 || f->proto == 17) {
      key(w, "src_port");
      w.Uint(f->client_port);
      key(w, "dest_port");
      w.Uint(f->server_port);
    }
    w.EndObject();
  }
  // A raw stream match logs the stream data it inspected.
  const core::Bytes payload = a.stream_payload ? core::as_bytes(*a.stream_payload) : p.payload;
  if (options_.payload) {
    key(w, "payload");
    str(w, base64(payload));
  }
  if (options_.payload_printable) {
    key(w, "payload_printable");
    str(w, printable(payload));
  }
  if (options_.payload_length) {
    key(w, "payload_length");
    w.Uint64(payload.size());
  }
  if (options_.payload || options_.payload_printable) {
    key(w, "stream");
    w.Uint(a.stream ? 1 : 0);
  }
  if (options_.packet) packet_fields(w, p);
  if (options_.verdict) write_verdict(w, p, verdict);
  write_pcap_filename(w, p);
  w.EndObject();
  line_.assign(sb.GetString(), sb.GetSize());
  line_.push_back('\n');
  file_.write(line_);
}

void EveWriter::flow(const flow::Flow& f, flow::EndReason reason, std::string_view app_proto) {
  if (!options_.enabled || !options_.flow) return;
  rapidjson::StringBuffer sb;
  JsonWriter w(sb);
  w.StartObject();
  flow_header(w, f, f.start, "flow");
  if (options_.top_metadata && var_names_) write_var_metadata(w, &f, nullptr, *var_names_);
  if (!app_proto.empty()) {
    key(w, "app_proto");
    w.String(app_proto.data(), rapidjson::SizeType(app_proto.size()));
  }
  // A direction detected as another protocol (app_layer.cc).
  for (int d = 0; d < 2; ++d) {
    if (f.app_proto_dir[d].empty()) continue;
    key(w, d == 0 ? "app_proto_ts" : "app_proto_tc");
    w.String(f.app_proto_dir[d].data(), rapidjson::SizeType(f.app_proto_dir[d].size()));
  }
  key(w, "flow");
  w.StartObject();
  key(w, "pkts_toserver");
  w.Uint64(f.pkts_toserver);
  key(w, "pkts_toclient");
  w.Uint64(f.pkts_toclient);
  key(w, "bytes_toserver");
  w.Uint64(f.bytes_toserver);
  key(w, "bytes_toclient");
  w.Uint64(f.bytes_toclient);
  key(w, "start");
  str(w, core::format_eve_timestamp(f.start));
  key(w, "end");
  str(w, core::format_eve_timestamp(f.last));
  key(w, "age");
  w.Int64(f.last.sec - f.start.sec);
  // Suricata's flow state: new until established, closed once the TCP
  // session reached LAST_ACK/TIME_WAIT/CLOSED after being established.
  const char* state = "new";
  if (f.proto == 6) {
    if (f.tcp_state >= flow::TcpState::kLastAck && f.ever_established) state = "closed";
    else if (flow::tcp_state_counts_established(f.tcp_state)) state = "established";
  } else if (f.seen_toserver && f.seen_toclient) {
    state = "established";
  }
  key(w, "state");
  w.String(state);
  key(w, "reason");
  w.String(reason == flow::EndReason::kTimeout ? "timeout"
           : reason == flow::EndReason::kForced ? "forced" : "shutdown");
  key(w, "alerted");
  w.Bool(f.alerted);
  if (f.drop || f.pass) {
    key(w, "action");
    w.String(f.drop ? "drop" : "pass");
  }
  w.EndObject();
  if (f.proto == 6) {
    auto hex = [](uint8_t v) {
      char b[3];
      std::snprintf(b, sizeof b, "%02x", v);
      return std::string(b);
    };
    const uint8_t all = f.tcp_flags_toserver | f.tcp_flags_toclient;
    key(w, "tcp");
    w.StartObject();
    key(w, "tcp_flags");
    str(w, hex(all));
    key(w, "tcp_flags_ts");
    str(w, hex(f.tcp_flags_toserver));
    key(w, "tcp_flags_tc");
    str(w, hex(f.tcp_flags_toclient));
    static const std::pair<uint8_t, const char*> kFlags[] = {
        {decode::kTcpSyn, "syn"}, {decode::kTcpFin, "fin"}, {decode::kTcpRst, "rst"},
        {decode::kTcpPsh, "psh"}, {decode::kTcpAck, "ack"}, {decode::kTcpUrg, "urg"},
        {decode::kTcpEce, "ecn"}, {decode::kTcpCwr, "cwr"}};
    for (const auto& [bit, name] : kFlags)
      if (all & bit) {
        key(w, name);
        w.Bool(true);
      }
    key(w, "state");
    w.String(flow::tcp_state_name(f.tcp_state));
    w.EndObject();
  }
  w.EndObject();
  line_.assign(sb.GetString(), sb.GetSize());
  line_.push_back('\n');
  file_.write(line_);
}

void EveWriter::transaction(const flow::Flow& f, app::AppProto proto, const app::Transaction& tx,
                            core::Timestamp ts, uint64_t pcap_cnt) {
  if (!options_.enabled || !options_.app_records[size_t(proto)]) return;
  if (proto == app::AppProto::kDns) {
    if (auto* dns = dynamic_cast<const app::dns::DnsTransaction*>(&tx)) {
      dns_records(f, *dns, ts, pcap_cnt);
      return;
    }
  }
  const auto* tls = proto == app::AppProto::kTls ? dynamic_cast<const app::tls::TlsTx*>(&tx) : nullptr;
  const auto* http =
      proto == app::AppProto::kHttp ? dynamic_cast<const app::http::HttpTx*>(&tx) : nullptr;
  const auto* mqtt =
      proto == app::AppProto::kMqtt ? dynamic_cast<const app::mqtt::MqttTx*>(&tx) : nullptr;
  rapidjson::StringBuffer sb;
  JsonWriter w(sb);
  w.StartObject();
  // Suricata's MQTT logger takes the direction of the transaction's first
  // message: one the server opened (a PUBLISH to a subscriber, a lone
  // PINGRESP) is written from the server's side. SIP records take their
  // message's direction (Suricata's LOG_DIR_PACKET).
  const auto* sip = proto == app::AppProto::kSip ? dynamic_cast<const app::sip::SipTx*>(&tx) : nullptr;
  flow_header(w, f, ts, app::app_proto_name(proto), pcap_cnt,
              (mqtt && mqtt->to_client) || (sip && !sip->to_server));
  key(w, "pkt_src");
  w.String("wire/pcap");
  key(w, "tx_id");
  w.Uint64(tx.tx_id);
  if (tls && options_.tls_fields) tls->log_with_fields(w, *options_.tls_fields);
  else if (http) http->log_with_options(w, options_.http);
  else if (mqtt) mqtt->log_with_options(w, options_.mqtt);
  else tx.log(w);
  w.EndObject();
  write_line(sb.GetString(), sb.GetSize());
}

void EveWriter::dns_records(const flow::Flow& f, const app::dns::DnsTransaction& tx,
                            core::Timestamp ts, uint64_t pcap_cnt) {
  const app::dns::DnsLogOptions& o = options_.dns;
  const size_t n = tx.eve_record_count(o);
  // Version 3 records take the message's direction (Suricata's
  // LOG_DIR_PACKET); version 2 ones the flow's.
  const bool reverse = o.version != 2 && tx.is_response;
  for (size_t i = 0; i < n; ++i) {
    rapidjson::StringBuffer sb;
    JsonWriter w(sb);
    w.StartObject();
    flow_header(w, f, ts, "dns", pcap_cnt, reverse);
    key(w, "pkt_src");
    w.String("wire/pcap");
    tx.log_record(w, o, i);
    w.EndObject();
    write_line(sb.GetString(), sb.GetSize());
  }
}

void EveWriter::write_line(const char* json, size_t len) {
  line_.assign(json, len);
  line_.push_back('\n');
  file_.write(line_);
}

std::string EveWriter::fileinfo_record(const flow::Flow& f, app::AppProto proto,
                                       const app::Transaction& tx, const app::files::File& file,
                                       core::Timestamp ts) const {
  rapidjson::StringBuffer sb;
  JsonWriter w(sb);
  w.StartObject();
  // A download is written in its own direction, server to client.
  flow_header(w, f, ts, "fileinfo", 0, !file.to_server());
  key(w, "pkt_src");
  w.String("wire/pcap");
  tx.log(w);
  key(w, "app_proto");
  auto name = app::app_proto_name(proto);
  w.String(name.data(), rapidjson::SizeType(name.size()));
  key(w, "fileinfo");
  w.StartObject();
  key(w, "filename");
  str(w, app::http::eve_string_from_bytes(file.name()));
  if (!file.store_sids.empty()) {
    key(w, "sid");
    w.StartArray();
    for (uint32_t sid : file.store_sids) w.Uint(sid);
    w.EndArray();
  }
  if (app::files::file_settings().magic && !file.magic().empty()) {
    key(w, "magic");
    str(w, file.magic());
  }
  key(w, "gaps");
  w.Bool(file.gaps());
  key(w, "state");
  auto state = app::files::file_state_name(file.state());
  w.String(state.data(), rapidjson::SizeType(state.size()));
  // md5 and sha1 only for a complete file; sha256 (the file-store's name
  // for it) whenever it was computed.
  if (file.state() == app::files::FileState::kClosed) {
    if (!file.md5().empty()) key(w, "md5"), str(w, file.md5());
    if (!file.sha1().empty()) key(w, "sha1"), str(w, file.sha1());
  }
  if (!file.sha256().empty()) key(w, "sha256"), str(w, file.sha256());
  key(w, "stored");
  w.Bool(file.stored);
  if (file.stored) {
    key(w, "file_id");
    w.Uint(file.file_id());
  }
  key(w, "size");
  w.Uint64(file.size());
  if (file.has_range()) {
    key(w, "start");
    w.Uint64(file.range_start());
    key(w, "end");
    w.Uint64(file.range_end());
  }
  key(w, "tx_id");
  w.Uint64(tx.tx_id);
  w.EndObject();
  w.EndObject();
  return std::string(sb.GetString(), sb.GetSize());
}

void EveWriter::fileinfo(const flow::Flow& f, app::AppProto proto, const app::Transaction& tx,
                         const app::files::File& file, core::Timestamp ts) {
  if (!options_.enabled || !options_.files) return;
  const std::string rec = fileinfo_record(f, proto, tx, file, ts);
  write_line(rec.data(), rec.size());
}

void EveWriter::stats(const core::Counters& counters, core::Timestamp now, int64_t uptime_s) {
  if (!options_.enabled || !options_.stats) return;
  // Dotted counter names become nested objects: "decoder.event.ipv4.trunc_pkt".
  struct Node {
    std::map<std::string, Node> children;
    uint64_t value = 0;
    bool leaf = false;
  } root;
  for (core::Counters::Id i = 0; i < counters.size(); ++i) {
    const std::string& name = counters.name(i);
    // Pasban's own counters (no Suricata name) go to stats.log only.
    if (name.starts_with("pasban.")) continue;
    if (!options_.stats_null_values && counters.get(i) == 0) continue;
    Node* n = &root;
    size_t start = 0;
    // decoder.event.* keeps the event name's own dot as one key level each,
    // which is how Suricata nests them too.
    while (true) {
      size_t dot = name.find('.', start);
      std::string part = name.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
      n = &n->children[part];
      if (dot == std::string::npos) break;
      start = dot + 1;
    }
    n->leaf = true;
    n->value = counters.get(i);
  }
  rapidjson::StringBuffer sb;
  JsonWriter w(sb);
  auto emit = [&](auto&& self, const Node& n) -> void {
    w.StartObject();
    for (const auto& [k, c] : n.children) {
      str(w, k);
      if (c.leaf && c.children.empty()) w.Uint64(c.value);
      else self(self, c);
    }
    w.EndObject();
  };
  w.StartObject();
  key(w, "timestamp");
  str(w, core::format_eve_timestamp(now));
  key(w, "event_type");
  w.String("stats");
  key(w, "stats");
  w.StartObject();
  key(w, "uptime");
  w.Int64(uptime_s);
  for (const auto& [k, c] : root.children) {
    str(w, k);
    if (c.leaf && c.children.empty()) w.Uint64(c.value);
    else emit(emit, c);
  }
  w.EndObject();
  w.EndObject();
  line_.assign(sb.GetString(), sb.GetSize());
  line_.push_back('\n');
  file_.write(line_);
}

}  // namespace pasban::output
