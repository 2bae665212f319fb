// EVE "drop" records (inline mode) and the alert's "verdict" object: what
// an inline engine did with a packet, in Suricata's drop log fields.
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "detect/rule.h"
#include "output/eve.h"

namespace pasban::output {
namespace {

using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;

uint16_t be16(core::Bytes b, size_t off) {
  return off + 2 <= b.size() ? uint16_t((b[off] << 8) | b[off + 1]) : 0;
}

// The "drop" object's header fields: IP, then the transport's.
void drop_fields(JsonWriter& w, const decode::Packet& p) {
  w.Key("len");
  w.Uint(p.ip_len);
  if (p.ip_version == 6) {
    w.Key("tc");
    w.Uint(p.tos);
    w.Key("hoplimit");
    w.Uint(p.ttl);
    w.Key("flowlbl");
    const core::Bytes h = p.ip_header;
    w.Uint(h.size() >= 4 ? ((uint32_t(h[1] & 0x0f) << 16) | (uint32_t(h[2]) << 8) | h[3]) : 0);
  } else {
    w.Key("tos");
    w.Uint(p.tos);
    w.Key("ttl");
    w.Uint(p.ttl);
    w.Key("ipid");
    w.Uint(p.ip_id);
  }
  if (p.has_tcp) {
    w.Key("tcpseq");
    w.Uint(p.tcp_seq);
    w.Key("tcpack");
    w.Uint(p.tcp_ack);
    w.Key("tcpwin");
    w.Uint(p.tcp_window);
    static const std::pair<uint8_t, const char*> kFlags[] = {
        {decode::kTcpSyn, "syn"}, {decode::kTcpAck, "ack"}, {decode::kTcpPsh, "psh"},
        {decode::kTcpRst, "rst"}, {decode::kTcpUrg, "urg"}, {decode::kTcpFin, "fin"}};
    for (const auto& [bit, name] : kFlags) {
      w.Key(name);
      w.Bool((p.tcp_flags & bit) != 0);
    }
    // The four reserved bits beside the data offset, and the urgent pointer.
    w.Key("tcpres");
    w.Uint(p.l4_header.size() > 12 ? (p.l4_header[12] & 0x0f) : 0);
    w.Key("tcpurgp");
    w.Uint(be16(p.l4_header, 18));
  } else if (p.has_udp) {
    w.Key("udplen");
    w.Uint(be16(p.l4_header, 4));
  } else if ((p.has_icmpv4 || p.has_icmpv6) && p.icmp_has_id) {
    w.Key("icmp_id");
    w.Uint(p.icmp_id);
    w.Key("icmp_seq");
    w.Uint(p.icmp_seq);
  }
}

}  // namespace

bool EveWriter::wants_drop(const decode::Packet& p, bool by_rule) const {
  if (!options_.enabled || !options_.drop) return false;
  if (by_rule || options_.drop_flows_all || !p.flow) return true;
  const uint8_t bit = p.to_server ? 1 : 2;
  return (p.flow->drop_logged & bit) == 0;
}

void EveWriter::drop(const decode::Packet& p, const detect::eval::Alert* drop_alert) {
  rapidjson::StringBuffer sb;
  JsonWriter w(sb);
  w.StartObject();
  packet_header(w, p, "drop");
  write_common_options(w, p, true);
  w.Key("drop");
  w.StartObject();
  if (p.ip_version) drop_fields(w, p);
  const std::string_view reason = decode::drop_reason_text(p.drop_reason);
  if (!reason.empty()) {
    w.Key("reason");
    w.String(reason.data(), rapidjson::SizeType(reason.size()));
  }
  w.EndObject();
  if (options_.drop_alerts && drop_alert) alert_object(w, p, *drop_alert);
  write_pcap_filename(w, p);
  w.EndObject();
  write_line(sb.GetString(), sb.GetSize());
}

// The alert's "verdict" (eve-log alert verdict: yes): the packet's final
// action. A reject names its target and what was sent; passive, a
// dropping packet only alerts.
void EveWriter::write_verdict(JsonWriter& w, const decode::Packet& p,
                              const detect::eval::PacketVerdict* v) const {
  w.Key("verdict");
  w.StartObject();
  w.Key("action");
  if (v && v->rejects()) {
    w.String(options_.ips ? "drop" : "alert");
    w.Key("reject-target");
    w.String(v->reject == detect::Action::kRejectDst    ? "to_server"
             : v->reject == detect::Action::kRejectBoth ? "both"
                                                        : "to_client");
    w.Key("reject");
    w.StartArray();
    if (p.has_tcp) w.String("tcp-reset");
    else if (p.has_udp || p.has_icmpv4 || p.has_icmpv6) w.String("icmp-prohib");
    w.EndArray();
  } else if (v && v->drop && options_.ips) {
    w.String("drop");
  } else if (v && v->pass) {
    w.String("pass");
  } else {
    w.String("alert");
  }
  w.EndObject();
}

}  // namespace pasban::output
