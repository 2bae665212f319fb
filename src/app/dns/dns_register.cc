// DNS on UDP and TCP port 53. The UDP probe/factory are the spec's default
// ones; TCP flows use probe_tcp/create_tcp (length-prefixed framing).
#include <memory>

#include "app/dns/dns_parser.h"
#include "app/parser.h"

namespace pasban::app::dns {
namespace {

int probe_udp(core::Bytes data, bool) { return dns_probe(data, false).verdict; }
int probe_tcp(core::Bytes data, bool) { return dns_probe(data, true).verdict; }
std::unique_ptr<Parser> create_udp() { return std::make_unique<DnsParser>(false); }
std::unique_ptr<Parser> create_tcp() { return std::make_unique<DnsParser>(true); }

ProtocolSpec make_spec() {
  ProtocolSpec s;
  s.proto = AppProto::kDns;
  s.tcp = true;
  s.udp = true;
  s.default_ports = {53};
  s.probe = probe_udp;
  s.create = create_udp;
  s.probe_tcp = probe_tcp;
  s.create_tcp = create_tcp;
  return s;
}

}  // namespace

const ProtocolSpec& dns_protocol() {
  static const ProtocolSpec spec = make_spec();
  return spec;
}

}  // namespace pasban::app::dns
