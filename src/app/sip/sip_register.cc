// SIP on UDP and TCP port 5060 (RFC 3261 18), detected by its start line
// on any port and by port when the first bytes do not decide.
#include <memory>

#include "app/parser.h"
#include "app/sip/sip_parser.h"

namespace pasban::app::sip {
namespace {

std::unique_ptr<Parser> create_udp() { return std::make_unique<SipParser>(false); }
std::unique_ptr<Parser> create_tcp() { return std::make_unique<SipParser>(true); }

ProtocolSpec make_spec() {
  ProtocolSpec s;
  s.proto = AppProto::kSip;
  s.tcp = true;
  s.udp = true;
  s.default_ports = {5060};
  s.probe = sip_probe_udp;
  s.create = create_udp;
  s.probe_tcp = sip_probe_tcp;
  s.create_tcp = create_tcp;
  return s;
}

}  // namespace

const ProtocolSpec& sip_protocol() {
  static const ProtocolSpec spec = make_spec();
  return spec;
}

}  // namespace pasban::app::sip
