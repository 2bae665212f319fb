#include "defrag/defrag.h"

#include <algorithm>

#include "core/bytes.h"

namespace pasban::defrag {

namespace {

constexpr size_t kIpv4MinHeader = 20;
constexpr size_t kIpv6Header = 40;
constexpr size_t kMaxIpLength = 65535;  // the 16-bit length fields
constexpr uint8_t kIpProtoFragment = 44;
// What a tracker costs the memcap besides its fragments.
constexpr size_t kTrackerCost = 256;
// Idle trackers are looked for at most once a second of packet time.
constexpr int64_t kSweepIntervalSec = 1;

void store_be16(uint8_t* p, uint16_t v) {
  p[0] = uint8_t(v >> 8);
  p[1] = uint8_t(v);
}

// RFC 1624 equation 3: the checksum after one 16-bit word changes.
uint16_t checksum_update(uint16_t sum, uint16_t old_word, uint16_t new_word) {
  uint32_t s = uint32_t(uint16_t(~sum)) + uint16_t(~old_word) + new_word;
  s = (s & 0xffff) + (s >> 16);
  s = (s & 0xffff) + (s >> 16);
  return uint16_t(~s);
}

TrackerKey key_of(const decode::Packet& p) {
  TrackerKey k;
  k.src = p.src;
  k.dst = p.dst;
  k.id = p.frag_id;
  // Suricata keys IPv6 fragments by the fragment header itself: the next
  // header of later fragments is not compared (RFC 8200 lets it differ).
  k.proto = p.ip_version == 6 ? kIpProtoFragment : p.ip_proto;
  for (int i = 0; i < p.vlan_count && i < decode::Packet::kMaxVlans; ++i) k.vlan[i] = p.vlan_id[i];
  return k;
}

}  // namespace

Defragmenter::Defragmenter(DefragConfig config, core::Counters& counters)
    : config_(std::move(config)), counters_(counters) {
  c_v4_frags_ = counters_.id("defrag.ipv4.fragments");
  c_v4_reassembled_ = counters_.id("defrag.ipv4.reassembled");
  c_v4_timeouts_ = counters_.id("defrag.ipv4.timeouts");
  c_v6_frags_ = counters_.id("defrag.ipv6.fragments");
  c_v6_reassembled_ = counters_.id("defrag.ipv6.reassembled");
  c_v6_timeouts_ = counters_.id("defrag.ipv6.timeouts");
  c_max_trackers_ = counters_.id("defrag.max_trackers_reached");
  c_max_frags_ = counters_.id("defrag.max_frags_reached");
  c_hard_reuse_ = counters_.id("defrag.tracker_hard_reuse");
  c_soft_reuse_ = counters_.id("defrag.tracker_soft_reuse");
  c_wrk_timeout_ = counters_.id("defrag.wrk.tracker_timeout");
  c_mgr_timeout_ = counters_.id("defrag.mgr.tracker_timeout");
  c_memuse_ = counters_.id("defrag.memuse");
  c_memcap_ = counters_.id("pasban.defrag.memcap");
}

void Defragmenter::drop(absl::flat_hash_map<TrackerKey, std::unique_ptr<Tracker>>::iterator it) {
  const Tracker& t = *it->second;
  memuse_ -= kTrackerCost + t.frags.bytes();
  frag_count_ -= t.frags.size();
  lru_.erase(t.lru);
  table_.erase(it);
  counters_.set(c_memuse_, memuse_);
}

void Defragmenter::expire(core::Timestamp now) {
  if (now.sec - last_sweep_ < kSweepIntervalSec) return;
  last_sweep_ = now.sec;
  for (auto it = table_.begin(); it != table_.end();) {
    auto cur = it++;
    if (cur->second->expires_at >= now.sec) continue;
    counters_.add(c_mgr_timeout_);
    counters_.add(cur->second->v6 ? c_v6_timeouts_ : c_v4_timeouts_);
    drop(cur);
  }
}

// Evicts the least recently used trackers until bytes more fit under the
// memcap. False when even a table holding only `keep` leaves no room (then
// nothing is evicted for it).
bool Defragmenter::make_room(size_t bytes, const Tracker* keep) {
  const uint64_t kept = keep ? kTrackerCost + keep->frags.bytes() : 0;
  if (bytes + kept > config_.memcap) return false;
  while (memuse_ + bytes > config_.memcap && !lru_.empty() && lru_.front() != keep) {
    counters_.add(c_hard_reuse_);
    drop(table_.find(lru_.front()->key));
  }
  return memuse_ + bytes <= config_.memcap;
}

Defragmenter::Tracker* Defragmenter::find_or_create(const TrackerKey& key,
                                                    const decode::Packet& p) {
  if (auto it = table_.find(key); it != table_.end()) {
    if (it->second->expires_at >= p.ts.sec) return it->second.get();
    // Timed out before the sweep saw it: start over.
    counters_.add(c_wrk_timeout_);
    counters_.add(it->second->v6 ? c_v6_timeouts_ : c_v4_timeouts_);
    drop(it);
  }
  if (!make_room(kTrackerCost)) return nullptr;
  auto t = std::make_unique<Tracker>();
  t->v6 = p.ip_version == 6;
  const Policy* pol = config_.policies.lookup(p.dst);
  t->policy = pol ? *pol : config_.default_policy;
  const uint32_t* tmo = config_.host_timeouts.lookup(p.dst);
  t->timeout_s = tmo ? *tmo : config_.timeout_s;
  t->key = key;
  t->lru = lru_.insert(lru_.end(), t.get());
  memuse_ += kTrackerCost;
  Tracker* raw = t.get();
  table_.emplace(key, std::move(t));
  return raw;
}

std::optional<Rebuilt> Defragmenter::insert(decode::Packet& p) {
  const bool v6 = p.ip_version == 6;
  if (!p.is_fragment || (!v6 && p.ip_version != 4)) return std::nullopt;
  counters_.add(v6 ? c_v6_frags_ : c_v4_frags_);
  expire(p.ts);

  const uint32_t offset = p.frag_offset;
  const bool more = (p.frag_bits & 0x1) != 0;
  const core::Bytes data = p.l3_payload;
  // A fragment reaching past the largest datagram is never stored.
  const size_t reach = (v6 ? 0 : kIpv4MinHeader) + offset + data.size();
  if (reach > kMaxIpLength) {
    p.add_event(v6 ? decode::Event::kIpv6FragPktTooLarge : decode::Event::kIpv4FragPktTooLarge);
    return std::nullopt;
  }

  Tracker* t = find_or_create(key_of(p), p);
  if (!t) {
    counters_.add(c_max_trackers_);
    return std::nullopt;
  }
  t->expires_at = p.ts.sec + t->timeout_s;
  lru_.splice(lru_.end(), lru_, t->lru);  // now the most recently used

  // The first fragment brings the frame up to its fragmentable part.
  const size_t ip_offset = size_t(p.ip_header.data() - p.frame.data());
  core::Bytes header;
  if (offset == 0) {
    const size_t head_len = v6 ? p.frag_hdr_offset : p.ip_header.size();
    header_buf_.assign(p.frame.begin(), p.frame.begin() + ptrdiff_t(ip_offset + head_len));
    // IPv6: unlink the fragment header; what named it now names what it
    // carried (RFC 8200 section 4.5).
    if (v6 && ip_offset + p.frag_prev_nh_offset < header_buf_.size())
      header_buf_[ip_offset + p.frag_prev_nh_offset] = p.frag_next_header;
    header = core::Bytes(header_buf_.data(), header_buf_.size());
  }
  const decode::Event ignored =
      v6 ? decode::Event::kIpv6FragIgnored : decode::Event::kIpv4FragIgnored;
  const bool over_frags = frag_count_ >= config_.max_frags;
  // t is the most recently used tracker now: older ones make room first.
  if (over_frags || !make_room(data.size() + header.size(), t)) {
    counters_.add(over_frags ? c_max_frags_ : c_memcap_);
    p.add_event(ignored);
    if (t->frags.empty()) drop(table_.find(key_of(p)));  // nothing to keep it for
    return std::nullopt;
  }

  const size_t bytes_before = t->frags.bytes(), count_before = t->frags.size();
  const InsertResult r =
      t->frags.insert(t->policy, offset, more, data, header, uint32_t(ip_offset));
  memuse_ = memuse_ - bytes_before + t->frags.bytes();
  frag_count_ = frag_count_ - count_before + t->frags.size();
  counters_.set(c_memuse_, memuse_);
  if (r.overlap)
    p.add_event(v6 ? decode::Event::kIpv6FragOverlap : decode::Event::kIpv4FragOverlap);
  if (r.stored && offset == 0) t->linktype = p.linktype;
  if (!t->frags.complete()) return std::nullopt;

  auto it = table_.find(key_of(p));
  const bool ok = build(*t);
  drop(it);
  if (!ok) {
    p.add_event(ignored);
    return std::nullopt;
  }
  counters_.add(v6 ? c_v6_reassembled_ : c_v4_reassembled_);
  return rebuilt_;
}

bool Defragmenter::build(const Tracker& t) {
  const Fragment* head = t.frags.reassemble(payload_);
  if (!head) return false;
  const size_t ip_offset = head->header_ip_offset;
  const size_t head_len = head->header.size() - ip_offset;  // IP header (+ unfragmentable part)
  if (head->header.size() < ip_offset + (t.v6 ? kIpv6Header : kIpv4MinHeader)) return false;
  const size_t ip_total = head_len + payload_.size();
  if ((t.v6 ? ip_total - kIpv6Header : ip_total) > kMaxIpLength) return false;

  frame_.assign(head->header.begin(), head->header.end());
  frame_.insert(frame_.end(), payload_.begin(), payload_.end());
  uint8_t* ip = frame_.data() + ip_offset;
  if (t.v6) {
    store_be16(ip + 4, uint16_t(ip_total - kIpv6Header));
  } else {
    // Total length and flags/offset change; the checksum follows them.
    uint16_t sum = core::load_be16(ip + 10);
    sum = checksum_update(sum, core::load_be16(ip + 2), uint16_t(ip_total));
    sum = checksum_update(sum, core::load_be16(ip + 6), 0);
    store_be16(ip + 2, uint16_t(ip_total));
    store_be16(ip + 6, 0);
    store_be16(ip + 10, sum);
  }
  rebuilt_ = Rebuilt{core::Bytes(frame_.data(), frame_.size()), ip_offset, uint8_t(t.v6 ? 6 : 4),
                     t.linktype};
  return true;
}

}  // namespace pasban::defrag
