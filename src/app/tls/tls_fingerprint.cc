#include "app/tls/tls_fingerprint.h"

#include <openssl/evp.h>

#include <algorithm>
#include <cstdio>

#include "app/tls/tls_x509.h"

namespace pasban::app::tls {
namespace {

template <typename T>
void append_list(std::string& out, const std::vector<T>& values) {
  bool first = true;
  for (T v : values) {
    if (is_grease(uint16_t(v))) continue;
    if (!first) out += '-';
    out += std::to_string(v);
    first = false;
  }
}

// JA4 version code: the highest non-GREASE version among the hello's
// legacy version and its supported_versions (Suricata's reading of the
// spec's "highest supported version").
std::string_view ja4_version(const ClientHello& ch) {
  uint16_t best = is_grease(ch.version) ? 0 : ch.version;
  for (uint16_t v : ch.supported_versions)
    if (!is_grease(v) && v > best) best = v;
  switch (best) {
    case kTls13: return "13";
    case kTls12: return "12";
    case kTls11: return "11";
    case kTls10: return "10";
    case kSsl3: return "s3";
    default: return "00";
  }
}

std::string sha256_12(const std::string& s) {
  uint8_t d[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_Digest(s.data(), s.size(), d, &n, EVP_sha256(), nullptr);
  return hex_plain(core::Bytes(d, std::min<size_t>(6, n)));
}

std::string hex4_list(const std::vector<uint16_t>& values) {
  std::string out;
  char buf[8];
  for (size_t i = 0; i < values.size(); ++i) {
    if (i) out += ',';
    snprintf(buf, sizeof buf, "%04x", unsigned(values[i]));
    out += buf;
  }
  return out;
}

}  // namespace

std::string ja3_string(const ClientHello& ch) {
  std::string out = std::to_string(ch.version);
  out += ',';
  append_list(out, ch.ciphers);
  out += ',';
  append_list(out, ch.extensions);
  out += ',';
  append_list(out, ch.groups);
  out += ',';
  append_list(out, ch.ec_point_formats);
  return out;
}

std::string ja3s_string(const ServerHello& sh) {
  std::string out = std::to_string(sh.version);
  out += ',';
  out += std::to_string(sh.cipher);
  out += ',';
  append_list(out, sh.extensions);
  return out;
}

std::string md5_hex(std::string_view s) {
  uint8_t d[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_Digest(s.data(), s.size(), d, &n, EVP_md5(), nullptr);
  return hex_plain(core::Bytes(d, n));
}

std::string ja4(const ClientHello& ch, bool quic) {
  std::vector<uint16_t> ciphers;
  for (uint16_t c : ch.ciphers)
    if (!is_grease(c)) ciphers.push_back(c);
  // SNI and ALPN count as extensions but stay out of the hashed list.
  std::vector<uint16_t> exts;
  size_t ext_count = 0;
  for (uint16_t e : ch.extensions) {
    if (is_grease(e)) continue;
    ++ext_count;
    if (e != kExtServerName && e != kExtAlpn) exts.push_back(e);
  }
  std::vector<uint16_t> sig_algs;
  for (uint16_t s : ch.sig_algs)
    if (!is_grease(s)) sig_algs.push_back(s);

  // First and last character of the first ALPN value; "00" when absent,
  // shorter than two bytes, or a 2-byte GREASE value.
  char alpn[2] = {'0', '0'};
  if (!ch.alpns.empty() && ch.alpns[0].size() > 1) {
    const std::string& a = ch.alpns[0];
    uint16_t two = uint16_t(uint8_t(a.front()) << 8 | uint8_t(a.back()));
    if (!(a.size() == 2 && is_grease(two))) {
      alpn[0] = a.front();
      alpn[1] = a.back();
    }
  }

  char head[16];
  snprintf(head, sizeof head, "%c%.2s%c%02zu%02zu", quic ? 'q' : 't', ja4_version(ch).data(),
           std::find(ch.extensions.begin(), ch.extensions.end(), kExtServerName) != ch.extensions.end() ? 'd' : 'i', std::min<size_t>(99, ciphers.size()),
           std::min<size_t>(99, ext_count));
  std::string out = head;
  out += alpn[0];
  out += alpn[1];

  std::sort(ciphers.begin(), ciphers.end());
  std::sort(exts.begin(), exts.end());
  out += '_';
  out += sha256_12(hex4_list(ciphers));
  out += '_';
  out += sha256_12(hex4_list(exts) + "_" + hex4_list(sig_algs));
  return out;
}

}  // namespace pasban::app::tls
