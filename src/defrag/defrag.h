// IP defragmentation (RFC 791 section 3.2, RFC 8200 section 4.5) with
// Suricata's semantics: fragments are tracked per (family, source,
// destination, id, protocol, VLANs); a datagram is rebuilt when its last
// fragment has been seen and nothing is missing, with the overlap policy
// of its destination (host-os-policy). The rebuilt frame keeps the first
// fragment's link layer and IP header, so it decodes and logs like a
// captured one. Every limit is counted:
//   defrag.ipv4.fragments / reassembled / timeouts (and ipv6.*),
//   defrag.max_trackers_reached (memcap left no room for a tracker),
//   defrag.max_frags_reached (max-frags fragments already held),
//   defrag.tracker_hard_reuse (a live tracker evicted for a new one),
//   defrag.wrk.tracker_timeout / defrag.mgr.tracker_timeout, defrag.memuse,
//   pasban.defrag.memcap (a fragment refused by the memcap).
#pragma once
#include <absl/container/flat_hash_map.h>

#include <array>
#include <cstdint>
#include <list>
#include <memory>
#include <optional>
#include <vector>

#include "core/counters.h"
#include "core/ip_address.h"
#include "core/timestamp.h"
#include "decode/packet.h"
#include "defrag/address_table.h"
#include "defrag/fragment_list.h"
#include "defrag/policy.h"

namespace pasban::defrag {

struct DefragConfig {
  uint64_t memcap = 32ull << 20;  // defrag.memcap
  uint32_t max_frags = 65535;     // defrag.max-frags: fragments held at once
  uint32_t timeout_s = 60;        // defrag.timeout
  Policy default_policy = kDefaultPolicy;
  AddressTable<Policy> policies;         // host-os-policy, by destination
  AddressTable<uint32_t> host_timeouts;  // defrag.host-config timeouts, by destination
};

// A datagram rebuilt by the last call to Defragmenter::insert. The bytes
// belong to the Defragmenter and stay valid until its next insert.
struct Rebuilt {
  core::Bytes frame;  // link layer of the first fragment + the rebuilt IP datagram
  size_t ip_offset;   // where the IP header starts in frame
  uint8_t ip_version;
  int linktype;       // the first fragment's link type
};

struct TrackerKey {
  core::IpAddress src, dst;
  uint32_t id = 0;
  uint8_t proto = 0;
  std::array<uint16_t, decode::Packet::kMaxVlans> vlan{};

  friend bool operator==(const TrackerKey&, const TrackerKey&) = default;
  template <typename H>
  friend H AbslHashValue(H h, const TrackerKey& k) {
    return H::combine(std::move(h), k.src, k.dst, k.id, k.proto, k.vlan);
  }
};

class Defragmenter {
 public:
  Defragmenter(DefragConfig config, core::Counters& counters);

  // p is a decoded fragment (p.is_fragment). Anomalies are added to p as
  // decoder events (frag_overlap, frag_pkt_too_large, frag_ignored). When
  // p completes a datagram, returns it and forgets its tracker.
  std::optional<Rebuilt> insert(decode::Packet& p);
  // Drops trackers idle past their timeout at packet time now.
  void expire(core::Timestamp now);
  size_t trackers() const { return table_.size(); }
  size_t fragments() const { return frag_count_; }
  uint64_t memuse() const { return memuse_; }

 private:
  struct Tracker {
    FragmentList frags;
    Policy policy = kDefaultPolicy;
    uint32_t timeout_s = 60;
    int64_t expires_at = 0;  // packet seconds
    int linktype = 0;
    bool v6 = false;
    TrackerKey key;                       // its entry in table_, for eviction
    std::list<Tracker*>::iterator lru;    // its place in lru_
  };
  Tracker* find_or_create(const TrackerKey& key, const decode::Packet& p);
  // Evicts least recently used trackers (never `keep`) until bytes fit.
  bool make_room(size_t bytes, const Tracker* keep = nullptr);
  void drop(absl::flat_hash_map<TrackerKey, std::unique_ptr<Tracker>>::iterator it);
  bool build(const Tracker& t);

  DefragConfig config_;
  core::Counters& counters_;
  absl::flat_hash_map<TrackerKey, std::unique_ptr<Tracker>> table_;
  // Trackers least recently given a fragment first: the memcap evicts from
  // the front in constant time (a scan for the oldest would make every
  // fragment of a flood cost a pass over the whole table).
  std::list<Tracker*> lru_;
  size_t frag_count_ = 0;
  uint64_t memuse_ = 0;
  int64_t last_sweep_ = 0;
  std::vector<uint8_t> payload_;  // scratch: the reassembled fragmentable part
  std::vector<uint8_t> frame_;    // the last rebuilt frame
  std::vector<uint8_t> header_buf_;  // scratch: a first fragment's header, patched
  Rebuilt rebuilt_{};
  core::Counters::Id c_v4_frags_, c_v4_reassembled_, c_v4_timeouts_, c_v6_frags_,
      c_v6_reassembled_, c_v6_timeouts_, c_max_trackers_, c_max_frags_, c_hard_reuse_,
      c_soft_reuse_, c_wrk_timeout_, c_mgr_timeout_, c_memuse_, c_memcap_;
};

}  // namespace pasban::defrag
