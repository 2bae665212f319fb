// header_lowercase and strip_pseudo_headers, for header buffers that hold
// "Name: value" lines (HTTP/2 pseudo headers start with ':').
#include "detect/transforms/transform.h"

namespace pasban::detect::transforms {

// Lowercases each line's name, up to its first ':'; values are kept.
void header_lowercase(core::Bytes in, std::string& out) {
  out.resize(in.size());
  bool in_value = false;
  for (size_t i = 0; i < in.size(); ++i) {
    const uint8_t c = in[i];
    if (!in_value) {
      if (c == ':') in_value = true;
      out[i] = char(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
    } else {
      out[i] = char(c);
      if (c == '\n') in_value = false;
    }
  }
}

// Drops every line (with its '\n') that starts with ':'.
void strip_pseudo_headers(core::Bytes in, std::string& out) {
  out.clear();
  size_t start = 0;
  while (start < in.size()) {
    size_t end = start;
    while (end < in.size() && in[end] != '\n') ++end;
    if (end < in.size()) ++end;  // keep the line's '\n'
    if (in[start] != ':') out.append(core::as_chars(in.subspan(start, end - start)));
    start = end;
  }
}

}  // namespace pasban::detect::transforms
