#include "app/detect_only.h"

#include <algorithm>

namespace pasban::app {
namespace {

struct Signature {
  std::string_view prefix;  // at offset 0 of the direction's stream
  std::string_view proto;
};

// Banners that open the protocol in either direction (RFC 4253 4.2 for
// SSH's identification string, RFB 7.1.1 for the version message).
constexpr Signature kSignatures[] = {
    {"SSH-", "ssh"},
    {"RFB ", "rfb"},
};

}  // namespace

std::string_view detect_only_protocol(core::Bytes data) {
  for (const Signature& s : kSignatures) {
    if (data.size() < s.prefix.size()) continue;
    if (std::equal(s.prefix.begin(), s.prefix.end(), data.begin(),
                   [](char a, uint8_t b) { return uint8_t(a) == b; }))
      return s.proto;
  }
  return {};
}

}  // namespace pasban::app
