// EVE JSON records in Suricata's field names and order. Fields follow
// Suricata 8.0's schema (shared/verify/etc/eve-schema.json): renaming one is
// a breaking change for every SIEM and dashboard reading the file.
#pragma once
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/dns/dns_parser.h"
#include "app/http/http_parser.h"
#include "app/mqtt/mqtt_parser.h"
#include "core/counters.h"
#include "decode/packet.h"
#include "detect/eval/detector.h"
#include "flow/flow_table.h"
#include "output/eve_anomaly.h"
#include "output/log_file.h"

namespace pasban::output {

// Standard base64 (OpenSSL), as EVE payload and packet fields use it.
std::string eve_base64(core::Bytes b);

struct EveOptions {
  bool enabled = true;
  std::string filename = "eve.json";
  bool community_id = false;
  uint16_t community_id_seed = 0;
  // alert options
  bool payload = false;
  bool payload_printable = false;
  bool payload_length = false;
  bool packet = false;
  bool metadata = true;
  bool rule = false;  // alert.rule: the rule text is not kept yet
  bool alerts = true;  // eve-log type alert (always on for the first output)
  bool stats = true;  // write a stats record at the end
  bool flow = true;   // a flow record when each flow ends
  bool app_records[size_t(app::AppProto::kCount)] = {};  // eve-log types http, dns, tls, smtp, mqtt
  bool files = true;  // eve-log type files: fileinfo records
  // stats: null-values: false leaves out every counter that is zero.
  bool stats_null_values = true;
  // eve-log types dns: version, requests/responses, types, formats.
  app::dns::DnsLogOptions dns;
  // eve-log types tls: the fields to log (extended / custom); nullopt logs
  // the protocol's configured set.
  std::optional<uint32_t> tls_fields;
  // eve-log types http: extended, custom, dump-all-headers.
  app::http::HttpLogOptions http;
  // eve-log types mqtt: passwords, string-log-limit.
  app::mqtt::MqttLogOptions mqtt;
  // eve-log types anomaly (output/eve_anomaly.h).
  AnomalyOptions anomaly;
  // eve-log options shared by packet records (anomaly): `metadata` (flow
  // variables), `ethernet` (MAC addresses), `pcap-file` (pcap_filename).
  bool top_metadata = true;
  bool ethernet = false;
  bool pcap_file = false;
  bool verdict = false;  // eve-log types alert verdict: yes
  // eve-log types drop (inline only): alerts: log the rule that caused the
  // drop; flows: all logs every dropped packet, start (the default) a
  // dropped flow once per direction.
  bool drop = false;
  bool ips = false;  // inline (or --simulate-ips): drops take effect
  bool drop_alerts = false;
  bool drop_flows_all = false;
  // eve-log types alert tagged-packets: a "packet" record for each packet
  // a `tag` keyword marked (eve_packet.cc).
  bool tagged_packets = false;
};

class EveWriter {
 public:
  explicit EveWriter(EveOptions options) : options_(std::move(options)) {}
  bool open(const std::string& dir);
  // verdict: the packet's inline verdict, for the alert's "verdict" object.
  void alert(const decode::Packet& p, const detect::eval::Alert& a,
             const detect::eval::PacketVerdict* verdict = nullptr);
  // The drop record of a packet an inline engine dropped (eve_drop.cc);
  // drop_alert: the match that caused it, logged when drop alerts are on.
  void drop(const decode::Packet& p, const detect::eval::Alert* drop_alert);
  // Whether the drop log wants this dropped packet (flows: start logs a
  // dropped flow once per direction; a rule's own drop always).
  bool wants_drop(const decode::Packet& p, bool by_rule) const;
  void stats(const core::Counters& counters, core::Timestamp now, int64_t uptime_s);
  // The EVE flow record of a flow that ended. app_proto is its name or "".
  void flow(const flow::Flow& f, flow::EndReason reason, std::string_view app_proto);
  // A protocol record (event_type http, dns, tls, ...) for a transaction.
  // pcap_cnt: the packet that completed the transaction (0: none, the
  // flow ended).
  void transaction(const flow::Flow& f, app::AppProto proto, const app::Transaction& tx,
                   core::Timestamp ts, uint64_t pcap_cnt = 0);
  // The fileinfo record of one file of a transaction (output/file_log.cc
  // decides when: once, after the file ended and detection saw it).
  void fileinfo(const flow::Flow& f, app::AppProto proto, const app::Transaction& tx,
                const app::files::File& file, core::Timestamp ts);
  std::string fileinfo_record(const flow::Flow& f, app::AppProto proto,
                              const app::Transaction& tx, const app::files::File& file,
                              core::Timestamp ts) const;
  bool flush() { return file_.flush(); }
  void close() { file_.close(); }
  bool reopen() { return file_.reopen(); }  // log rotation (SIGHUP)
  bool ok() const { return file_.ok(); }
  // A worker's writer sends its lines to sink instead of a file.
  void attach(LineSink* sink, uint8_t stream) { file_.redirect(sink, stream); }
  LogFile& file() { return file_; }
  const std::string& error() const { return file_.error(); }
  const EveOptions& options() const { return options_; }

  // Anomaly records (eve_anomaly.cc): the packet's decoder events and the
  // stream / app-layer events its flow raised while handling it.
  void packet_anomalies(const decode::Packet& p, const std::vector<std::string_view>* flow_events);
  void anomaly(const decode::Packet& p, const Anomaly& a);
  // The "packet" record of a tagged packet (eve_packet.cc).
  void tagged_packet(const decode::Packet& p);
  // Flowbit names for the top-level "metadata" of packet records.
  void set_flowbit_names(std::function<std::string_view(uint32_t)> names) {
    flowbit_name_ = std::move(names);
  }
  // Variable names (flowbits, flowints, flowvars, pktvars) and the
  // detector's pktvars of the packet being logged, for "metadata" and
  // "traffic" (output/eve_metadata.h). Both outlive the writer's use.
  void set_var_names(const detect::VarNames* names, const std::vector<detect::PktVar>* pktvars) {
    var_names_ = names;
    pktvars_ = pktvars;
  }
  // The capture being read, for "pcap_filename" (eve-log pcap-file: yes).
  void set_pcap_filename(std::string name) { pcap_filename_ = std::move(name); }

 private:
  // EVE dns records: one per message (v3) or per question/answer (v2).
  void dns_records(const flow::Flow& f, const app::dns::DnsTransaction& tx, core::Timestamp ts,
                   uint64_t pcap_cnt);
  void write_line(const char* json, size_t len);
  // Packet-record extras (eve_anomaly.cc), shared with alert records.
  void write_common_options(rapidjson::Writer<rapidjson::StringBuffer>& w,
                            const decode::Packet& p, bool community_id = true) const;
  void write_pcap_filename(rapidjson::Writer<rapidjson::StringBuffer>& w,
                           const decode::Packet& p) const;
  void write_verdict(rapidjson::Writer<rapidjson::StringBuffer>& w, const decode::Packet& p,
                     const detect::eval::PacketVerdict* verdict) const;
  void alert_object(rapidjson::Writer<rapidjson::StringBuffer>& w, const decode::Packet& p,
                    const detect::eval::Alert& a) const;
  // Alert "tunnel": the outermost packet of an inner (tunnel) packet.
  static void tunnel_object(rapidjson::Writer<rapidjson::StringBuffer>& w,
                            const decode::Packet& p);
  // "packet" (base64 frame) and "packet_info" of packet records.
  // The start every packet-based record shares: timestamp, flow_id,
  // pcap_cnt, event_type, vlan, addresses, ports, proto, ip_v, icmp
  // type/code (the address part only when the packet has an IP layer) and
  // pkt_src.
  static void packet_header(rapidjson::Writer<rapidjson::StringBuffer>& w,
                            const decode::Packet& p, const char* event_type);
  static void packet_fields(rapidjson::Writer<rapidjson::StringBuffer>& w,
                            const decode::Packet& p, size_t max_bytes = SIZE_MAX);

  EveOptions options_;
  LogFile file_;
  std::string line_;
  std::function<std::string_view(uint32_t)> flowbit_name_;
  const detect::VarNames* var_names_ = nullptr;
  const std::vector<detect::PktVar>* pktvars_ = nullptr;
  std::string pcap_filename_;
};

std::string proto_name(uint8_t proto);

}  // namespace pasban::output
