// libFuzzer target for SIP. The first byte picks the transport; the rest
// is a two-way conversation (fuzz/conversation.h) fed to the UDP parser
// (each record one datagram) or to the TCP parser (records are stream
// pieces split at fuzzer-chosen points, with gaps, so messages are split
// and coalesced anywhere and bodies framed by Content-Length). Each record
// is also parsed on its own as a header section and probed for both
// transports. Every transaction's buffers and EVE record are read back.
// Crashes and sanitizer reports are the findings.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "app/sip/sip_message.h"
#include "app/sip/sip_parser.h"
#include "conversation.h"

using namespace pasban;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const bool tcp = data[0] & 1;
  size_t i = 1;
  fuzz::Record r;
  size_t sum = 0;
  while (fuzz::next_record(data, size, i, r)) {
    const std::string_view s(reinterpret_cast<const char*>(r.data.data()), r.data.size());
    app::sip::SipMessage m;
    (void)app::sip::parse_head(s, m);
    sum += size_t(app::sip::content_length(m) & 1);
    sum += app::sip::find_head_end(s, r.data.size() / 2) & 1;
    (void)app::sip::sip_probe_udp(r.data, true);
    (void)app::sip::sip_probe_tcp(r.data, false);
  }
  app::sip::SipParser p(tcp);
  sum += fuzz::feed_conversation(p, data + 1, size - 1);
  return static_cast<int>(sum & 0);
}
