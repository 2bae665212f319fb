// Detection state that Suricata keeps per host, per IP pair or per rule
// rather than per flow: hostbits, xbits, host tags and the threshold /
// rate_filter trackers not keyed by flow. A pool of workers shares one instance so
// results match a single worker's. Shared, every access takes the mutex
// after the worker's turn came (TurnWait): accesses then happen in global
// packet order, which keeps results independent of thread timing.
// Alone (one worker), there is neither wait nor lock.
#pragma once
#include <cstddef>
#include <mutex>
#include <optional>

#include <absl/container/flat_hash_map.h>

#include <vector>

#include "core/counters.h"
#include "core/ip_address.h"
#include "flow/flow.h"
#include "detect/threshold/threshold_state.h"
#include "flow/host_table.h"

namespace pasban::detect::eval {

// Host tags (tag:host): the tags of each host and when idle ones were
// last dropped (tagging.h).
struct HostTags {
  absl::flat_hash_map<core::IpAddress, std::vector<flow::TagEntry>> hosts;
  int64_t last_sweep = 0;
};

// Blocks until every packet before the caller's current one is done
// (implemented by the worker pool).
class TurnWait {
 public:
  virtual ~TurnWait() = default;
  virtual void wait_turn() = 0;
};

class SharedDetectState {
 public:
  SharedDetectState(const flow::HostTableConfig& hosts, size_t threshold_entries,
                    core::Counters& counters, bool concurrent)
      : hosts_(hosts, counters), tracker_(threshold_entries, &counters), concurrent_(concurrent) {}
  SharedDetectState(const SharedDetectState&) = delete;
  SharedDetectState& operator=(const SharedDetectState&) = delete;

  // Holds the state for one access; the tables are reached through it.
  class Access {
   public:
    flow::HostBitTable& hosts() { return state_.hosts_; }
    threshold::ThresholdTracker& tracker() { return state_.tracker_; }
    HostTags& host_tags() { return state_.host_tags_; }
    // After a rule reload: renumbers the tracker's rules for `rules` (the
    // new set) unless a worker already did.
    void remap_once(const void* rules, const std::vector<uint32_t>& old_to_new) {
      if (state_.remapped_for_ == rules) return;
      state_.remapped_for_ = rules;
      state_.tracker_.remap_rules(old_to_new);
    }

   private:
    friend class SharedDetectState;
    explicit Access(SharedDetectState& s) : state_(s) {
      if (s.concurrent_) lock_.emplace(s.mu_);
    }
    SharedDetectState& state_;
    std::optional<std::unique_lock<std::mutex>> lock_;
  };
  Access enter(TurnWait* turn) {
    if (concurrent_ && turn) turn->wait_turn();
    return Access(*this);
  }

 private:
  flow::HostBitTable hosts_;
  threshold::ThresholdTracker tracker_;
  HostTags host_tags_;
  const void* remapped_for_ = nullptr;  // the rule set the tracker is numbered for
  bool concurrent_;
  std::mutex mu_;
};

}  // namespace pasban::detect::eval
