// The fragments of one datagram and the overlap decisions between them,
// as pure logic over byte offsets (no packets, no time): what the tracker
// table and the unit tests drive. The decisions follow Suricata's defrag
// engine: an arriving fragment is compared with the held fragments from
// the one before its offset onwards; the policy either drops it, trims its
// front (ltrim), or trims / discards a held fragment. Reassembly then
// copies the survivors in offset order, later copies overwriting earlier
// ones, which settles whatever overlap the trimming left.
#pragma once
#include <cstdint>
#include <vector>

#include "core/bytes.h"
#include "defrag/policy.h"

namespace pasban::defrag {

struct Fragment {
  uint32_t offset = 0;  // where data[0] belongs in the fragmentable part
  uint32_t ltrim = 0;   // leading bytes of data a later fragment took over
  bool more_frags = false;
  bool skip = false;    // superseded entirely (removed at once)
  std::vector<uint8_t> data;
  // For a fragment that arrived at offset 0: the frame up to the
  // fragmentable part (link layer, IP header, IPv6 unfragmentable headers).
  std::vector<uint8_t> header;
  uint32_t header_ip_offset = 0;  // where the IP header starts in header
  uint32_t len() const { return uint32_t(data.size()); }
};

struct InsertResult {
  bool overlap = false;  // the new fragment overlapped data already held
  bool stored = false;   // false when the policy left none of its bytes
};

class FragmentList {
 public:
  // Applies policy between the new fragment [offset, offset + data.size())
  // and the held ones, then stores what is left of it. header (with the IP
  // header at header_ip_offset) is kept only when the fragment is stored at
  // offset 0.
  InsertResult insert(Policy policy, uint32_t offset, bool more_frags, core::Bytes data,
                      core::Bytes header = {}, uint32_t header_ip_offset = 0);

  // The last fragment has been stored, the first one is held and nothing
  // is missing in between.
  bool complete() const;

  // Writes the reassembled fragmentable part to out and returns the first
  // fragment (whose header the datagram keeps), or nullptr when there is
  // none to rebuild from.
  const Fragment* reassemble(std::vector<uint8_t>& out) const;

  size_t size() const { return frags_.size(); }
  bool empty() const { return frags_.empty(); }
  // Bytes held (data and headers), for the memcap.
  size_t bytes() const { return bytes_; }
  const std::vector<Fragment>& fragments() const { return frags_; }

 private:
  std::vector<Fragment> frags_;  // by offset; equal offsets in arrival order
  size_t bytes_ = 0;
  bool seen_last_ = false;
};

}  // namespace pasban::defrag
