// libFuzzer entry point for DNS: the input is parsed as one message, fed
// as a UDP datagram in both directions, and fed as a TCP stream split at a
// point taken from the first byte (both directions, with a gap), then
// every transaction is logged and its buffers read. Crashes and sanitizer
// reports are the findings.
#include <rapidjson/stringbuffer.h>

#include <cstddef>
#include <cstdint>

#include "app/dns/dns_parser.h"

namespace {

using namespace pasban;

void exercise(app::dns::DnsParser& p) {
  for (size_t i = 0; i < p.tx_count(); ++i) {
    app::Transaction* tx = p.tx(i);
    rapidjson::StringBuffer sb;
    app::JsonWriter w(sb);
    w.StartObject();
    tx->log(w);
    w.EndObject();
    core::Bytes out;
    for (auto b : {app::AppBuffer::kDnsQuery, app::AppBuffer::kDnsQueriesRrname,
                   app::AppBuffer::kDnsAnswerName, app::AppBuffer::kDnsAuthoritiesRrname,
                   app::AppBuffer::kDnsAdditionalsRrname, app::AppBuffer::kDnsResponseRrname})
      for (uint32_t k = 0; tx->buffer(b, k, out); ++k) (void)out.size();
    tx->logged = true;
  }
  p.trim();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const core::Bytes in(data, size);
  app::dns::Message m;
  (void)app::dns::parse_message(in, m);
  (void)app::dns::dns_probe(in, false);
  (void)app::dns::dns_probe(in, true);

  app::dns::DnsParser udp(false);
  udp.feed(true, in, {});
  udp.feed(false, in, {});
  exercise(udp);

  const size_t cut = size ? data[0] % (size + 1) : 0;
  app::dns::DnsParser tcp(true);
  tcp.feed(true, in.first(cut), {});
  tcp.feed(false, in, {});
  tcp.feed(true, in.subspan(cut), {});
  tcp.on_gap(false);
  tcp.feed(false, in.subspan(cut), {});
  tcp.on_close();
  exercise(tcp);
  return 0;
}
