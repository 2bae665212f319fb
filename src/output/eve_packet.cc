// EVE pieces about packets themselves: the "packet" record of tagged
// packets (Suricata's alert logger writes one per packet a `tag` keyword
// marked, when tagged-packets is on), the base64 frame with its link type,
// and the alert's "tunnel" object naming the outermost packet of an inner
// (tunnel) packet.

#include <algorithm>

#include "flow/community_id.h"
#include "flow/flow.h"
#include "output/eve.h"

namespace pasban::output {

namespace {
using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;

void str(JsonWriter& w, std::string_view s) { w.String(s.data(), rapidjson::SizeType(s.size())); }

}  // namespace

void EveWriter::packet_fields(JsonWriter& w, const decode::Packet& p, size_t max_bytes) {
  w.Key("packet");
  str(w, eve_base64(p.frame.first(std::min(p.frame.size(), max_bytes))));
  w.Key("packet_info");
  w.StartObject();
  w.Key("linktype");
  w.Int(p.linktype);
  if (auto n = linktype_name(p.linktype); !n.empty()) {
    w.Key("linktype_name");
    str(w, n);
  }
  w.EndObject();
}

// Suricata writes the root's addresses, both ports (0 for portless
// protocols), its protocol name, the nesting depth, the root's pcap_cnt and
// the root's pkt_src.
void EveWriter::tunnel_object(JsonWriter& w, const decode::Packet& p) {
  const decode::Packet& r = *p.root;
  w.Key("tunnel");
  w.StartObject();
  w.Key("src_ip");
  str(w, r.src.to_string());
  w.Key("src_port");
  w.Uint(r.has_ports() ? r.sp : 0);
  w.Key("dest_ip");
  str(w, r.dst.to_string());
  w.Key("dest_port");
  w.Uint(r.has_ports() ? r.dp : 0);
  w.Key("proto");
  str(w, proto_name(r.ip_proto));
  w.Key("depth");
  w.Uint(p.tunnel_depth);
  if (r.pcap_cnt) {
    w.Key("pcap_cnt");
    w.Uint64(r.pcap_cnt);
  }
  w.Key("pkt_src");
  w.String(decode::pkt_src_name(r.pkt_src));
  w.EndObject();
}

void EveWriter::tagged_packet(const decode::Packet& p) {
  if (!options_.enabled || !options_.tagged_packets) return;
  rapidjson::StringBuffer sb;
  JsonWriter w(sb);
  w.StartObject();
  packet_header(w, p, "packet");
  write_common_options(w, p);
  packet_fields(w, p);
  w.EndObject();
  write_line(sb.GetString(), sb.GetSize());
}

}  // namespace pasban::output
