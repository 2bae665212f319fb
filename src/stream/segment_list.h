// Out-of-order segments of one stream direction, keyed by 64-bit stream
// offset. Segments keep their original edges (the overlap policy decides on
// them), and may overlap each other; the bytes they hold always agree: every
// stored copy of a stream byte holds the value that won. Memory use is
// reported so the owner can account it against the reassembly memcap.
#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <span>
#include <utility>

#include "core/bytes.h"
#include "stream/overlap_policy.h"

namespace pasban::stream {

struct OverlapResult {
  bool overlapped = false;  // the new data overlaps stored bytes
  bool different = false;   // ... and some overlapped byte differs
};

class SegmentList {
 public:
  // Per-segment bookkeeping cost charged on top of the payload bytes: the
  // map node and the separate data allocation.
  static constexpr uint64_t kSegmentOverhead = 96;

  struct View {
    uint64_t off;
    uint32_t len;
    const uint8_t* data;
  };

  SegmentList() = default;
  SegmentList(const SegmentList&) = delete;
  SegmentList& operator=(const SegmentList&) = delete;

  bool empty() const { return segs_.empty(); }
  size_t size() const { return segs_.size(); }
  uint64_t memuse() const { return memuse_; }
  static uint64_t cost(size_t len) { return len + kSegmentOverhead; }

  View first() const;  // requires !empty()
  void pop_first();
  // Any stored byte inside [off, off + len)?
  bool overlaps(uint64_t off, size_t len) const;
  bool contains(uint64_t off, uint32_t len) const { return segs_.count({off, len}) != 0; }

  // Applies the policy for new data buf at off against every overlapping
  // stored segment: where the old copy wins, its bytes are copied into buf.
  OverlapResult resolve(OverlapPolicy policy, uint64_t off, std::span<uint8_t> buf) const;
  // Stores buf (already resolved) as segment [off, off + size): its bytes
  // overwrite the overlapped parts of stored segments, keeping all copies in
  // agreement. A segment with the same edges is updated, not duplicated.
  void store(uint64_t off, core::Bytes buf);
  // Drops every stored byte at or after off (data past a FIN).
  void truncate_from(uint64_t off);
  void clear();

 private:
  using Key = std::pair<uint64_t, uint32_t>;  // (offset, length): Suricata's order
  using Map = std::map<Key, std::unique_ptr<uint8_t[]>>;
  Map::const_iterator first_candidate(uint64_t off) const;

  Map segs_;
  uint32_t max_len_ = 0;  // longest segment stored: bounds the backward search
  uint64_t memuse_ = 0;
};

}  // namespace pasban::stream
