#include "output/eve_anomaly.h"
#include "output/eve_metadata.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <cstdio>

#include "app/app_proto.h"
#include "flow/community_id.h"
#include "flow/flow.h"
#include "output/eve.h"

namespace pasban::output {
namespace {

using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;

constexpr std::string_view kLayerParser = "proto_parser";
constexpr std::string_view kLayerDetect = "proto_detect";
// Suricata's packethdr option logs this many bytes of the packet.
constexpr size_t kPacketHeaderBytes = 32;

// Protocols whose Suricata event tables are C tables with upper-case
// names (app-layer-htp.c, app-layer-ssl.c, app-layer-smtp.c, dnp3); the
// Rust-parsed protocols (dns, ftp, smb, mqtt, quic, ...) name events in
// lower case, as their keyword spells them.
constexpr std::string_view kUpperCaseProtocols[] = {"http", "tls", "smtp", "dnp3"};

std::string upper(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return char(c >= 'a' && c <= 'z' ? c - 32 : c); });
  return out;
}

void str(JsonWriter& w, std::string_view s) { w.String(s.data(), rapidjson::SizeType(s.size())); }


std::string mac(core::Bytes b) {
  char buf[18];
  std::snprintf(buf, sizeof buf, "%02x:%02x:%02x:%02x:%02x:%02x", b[0], b[1], b[2], b[3], b[4],
                b[5]);
  return buf;
}

}  // namespace

Anomaly classify_flow_event(std::string_view name, std::string_view flow_app_proto) {
  Anomaly a;
  if (name.starts_with("stream.")) {
    a.type = AnomalyType::kStream;
    a.event = std::string(name);
    return a;
  }
  a.type = AnomalyType::kAppLayer;
  if (name.starts_with("applayer_")) {
    // Protocol detection events (Suricata's app-layer-events.rules list
    // them lower case; the anomaly record spells the enum name).
    a.event = upper(name);
    a.app_proto = flow_app_proto;
    a.layer = kLayerDetect;
    return a;
  }
  a.layer = kLayerParser;
  const size_t dot = name.find('.');
  if (dot == std::string_view::npos) {
    a.event = std::string(name);
    a.app_proto = flow_app_proto;
    return a;
  }
  const std::string_view proto = name.substr(0, dot);
  const std::string_view event = name.substr(dot + 1);
  a.app_proto = proto;
  const bool upper_case = std::find(std::begin(kUpperCaseProtocols), std::end(kUpperCaseProtocols),
                                    proto) != std::end(kUpperCaseProtocols);
  a.event = upper_case ? upper(event) : std::string(event);
  return a;
}

Anomaly decode_anomaly(std::string_view decoder_event, bool has_ip) {
  Anomaly a;
  a.type = AnomalyType::kDecode;
  a.event = "decoder." + std::string(decoder_event);
  // Suricata attaches the IP header once its version is checked, so the
  // later IP checks (lengths, options) still count as an IP packet; a
  // packet that stopped below that has no IP layer.
  const bool ip_event = decoder_event.starts_with("ipv4.") || decoder_event.starts_with("ipv6.");
  const bool before_ip = decoder_event.ends_with(".pkt_too_small") ||
                         decoder_event.ends_with(".wrong_ip_version");
  a.no_ip_layer = !has_ip && !(ip_event && !before_ip);
  return a;
}

bool anomaly_type_enabled(const AnomalyOptions& o, AnomalyType type) {
  if (!o.enabled) return false;
  switch (type) {
    case AnomalyType::kDecode: return o.decode;
    case AnomalyType::kStream: return o.stream;
    case AnomalyType::kAppLayer: return o.applayer;
  }
  return false;
}

std::string_view linktype_name(int linktype) {
  switch (linktype) {
    case 0: return "NULL";
    case 1: return "EN10MB";
    case 12:
    case 14:
    case 101: return "RAW";
    case 113: return "LINUX_SLL";
    case 228: return "IPv4";  // Suricata's util-datalink.c spelling
    case 229: return "IPv6";
    case 276: return "LINUX_SLL2";
    default: return {};
  }
}

// --- EveWriter: the records ---

void EveWriter::packet_anomalies(const decode::Packet& p,
                                 const std::vector<std::string_view>* flow_events) {
  const AnomalyOptions& o = options_.anomaly;
  if (!options_.enabled || !o.enabled) return;
  if (o.decode) {
    for (int i = 0; i < p.n_events; ++i)
      anomaly(p, decode_anomaly(decode::event_name(p.events[i]), p.ip_version != 0));
  }
  if (!flow_events || (!o.stream && !o.applayer)) return;
  const std::string_view flow_proto =
      p.flow && p.flow->app_proto ? app::app_proto_name(app::AppProto(p.flow->app_proto))
                                  : std::string_view("unknown");
  for (std::string_view name : *flow_events) {
    Anomaly a = classify_flow_event(name, flow_proto);
    if (anomaly_type_enabled(o, a.type)) anomaly(p, a);
  }
}

void EveWriter::anomaly(const decode::Packet& p, const Anomaly& a) {
  if (!options_.enabled) return;
  rapidjson::StringBuffer sb;
  JsonWriter w(sb);
  w.StartObject();
  packet_header(w, p, "anomaly");
  write_common_options(w, p, true);
  w.Key("anomaly");
  w.StartObject();
  if (a.type == AnomalyType::kAppLayer) {
    w.Key("app_proto");
    str(w, a.app_proto);
  }
  w.Key("type");
  // Suricata calls decoder events of packets without an IP layer "packet".
  w.String(a.type == AnomalyType::kAppLayer ? "applayer"
           : a.type == AnomalyType::kStream ? "stream"
           : a.no_ip_layer                  ? "packet"
                                            : "decode");
  w.Key("event");
  str(w, a.event);
  if (a.type == AnomalyType::kAppLayer) {
    w.Key("layer");
    str(w, a.layer);
  }
  w.EndObject();
  if (options_.anomaly.packethdr && a.type != AnomalyType::kAppLayer && !p.frame.empty()) {
    packet_fields(w, p, kPacketHeaderBytes);
  }
  write_pcap_filename(w, p);
  w.EndObject();
  write_line(sb.GetString(), sb.GetSize());
}

// Suricata's EveAddCommonOptions for packet records: the top-level
// metadata (flow variables), community id (unless the caller writes it)
// and the Ethernet addresses.
void EveWriter::write_common_options(JsonWriter& w, const decode::Packet& p,
                                     bool community_id) const {
  const flow::Flow* f = p.flow;
  if (options_.top_metadata && var_names_) {
    write_var_metadata(w, f, p.pseudo ? nullptr : pktvars_, *var_names_);
  } else if (options_.top_metadata && f && !f->flowbits.empty() && flowbit_name_) {
    w.Key("metadata");
    w.StartObject();
    w.Key("flowbits");
    w.StartArray();
    for (uint32_t id : f->flowbits) str(w, flowbit_name_(id));
    w.EndArray();
    w.EndObject();
  }
  const bool icmp = p.has_icmpv4 || p.has_icmpv6;
  if (community_id && options_.community_id && p.ip_version && (p.has_ports() || icmp)) {
    w.Key("community_id");
    const uint16_t sp = icmp ? p.icmp_type : p.sp, dp = icmp ? p.icmp_code : p.dp;
    str(w, flow::community_id_v1(p.src, p.dst, sp, dp, p.ip_proto, options_.community_id_seed));
  }
  if (options_.ethernet && p.ether_header.size() >= 14) {
    w.Key("ether");
    w.StartObject();
    w.Key("src_mac");
    str(w, mac(p.ether_header.subspan(6, 6)));
    w.Key("dest_mac");
    str(w, mac(p.ether_header.first(6)));
    w.EndObject();
  }
}

// eve-log pcap-file: the capture a real packet came from.
void EveWriter::write_pcap_filename(JsonWriter& w, const decode::Packet& p) const {
  if (!options_.pcap_file || pcap_filename_.empty() || p.pseudo) return;
  w.Key("pcap_filename");
  str(w, pcap_filename_);
}

}  // namespace pasban::output
