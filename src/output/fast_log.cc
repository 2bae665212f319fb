#include "output/fast_log.h"

#include <cstdio>

#include "output/eve.h"

namespace pasban::output {

bool FastLog::open(const std::string& dir, const std::string& filename) {
  return file_.open(LogFile::resolve(dir, filename), true);
}

void FastLog::alert(const decode::Packet& p, const detect::eval::Alert& a) {
  const detect::Rule& r = *a.rule;
  std::string line = core::format_fast_timestamp(p.ts);
  line += "  ";
  if (a.blocked) line += "[Drop] ";
  else if (r.action == detect::Action::kDrop) line += "[wDrop] ";
  // alert-fastlog.c: a protocol without a name is written "PROTO:%03u".
  std::string proto = proto_name(p.ip_proto);
  if (proto == std::to_string(p.ip_proto)) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "PROTO:%03u", unsigned(p.ip_proto));
    proto = buf;
  }
  line += "[**] [" + std::to_string(r.gid) + ":" + std::to_string(r.sid) + ":" +
          std::to_string(r.rev) + "] " + r.msg + " [**] [Classification: " +
          (r.category.empty() ? std::string("(null)") : r.category) +
          "] [Priority: " + std::to_string(r.priority) + "] {" + proto + "} ";
  // As alert-fastlog.c: "addr:port" for every family (IPv6 without
  // brackets); ICMP shows type and code in the port places, and protocols
  // without ports show 0.
  const bool icmp = p.has_icmpv4 || p.has_icmpv6;
  const uint16_t sp = icmp ? p.icmp_type : p.has_ports() ? p.sp : 0;
  const uint16_t dp = icmp ? p.icmp_code : p.has_ports() ? p.dp : 0;
  line += p.src.to_string() + ":" + std::to_string(sp) + " -> " + p.dst.to_string() + ":" +
          std::to_string(dp) + "\n";
  file_.write(line);
}

}  // namespace pasban::output
