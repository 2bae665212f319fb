// Per-worker detection: prefilter the packet against its protocol group,
// evaluate candidates in rule order, run post-match actions and
// thresholds, and produce the packet's alerts and verdict.
#pragma once
#include <memory>
#include <optional>
#include <vector>

#include "core/counters.h"
#include "decode/packet.h"
#include "detect/build/rule_set.h"
#include "detect/eval/inspect.h"
#include "detect/threshold/threshold_config.h"
#include "detect/threshold/threshold_state.h"
#include "mpm/mpm.h"

namespace pasban::detect::eval {

struct Alert {
  const Rule* rule = nullptr;
  Action action = Action::kAlert;  // after rate_filter
  bool blocked = false;            // IPS mode and the action drops
};

struct DetectOptions {
  bool ips = false;              // --simulate-ips / inline
  uint32_t alert_max = 15;       // packet-alert-max
  uint32_t recursion_limit = 3000;
  size_t threshold_memcap_entries = 1 << 20;
};

class Detector {
 public:
  Detector(std::shared_ptr<const build::RuleSet> rules, DetectOptions options,
           core::Counters& counters, const threshold::ThresholdConfig* global_thresholds);
  ~Detector();
  Detector(const Detector&) = delete;
  Detector& operator=(const Detector&) = delete;

  // Fills alerts (cleared first) in output order; returns true when the
  // packet is to be dropped (IPS).
  bool inspect(decode::Packet& p, std::vector<Alert>& alerts);
  const build::RuleSet& rules() const { return *rules_; }

 private:
  bool rule_matches(const Rule& r, const decode::Packet& p);
  bool header_matches(const Rule& r, const decode::Packet& p) const;
  // Thresholds, suppressions and rate filters for rule idx. Returns the
  // verdict; action may be changed by a rate_filter.
  threshold::Decision::Verdict apply_thresholds(uint32_t idx, const Rule& r,
                                                const decode::Packet& p, Action& action);
  void bind_global_thresholds();

  std::shared_ptr<const build::RuleSet> rules_;
  DetectOptions options_;
  core::Counters& counters_;
  const threshold::ThresholdConfig* global_thresholds_;
  threshold::ThresholdTracker tracker_;
  mpm::Scratch scratch_;
  InspectScratch inspect_;
  std::vector<uint32_t> candidates_;
  std::vector<uint32_t> ip_only_candidates_;
  // Per rule (by index): the threshold in force (the rule's own or one
  // from threshold.config), suppressions and rate filters.
  struct RuleThresholds {
    std::optional<threshold::ThresholdSpec> threshold;
    std::vector<const threshold::SuppressSpec*> suppress;
    std::vector<threshold::ThresholdSpec> rate_filters;
  };
  std::vector<RuleThresholds> rule_thresholds_;
  core::Counters::Id c_alerts_, c_overflow_, c_dropped_;
};

}  // namespace pasban::detect::eval
