// xor:"<hex key>": each byte is xored with the key, the key repeating over
// the buffer (an obfuscation malware uses for URIs and payloads).
#include "detect/keywords/numeric.h"
#include "detect/transforms/transform.h"

namespace pasban::detect::transforms {
namespace {

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

core::Result<std::string> parse_xor_key(std::string_view value) {
  std::string_view v = keywords::trim(value);
  if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
  if (v.empty()) return core::make_error("xor: a hex key is required");
  if (v.size() % 2 != 0) return core::make_error("xor: key length must be an even number");
  // Suricata keeps the key length in a byte.
  if (v.size() / 2 > 255) return core::make_error("xor: key longer than 255 bytes");
  std::string key;
  key.reserve(v.size() / 2);
  for (size_t i = 0; i < v.size(); i += 2) {
    const int hi = hex_digit(v[i]), lo = hex_digit(v[i + 1]);
    if (hi < 0 || lo < 0) return core::make_error("xor: key must be hexadecimal characters only");
    key.push_back(char(hi << 4 | lo));
  }
  return key;
}

void xor_bytes(core::Bytes in, std::string_view key, std::string& out) {
  out.resize(in.size());
  if (key.empty()) {
    out.assign(core::as_chars(in));
    return;
  }
  for (size_t i = 0; i < in.size(); ++i) out[i] = char(in[i] ^ uint8_t(key[i % key.size()]));
}

}  // namespace pasban::detect::transforms
