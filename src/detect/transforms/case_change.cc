// to_lowercase and to_uppercase: ASCII letters only; other bytes pass.
#include "detect/transforms/transform.h"

namespace pasban::detect::transforms {

void to_lowercase(core::Bytes in, std::string& out) {
  out.resize(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    const uint8_t c = in[i];
    out[i] = char(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
  }
}

void to_uppercase(core::Bytes in, std::string& out) {
  out.resize(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    const uint8_t c = in[i];
    out[i] = char(c >= 'a' && c <= 'z' ? c - ('a' - 'A') : c);
  }
}

}  // namespace pasban::detect::transforms
