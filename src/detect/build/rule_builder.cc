#include "detect/build/rule_builder.h"

#include <algorithm>
#include <string>

#include "detect/build/rule_options.h"
#include "detect/keywords/numeric.h"

namespace pasban::detect::build {
namespace {

using keywords::trim;

core::Result<Action> parse_action(std::string_view a) {
  if (a == "alert") return Action::kAlert;
  if (a == "drop") return Action::kDrop;
  if (a == "pass") return Action::kPass;
  if (a == "reject") return Action::kReject;
  if (a == "rejectsrc") return Action::kRejectSrc;
  if (a == "rejectdst") return Action::kRejectDst;
  if (a == "rejectboth") return Action::kRejectBoth;
  // A config rule applies its config keyword and never alerts: it is
  // "alert ... (noalert; ...)" (the caller sets noalert).
  if (a == "config") return Action::kAlert;
  return core::make_error("unknown action '" + std::string(a) + "'");
}

// The transport a rule runs on, and the application protocol it requires.
struct ParsedProto {
  Proto proto;
  app::AppProto app = app::AppProto::kUnknown;
};

core::Result<ParsedProto> parse_proto(std::string_view p) {
  std::string l(p);
  std::transform(l.begin(), l.end(), l.begin(), ::tolower);
  if (l == "ip") return ParsedProto{Proto::kIp};
  if (l == "ipv4" || l == "ip4") return ParsedProto{Proto::kIpv4};
  if (l == "ipv6" || l == "ip6") return ParsedProto{Proto::kIpv6};
  if (l == "tcp") return ParsedProto{Proto::kTcp};
  if (l == "tcp-pkt") return ParsedProto{Proto::kTcpPkt};
  if (l == "tcp-stream") return ParsedProto{Proto::kTcpStream};
  if (l == "udp") return ParsedProto{Proto::kUdp};
  if (l == "icmp") return ParsedProto{Proto::kIcmp};
  if (l == "icmpv4") return ParsedProto{Proto::kIcmpv4};
  if (l == "icmpv6") return ParsedProto{Proto::kIcmpv6};
  if (l == "sctp") return ParsedProto{Proto::kSctp};
  if (l == "pkthdr") return ParsedProto{Proto::kPkthdr};
  if (auto a = app::app_proto_by_name(l); a && *a != app::AppProto::kFailed) {
    Proto transport = app::app_proto_on_udp(*a) ? Proto::kTcpOrUdp : Proto::kTcp;
    return ParsedProto{transport, *a};
  }
  static const char* kAppProtos[] = {
      "http2", "ftp", "ftp-data", "ssh", "smb", "dcerpc", "nfs", "dhcp", "krb5", "snmp",
      "rfb", "ike", "ikev2", "ntp", "tftp", "imap", "pop3", "modbus", "dnp3", "enip",
      "rdp", "pgsql", "quic", "telnet", "websocket", "ldap", "bittorrent-dht", "mdns", "doh2",
      "irc", "jabber", "msn", "template"};
  for (const char* a : kAppProtos)
    if (l == a)
      return core::make_error("app-layer protocol '" + l + "' is not supported yet");
  return core::make_error("unknown protocol '" + std::string(p) + "'");
}

}  // namespace

std::string find_sid_text(const rules::RawRule& raw) {
  for (const auto& o : raw.options)
    if (o.name == "sid") return std::string(trim(o.value));
  return "?";
}

core::Result<Rule> build_rule(const rules::RawRule& raw, const BuildContext& ctx,
                              BuildResult& outcome) {
  Rule r;
  // Suricata reads `requires:` before anything else, so a rule for a newer
  // engine is skipped quietly even if its protocol or keywords are unknown.
  for (const auto& opt : raw.options) {
    if (opt.name != "requires") continue;
    OptionState pre(r, ctx);
    auto s = pre.apply(opt);
    if (!s.ok()) return s.error();
    if (pre.skipped()) {
      outcome.skipped = true;
      outcome.skip_reason = pre.skip_reason();
      return r;
    }
  }
  auto action = parse_action(raw.action);
  if (!action) return action.error();
  r.action = *action;
  if (raw.action == "config") r.noalert = true;
  auto proto = parse_proto(raw.proto);
  if (!proto) return proto.error();
  r.proto = proto->proto;
  r.app_proto = proto->app;
  if (raw.direction == "<>") r.bidirectional = true;
  else if (raw.direction == "=>") r.transactional = true;
  else if (raw.direction != "->")
    return core::make_error("unknown direction '" + raw.direction + "'");

  auto src = rules::parse_address(raw.src_addr, ctx.vars);
  if (!src) return core::make_error("source address: " + src.error().message);
  auto dst = rules::parse_address(raw.dst_addr, ctx.vars);
  if (!dst) return core::make_error("destination address: " + dst.error().message);
  auto sp = rules::parse_port(raw.src_port, ctx.vars);
  if (!sp) return core::make_error("source port: " + sp.error().message);
  auto dp = rules::parse_port(raw.dst_port, ctx.vars);
  if (!dp) return core::make_error("destination port: " + dp.error().message);
  r.src_addr = std::move(*src);
  r.dst_addr = std::move(*dst);
  r.src_port = std::move(*sp);
  r.dst_port = std::move(*dp);
  r.src_port_any = r.src_port.is_any();
  r.dst_port_any = r.dst_port.is_any();
  if ((!r.src_port_any || !r.dst_port_any) &&
      (r.proto == Proto::kIcmp || r.proto == Proto::kIcmpv4 || r.proto == Proto::kIcmpv6))
    return core::make_error("ports are not allowed with protocol '" + raw.proto + "'");

  OptionState st(r, ctx);
  for (const auto& opt : raw.options) {
    auto s = st.apply(opt);
    if (!s.ok()) return s.error();
    if (st.skipped()) {
      outcome.skipped = true;
      outcome.skip_reason = st.skip_reason();
      return r;
    }
  }
  auto fin = st.finish();
  if (!fin.ok()) return fin.error();
  return r;
}

}  // namespace pasban::detect::build
