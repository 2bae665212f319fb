// libFuzzer target for the SMTP parser and its MIME decoder: the first
// byte picks how the rest is cut into feeds and directions, and which
// decoding options are on, so line splitting, BDAT counting, pipelining
// and MIME paths are exercised together.
#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "app/smtp/smtp_parser.h"
#include "app/smtp/smtp_register.h"

using namespace pasban;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const uint8_t mode = data[0];
  core::Bytes in(data + 1, size - 1);
  app::smtp::smtp_probe(in, mode & 1);

  app::smtp::SmtpConfig config;
  config.mime.body_md5 = mode & 8;
  config.mime.log_url_scheme = mode & 4;
  config.log_fields = ~0u;
  config.log_subject_md5 = true;
  config.log_body_md5 = true;
  app::smtp::SmtpParser parser(config);
  // Chunk sizes 1..16; direction flips at each chunk when bit 1 is set,
  // else the input alternates at each LF so dialogs can be written as text.
  const size_t chunk = size_t(mode >> 4) + 1;
  const bool alternate = mode & 2;
  size_t off = 0;
  bool to_server = false;
  while (off < in.size()) {
    size_t n = std::min(chunk, in.size() - off);
    if (!alternate) {
      auto lf = std::find(in.begin() + long(off), in.begin() + long(off + n), uint8_t('\n'));
      if (lf != in.begin() + long(off + n)) n = size_t(lf - (in.begin() + long(off))) + 1;
    }
    parser.feed(to_server, in.subspan(off, n), {});
    parser.events.clear();
    if (alternate || in[off + n - 1] == '\n') to_server = !to_server;
    off += n;
  }
  parser.on_close();
  for (size_t i = 0; i < parser.tx_count(); ++i) {
    app::Transaction* tx = parser.tx(i);
    core::Bytes out;
    for (uint16_t b = 0; b < uint16_t(app::AppBuffer::kCount); ++b)
      for (uint32_t k = 0; k < 3; ++k) tx->buffer(app::AppBuffer(b), k, out);
    rapidjson::StringBuffer sb;
    app::JsonWriter w(sb);
    w.StartObject();
    tx->log(w);
    w.EndObject();
  }
  return 0;
}
