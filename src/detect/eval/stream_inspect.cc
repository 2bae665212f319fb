// Raw stream inspection: rules on the reassembled bytes of a TCP
// direction rather than on single packets, as Suricata's stream payload
// inspection does. A content split over several segments is seen here.
#include <algorithm>

#include "detect/eval/detector.h"

namespace pasban::detect::eval {

void Detector::classify_stream_rules() {
  const auto& rules = rules_->rules();
  is_stream_rule_.assign(rules.size(), 0);
  stream_rules_.clear();
  for (uint32_t i = 0; i < rules.size(); ++i) {
    const Rule& r = rules[i];
    if (r.is_app_rule()) continue;
    bool payload = false;
    for (const auto& l : r.buffers)
      if (!l.is_app && l.id == BufferId::kPayload) payload = true;
    if (!payload) continue;
    const bool only = r.proto == Proto::kTcpStream || (r.flow && r.flow->only_stream);
    // Plain tcp rules on payload inspect the stream too, unless they need
    // the packet itself (tcp-pkt, dsize, flow:no_stream), as in Suricata.
    // They also keep matching single packets (so the alert comes with the
    // packet that carried the content); the stream catches what no single
    // packet showed.
    bool packet_only = r.proto != Proto::kTcp || (r.flow && r.flow->no_stream);
    for (const auto& m : r.packet)
      if (const auto* fc = std::get_if<keywords::FieldCmp>(&m))
        if (fc->field == keywords::Field::kDsize) packet_only = true;
    if (!only && packet_only) continue;
    is_stream_rule_[i] = only ? 2 : 1;
    stream_rules_.push_back(i);
  }
}

void Detector::inspect_stream(decode::Packet& p, const stream::RawStream& raw,
                              std::vector<Alert>& alerts) {
  if (stream_rules_.empty() || raw.empty()) return;
  flow::Flow* f = p.flow;
  if (f && f->pass) return;
  const auto& rules = rules_->rules();
  const core::Bytes all = raw.data();
  // Candidates: prefilter hits in any block, plus stream rules without a
  // prefilter pattern.
  candidates_.clear();
  const auto& group = rules_->group(build::ProtoClass::kTcp);
  for (const auto& b : raw.blocks()) {
    core::Bytes blk = all.subspan(b.begin, b.end - b.begin);
    if (group.db) mpm::scan(*group.db, scratch_, blk, [&](uint32_t id) {
      if (is_stream_rule_[id]) candidates_.push_back(id);
    });
  }
  for (uint32_t id : group.no_pattern)
    if (is_stream_rule_[id]) candidates_.push_back(id);
  if (candidates_.empty()) return;
  std::sort(candidates_.begin(), candidates_.end());
  candidates_.erase(std::unique(candidates_.begin(), candidates_.end()), candidates_.end());

  decode::Packet sp = p;
  std::shared_ptr<const std::string> rendered;
  const size_t before = alerts.size();
  bool drop = false;
  for (uint32_t idx : candidates_) {
    const Rule& r = rules[idx];
    if (is_stream_rule_[idx] == 1 &&
        std::find(raw.packet_matched.begin(), raw.packet_matched.end(), idx) != raw.packet_matched.end())
      continue;
    bool hit = false;
    for (const auto& b : raw.blocks()) {
      sp.payload = all.subspan(b.begin, b.end - b.begin);
      if (!rule_matches(r, sp)) continue;
      // The first block may start with bytes inspected last time (kept
      // so a pattern across the chunk border is seen); a match found in
      // those bytes alone was reported already.
      if (b.begin == 0 && raw.inspected() > 0) {
        sp.payload = all.subspan(0, std::min(raw.inspected(), b.end));
        if (rule_matches(r, sp)) continue;
      }
      hit = true;
      break;
    }
    if (!hit) continue;
    const size_t n = alerts.size();
    if (on_match(idx, r, p, nullptr, alerts, drop) == MatchOutcome::kStop) break;
    if (alerts.size() > n) {
      if (!rendered) rendered = std::make_shared<const std::string>(raw.render());
      alerts.back().stream = true;
      alerts.back().stream_payload = rendered;
    }
  }
  if (alerts.size() > before)
    std::stable_sort(alerts.begin(), alerts.end(),
                     [](const Alert& a, const Alert& b) { return a.rule < b.rule; });
}

}  // namespace pasban::detect::eval
