// Rule reload on the packet side. A packet is inspected by exactly one
// rule set: the swap happens between packets, on the thread that owns the
// detector. State that outlives the swap:
//   - flowbits, flowints, flowvars, hostbits, xbits: stored by variable id;
//     the new set was built with the old set's names as seed
//     (RuleSetOptions::seed_names), so ids are unchanged.
//   - per-rule state keyed by rule index (transactions' matched rules,
//     raw-stream packet matches, threshold counters): remapped by gid+sid,
//     so a rule that matched a transaction before the reload does not
//     inspect it again after it (no double alert), and a threshold keeps
//     counting. Entries of removed rules are dropped. A rule new in the
//     set inspects only what is still to be inspected: transactions whose
//     sides were already inspected are not revisited.
#include <unordered_map>

#include "detect/eval/detector.h"
#include "flow/flow.h"

namespace pasban::detect::eval {
namespace {

uint64_t rule_key(const Rule& r) { return uint64_t(r.gid) << 32 | r.sid; }

// Renumbers a list of rule indexes in place, dropping gone rules.
void remap_list(std::vector<uint32_t>& list, const std::vector<uint32_t>& old_to_new) {
  size_t out = 0;
  for (uint32_t idx : list) {
    if (idx >= old_to_new.size() || old_to_new[idx] == Detector::kGoneRule) continue;
    list[out++] = old_to_new[idx];
  }
  list.resize(out);
}

}  // namespace

void Detector::adopt_rules() {
  rule_thresholds_.clear();
  bind_global_thresholds();
  classify_stream_rules();
  // The scratch grows to fit every database it is prepared for.
  for (size_t c = 0; c < size_t(build::ProtoClass::kCount); ++c) {
    const auto& g = rules_->group(build::ProtoClass(c));
    if (g.db) (void)scratch_.prepare(*g.db);
  }
  for (size_t a = 0; a < size_t(app::AppProto::kCount); ++a)
    for (const auto& pf : rules_->app_group(app::AppProto(a)).prefilters)
      if (pf.db) (void)scratch_.prepare(*pf.db);
}

std::vector<uint32_t> Detector::swap_rules(std::shared_ptr<const build::RuleSet> rules,
                                           const threshold::ThresholdConfig* global_thresholds) {
  std::unordered_map<uint64_t, uint32_t> new_index;
  const auto& fresh = rules->rules();
  new_index.reserve(fresh.size());
  for (uint32_t i = 0; i < fresh.size(); ++i) new_index.emplace(rule_key(fresh[i]), i);
  const auto& old = rules_->rules();
  std::vector<uint32_t> old_to_new(old.size(), kGoneRule);
  for (uint32_t i = 0; i < old.size(); ++i)
    if (auto it = new_index.find(rule_key(old[i])); it != new_index.end()) old_to_new[i] = it->second;

  rules_ = std::move(rules);
  global_thresholds_ = global_thresholds;
  adopt_rules();
  tracker_.remap_rules(old_to_new);
  // Host- and rule-tracked thresholds live in the shared state: the first
  // worker to take up the new set renumbers them, once.
  {
    auto shared = shared_->enter(turn_);
    shared.remap_once(rules_.get(), old_to_new);
  }
  pktvars_.clear();
  candidates_.clear();
  ip_only_candidates_.clear();
  return old_to_new;
}

void remap_flow_rule_state(flow::Flow& f, const std::vector<uint32_t>& old_to_new) {
  app::AppFlowState* st = app::AppLayer::state_of(&f);
  if (!st) return;
  for (auto& raw : st->raw) remap_list(raw.packet_matched, old_to_new);
  if (!st->parser) return;
  const size_t n = st->parser->tx_count();
  for (size_t i = 0; i < n; ++i)
    if (app::Transaction* tx = st->parser->tx(i)) remap_list(tx->matched_rules, old_to_new);
}

}  // namespace pasban::detect::eval
