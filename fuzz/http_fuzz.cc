// libFuzzer target for the HTTP parser: the input is a conversation. Each
// record is a control byte (bit 7: direction, bits 0-6: length) followed by
// that many bytes; a control byte of 0 is a gap of the next byte's size in
// the direction of the previous record. Every transaction's buffers and
// EVE record are read back so their bytes are touched under ASan.
#include <cstddef>
#include <cstdint>

#include "app/http/http_parser.h"

using namespace pasban;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  app::http::HttpParser p;
  bool to_server = true;
  size_t i = 0;
  core::Timestamp ts{1, 0};
  while (i < size) {
    const uint8_t ctl = data[i++];
    if (ctl == 0) {
      if (i < size) p.on_gap_bytes(to_server, data[i++]);
      continue;
    }
    to_server = (ctl & 0x80) == 0;
    size_t len = ctl & 0x7f;
    if (len > size - i) len = size - i;
    p.feed(to_server, core::Bytes(data + i, len), ts);
    i += len;
    ts.usec++;
  }
  p.on_close();
  size_t sum = 0;
  for (size_t t = 0; t < p.tx_count(); ++t) {
    app::Transaction* tx = p.tx(t);
    for (uint16_t b = 0; b < static_cast<uint16_t>(app::AppBuffer::kCount); ++b) {
      for (uint32_t idx = 0; idx < 64; ++idx) {
        core::Bytes out;
        if (!tx->buffer(static_cast<app::AppBuffer>(b), idx, out)) break;
        for (uint8_t c : out) sum += c;
      }
    }
    rapidjson::StringBuffer sb;
    app::JsonWriter w(sb);
    w.StartObject();
    tx->log(w);
    w.EndObject();
    sum += sb.GetSize();
    tx->logged = true;
  }
  p.trim();
  return static_cast<int>(sum & 0);
}
