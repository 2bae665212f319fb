#include "defrag/fragment_list.h"

#include <algorithm>

namespace pasban::defrag {

namespace {

enum class Step { kNext, kInsert, kDrop };

// The arriving fragment covers [start, end); ltrim is how much of its front
// the policy has given to held fragments so far.
struct Arrival {
  int64_t start, end;
  int64_t& ltrim;
};

int64_t end_of(const Fragment& f) { return int64_t(f.offset) + f.len(); }

// BSD keeps held data unless the new fragment starts before it; a new
// fragment starting inside held data gives up its front to it.
Step bsd(Arrival a, Fragment& prev, Fragment* next) {
  const int64_t p_off = prev.offset, p_end = end_of(prev);
  if (a.start >= p_end) return Step::kNext;
  if (p_off <= a.start) {
    if (p_end > a.end) return Step::kDrop;  // entirely inside held data
    a.ltrim = p_end - a.start;
  } else if (a.end > p_off + prev.ltrim) {
    // The new fragment starts first: it wins the front of the held one.
    prev.ltrim = std::max<uint32_t>(prev.ltrim, uint32_t(a.end - p_off));
  }
  if (next && a.end > next->offset) next->ltrim = uint32_t(a.end - next->offset);
  return Step::kInsert;
}

// Linux favours the new fragment except where it starts inside held data.
Step linux_policy(Arrival a, Fragment& prev) {
  const int64_t p_off = prev.offset, p_end = end_of(prev), p_front = p_off + prev.ltrim;
  if (p_front < a.start + a.ltrim && p_end > a.start + a.ltrim) a.ltrim += p_end - a.start;
  if (a.start + a.ltrim < p_front && a.end > p_front) {
    prev.ltrim += uint32_t(a.end - p_front);
    return Step::kInsert;
  }
  if (a.start + a.ltrim <= p_front && a.end >= p_end) {
    prev.skip = true;
    return Step::kInsert;
  }
  return Step::kNext;
}

// Windows keeps held data, except that a fragment covering a held one on
// both sides replaces it.
Step windows(Arrival a, Fragment& prev) {
  const int64_t p_off = prev.offset, p_end = end_of(prev);
  if (a.start >= p_off && a.end <= p_end) return Step::kDrop;
  if (a.start < p_off && a.end > p_end) {
    prev.skip = true;
    return Step::kInsert;
  }
  if (a.start + a.ltrim > p_off + prev.ltrim && a.start + a.ltrim < p_end) {
    a.ltrim += p_end - a.start;
    return Step::kInsert;
  }
  if (a.start == p_off && a.end > p_end) {
    a.ltrim += p_end - a.start;
    return Step::kInsert;
  }
  return Step::kNext;
}

// Solaris: held data wins where the new fragment starts inside it; a new
// fragment starting before and covering a held one replaces it.
Step solaris(Arrival a, Fragment& prev) {
  const int64_t p_off = prev.offset, p_end = end_of(prev);
  if (a.start >= p_end) return Step::kNext;
  if (a.start >= p_off) a.ltrim = p_end - a.start;
  if (a.start < p_off && a.end >= p_end) prev.skip = true;
  return Step::kInsert;
}

// First: the first copy of every byte wins.
Step first(Arrival a, const Fragment& prev) {
  const int64_t p_off = prev.offset, p_end = end_of(prev);
  if (a.start >= p_off && a.end <= p_end) return Step::kDrop;
  if (a.start < p_off) return Step::kInsert;
  if (a.start < p_end) {
    a.ltrim = p_end - a.start;
    return Step::kInsert;
  }
  return Step::kNext;
}

// Last: the last copy wins; a new fragment starting at or before a held
// one takes over its front.
Step last(Arrival a, Fragment& prev) {
  const int64_t p_off = prev.offset;
  if (a.start > p_off) return Step::kNext;
  if (a.end > p_off) prev.ltrim = uint32_t(a.end - p_off);
  return Step::kInsert;
}

Step apply(Policy policy, Fragment& prev, Fragment* next, Arrival a) {
  switch (policy) {
    case Policy::kBsd: return bsd(a, prev, next);
    case Policy::kLinux: return linux_policy(a, prev);
    case Policy::kWindows: return windows(a, prev);
    case Policy::kSolaris: return solaris(a, prev);
    case Policy::kFirst: return first(a, prev);
    case Policy::kLast: return last(a, prev);
    // bsd-right trims nothing: the offset-ordered copy at reassembly
    // decides, the later offset winning.
    case Policy::kBsdRight: return Step::kNext;
  }
  return Step::kNext;
}

}  // namespace

InsertResult FragmentList::insert(Policy policy, uint32_t offset, bool more_frags,
                                  core::Bytes data, core::Bytes header,
                                  uint32_t header_ip_offset) {
  InsertResult r;
  const int64_t start = offset, end = int64_t(offset) + int64_t(data.size());
  int64_t ltrim = 0;
  bool drop = false;
  if (!frags_.empty()) {
    // Start with the held fragment before the first one at or after the
    // new offset (or with the lowest one when all start before it).
    auto it = std::lower_bound(frags_.begin(), frags_.end(), offset,
                               [](const Fragment& f, uint32_t o) { return f.offset < o; });
    size_t i = it == frags_.end() ? 0 : size_t(it - frags_.begin());
    if (i > 0 && it != frags_.end()) --i;
    for (; i < frags_.size(); ++i) {
      Fragment& prev = frags_[i];
      Fragment* next = i + 1 < frags_.size() ? &frags_[i + 1] : nullptr;
      if (start < end_of(prev) && int64_t(prev.offset) < end) r.overlap = true;
      const Step s = apply(policy, prev, next, Arrival{start, end, ltrim});
      if (s == Step::kNext) continue;
      if (s == Step::kDrop) {
        drop = true;
      } else if (prev.skip || prev.ltrim >= prev.len()) {
        // Superseded entirely: release it now.
        bytes_ -= prev.data.size() + prev.header.size();
        frags_.erase(frags_.begin() + ptrdiff_t(i));
      }
      break;
    }
  }
  if (drop || ltrim >= int64_t(data.size())) return r;

  Fragment f;
  f.offset = uint32_t(start + ltrim);
  f.more_frags = more_frags;
  f.data.assign(data.begin() + ltrim, data.end());
  if (f.offset == 0) {
    f.header.assign(header.begin(), header.end());
    f.header_ip_offset = header_ip_offset;
  }
  bytes_ += f.data.size() + f.header.size();
  // After every held fragment with the same offset.
  auto pos = std::upper_bound(frags_.begin(), frags_.end(), f.offset,
                              [](uint32_t o, const Fragment& g) { return o < g.offset; });
  frags_.insert(pos, std::move(f));
  if (!more_frags) seen_last_ = true;
  r.stored = true;
  return r;
}

bool FragmentList::complete() const {
  if (!seen_last_ || frags_.empty() || frags_.front().offset != 0) return false;
  int64_t covered = 0;
  for (const auto& f : frags_) {
    if (f.skip) continue;
    if (int64_t(f.offset) > covered) return false;  // a hole
    covered = std::max(covered, end_of(f));
  }
  return true;
}

const Fragment* FragmentList::reassemble(std::vector<uint8_t>& out) const {
  int64_t max_end = 0;
  for (const auto& f : frags_) max_end = std::max(max_end, end_of(f));
  out.assign(size_t(max_end), 0);
  const Fragment* head = nullptr;
  int64_t length = 0;
  bool more = true;
  uint32_t prev_offset = 0;
  for (const auto& f : frags_) {
    // Fragments past the last one (no MF) are not part of the datagram,
    // though one at the last one's offset still overwrites it.
    if (!more && f.offset > prev_offset) break;
    if (f.skip || f.ltrim >= f.len()) continue;
    if (f.offset == 0) {
      head = &f;
      std::copy(f.data.begin(), f.data.end(), out.begin());
      length = f.len();
    } else {
      std::copy(f.data.begin() + f.ltrim, f.data.end(), out.begin() + f.offset + f.ltrim);
      length = std::max(length, end_of(f));
    }
    more = f.more_frags;
    prev_offset = f.offset;
  }
  out.resize(size_t(length));
  return head;
}

}  // namespace pasban::defrag
