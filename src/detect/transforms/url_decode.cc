// url_decode: %XX (two hex digits) becomes the byte, '+' a space. A '%'
// not followed by two hex digits is kept with what followed it ("%ZZ",
// "%4" at the end), as Suricata's transform does.
#include "detect/transforms/transform.h"

namespace pasban::detect::transforms {
namespace {

int hex_value(uint8_t c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

}  // namespace

void url_decode(core::Bytes in, std::string& out) {
  out.clear();
  // seen: 0 outside an escape, 1 after '%', 2 after '%' and one digit.
  int seen = 0;
  uint8_t first = 0;
  for (uint8_t c : in) {
    if (seen > 0) {
      const int v = hex_value(c);
      if (v >= 0 && seen == 1) {
        first = c;
        seen = 2;
      } else if (v >= 0) {
        out.push_back(char(uint8_t(hex_value(first) << 4 | v)));
        seen = 0;
      } else {
        out.push_back('%');
        if (seen == 2) out.push_back(char(first));
        out.push_back(char(c));
        seen = 0;
      }
    } else if (c == '%') {
      seen = 1;
    } else {
      out.push_back(c == '+' ? ' ' : char(c));
    }
  }
  if (seen > 0) {
    out.push_back('%');
    if (seen == 2) out.push_back(char(first));
  }
}

}  // namespace pasban::detect::transforms
