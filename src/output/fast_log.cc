#include "output/fast_log.h"

#include "output/eve.h"

namespace pasban::output {

bool FastLog::open(const std::string& dir, const std::string& filename) {
  return file_.open(dir + "/" + filename, true);
}

void FastLog::alert(const decode::Packet& p, const detect::eval::Alert& a) {
  const detect::Rule& r = *a.rule;
  std::string line = core::format_fast_timestamp(p.ts);
  line += "  ";
  if (a.blocked) line += "[Drop] ";
  else if (r.action == detect::Action::kDrop) line += "[wDrop] ";
  line += "[**] [" + std::to_string(r.gid) + ":" + std::to_string(r.sid) + ":" +
          std::to_string(r.rev) + "] " + r.msg + " [**] [Classification: " +
          (r.category.empty() ? std::string("(null)") : r.category) +
          "] [Priority: " + std::to_string(r.priority) + "] {" + proto_name(p.ip_proto) + "} ";
  auto endpoint = [&](const core::IpAddress& a, uint16_t port) {
    std::string s = a.is_v6() ? "[" + a.to_string() + "]" : a.to_string();
    if (p.has_ports()) s += ":" + std::to_string(port);
    return s;
  };
  line += endpoint(p.src, p.sp) + " -> " + endpoint(p.dst, p.dp) + "\n";
  file_.write(line);
}

}  // namespace pasban::output
