// libFuzzer target for the TLS parser (records, handshake messages,
// certificates, JA3/JA4): the first byte picks the fingerprint and EVE
// field options, the rest is a two-way conversation split at
// fuzzer-chosen points (fuzz/conversation.h), so record reassembly across
// feeds, direction changes and gaps are exercised. Every transaction's
// buffers and EVE record are read back. Crashes and sanitizer reports are
// the findings.
#include <cstddef>
#include <cstdint>

#include "app/tls/tls_parser.h"
#include "app/tls/tls_register.h"
#include "conversation.h"

using namespace pasban;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const uint8_t mode = data[0];
  size_t i = 1;
  fuzz::Record r;
  while (fuzz::next_record(data, size, i, r)) (void)app::tls::tls_probe(r.data, r.to_server);
  app::tls::TlsConfig config;
  config.ja3 = mode & 1;
  config.ja4 = mode & 2;
  // Every field bit on, or the stock extended set.
  config.log_fields = (mode & 4) ? ~0u : app::tls::kLogExtendedFields | app::tls::kLogSessionResumed;
  config.log_session_resumption = mode & 8;
  app::tls::TlsParser p(config);
  const size_t sum = fuzz::feed_conversation(p, data + 1, size - 1);
  return static_cast<int>(sum & 0);
}
