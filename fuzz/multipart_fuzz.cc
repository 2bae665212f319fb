// libFuzzer entry point: an HTTP multipart/form-data body (the first byte
// picks the boundary length, the rest is boundary then body) split into
// parts, and a Content-Disposition value. Crashes and sanitizer reports
// are the findings.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "app/http/http_parser.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace pasban::app::http;
  if (size == 0) return 0;
  const size_t blen = data[0] % 72;
  std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  const std::string_view boundary = rest.substr(0, blen);
  const std::string_view body = rest.substr(boundary.size());
  size_t total = 0;
  for (const MultipartPart& p : parse_multipart(body, boundary)) {
    total += p.content.size() + p.filename.size();
    if (p.content.data() < body.data() || p.content.data() + p.content.size() > body.data() + body.size())
      __builtin_trap();  // a part must view into the body
  }
  (void)disposition_filename(body);
  return total == SIZE_MAX;
}
