#include "detect/build/ip_only_index.h"

#include <algorithm>

namespace pasban::detect::build {
namespace {

using U128 = unsigned __int128;

// A side is narrow when it covers fewer addresses than this (per family):
// reputation lists of hosts and small networks, not $EXTERNAL_NET.
constexpr U128 kNarrowV4 = U128(1) << 20;
constexpr U128 kNarrowV6 = U128(1) << 80;

U128 coverage(const std::vector<rules::AddressRange>& ranges) {
  U128 total = 0;
  for (const auto& r : ranges) {
    U128 n = r.hi - r.lo + 1;
    total = (n == 0 || total + n < total) ? ~U128(0) : total + n;  // saturate
  }
  return total;
}

U128 as_u128(const core::IpAddress& a) {
  U128 v = 0;
  if (a.is_v4()) {
    for (int i = 0; i < 4; ++i) v = v << 8 | a.bytes[size_t(i)];
  } else {
    for (int i = 0; i < 16; ++i) v = v << 8 | a.bytes[size_t(i)];
  }
  return v;
}

}  // namespace

void IpOnlyIndex::Segments::build(std::vector<std::pair<rules::AddressRange, uint32_t>>& ranges) {
  starts.clear();
  offsets.clear();
  rules.clear();
  if (ranges.empty()) return;
  // Boundaries: every range start and the address after every range end.
  std::vector<U128> bounds;
  bounds.reserve(ranges.size() * 2);
  for (const auto& [r, id] : ranges) {
    bounds.push_back(r.lo);
    if (r.hi != ~U128(0)) bounds.push_back(r.hi + 1);
  }
  std::sort(bounds.begin(), bounds.end());
  bounds.erase(std::unique(bounds.begin(), bounds.end()), bounds.end());
  starts = bounds;
  std::vector<std::vector<uint32_t>> per(starts.size());
  for (const auto& [r, id] : ranges) {
    size_t first = size_t(std::lower_bound(starts.begin(), starts.end(), r.lo) - starts.begin());
    for (size_t s = first; s < starts.size() && starts[s] <= r.hi; ++s) per[s].push_back(id);
  }
  offsets.reserve(starts.size() + 1);
  for (auto& v : per) {
    offsets.push_back(uint32_t(rules.size()));
    std::sort(v.begin(), v.end());
    v.erase(std::unique(v.begin(), v.end()), v.end());
    rules.insert(rules.end(), v.begin(), v.end());
  }
  offsets.push_back(uint32_t(rules.size()));
}

void IpOnlyIndex::Segments::lookup(U128 addr, std::vector<uint32_t>& out) const {
  if (starts.empty() || addr < starts.front()) return;
  size_t s = size_t(std::upper_bound(starts.begin(), starts.end(), addr) - starts.begin()) - 1;
  out.insert(out.end(), rules.begin() + offsets[s], rules.begin() + offsets[s + 1]);
}

void IpOnlyIndex::build(const std::vector<Rule>& all, const std::vector<uint32_t>& rule_ids) {
  std::vector<std::pair<rules::AddressRange, uint32_t>> v4, v6;
  wide_v4_.clear();
  wide_v6_.clear();
  for (uint32_t id : rule_ids) {
    const Rule& r = all[id];
    auto file = [&](bool v6fam) {
      const auto& src = v6fam ? r.src_addr.v6_ranges() : r.src_addr.v4_ranges();
      const auto& dst = v6fam ? r.dst_addr.v6_ranges() : r.dst_addr.v4_ranges();
      if (src.empty() || dst.empty()) return;  // this family can never match
      const U128 limit = v6fam ? kNarrowV6 : kNarrowV4;
      const U128 cs = coverage(src), cd = coverage(dst);
      const auto& side = cs <= cd ? src : dst;
      if ((cs <= cd ? cs : cd) >= limit) {
        (v6fam ? wide_v6_ : wide_v4_).push_back(id);
        return;
      }
      for (const auto& range : side) (v6fam ? v6 : v4).push_back({range, id});
    };
    file(false);
    file(true);
  }
  v4_.build(v4);
  v6_.build(v6);
}

void IpOnlyIndex::candidates(const core::IpAddress& a, const core::IpAddress& b,
                             std::vector<uint32_t>& out) const {
  const bool v6 = a.is_v6();
  const Segments& seg = v6 ? v6_ : v4_;
  seg.lookup(as_u128(a), out);
  seg.lookup(as_u128(b), out);
  const auto& wide = v6 ? wide_v6_ : wide_v4_;
  out.insert(out.end(), wide.begin(), wide.end());
}

}  // namespace pasban::detect::build
