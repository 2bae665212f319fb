// libFuzzer target for the TLS parser: the first byte picks how the rest is
// cut into feeds and directions, so reassembly paths are exercised too.
#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "app/tls/tls_parser.h"
#include "app/tls/tls_register.h"
#include "app/tls/tls_wire.h"

using namespace pasban;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const uint8_t mode = data[0];
  core::Bytes in(data + 1, size - 1);
  app::tls::tls_probe(in, mode & 1);

  app::tls::TlsParser parser;
  // Chunk sizes 1..16 from the mode byte; direction flips at each chunk
  // when bit 1 is set, else the first half is client, the rest server.
  const size_t chunk = size_t(mode >> 4) + 1;
  const bool alternate = mode & 2;
  size_t off = 0;
  bool to_server = true;
  while (off < in.size()) {
    size_t n = std::min(chunk, in.size() - off);
    if (!alternate) to_server = off < in.size() / 2;
    parser.feed(to_server, in.subspan(off, n), {});
    parser.events.clear();
    if (alternate) to_server = !to_server;
    off += n;
  }
  if (mode & 4) parser.on_gap(true);
  parser.on_close();
  if (parser.tx_count() == 1) {
    app::Transaction* tx = parser.tx(0);
    core::Bytes out;
    for (uint16_t b = 0; b < uint16_t(app::AppBuffer::kCount); ++b)
      for (uint32_t i = 0; i < 3; ++i) tx->buffer(app::AppBuffer(b), i, out);
    rapidjson::StringBuffer sb;
    app::JsonWriter w(sb);
    w.StartObject();
    tx->log(w);
    w.EndObject();
  }
  return 0;
}
