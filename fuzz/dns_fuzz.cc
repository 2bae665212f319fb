// libFuzzer target for DNS. The first byte picks the transport; the rest
// is a two-way conversation (fuzz/conversation.h) fed to the UDP parser
// (each record one datagram) or to the TCP parser (records are stream
// pieces split at fuzzer-chosen points, length prefixes included, with
// gaps). Each record is also parsed on its own as a message and probed
// for both transports. Every transaction's buffers and EVE record are
// read back. Crashes and sanitizer reports are the findings.
#include <cstddef>
#include <cstdint>

#include "app/dns/dns_parser.h"
#include "conversation.h"

using namespace pasban;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const bool tcp = data[0] & 1;
  size_t i = 1;
  fuzz::Record r;
  while (fuzz::next_record(data, size, i, r)) {
    app::dns::Message m;
    (void)app::dns::parse_message(r.data, m);
    (void)app::dns::dns_probe(r.data, true);
    (void)app::dns::dns_probe(r.data, false);
  }
  app::dns::DnsParser p(tcp);
  const size_t sum = fuzz::feed_conversation(p, data + 1, size - 1);
  return static_cast<int>(sum & 0);
}
