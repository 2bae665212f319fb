#include "detect/threshold/threshold_state.h"

#include <limits>

namespace pasban::detect::threshold {

namespace {
constexpr int64_t kUsec = 1000000;

bool in_window(int64_t start_usec, uint32_t seconds, core::Timestamp ts) {
  return ts.as_usec() <= start_usec + int64_t(seconds) * kUsec;
}
}  // namespace

ThresholdTracker::ThresholdTracker(size_t max_entries, core::Counters* counters)
    : max_entries_(max_entries), counters_(counters) {
  if (counters_) memcap_id_ = counters_->id(kMemcapCounter);
}

ThresholdTracker::Key ThresholdTracker::make_key(const ThresholdSpec& spec, uint32_t rule_key,
                                                 const core::IpAddress& src, const core::IpAddress& dst,
                                                 uint64_t flow_key) {
  Key k;
  k.rule_key = rule_key;
  k.track = spec.track;
  k.type = spec.type;
  switch (spec.track) {
    case ThresholdSpec::kBySrc: k.a = src; break;
    case ThresholdSpec::kByDst: k.a = dst; break;
    case ThresholdSpec::kByBoth:
      // Both directions between two hosts are one pair.
      k.a = src < dst ? src : dst;
      k.b = src < dst ? dst : src;
      break;
    case ThresholdSpec::kByFlow: k.flow = flow_key; break;
    case ThresholdSpec::kByRule: break;
  }
  return k;
}

bool ThresholdTracker::expired(const Entry& e, core::Timestamp now) {
  if (e.no_window) return false;
  if (e.rate_active && now.sec - e.rate_since_sec <= int64_t(e.rate_timeout)) return false;
  return !in_window(e.window_start_usec, e.seconds, now);
}

Decision ThresholdTracker::decide(const ThresholdSpec& spec, Entry* e, Entry& fresh, bool& store,
                                  core::Timestamp ts) {
  const uint32_t c = spec.count;
  Decision d;
  store = false;
  if (!e) {
    fresh.window_start_usec = ts.as_usec();
    fresh.count = 1;
    fresh.seconds = spec.seconds;
    store = true;
  }
  auto restart = [&] {
    e->window_start_usec = ts.as_usec();
    e->count = 1;
  };
  switch (spec.type) {
    case ThresholdSpec::kLimit:
      if (!e) return {Decision::kAlert};
      if (!in_window(e->window_start_usec, spec.seconds, ts)) {
        restart();
        return {Decision::kAlert};
      }
      ++e->count;
      return {e->count <= c ? Decision::kAlert : Decision::kSilent};

    case ThresholdSpec::kThreshold:
      if (!e) {
        if (c == 1) {
          store = false;  // every match alerts: nothing to count
          return {Decision::kAlert};
        }
        return {Decision::kNoMatch};
      }
      if (!in_window(e->window_start_usec, spec.seconds, ts)) {
        restart();
        return {Decision::kNoMatch};
      }
      if (++e->count >= c) {
        e->count = 0;
        return {Decision::kAlert};
      }
      return {Decision::kNoMatch};

    case ThresholdSpec::kBoth:
      if (!e) return {c == 1 ? Decision::kAlert : Decision::kNoMatch};
      if (!in_window(e->window_start_usec, spec.seconds, ts)) {
        restart();
        return {c == 1 ? Decision::kAlert : Decision::kNoMatch};
      }
      ++e->count;
      if (e->count == c) return {Decision::kAlert};
      return {e->count > c ? Decision::kSilent : Decision::kNoMatch};

    case ThresholdSpec::kBackoff: {
      if (!e) {
        fresh.no_window = true;
        fresh.next_alert = c;
        if (c != 1) return {Decision::kNoMatch};
        e = &fresh;
      } else if (e->count < std::numeric_limits<uint32_t>::max()) {
        ++e->count;
      }
      if (e->count != e->next_alert) return {Decision::kSilent};
      // Past uint32 the next alert never comes, as in Suricata.
      uint64_t next = uint64_t(e->next_alert) * spec.multiplier;
      e->next_alert = next > std::numeric_limits<uint32_t>::max() ? 0 : uint32_t(next);
      return {Decision::kAlert};
    }

    case ThresholdSpec::kDetectionFilter:
      if (!e) return {Decision::kNoMatch};
      if (!in_window(e->window_start_usec, spec.seconds, ts)) {
        restart();
        return {Decision::kNoMatch};
      }
      ++e->count;
      return {e->count > c ? Decision::kAlert : Decision::kNoMatch};

    case ThresholdSpec::kRateFilter:
      d.verdict = Decision::kAlert;
      if (!e) return d;
      e->rate_timeout = spec.timeout;
      if (e->rate_active) {
        // This match only ends the timeout; it does not count (Suricata).
        if (ts.sec - e->rate_since_sec > int64_t(spec.timeout)) {
          e->rate_active = false;
        } else {
          d.new_action = spec.new_action;
        }
        return d;
      }
      if (!in_window(e->window_start_usec, spec.seconds, ts)) {
        restart();
        return d;
      }
      if (++e->count > c) {
        e->rate_active = true;
        e->rate_since_sec = ts.sec;
        d.new_action = spec.new_action;
      }
      return d;
  }
  return d;
}

Decision ThresholdTracker::check(const ThresholdSpec& spec, uint32_t rule_key, const core::IpAddress& src,
                                 const core::IpAddress& dst, uint64_t flow_key, core::Timestamp ts) {
  Key key = make_key(spec, rule_key, src, dst, flow_key);
  auto it = table_.find(key);
  Entry fresh;
  bool store = false;
  Decision d = decide(spec, it == table_.end() ? nullptr : &it->second, fresh, store, ts);
  if (!store) return d;
  if (table_.size() >= max_entries_ && ts.sec > last_sweep_sec_) {
    last_sweep_sec_ = ts.sec;
    expire(ts);
  }
  if (table_.size() >= max_entries_) {
    // Not tracked: this key is decided as a first match every time.
    ++memcap_hits_;
    if (counters_) counters_->add(memcap_id_);
    return d;
  }
  table_.emplace(key, fresh);
  if (key.track == ThresholdSpec::kByFlow) ++flow_entries_;
  return d;
}

size_t ThresholdTracker::expire(core::Timestamp now) {
  size_t before = table_.size();
  absl::erase_if(table_, [&](const auto& kv) {
    if (!expired(kv.second, now)) return false;
    if (kv.first.track == ThresholdSpec::kByFlow) --flow_entries_;
    return true;
  });
  return before - table_.size();
}

void ThresholdTracker::forget_flow(uint64_t flow_key) {
  if (flow_entries_ == 0) return;
  absl::erase_if(table_, [&](const auto& kv) {
    if (kv.first.track != ThresholdSpec::kByFlow || kv.first.flow != flow_key) return false;
    --flow_entries_;
    return true;
  });
}

void ThresholdTracker::remap_rules(const std::vector<uint32_t>& old_to_new) {
  absl::flat_hash_map<Key, Entry> remapped;
  remapped.reserve(table_.size());
  flow_entries_ = 0;
  for (auto& [key, entry] : table_) {
    if (key.rule_key >= old_to_new.size() || old_to_new[key.rule_key] == kGoneRule) continue;
    Key k = key;
    k.rule_key = old_to_new[key.rule_key];
    if (k.track == ThresholdSpec::kByFlow) ++flow_entries_;
    remapped.emplace(k, entry);
  }
  table_ = std::move(remapped);
}

}  // namespace pasban::detect::threshold
