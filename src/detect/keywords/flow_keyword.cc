#include "detect/keywords/flow_keyword.h"

#include <string>

#include "detect/keywords/numeric.h"
#include "flow/flow.h"

namespace pasban::detect::keywords {

core::Result<FlowMatch> FlowMatch::parse(std::string_view value) {
  FlowMatch m;
  std::string_view rest = value;
  int n = 0;
  while (!rest.empty()) {
    auto comma = rest.find(',');
    std::string_view opt = trim(rest.substr(0, comma));
    rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
    if (opt.empty()) return core::make_error("flow: empty option");
    ++n;
    if (opt == "to_server" || opt == "from_client") m.to_server = true;
    else if (opt == "to_client" || opt == "from_server") m.to_client = true;
    else if (opt == "established") m.established = true;
    else if (opt == "not_established") m.not_established = true;
    else if (opt == "stateless") m.stateless = true;
    else if (opt == "only_stream") m.only_stream = true;
    else if (opt == "no_stream") m.no_stream = true;
    else if (opt == "only_frag") m.only_frag = true;
    else if (opt == "no_frag") m.no_frag = true;
    else return core::make_error("flow: unknown option '" + std::string(opt) + "'");
  }
  if (n == 0) return core::make_error("flow: no options");
  if (m.to_server && m.to_client) return core::make_error("flow: to_server and to_client conflict");
  if (m.established && m.not_established)
    return core::make_error("flow: established and not_established conflict");
  if (m.only_stream && m.no_stream) return core::make_error("flow: only_stream and no_stream conflict");
  if (m.only_frag && m.no_frag) return core::make_error("flow: only_frag and no_frag conflict");
  return m;
}

bool FlowMatch::match(const decode::Packet& p) const noexcept {
  if (only_frag && !p.is_fragment) return false;
  if (no_frag && p.is_fragment) return false;
  const flow::Flow* f = p.flow;
  if (!f) return stateless && !to_server && !to_client && !established;
  if (to_server && !p.to_server) return false;
  if (to_client && p.to_server) return false;
  const bool est = p.flow_established;
  if (established && !est) return false;
  if (not_established && est) return false;
  if (only_stream && !(f->proto == 6 && est)) return false;
  return true;
}

}  // namespace pasban::detect::keywords
