#include "detect/eval/detector.h"

#include <algorithm>

#include "detect/keywords/file_keywords.h"
#include "flow/flow.h"

namespace pasban::detect::eval {
namespace {

// The action after thresholds may differ from the rule's own (Rule::is_reject).
bool is_reject_action(Action a) {
  return a == Action::kReject || a == Action::kRejectSrc || a == Action::kRejectDst ||
         a == Action::kRejectBoth;
}

bool proto_matches(Proto proto, const decode::Packet& p) {
  // The IP header's protocol decides, as in Suricata: a truncated TCP
  // segment is still a TCP packet for decode-event rules.
  switch (proto) {
    case Proto::kIp: case Proto::kPkthdr: return p.ip_version != 0;
    case Proto::kIpv4: return p.ip_version == 4;
    case Proto::kIpv6: return p.ip_version == 6;
    case Proto::kTcp: case Proto::kTcpPkt: case Proto::kTcpStream: return p.ip_proto == 6;
    case Proto::kUdp: return p.ip_proto == 17;
    case Proto::kIcmp: return p.ip_proto == 1 || p.ip_proto == 58;
    case Proto::kIcmpv4: return p.ip_proto == 1;
    case Proto::kIcmpv6: return p.ip_proto == 58;
    case Proto::kSctp: return p.ip_proto == 132;
    case Proto::kTcpOrUdp: return p.ip_proto == 6 || p.ip_proto == 17;
  }
  return false;
}

// The value `index` of buffer b. File buffers come from the transaction's
// files (of the directions in file_dirs) in order: file.name, file.magic,
// and file.data (a file's content up to the inspection limit); a protocol
// without files keeps its own file.data.
bool tx_buffer(const app::Transaction& tx, app::AppBuffer b, uint32_t index, uint8_t file_dirs,
               core::Bytes& out) {
  using B = app::AppBuffer;
  if (b != B::kFileName && b != B::kFileMagic && b != B::kFileData) return tx.buffer(b, index, out);
  if (b == B::kFileData && tx.file_list.empty()) return tx.buffer(b, index, out);
  uint32_t n = 0;
  for (const auto& f : tx.file_list) {
    if (!keywords::file_dir_allowed(file_dirs, *f)) continue;
    if (b == B::kFileData && f->content().empty()) continue;
    if (n++ != index) continue;
    if (b == B::kFileName) {
      out = core::as_bytes(f->name());
    } else if (b == B::kFileMagic) {
      out = core::as_bytes(f->magic());
    } else {
      const std::string& c = f->content();
      out = core::as_bytes(std::string_view(c).substr(0, app::files::file_settings().inspect_limit));
    }
    return true;
  }
  return false;
}

}  // namespace

Detector::Detector(std::shared_ptr<const build::RuleSet> rules, DetectOptions options,
                   core::Counters& counters, const threshold::ThresholdConfig* global_thresholds,
                   SharedDetectState* shared)
    : rules_(std::move(rules)),
      options_(options),
      counters_(counters),
      global_thresholds_(global_thresholds),
      tracker_(options.threshold_memcap_entries, &counters),
      shared_(shared) {
  if (!shared_) {
    own_shared_ = std::make_unique<SharedDetectState>(options.hosts, options.threshold_memcap_entries,
                                                      counters, false);
    shared_ = own_shared_.get();
  }
  adopt_rules();
  inspect_.match_data = pcre2_match_data_create(32, nullptr);
  inspect_.step_limit = options_.recursion_limit;
  c_alerts_ = counters_.id("detect.alert");
  c_overflow_ = counters_.id("detect.alert_queue_overflow");
  candidates_.reserve(1024);
}

Detector::~Detector() { pcre2_match_data_free(inspect_.match_data); }

bool Detector::header_matches(const Rule& r, const decode::Packet& p) const {
  if (!proto_matches(r.proto, p)) return false;
  if (r.app_proto != app::AppProto::kUnknown &&
      (!p.flow || p.flow->app_proto != uint8_t(r.app_proto)))
    return false;
  const bool ports_needed = !r.src_port_any || !r.dst_port_any;
  if (ports_needed && !p.has_ports()) return false;
  if (r.transactional) {
    const flow::Flow* f = p.flow;
    if (!f) return false;
    return r.src_addr.match(f->client) && r.dst_addr.match(f->server) &&
           (!ports_needed || (r.src_port.match(f->client_port) && r.dst_port.match(f->server_port)));
  }
  auto fwd = [&] {
    return r.src_addr.match(p.src) && r.dst_addr.match(p.dst) &&
           (!ports_needed || (r.src_port.match(p.sp) && r.dst_port.match(p.dp)));
  };
  auto rev = [&] {
    return r.src_addr.match(p.dst) && r.dst_addr.match(p.src) &&
           (!ports_needed || (r.src_port.match(p.dp) && r.dst_port.match(p.sp)));
  };
  return fwd() || (r.bidirectional && rev());
}

bool Detector::inspect_app_list(const BufferList& list, const app::Transaction& tx,
                                uint8_t file_dirs) {
  // Multi-value buffers (dns.answer.name, ...) match when any value does.
  core::Bytes buf;
  if (list.absent != BufferList::Absent::kNone) {
    // absent: the buffer exists when some value of it has bytes.
    bool present = false;
    for (uint32_t index = 0; !present && tx_buffer(tx, list.app_buffer, index, file_dirs, buf); ++index)
      present = !buf.empty();
    if (!present) return true;
    if (list.absent == BufferList::Absent::kOnly) return false;
  }
  for (uint32_t index = 0; tx_buffer(tx, list.app_buffer, index, file_dirs, buf); ++index) {
    inspect_.vars = {};
    inspect_.steps = 0;
    if (!list.transforms.empty() &&
        !transforms::apply_chain(list.transforms, buf, inspect_.transformed, buf,
                                 inspect_.match_data))
      continue;
    if (!buf.empty() && inspect_buffer(list.items, buf, inspect_)) return true;
  }
  return false;
}

bool Detector::rule_matches(const Rule& r, const decode::Packet& p, const app::Transaction* tx) {
  if (!header_matches(r, p)) return false;
  if (r.flow && !r.flow->match(p)) return false;
  for (const auto& m : r.packet)
    if (!keywords::match_packet(m, p)) return false;
  for (const auto& fb : r.flowbit_conditions)
    if (!fb.check(p.flow)) return false;
  for (const auto& fi : r.flowint_conditions)
    if (!fi.check(p.flow)) return false;
  inspect_.captures.clear();
  for (const auto& fk : r.flow_keywords)
    if (!fk->match(p)) return false;
  if (!r.tx_keywords.empty()) {
    if (!tx) return false;
    for (const auto& tk : r.tx_keywords)
      if (!tk->match(*tx, p)) return false;
  }
  if (!r.buffers.empty()) {
    inspect_.vars = {};
    inspect_.steps = 0;
    inspect_.base64_data = nullptr;
    for (const auto& list : r.buffers)
      if (list.base64_data) inspect_.base64_data = &list.items;
    for (const auto& list : r.buffers) {
      if (list.base64_data) continue;  // inspected by base64_decode
      if (list.is_app) {
        if (!tx || !inspect_app_list(list, *tx, r.file_dirs)) return false;
        continue;
      }
      core::Bytes buf = packet_buffer(p, list.id);
      if (list.absent != BufferList::Absent::kNone) {
        if (buf.empty()) continue;  // absent: matches without the buffer
        if (list.absent == BufferList::Absent::kOnly) return false;
      }
      if (buf.empty()) return false;
      if (!list.transforms.empty() &&
          (!transforms::apply_chain(list.transforms, buf, inspect_.transformed, buf,
                                    inspect_.match_data) ||
           buf.empty()))
        return false;
      if (!inspect_buffer(list.items, buf, inspect_)) return false;
    }
  }
  // xbits last: they are shared between workers, and a worker touches
  // shared state only in packet order (it may wait), so only rules whose
  // every other condition held pay for it.
  if (!r.xbit_conditions.empty()) {
    auto shared = shared_->enter(turn_);
    for (const auto& xb : r.xbit_conditions)
      if (!xb.check(p, shared.hosts())) return false;
  }
  return true;
}

void Detector::bind_global_thresholds() {
  const auto& rules = rules_->rules();
  rule_thresholds_.resize(rules.size());
  for (uint32_t i = 0; i < rules.size(); ++i) rule_thresholds_[i].threshold = rules[i].threshold;
  if (!global_thresholds_) return;
  using Entry = threshold::ThresholdConfigEntry;
  for (uint32_t i = 0; i < rules.size(); ++i) {
    const Rule& r = rules[i];
    RuleThresholds& rt = rule_thresholds_[i];
    bool replaced = false;
    for (const Entry& e : global_thresholds_->entries) {
      if (!e.applies_to(r.gid, r.sid)) continue;
      switch (e.kind) {
        case Entry::kSuppress:
          rt.suppress.push_back(&e.suppress);
          break;
        case Entry::kRateFilter:
          rt.rate_filters.push_back(e.spec);
          break;
        case Entry::kThreshold:
        case Entry::kEventFilter:
          // A sid-specific entry replaces the rule's own threshold; a
          // wildcard one only applies to rules without one (Suricata).
          if (!e.is_wildcard()) {
            rt.threshold = e.spec;
            replaced = true;
          } else if (!r.threshold && !replaced) {
            rt.threshold = e.spec;
          }
          break;
      }
    }
  }
}

threshold::Decision Detector::check_threshold(const threshold::ThresholdSpec& spec, uint32_t idx,
                                              const decode::Packet& p, uint64_t flow_key) {
  if (spec.track == threshold::ThresholdSpec::kByFlow)
    return tracker_.check(spec, idx, p.src, p.dst, flow_key, p.ts);
  auto shared = shared_->enter(turn_);
  return shared.tracker().check(spec, idx, p.src, p.dst, flow_key, p.ts);
}

threshold::Decision::Verdict Detector::apply_thresholds(uint32_t idx, const Rule& r,
                                                        const decode::Packet& p, Action& action,
                                                        bool& rate_modified) {
  using V = threshold::Decision::Verdict;
  const uint64_t flow_key = p.flow ? p.flow->flow_id : 0;
  const RuleThresholds& rt = rule_thresholds_[idx];
  V verdict = V::kAlert;
  if (r.detection_filter) {
    auto d = check_threshold(*r.detection_filter, idx, p, flow_key);
    if (d.verdict == V::kNoMatch) return V::kNoMatch;
    if (d.verdict == V::kSilent) verdict = V::kSilent;
  }
  if (rt.threshold) {
    auto d = check_threshold(*rt.threshold, idx, p, flow_key);
    if (d.verdict == V::kNoMatch) return V::kNoMatch;
    if (d.verdict == V::kSilent) verdict = V::kSilent;
  }
  for (const auto* s : rt.suppress)
    if (s->suppresses(p.src, p.dst)) verdict = V::kSilent;
  for (const auto& rf : rt.rate_filters) {
    auto d = check_threshold(rf, idx, p, flow_key);
    if (d.new_action != threshold::ThresholdSpec::kNoAction) rate_modified = true;
    switch (d.new_action) {
      case threshold::ThresholdSpec::kAlert: action = Action::kAlert; break;
      case threshold::ThresholdSpec::kDrop: action = Action::kDrop; break;
      case threshold::ThresholdSpec::kPass: action = Action::kPass; break;
      case threshold::ThresholdSpec::kReject: action = Action::kReject; break;
      case threshold::ThresholdSpec::kNoAction: break;
    }
  }
  return verdict;
}

void Detector::commit_captures(flow::Flow* f) {
  for (auto& c : inspect_.captures) {
    if (c.pkt) pktvars_.push_back({c.id, std::move(c.value)});
    else if (f) f->set_flowvar(c.id, c.value);
  }
  inspect_.captures.clear();
}

bool Detector::inspect(decode::Packet& p, std::vector<Alert>& alerts) {
  alerts.clear();
  pktvars_.clear();
  verdict_ = PacketVerdict{};
  if (p.ip_version == 0) return false;
  flow::Flow* f = p.flow;
  const bool flow_dropped = f && f->drop && options_.ips;
  if (f && f->pass) return false;

  const auto& rules = rules_->rules();
  candidates_.clear();
  const auto& group = rules_->group(build::proto_class_of(p));
  if (group.db && !p.payload.empty())
    mpm::scan(*group.db, scratch_, p.payload, [&](uint32_t id) { candidates_.push_back(id); });
  std::sort(candidates_.begin(), candidates_.end());
  // IP-only rules run on the first packet of each direction of a flow.
  bool run_ip_only = true;
  if (f) {
    bool& done = p.to_server ? f->iponly_toserver_done : f->iponly_toclient_done;
    run_ip_only = !done;
    done = true;
  }
  // Three sorted lists (prefilter hits, rules without a pattern, IP-only
  // rules) are walked as one merged sequence in rule order, without
  // copying the long lists per packet.
  ip_only_candidates_.clear();
  if (run_ip_only) {
    rules_->ip_only_index().candidates(p.src, p.dst, ip_only_candidates_);
    std::sort(ip_only_candidates_.begin(), ip_only_candidates_.end());
  }
  const std::vector<uint32_t>* lists[3] = {&candidates_, &group.no_pattern, &ip_only_candidates_};
  size_t pos[3] = {0, 0, 0};
  auto next_candidate = [&](uint32_t& out) {
    int best = -1;
    for (int l = 0; l < 3; ++l)
      if (pos[l] < lists[l]->size() && (best < 0 || (*lists[l])[pos[l]] < (*lists[best])[pos[best]]))
        best = l;
    if (best < 0) return false;
    out = (*lists[best])[pos[best]];
    for (int l = 0; l < 3; ++l)  // skip duplicates of out in every list
      while (pos[l] < lists[l]->size() && (*lists[l])[pos[l]] == out) ++pos[l];
    return true;
  };

  bool drop = false;  // (verdict_ says; kept for on_match's signature)
  uint32_t idx;
  while (next_candidate(idx)) {
    const Rule& r = rules[idx];
    if (is_stream_rule_[idx] == 2) continue;  // raw stream only
    if (!rule_matches(r, p)) continue;
    if (is_stream_rule_[idx] == 1 && f) {
      if (app::AppFlowState* st = app::AppLayer::state_of(f)) {
        // Once per rule: the list stays bounded by the rule count even
        // when the stream stops growing (depth reached) and is never consumed.
        auto& pm = st->raw[p.to_server ? 0 : 1].packet_matched;
        if (std::find(pm.begin(), pm.end(), idx) == pm.end()) pm.push_back(idx);
      }
    }
    if (on_match(idx, r, p, nullptr, alerts, drop) == MatchOutcome::kStop) break;
  }
  return verdict_.drop || flow_dropped;
}

// Suricata's action scope: a drop or pass from an IP-only rule, an
// app-layer-only rule (a protocol and nothing else) or a transaction rule
// applies to the whole flow; from a packet rule, to the packet alone. The
// first of drop and pass to reach a flow wins.
void Detector::apply_action(const Rule& r, Action action, bool by_threshold, decode::Packet& p,
                            const app::Transaction* tx) {
  flow::Flow* f = p.flow;
  const bool flow_scope = r.action_on_flow || r.is_app_rule() || tx != nullptr;
  if (action == Action::kPass) {
    verdict_.pass = true;
    if (flow_scope && f && !f->drop) f->pass = true;
    return;
  }
  const bool reject = is_reject_action(action);
  if (!options_.ips || (action != Action::kDrop && !reject)) return;
  if (!verdict_.drop) verdict_.by_threshold = by_threshold;
  verdict_.drop = true;
  if (reject && !verdict_.rejects()) verdict_.reject = action;
  if (flow_scope && f && !f->pass) {
    f->drop = true;
    verdict_.flow_drop = true;
  }
}

Detector::MatchOutcome Detector::on_match(uint32_t idx, const Rule& r, decode::Packet& p,
                                          const app::Transaction* tx, std::vector<Alert>& alerts,
                                          bool& drop) {
  flow::Flow* f = p.flow;
  Action action = r.action;
  bool rate_modified = false;
  auto verdict = apply_thresholds(idx, r, p, action, rate_modified);
  if (verdict == threshold::Decision::kNoMatch) return MatchOutcome::kContinue;
  // Post-match actions run for silent (thresholded) matches too.
  for (const auto& fb : r.flowbit_actions) fb.apply(f);
  for (const auto& fi : r.flowint_actions) fi.apply(f);
  if (!r.xbit_actions.empty()) {
    auto shared = shared_->enter(turn_);
    for (const auto& xb : r.xbit_actions) xb.apply(p, shared.hosts());
  }
  if (!inspect_.captures.empty()) commit_captures(f);
  // A suppressed or thresholded match still applies its action (a
  // suppressed drop rule drops silently), as does a noalert one.
  const bool had_drop = verdict_.drop;
  apply_action(r, action, rate_modified, p, tx);
  const bool drops = verdict_.drop && !had_drop;
  // alert.action "blocked": the alert's own action drops (inline) or
  // rejects; after a rate_filter, whether the packet is dropped.
  const bool rejects = is_reject_action(action);
  const bool blocked = rate_modified ? verdict_.drop
                                     : rejects || (options_.ips && action == Action::kDrop);
  const Alert this_alert{&r, tx, action, blocked, false, nullptr};
  if (drops) {
    drop = true;
    verdict_.drop_alert = this_alert;
  }
  if (verdict == threshold::Decision::kSilent) return MatchOutcome::kContinue;
  const bool pass = action == Action::kPass;
  if (pass) {
    // A pass rule ends inspection of this packet (and, by its scope,
    // of the flow: apply_action).
    if (!r.pass_alerts) return MatchOutcome::kStop;
  }
  const MatchOutcome next = pass ? MatchOutcome::kStop : MatchOutcome::kContinue;
  if (r.noalert) return next;
  if (alerts.size() >= options_.alert_max) {
    counters_.add(c_overflow_);
    return next;
  }
  alerts.push_back(this_alert);
  counters_.add(c_alerts_);
  if (f) f->alerted = true;
  return next;
}

void Detector::inspect_side(decode::Packet& p, app::AppProto proto, app::Transaction& tx,
                            uint8_t new_sides, uint8_t done_sides, std::vector<Alert>& alerts) {
  const auto& rules = rules_->rules();
  const auto& group = rules_->app_group(proto);
  const auto& any_group = rules_->app_group(app::AppProto::kUnknown);
  candidates_.clear();
  for (const auto* g : {&group, &any_group}) {
    for (const auto& pf : g->prefilters) {
      core::Bytes buf;
      for (uint32_t index = 0; tx_buffer(tx, pf.buffer, index, 3, buf); ++index) {
        core::Bytes scan = buf;
        if (!pf.chain.empty() &&
            !transforms::apply_chain(pf.chain, buf, inspect_.transformed, scan, inspect_.match_data))
          continue;
        mpm::scan(*pf.db, scratch_, scan, [&](uint32_t id) { candidates_.push_back(id); });
      }
    }
    candidates_.insert(candidates_.end(), g->no_pattern.begin(), g->no_pattern.end());
    if (proto == app::AppProto::kUnknown) break;
  }
  std::sort(candidates_.begin(), candidates_.end());
  candidates_.erase(std::unique(candidates_.begin(), candidates_.end()), candidates_.end());
  for (uint32_t idx : candidates_) {
    const Rule& r = rules[idx];
    // Each rule is evaluated once per transaction: when the last side it
    // reads is complete.
    if ((r.app_sides & new_sides) == 0 || (r.app_sides & ~done_sides) != 0) continue;
    if (std::find(tx.matched_rules.begin(), tx.matched_rules.end(), idx) != tx.matched_rules.end())
      continue;
    if (!rule_matches(r, p, &tx)) continue;
    tx.matched_rules.push_back(idx);
    if (r.disable_tx_logging) tx.log_disabled = true;
    for (const auto& tk : r.tx_keywords)
      if (auto* fs = dynamic_cast<const keywords::FileStoreKeyword*>(tk.get()))
        fs->apply(tx, r.sid, r.tx_keywords);
    bool drop = false;
    if (on_match(idx, r, p, &tx, alerts, drop) == MatchOutcome::kStop) break;
  }
}

void Detector::inspect_transactions(decode::Packet& p, std::vector<Alert>& alerts, bool flow_end,
                                    uint8_t sides) {
  flow::Flow* f = p.flow;
  if (flow_end) pktvars_.clear();  // a pseudo packet has no captures yet
  app::AppFlowState* st = app::AppLayer::state_of(f);
  if (!st || !st->parser || f->pass) return;
  const size_t before = alerts.size();
  const size_t n = st->parser->tx_count();
  for (size_t i = 0; i < n; ++i) {
    app::Transaction* tx = st->parser->tx(i);
    if (!tx) continue;
    uint8_t done = 0;
    if (tx->complete(true) || flow_end) done |= 1;
    if (tx->complete(false) || flow_end) done |= 2;
    const uint8_t fresh = done & ~tx->detect_progress & sides;
    if (!fresh) continue;
    tx->detect_progress |= fresh;
    inspect_side(p, st->proto, *tx, fresh, done, alerts);
  }
  // Packet and transaction alerts together, in rule order.
  if (alerts.size() > before)
    std::stable_sort(alerts.begin(), alerts.end(),
                     [](const Alert& a, const Alert& b) { return a.rule < b.rule; });
}

}  // namespace pasban::detect::eval
