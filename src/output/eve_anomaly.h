// The EVE `anomaly` record (Suricata's output-json-anomaly): one record per
// anomaly a packet raised, from three sources:
//  * decode:   decoder events (Packet::events), "decoder.<layer>.<name>";
//  * stream:   TCP tracking/reassembly events, "stream.<name>";
//  * applayer: app-layer events, either raised by a protocol parser
//              (layer "proto_parser", event in the protocol's own spelling,
//              e.g. UNABLE_TO_MATCH_RESPONSE_TO_REQUEST for http, lowercase
//              too_many_transactions for the Rust-parsed protocols) or by
//              protocol detection (layer "proto_detect", APPLAYER_*).
// Suricata logs them from the packet that raised them; which sources are
// logged is `outputs.eve-log.types.anomaly.types.{decode,stream,applayer}`.
#pragma once
#include <string>
#include <string_view>

namespace pasban::output {

// outputs.eve-log.types.anomaly. Suricata's built-in defaults apply when a
// key is absent: only app-layer anomalies, no packet header.
struct AnomalyOptions {
  bool enabled = false;  // the type is listed and not `enabled: no`
  bool decode = false;
  bool stream = false;
  bool applayer = true;
  bool packethdr = false;  // add "packet" (first 32 bytes) and "packet_info"
};

enum class AnomalyType { kDecode, kStream, kAppLayer };

// One anomaly, classified and named as the EVE record writes it.
struct Anomaly {
  AnomalyType type = AnomalyType::kDecode;
  std::string event;           // anomaly.event
  std::string_view app_proto;  // applayer only: anomaly.app_proto
  std::string_view layer;      // applayer only: "proto_parser" / "proto_detect"
  // decode only: the packet had no IP header, so Suricata types the
  // record "packet" instead of "decode".
  bool no_ip_layer = false;
};

// Classifies an event name as the app layer and stream keep it per packet
// ("stream.pkt_invalid_timestamp", "http.request_field_missing_colon",
// "applayer_mismatch_protocol_both_directions"). flow_app_proto is the
// flow's protocol name, used for detection events.
Anomaly classify_flow_event(std::string_view name, std::string_view flow_app_proto);

// A decoder event name as stats and decode-event know it ("ipv4.trunc_pkt").
// has_ip: the packet decoded an IP layer.
Anomaly decode_anomaly(std::string_view decoder_event, bool has_ip);

// True when `options` asks for anomalies of this type.
bool anomaly_type_enabled(const AnomalyOptions& options, AnomalyType type);

// Suricata's name for a pcap link type (packet_info.linktype_name), or "".
std::string_view linktype_name(int linktype);

}  // namespace pasban::output
