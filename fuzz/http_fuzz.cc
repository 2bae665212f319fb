// libFuzzer target for the HTTP parser (libhtp underneath): the first
// byte picks the EVE options, the rest is a two-way conversation split at
// fuzzer-chosen points (fuzz/conversation.h), gaps included. Every
// transaction's buffers, files and EVE records (the alert form and the
// event_type http form with the chosen options) are read back so their
// bytes are touched under ASan. Crashes and sanitizer reports are the
// findings.
#include <cstddef>
#include <cstdint>

#include "app/http/http_parser.h"
#include "conversation.h"

using namespace pasban;

namespace {

// The http record form walks the header lists differently from the alert
// form: non-extended, all request and/or response headers dumped.
size_t log_http_record(app::Transaction& tx, uint8_t mode) {
  app::http::HttpLogOptions o;
  o.extended = mode & 1;
  o.dump_request_headers = mode & 2;
  o.dump_response_headers = mode & 4;
  rapidjson::StringBuffer sb;
  app::JsonWriter w(sb);
  w.StartObject();
  static_cast<app::http::HttpTx&>(tx).log_with_options(w, o);
  w.EndObject();
  return sb.GetSize();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  app::http::HttpParser p;
  const size_t sum = fuzz::feed_conversation(p, data + 1, size - 1, log_http_record, data[0]);
  return static_cast<int>(sum & 0);
}
