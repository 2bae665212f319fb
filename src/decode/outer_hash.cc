#include "decode/outer_hash.h"

namespace pasban::decode {
namespace {

constexpr uint16_t kEtherIpv4 = 0x0800, kEtherIpv6 = 0x86dd;
constexpr uint16_t kEtherVlan = 0x8100, kEtherQinQ = 0x88a8, kEtherQinQOld = 0x9100;
constexpr int kMaxVlanTags = 4;  // a deeper stack is not worth balancing

uint16_t be16(core::Bytes b, size_t at) { return uint16_t(b[at] << 8 | b[at + 1]); }

uint64_t hash_bytes(core::Bytes b) {
  uint64_t h = 0xcbf29ce484222325ull;  // FNV-1a
  for (uint8_t c : b) h = (h ^ c) * 0x100000001b3ull;
  return h;
}

// The address pair of the IP header at the start of ip.
std::optional<uint64_t> ip_pair_hash(core::Bytes ip) {
  if (ip.empty()) return std::nullopt;
  const int version = ip[0] >> 4;
  size_t off = 0, len = 0;
  if (version == 4 && ip.size() >= 20) off = 12, len = 4;
  else if (version == 6 && ip.size() >= 40) off = 8, len = 16;
  else return std::nullopt;
  // Adding is symmetric: both directions give the same value.
  uint64_t h = hash_bytes(ip.subspan(off, len)) + hash_bytes(ip.subspan(off + len, len));
  h ^= h >> 31;
  h *= 0x9e3779b97f4a7c15ull;
  return h ^ (h >> 29);
}

std::optional<uint64_t> by_ethertype(uint16_t type, core::Bytes rest) {
  if (type != kEtherIpv4 && type != kEtherIpv6) return std::nullopt;
  return ip_pair_hash(rest);
}

std::optional<uint64_t> ethernet(core::Bytes f) {
  if (f.size() < 14) return std::nullopt;
  size_t off = 12;
  uint16_t type = be16(f, off);
  for (int tags = 0; (type == kEtherVlan || type == kEtherQinQ || type == kEtherQinQOld) &&
                     tags < kMaxVlanTags && f.size() >= off + 6; ++tags) {
    off += 4;
    type = be16(f, off);
  }
  return by_ethertype(type, f.subspan(off + 2));
}

}  // namespace

std::optional<uint64_t> outer_address_hash(int linktype, core::Bytes frame) {
  switch (linktype) {
    case 1:  // Ethernet
      return ethernet(frame);
    case 113:  // Linux cooked (SLL): protocol at 14, payload at 16
      if (frame.size() < 16) return std::nullopt;
      return by_ethertype(be16(frame, 14), frame.subspan(16));
    case 276:  // SLL2: protocol at 0, payload at 20
      if (frame.size() < 20) return std::nullopt;
      return by_ethertype(be16(frame, 0), frame.subspan(20));
    case 0: case 108:  // null / loopback: a 4-byte family word
      if (frame.size() < 4) return std::nullopt;
      return ip_pair_hash(frame.subspan(4));
    case 12: case 14: case 101: case 228: case 229:  // raw IP
      return ip_pair_hash(frame);
    default:
      return std::nullopt;
  }
}

}  // namespace pasban::decode
