// The SIP sticky buffers. Request-line parts (sip.method, sip.uri,
// sip.request_line) exist on requests, status-line parts (sip.stat_code,
// sip.stat_msg, sip.response_line) on responses; sip.protocol and the
// header buffers on both. A header that appears several times (two Via
// lines, "t:" and "To:") gives one value per occurrence, as Suricata's
// multi-buffers do.
#include "app/sip/sip_parser.h"

namespace pasban::app::sip {
namespace {

bool set(std::string_view s, core::Bytes& out) {
  out = core::as_bytes(s);
  return true;
}

bool header(const SipMessage& m, std::string_view name, uint32_t index, core::Bytes& out) {
  const std::string* v = m.header(name, index);
  return v && set(*v, out);
}

}  // namespace

bool SipTx::buffer(AppBuffer b, uint32_t index, core::Bytes& out) const {
  const SipMessage& m = message;
  const bool req = m.is_request;
  switch (b) {
    case AppBuffer::kSipMethod:
      return req && index == 0 && set(m.method, out);
    case AppBuffer::kSipUri:
      return req && index == 0 && set(m.uri, out);
    case AppBuffer::kSipRequestLine:
      return req && index == 0 && set(m.start_line, out);
    case AppBuffer::kSipProtocol:
      return index == 0 && set(m.version, out);
    case AppBuffer::kSipStatCode:
      return !req && index == 0 && set(m.code, out);
    case AppBuffer::kSipStatMsg:
      return !req && index == 0 && set(m.reason, out);
    case AppBuffer::kSipResponseLine:
      return !req && index == 0 && set(m.start_line, out);
    case AppBuffer::kSipFrom:
      return header(m, "From", index, out);
    case AppBuffer::kSipTo:
      return header(m, "To", index, out);
    case AppBuffer::kSipVia:
      return header(m, "Via", index, out);
    case AppBuffer::kSipUserAgent:
      return header(m, "User-Agent", index, out);
    case AppBuffer::kSipContentType:
      return header(m, "Content-Type", index, out);
    case AppBuffer::kSipContentLength:
      return header(m, "Content-Length", index, out);
    default:
      return false;
  }
}

}  // namespace pasban::app::sip
