// The runtime side of thresholds: per-key counters deciding whether a rule
// match becomes an alert. Semantics follow Suricata 7/8
// (detect-engine-threshold.c):
//   limit      alert on matches 1..count of a window; later ones are silent
//   threshold  alert on every count-th match of a window (count resets)
//   both       alert on the count-th match of a window; later ones silent
//   backoff    alert on match count, count*m, count*m^2, ...; others silent
//              (the first match does nothing when count > 1)
//   detection_filter  alert on every match after the count-th in a window
//   rate_filter  always alert; past count matches in a window the action
//              becomes new_action for `timeout` seconds
// A window starts at the first match of a key and lasts `seconds`
// (inclusive, microsecond precision); a match after it starts a new one.
// "Silent" means no alert but the rule's actions (drop, flowbits...) apply;
// "no match" means neither.
//
// Keys: by_src / by_dst (one address), by_both (the unordered address pair),
// by_rule (the rule alone), by_flow (the caller's flow key); always with the
// caller's rule key. Not thread safe: one tracker per detect engine behind
// the caller's lock, as Suricata shares its table.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include <absl/container/flat_hash_map.h>

#include "core/counters.h"
#include "core/ip_address.h"
#include "core/timestamp.h"
#include "detect/threshold/threshold_spec.h"

namespace pasban::detect::threshold {

struct Decision {
  enum Verdict : uint8_t {
    kNoMatch,  // drop the match: no alert, no actions
    kAlert,    // alert (and actions)
    kSilent,   // no alert, actions still apply
  };
  Verdict verdict = kAlert;
  // rate_filter: the action to use instead of the rule's (kNoAction: keep).
  ThresholdSpec::Action new_action = ThresholdSpec::kNoAction;

  bool alert() const { return verdict == kAlert; }
  bool apply_actions() const { return verdict != kNoMatch; }
  friend bool operator==(const Decision&, const Decision&) = default;
};

class ThresholdTracker {
 public:
  static constexpr std::string_view kMemcapCounter = "pasban.detect.thresholds_memcap_hits";

  // At most `max_entries` keys are tracked. When full, expired keys are
  // swept (at most once per second of packet time); if still full the new
  // key is not stored, the match is decided as a first match, and
  // detect.thresholds.memcap_hits counts it. `counters` may be null.
  explicit ThresholdTracker(size_t max_entries, core::Counters* counters = nullptr);

  Decision check(const ThresholdSpec& spec, uint32_t rule_key, const core::IpAddress& src,
                 const core::IpAddress& dst, uint64_t flow_key, core::Timestamp ts);

  // Drops keys whose window (and rate_filter timeout) ended before `now`;
  // returns how many. backoff keys have no window and stay.
  size_t expire(core::Timestamp now);
  // Drops the by_flow keys of a flow that ended (a scan of the table, skipped
  // when no by_flow key is tracked).
  void forget_flow(uint64_t flow_key);
  // A rule reload renumbered the rules: old_to_new[k] is the new key of
  // rule key k, or kGoneRule for a rule the new set lacks (its keys are
  // dropped). Counts and windows carry over, as Suricata keeps threshold
  // state (stored by sid and gid) across a reload.
  static constexpr uint32_t kGoneRule = UINT32_MAX;
  void remap_rules(const std::vector<uint32_t>& old_to_new);

  size_t size() const { return table_.size(); }
  size_t max_entries() const { return max_entries_; }
  uint64_t memcap_hits() const { return memcap_hits_; }

 private:
  struct Key {
    uint32_t rule_key = 0;
    uint8_t track = 0;
    uint8_t type = 0;
    core::IpAddress a, b;
    uint64_t flow = 0;
    friend bool operator==(const Key&, const Key&) = default;
    template <typename H>
    friend H AbslHashValue(H h, const Key& k) {
      return H::combine(std::move(h), k.rule_key, k.track, k.type, k.a, k.b, k.flow);
    }
  };
  struct Entry {
    int64_t window_start_usec = 0;
    uint32_t count = 0;
    uint32_t seconds = 0;
    uint32_t next_alert = 0;   // backoff
    bool no_window = false;    // backoff
    bool rate_active = false;  // rate_filter new_action in force
    int64_t rate_since_sec = 0;
    uint32_t rate_timeout = 0;
  };

  static Key make_key(const ThresholdSpec& spec, uint32_t rule_key, const core::IpAddress& src,
                      const core::IpAddress& dst, uint64_t flow_key);
  static bool expired(const Entry& e, core::Timestamp now);
  // Decides for an existing entry (`e`) or a new key (`e` null; `fresh` is
  // then filled and `store` says whether to keep it).
  static Decision decide(const ThresholdSpec& spec, Entry* e, Entry& fresh, bool& store,
                         core::Timestamp ts);

  size_t max_entries_;
  core::Counters* counters_;
  core::Counters::Id memcap_id_ = 0;
  uint64_t memcap_hits_ = 0;
  int64_t last_sweep_sec_ = INT64_MIN;
  size_t flow_entries_ = 0;  // by_flow keys in table_
  absl::flat_hash_map<Key, Entry> table_;
};

}  // namespace pasban::detect::threshold
