// dotprefix: "hello.google.com" -> ".hello.google.com", so that
// content:".google.com" matches the domain and its subdomains only.
#include "detect/transforms/transform.h"

namespace pasban::detect::transforms {

void dotprefix(core::Bytes in, std::string& out) {
  out.clear();
  if (in.empty()) return;
  out.push_back('.');
  out.append(core::as_chars(in));
}

}  // namespace pasban::detect::transforms
