#include "runtime/protocols.h"

#include "app/dns/dns_parser.h"
#include "app/http/http_register.h"
#include "app/mqtt/mqtt_register.h"
#include "app/sip/sip_parser.h"
#include "app/smtp/smtp_register.h"
#include "app/tls/tls_register.h"

namespace pasban::runtime {

std::vector<const app::ProtocolSpec*> builtin_protocols() {
  // SIP first: "OPTIONS sip:... SIP/2.0" is a SIP request, not HTTP.
  return {
      &app::sip::sip_protocol(),
      &app::http::http_protocol(),
      &app::tls::tls_protocol(),
      &app::dns::dns_protocol(),
      &app::smtp::smtp_protocol(),
      &app::mqtt::mqtt_protocol(),
  };
}

}  // namespace pasban::runtime
