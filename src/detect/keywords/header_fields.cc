// ttl, tos, id, fragoffset, seq, ack, window, tcp.mss, dsize, itype, icode,
// icmp_id, icmp_seq, icmpv6.mtu: numeric tests of one decoded field.
#include <string>

#include "detect/keywords/packet_match.h"

namespace pasban::detect::keywords {
namespace {

struct FieldSpec {
  std::string_view keyword;
  Field field;
  uint64_t max;
  bool compare_ops;  // accepts <, >, <>; otherwise only N / !N
};

constexpr FieldSpec kFields[] = {
    {"ttl", Field::kTtl, 255, true},
    {"tos", Field::kTos, 255, false},
    {"id", Field::kIpId, 65535, false},
    {"fragoffset", Field::kFragOffset, 65535, true},
    {"seq", Field::kSeq, 0xffffffffull, false},
    {"ack", Field::kAck, 0xffffffffull, false},
    // Suricata 8's names for seq and ack.
    {"tcp.seq", Field::kSeq, 0xffffffffull, false},
    {"tcp.ack", Field::kAck, 0xffffffffull, false},
    {"window", Field::kWindow, 65535, false},
    {"tcp.mss", Field::kTcpMss, 65535, true},
    {"dsize", Field::kDsize, 65535, true},
    {"itype", Field::kItype, 255, true},
    {"icode", Field::kIcode, 255, true},
    {"icmp_id", Field::kIcmpId, 65535, false},
    {"icmp_seq", Field::kIcmpSeq, 65535, false},
    {"icmpv6.mtu", Field::kIcmpv6Mtu, 0xffffffffull, true},
};

}  // namespace

bool is_field_keyword(std::string_view keyword) {
  for (const auto& f : kFields)
    if (f.keyword == keyword) return true;
  return false;
}

core::Result<PacketMatch> parse_field_keyword(std::string_view keyword, std::string_view value) {
  for (const auto& f : kFields) {
    if (f.keyword != keyword) continue;
    std::string_view v = trim(value);
    if (!f.compare_ops && !v.empty() && (v[0] == '<' || v[0] == '>'))
      return core::make_error(std::string(keyword) + ": comparison operators are not allowed");
    // tos accepts "!8" and "8"; fragoffset accepts "<N", ">N", "!N".
    auto cmp = parse_num_cmp(keyword, v, f.max);
    if (!cmp) return cmp.error();
    return PacketMatch(FieldCmp{f.field, *cmp});
  }
  return core::make_error("unknown keyword '" + std::string(keyword) + "'");
}

bool FieldCmp::match(const decode::Packet& p) const noexcept {
  uint64_t v = 0;
  switch (field) {
    case Field::kTtl: if (!p.ip_version) return false; v = p.ttl; break;
    case Field::kTos: if (!p.ip_version) return false; v = p.tos; break;
    case Field::kIpId: if (p.ip_version != 4) return false; v = p.ip_id; break;
    case Field::kFragOffset: if (!p.ip_version) return false; v = p.frag_offset; break;
    case Field::kIpProto: if (!p.ip_version) return false; v = p.ip_proto; break;
    case Field::kSeq: if (!p.has_tcp) return false; v = p.tcp_seq; break;
    case Field::kAck: if (!p.has_tcp) return false; v = p.tcp_ack; break;
    case Field::kWindow: if (!p.has_tcp) return false; v = p.tcp_window; break;
    case Field::kTcpMss: if (!p.has_tcp || !p.tcp_has_mss) return false; v = p.tcp_mss; break;
    case Field::kDsize: if (!p.ip_version) return false; v = p.payload.size(); break;
    case Field::kItype: if (!p.has_icmpv4 && !p.has_icmpv6) return false; v = p.icmp_type; break;
    case Field::kIcode: if (!p.has_icmpv4 && !p.has_icmpv6) return false; v = p.icmp_code; break;
    case Field::kIcmpId: if (!p.icmp_has_id) return false; v = p.icmp_id; break;
    case Field::kIcmpSeq: if (!p.icmp_has_id) return false; v = p.icmp_seq; break;
    case Field::kIcmpv6Mtu: if (!p.icmpv6_has_mtu) return false; v = p.icmpv6_mtu; break;
  }
  return cmp.match(v);
}

core::Result<PacketMatch> parse_ip_proto(std::string_view value) {
  std::string_view v = trim(value);
  NumCmp cmp;
  if (!v.empty() && (v[0] == '!' || v[0] == '<' || v[0] == '>')) {
    cmp.op = v[0] == '!' ? NumCmp::kNe : v[0] == '<' ? NumCmp::kLt : NumCmp::kGt;
    v = trim(v.substr(1));
  }
  static const std::pair<std::string_view, uint8_t> kNames[] = {
      {"ip", 0},      {"icmp", 1}, {"igmp", 2},  {"ipip", 4},  {"tcp", 6},   {"egp", 8},
      {"udp", 17},    {"ipv6", 41}, {"rsvp", 46}, {"gre", 47},  {"esp", 50},  {"ah", 51},
      {"ipv6-icmp", 58}, {"icmpv6", 58}, {"ospf", 89}, {"pim", 103}, {"sctp", 132},
  };
  for (auto& [name, num] : kNames) {
    if (v == name) {
      cmp.a = num;
      return PacketMatch(FieldCmp{Field::kIpProto, cmp});
    }
  }
  auto n = parse_uint("ip_proto", v, 255);
  if (!n) return n.error();
  cmp.a = *n;
  return PacketMatch(FieldCmp{Field::kIpProto, cmp});
}

}  // namespace pasban::detect::keywords
