#include "detect/keywords/content.h"

#include <cstring>

namespace pasban::detect::keywords {
namespace {
inline uint8_t lower(uint8_t c) { return (c >= 'A' && c <= 'Z') ? uint8_t(c | 0x20) : c; }
}  // namespace

int64_t find_bytes(core::Bytes hay, size_t from, size_t to, std::string_view needle,
                   bool nocase) noexcept {
  if (to > hay.size()) to = hay.size();
  const size_t n = needle.size();
  if (from > to || n == 0 || to - from < n) return -1;
  const uint8_t* base = hay.data();
  if (!nocase) {
    const void* r = memmem(base + from, to - from, needle.data(), n);
    return r ? static_cast<const uint8_t*>(r) - base : -1;
  }
  const uint8_t first = lower(uint8_t(needle[0]));
  const size_t last_start = to - n;
  for (size_t i = from; i <= last_start; ++i) {
    if (lower(base[i]) != first) continue;
    size_t j = 1;
    while (j < n && lower(base[i + j]) == lower(uint8_t(needle[j]))) ++j;
    if (j == n) return int64_t(i);
  }
  return -1;
}

}  // namespace pasban::detect::keywords
