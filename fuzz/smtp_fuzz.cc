// libFuzzer target for the SMTP parser and its MIME decoder: the first
// byte picks the decoding and logging options, the rest is a two-way
// conversation split at fuzzer-chosen points (fuzz/conversation.h), so
// line splitting, BDAT counting, pipelining, STARTTLS and MIME paths are
// exercised across feed boundaries. Every transaction's buffers, files and
// EVE record are read back. Crashes and sanitizer reports are the
// findings.
#include <cstddef>
#include <cstdint>

#include "app/smtp/smtp_parser.h"
#include "app/smtp/smtp_register.h"
#include "conversation.h"

using namespace pasban;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const uint8_t mode = data[0];
  size_t i = 1;
  fuzz::Record r;
  while (fuzz::next_record(data, size, i, r)) (void)app::smtp::smtp_probe(r.data, r.to_server);
  app::smtp::SmtpConfig config;
  config.decode_mime = !(mode & 1);
  config.raw_extraction = mode & 2;
  config.mime.log_url_scheme = mode & 4;
  config.mime.body_md5 = mode & 8;
  config.mime.decode_base64 = !(mode & 0x10);
  config.mime.decode_quoted_printable = !(mode & 0x20);
  if (mode & 0x40) config.mime.url_schemes = {"http://", "https://", "ftp://"};
  config.log_fields = ~0u;
  config.log_subject_md5 = true;
  config.log_body_md5 = true;
  app::smtp::SmtpParser p(config);
  const size_t sum = fuzz::feed_conversation(p, data + 1, size - 1);
  return static_cast<int>(sum & 0);
}
