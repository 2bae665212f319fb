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
#include "detect/eval/shared_state.h"
#include "detect/threshold/threshold_config.h"
#include "detect/threshold/threshold_state.h"
#include "detect/var_names.h"
#include "flow/host_table.h"
#include "app/app_layer.h"
#include "mpm/mpm.h"
#include "stream/raw_stream.h"

namespace pasban::detect::eval {

struct Alert {
  const Rule* rule = nullptr;
  const app::Transaction* tx = nullptr;  // transaction rules: the tx that matched
  Action action = Action::kAlert;  // after rate_filter
  bool blocked = false;            // IPS mode and the action drops
  // Matched on the raw stream, not the packet: the stream data inspected
  // (gaps rendered as "[N bytes missing]") is logged as the payload.
  bool stream = false;
  std::shared_ptr<const std::string> stream_payload;
};

// What detection decided for one packet, beyond its alerts: the inline
// verdict (Suricata's packet action) and the rule that caused a drop.
struct PacketVerdict {
  bool drop = false;
  bool flow_drop = false;       // the drop applies to the rest of the flow
  bool pass = false;            // a pass rule matched this packet
  bool by_threshold = false;    // a rate_filter made the match a drop
  Action reject = Action::kAlert;  // kReject/kRejectSrc/Dst/Both when rejecting
  std::optional<Alert> drop_alert;  // first match that dropped (also noalert ones)
  bool rejects() const { return reject != Action::kAlert; }
};

struct DetectOptions {
  bool ips = false;              // --simulate-ips / inline
  uint32_t alert_max = 15;       // packet-alert-max
  uint32_t recursion_limit = 3000;
  size_t threshold_memcap_entries = 1 << 20;
  flow::HostTableConfig hosts;  // hostbits / xbits tables
};

class Detector {
 public:
  // shared: the hostbits / xbits / host and rule thresholds of a pool of
  // workers (null: the detector keeps its own).
  Detector(std::shared_ptr<const build::RuleSet> rules, DetectOptions options,
           core::Counters& counters, const threshold::ThresholdConfig* global_thresholds,
           SharedDetectState* shared = nullptr);
  // How a worker of a pool waits for its turn before touching shared state.
  void set_turn_wait(TurnWait* turn) { turn_ = turn; }
  ~Detector();
  Detector(const Detector&) = delete;
  Detector& operator=(const Detector&) = delete;

  // Fills alerts (cleared first) in output order; returns true when the
  // packet is to be dropped (IPS). Starts a new packet verdict.
  bool inspect(decode::Packet& p, std::vector<Alert>& alerts);
  // The verdict of the packet being inspected (inspect(), then the
  // transaction and raw stream passes add to it); reset_verdict() starts
  // one for a packet that skips inspect() (flow-end pseudo packets).
  const PacketVerdict& verdict() const { return verdict_; }
  void reset_verdict() { verdict_ = PacketVerdict{}; }
  // Transaction rules: inspects the flow's transactions whose request or
  // response side is newly complete (all sides when flow_end), appending
  // alerts. p is the packet that completed them (or a pseudo packet built
  // from the flow at its end, in the direction of the side inspected).
  // sides limits which transaction sides may be inspected (bit 0 request,
  // bit 1 response), so a flow's end can be inspected once per direction.
  void inspect_transactions(decode::Packet& p, std::vector<Alert>& alerts, bool flow_end,
                            uint8_t sides = 3);
  // Raw stream rules (tcp-stream, flow:only_stream, and plain tcp rules
  // on payload) over the pending raw stream of p's direction; appends
  // alerts in rule order. The caller then consumes the stream.
  void inspect_stream(decode::Packet& p, const stream::RawStream& raw, std::vector<Alert>& alerts);
  // True when the rule set has rules that inspect the raw stream.
  bool has_stream_rules() const { return !stream_rules_.empty(); }
  const build::RuleSet& rules() const { return *rules_; }
  // Rule reload (rule_swap.cc), between two packets: from the next packet
  // on, inspection uses `rules` and `global_thresholds` (the caller keeps
  // both alive as long as the detector uses them). Returns, for each old
  // rule index, the index of the rule with the same gid and sid in the new
  // set (kGoneRule when it has none), for remap_flow_rule_state.
  static constexpr uint32_t kGoneRule = threshold::ThresholdTracker::kGoneRule;
  std::vector<uint32_t> swap_rules(std::shared_ptr<const build::RuleSet> rules,
                                   const threshold::ThresholdConfig* global_thresholds);
  // pktvars captured for the packet last inspected (cleared per packet);
  // the vector lives as long as the detector.
  const std::vector<PktVar>& pktvars() const { return pktvars_; }

 private:
  bool rule_matches(const Rule& r, const decode::Packet& p, const app::Transaction* tx = nullptr);
  bool inspect_app_list(const BufferList& list, const app::Transaction& tx, uint8_t file_dirs);
  enum class MatchOutcome { kContinue, kStop };
  // After rule idx matched: thresholds, flowbits, pass/drop and the alert.
  MatchOutcome on_match(uint32_t idx, const Rule& r, decode::Packet& p, const app::Transaction* tx,
                        std::vector<Alert>& alerts, bool& drop);
  void inspect_side(decode::Packet& p, app::AppProto proto, app::Transaction& tx,
                    uint8_t new_sides, uint8_t done_sides, std::vector<Alert>& alerts);
  bool header_matches(const Rule& r, const decode::Packet& p) const;
  // Thresholds, suppressions and rate filters for rule idx. Returns the
  // verdict; action may be changed by a rate_filter.
  threshold::Decision::Verdict apply_thresholds(uint32_t idx, const Rule& r,
                                                const decode::Packet& p, Action& action,
                                                bool& rate_modified);
  void bind_global_thresholds();
  // Per-rule tables and scratch for rules_ (construction and reload).
  void adopt_rules();

  std::shared_ptr<const build::RuleSet> rules_;
  DetectOptions options_;
  core::Counters& counters_;
  const threshold::ThresholdConfig* global_thresholds_;
  // Thresholds tracked by_flow: per worker, as a worker owns its flows.
  threshold::ThresholdTracker tracker_;
  // Decides a threshold spec in the tracker it belongs to.
  threshold::Decision check_threshold(const threshold::ThresholdSpec& spec, uint32_t idx,
                                      const decode::Packet& p, uint64_t flow_key);
  mpm::Scratch scratch_;
  InspectScratch inspect_;
  std::vector<uint32_t> candidates_;
  std::vector<uint32_t> ip_only_candidates_;
  // Rule indexes that inspect the raw stream (sorted), and a per-rule flag.
  std::vector<uint32_t> stream_rules_;
  std::vector<uint8_t> is_stream_rule_;  // 1 stream and packet, 2 stream only
  void classify_stream_rules();

  // Per rule (by index): the threshold in force (the rule's own or one
  // from threshold.config), suppressions and rate filters.
  struct RuleThresholds {
    std::optional<threshold::ThresholdSpec> threshold;
    std::vector<const threshold::SuppressSpec*> suppress;
    std::vector<threshold::ThresholdSpec> rate_filters;
  };
  std::vector<RuleThresholds> rule_thresholds_;
  // hostbits, xbits and the other thresholds: shared_, owned or the pool's.
  std::unique_ptr<SharedDetectState> own_shared_;
  SharedDetectState* shared_ = nullptr;
  TurnWait* turn_ = nullptr;
  // pktvars captured for the packet being inspected.
  std::vector<PktVar> pktvars_;
  // Stores the rule's pending pcre captures (flowvars, pktvars).
  void commit_captures(flow::Flow* f);
  PacketVerdict verdict_;
  // Records a match's action in verdict_ (drop/reject/pass, flow scope).
  void apply_action(const Rule& r, Action action, bool by_threshold, decode::Packet& p,
                    const app::Transaction* tx);
  core::Counters::Id c_alerts_, c_overflow_;
};

// After Detector::swap_rules: renumbers the flow's per-rule state (rules a
// transaction already matched, raw-stream rules that matched a packet) with
// old_to_new; entries of rules gone from the new set are dropped.
void remap_flow_rule_state(flow::Flow& f, const std::vector<uint32_t>& old_to_new);

}  // namespace pasban::detect::eval
