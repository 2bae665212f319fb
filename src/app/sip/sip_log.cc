// The EVE "sip" object, in Suricata 8's field order: the request's method,
// uri, version and request_line, or the response's version, code, reason
// and response_line; then the SDP body when there is one.
#include "app/sip/sip_parser.h"

namespace pasban::app::sip {
namespace {

void str(JsonWriter& w, const char* key, std::string_view v) {
  w.Key(key);
  w.String(v.data(), rapidjson::SizeType(v.size()));
}

}  // namespace

void SipTx::log(JsonWriter& w) const {
  const SipMessage& m = message;
  w.Key("sip");
  w.StartObject();
  if (m.is_request) {
    str(w, "method", m.method);
    str(w, "uri", m.uri);
    str(w, "version", m.version);
    str(w, "request_line", m.start_line);
  } else {
    str(w, "version", m.version);
    str(w, "code", m.code);
    str(w, "reason", m.reason);
    str(w, "response_line", m.start_line);
  }
  if (sdp) log_sdp(w, *sdp);
  w.EndObject();
}

}  // namespace pasban::app::sip
