#include "detect/transforms/base64.h"

#include <array>

namespace pasban::detect::transforms {
namespace {

constexpr std::array<int8_t, 256> make_table() {
  std::array<int8_t, 256> t{};
  for (auto& v : t) v = -1;
  constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  for (int i = 0; i < 64; ++i) t[static_cast<unsigned char>(kAlphabet[i])] = int8_t(i);
  return t;
}
constexpr std::array<int8_t, 256> kValue = make_table();

bool in_alphabet(uint8_t c) { return kValue[c] >= 0; }

// Decodes one group of four symbols, '=' standing for padding. A pad in
// the first two places is invalid; a pad in the third ends the group after
// one byte, in the fourth after two (as Suricata's decoder reads them).
bool emit_group(const uint8_t q[4], std::string& out) {
  if (q[0] == '=' || q[1] == '=') return false;
  const uint8_t a = uint8_t(kValue[q[0]]), b = uint8_t(kValue[q[1]]);
  out.push_back(char(uint8_t(a << 2 | b >> 4)));
  if (q[2] == '=') return true;
  const uint8_t c = uint8_t(kValue[q[2]]);
  out.push_back(char(uint8_t(b << 4 | c >> 2)));
  if (q[3] == '=') return true;
  const uint8_t d = uint8_t(kValue[q[3]]);
  out.push_back(char(uint8_t(c << 6 | d)));
  return true;
}

bool decode_rfc4648(core::Bytes in, std::string& out) {
  uint8_t q[4];
  int n = 0;
  for (uint8_t c : in) {
    if (!in_alphabet(c) && c != '=') break;  // the rest is not decoded
    q[n++] = c;
    if (n == 4) {
      if (!emit_group(q, out)) return false;
      n = 0;
    }
  }
  if (n > 0) {
    for (int i = n; i < 4; ++i) q[i] = '=';
    if (!emit_group(q, out)) return false;  // a lone symbol decodes to nothing valid
  }
  return true;
}

bool decode_rfc2045(core::Bytes in, std::string& out) {
  uint8_t q[4];
  int n = 0;
  for (uint8_t c : in) {
    if (!in_alphabet(c) && c != '=') continue;  // line breaks and the like
    q[n++] = c;
    if (n == 4) {
      if (!emit_group(q, out)) return false;
      n = 0;
    }
  }
  return true;  // a partial last group is left undecoded
}

bool decode_strict(core::Bytes in, std::string& out) {
  size_t data = 0;
  while (data < in.size() && in_alphabet(in[data])) ++data;
  size_t pad = 0;
  while (data + pad < in.size() && in[data + pad] == '=') ++pad;
  if (data + pad != in.size() || pad > 2) return false;
  const size_t rem = data % 4;
  if (rem == 1) return false;
  if (pad > 0 && (rem == 0 || rem + pad != 4)) return false;
  // The unused low bits of the last symbol must be zero (canonical form).
  if (rem == 2 && (kValue[in[data - 1]] & 0x0f) != 0) return false;
  if (rem == 3 && (kValue[in[data - 1]] & 0x03) != 0) return false;
  uint8_t q[4];
  size_t i = 0;
  for (; i + 4 <= data; i += 4) {
    for (int k = 0; k < 4; ++k) q[k] = in[i + size_t(k)];
    emit_group(q, out);
  }
  if (rem) {
    for (size_t k = 0; k < 4; ++k) q[k] = k < rem ? in[i + k] : uint8_t('=');
    emit_group(q, out);
  }
  return true;
}

}  // namespace

bool base64_decode(core::Bytes in, Base64Mode mode, std::string& out) {
  const size_t start = out.size();
  bool ok = false;
  switch (mode) {
    case Base64Mode::kRfc4648: ok = decode_rfc4648(in, out); break;
    case Base64Mode::kRfc2045: ok = decode_rfc2045(in, out); break;
    case Base64Mode::kStrict: ok = decode_strict(in, out); break;
  }
  if (!ok) out.resize(start);
  return ok;
}

}  // namespace pasban::detect::transforms
