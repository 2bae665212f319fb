#include "flow/community_id.h"

#include <openssl/evp.h>
#include <openssl/sha.h>

#include <cstring>

namespace pasban::flow {
namespace {

// ICMP "ports" per the spec: type and the matching reply type, so a request
// and its reply hash the same. one_way is true when there is no counterpart.
bool icmp_ports(uint8_t proto, uint16_t& t, uint16_t& c) {
  static const uint8_t kV4[][2] = {{8, 0}, {0, 8}, {13, 14}, {14, 13}, {15, 16},
                                   {16, 15}, {10, 9}, {9, 10}, {17, 18}, {18, 17}};
  static const uint8_t kV6[][2] = {{128, 129}, {129, 128}, {133, 134}, {134, 133},
                                   {135, 136}, {136, 135}, {130, 131}, {131, 130},
                                   {139, 140}, {140, 139}, {144, 145}, {145, 144}};
  if (proto == 1) {
    for (auto& m : kV4)
      if (m[0] == t) { c = m[1]; return false; }
  } else {
    for (auto& m : kV6)
      if (m[0] == t) { c = m[1]; return false; }
  }
  return true;
}

}  // namespace

std::string community_id_v1(const core::IpAddress& src, const core::IpAddress& dst,
                            uint16_t sport, uint16_t dport, uint8_t proto, uint16_t seed) {
  bool one_way = false;
  if (proto == 1 || proto == 58) {
    uint16_t type = sport, code = dport;
    one_way = icmp_ports(proto, type, code);
    sport = type;
    dport = code;
  }
  const size_t alen = src.size();
  bool swap = false;
  int c = std::memcmp(src.bytes.data(), dst.bytes.data(), alen);
  if (c > 0 || (c == 0 && !one_way && sport > dport)) swap = true;
  if (one_way && c == 0) swap = false;
  const core::IpAddress& a = swap ? dst : src;
  const core::IpAddress& b = swap ? src : dst;
  uint16_t pa = swap ? dport : sport, pb = swap ? sport : dport;

  uint8_t buf[2 + 16 + 16 + 2 + 4];
  size_t n = 0;
  buf[n++] = uint8_t(seed >> 8);
  buf[n++] = uint8_t(seed);
  std::memcpy(buf + n, a.bytes.data(), alen);
  n += alen;
  std::memcpy(buf + n, b.bytes.data(), alen);
  n += alen;
  buf[n++] = proto;
  buf[n++] = 0;
  buf[n++] = uint8_t(pa >> 8);
  buf[n++] = uint8_t(pa);
  buf[n++] = uint8_t(pb >> 8);
  buf[n++] = uint8_t(pb);

  uint8_t digest[SHA_DIGEST_LENGTH];
  SHA1(buf, n, digest);
  unsigned char b64[64];
  int len = EVP_EncodeBlock(b64, digest, SHA_DIGEST_LENGTH);
  return "1:" + std::string(reinterpret_cast<char*>(b64), size_t(len));
}

}  // namespace pasban::flow
