#include "stream/segment_list.h"

#include <algorithm>
#include <cstring>

namespace pasban::stream {

SegmentList::View SegmentList::first() const {
  const auto& [key, data] = *segs_.begin();
  return {key.first, key.second, data.get()};
}

void SegmentList::pop_first() {
  memuse_ -= cost(segs_.begin()->first.second);
  segs_.erase(segs_.begin());
  if (segs_.empty()) max_len_ = 0;
}

void SegmentList::clear() {
  segs_.clear();
  memuse_ = 0;
  max_len_ = 0;
}

// A segment overlapping [off, ...) starts at most max_len_ bytes before off.
SegmentList::Map::const_iterator SegmentList::first_candidate(uint64_t off) const {
  const uint64_t from = off > max_len_ ? off - max_len_ : 0;
  return segs_.lower_bound({from, 0});
}

bool SegmentList::overlaps(uint64_t off, size_t len) const {
  const uint64_t end = off + len;
  for (auto it = first_candidate(off); it != segs_.end() && it->first.first < end; ++it)
    if (it->first.first + it->first.second > off) return true;
  return false;
}

OverlapResult SegmentList::resolve(OverlapPolicy policy, uint64_t off,
                                   std::span<uint8_t> buf) const {
  OverlapResult r;
  const uint64_t end = off + buf.size();
  for (auto it = first_candidate(off); it != segs_.end() && it->first.first < end; ++it) {
    const uint64_t s_off = it->first.first, s_end = s_off + it->first.second;
    if (s_end <= off) continue;
    r.overlapped = true;
    const uint64_t lo = std::max(off, s_off), hi = std::min(end, s_end);
    uint8_t* mine = buf.data() + (lo - off);
    const uint8_t* theirs = it->second.get() + (lo - s_off);
    if (std::memcmp(mine, theirs, hi - lo) == 0) continue;
    r.different = true;
    if (!new_data_wins(policy, off, end, s_off, s_end)) std::memcpy(mine, theirs, hi - lo);
  }
  return r;
}

void SegmentList::store(uint64_t off, core::Bytes buf) {
  const uint64_t end = off + buf.size();
  for (auto it = first_candidate(off); it != segs_.end() && it->first.first < end; ++it) {
    const uint64_t s_off = it->first.first, s_end = s_off + it->first.second;
    if (s_end <= off) continue;
    const uint64_t lo = std::max(off, s_off), hi = std::min(end, s_end);
    std::memcpy(it->second.get() + (lo - s_off), buf.data() + (lo - off), hi - lo);
  }
  const Key key{off, uint32_t(buf.size())};
  if (segs_.count(key)) return;  // same edges: already updated above
  auto data = std::make_unique<uint8_t[]>(buf.size());
  std::memcpy(data.get(), buf.data(), buf.size());
  segs_.emplace(key, std::move(data));
  max_len_ = std::max(max_len_, key.second);
  memuse_ += cost(buf.size());
}

void SegmentList::truncate_from(uint64_t off) {
  auto it = first_candidate(off);
  while (it != segs_.end()) {
    const uint64_t s_off = it->first.first, s_end = s_off + it->first.second;
    if (s_end <= off) {
      ++it;
      continue;
    }
    auto node = segs_.extract(it++);
    memuse_ -= cost(node.key().second);
    if (s_off < off) {
      // Keep the part before off under its shortened edges.
      node.key().second = uint32_t(off - s_off);
      memuse_ += cost(node.key().second);
      // (The allocation keeps its old size until the segment is delivered.)
      // Inserting lands before `it`: iterators stay valid and it is not revisited.
      if (!segs_.count(node.key())) segs_.insert(std::move(node));
      else memuse_ -= cost(node.key().second);
    }
  }
}

}  // namespace pasban::stream
