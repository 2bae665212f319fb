#include "detect/build/rule_set.h"

#include <algorithm>
#include <tuple>
#include <array>
#include <fstream>
#include <sstream>

#include "core/file.h"
#include "detect/keywords/numeric.h"
#include "detect/rules/rule_file.h"

namespace pasban::detect::build {
namespace {

// The short reason for per-reason counts: the text up to the first quote.
std::string reason_key(const std::string& reason) {
  if (reason.starts_with("unknown keyword")) return reason;
  auto q = reason.find('\'');
  return q == std::string::npos ? reason : reason.substr(0, q);
}

bool proto_in_class(Proto p, ProtoClass c) {
  switch (p) {
    case Proto::kIp: case Proto::kIpv4: case Proto::kIpv6: case Proto::kPkthdr: return true;
    case Proto::kTcp: case Proto::kTcpPkt: case Proto::kTcpStream: return c == ProtoClass::kTcp;
    case Proto::kUdp: return c == ProtoClass::kUdp;
    case Proto::kIcmp: return c == ProtoClass::kIcmpv4 || c == ProtoClass::kIcmpv6;
    case Proto::kIcmpv4: return c == ProtoClass::kIcmpv4;
    case Proto::kIcmpv6: return c == ProtoClass::kIcmpv6;
    case Proto::kSctp: return c == ProtoClass::kOther;
    case Proto::kTcpOrUdp: return c == ProtoClass::kTcp || c == ProtoClass::kUdp;
  }
  return false;
}

// Suricata orders rules that set a kind of variable before those that
// set and read it, then those that only read it, then the rest.
int set_read_rank(bool set, bool read) {
  if (set && !read) return 0;
  if (set && read) return 1;
  if (read) return 2;
  return 3;
}

int flowbits_rank(const Rule& r) {
  return set_read_rank(!r.flowbit_actions.empty(), !r.flowbit_conditions.empty());
}

// The variable kinds after flowbits, in Suricata's order: flowvar,
// flowint, pktvar, hostbits, xbits. A pcre capture sets a
// flowvar/pktvar; nothing reads them in a rule here yet.
std::array<int, 5> var_ranks(const Rule& r) {
  bool host_set = false, host_read = false, pair_set = false, pair_read = false;
  // Suricata ranks by keyword: hostbits, then xbits whatever they track.
  for (const auto& x : r.xbit_actions) (x.is_xbits ? pair_set : host_set) = true;
  for (const auto& x : r.xbit_conditions) (x.is_xbits ? pair_read : host_read) = true;
  return {set_read_rank(r.captures_flowvar, false),
          set_read_rank(!r.flowint_actions.empty(), !r.flowint_conditions.empty()),
          set_read_rank(r.captures_pktvar, false),
          set_read_rank(host_set, host_read),
          set_read_rank(pair_set, pair_read)};
}

int action_rank(Action a) {
  switch (a) {
    case Action::kPass: return 0;
    case Action::kDrop: return 1;
    case Action::kReject: case Action::kRejectSrc: case Action::kRejectDst:
    case Action::kRejectBoth: return 2;
    case Action::kAlert: return 3;
  }
  return 3;
}

// The literal the prefilter looks for. Vectorscan's literal API rejects a
// literal that starts with NUL, so it is the part after leading NULs (still
// a necessary condition); empty (no prefilter) for none or an all-NUL one.
std::string_view prefilter_literal(const keywords::Content* fp) {
  std::string_view lit = fp ? fp->fast_pattern_bytes() : std::string_view{};
  while (!lit.empty() && lit.front() == '\0') lit.remove_prefix(1);
  return lit;
}

}  // namespace

ProtoClass proto_class_of(const decode::Packet& p) {
  switch (p.ip_proto) {
    case 6: return ProtoClass::kTcp;
    case 17: return ProtoClass::kUdp;
    case 1: return ProtoClass::kIcmpv4;
    case 58: return ProtoClass::kIcmpv6;
    default: return ProtoClass::kOther;
  }
}

std::unordered_map<std::string, ClassType> load_classifications(const std::string& path,
                                                                std::vector<LoadError>& errors) {
  std::unordered_map<std::string, ClassType> out;
  std::string text;
  if (!core::read_whole_file(path, text)) {
    errors.push_back({path, 0, "-", "cannot open classification file"});
    return out;
  }
  std::istringstream in(text);
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    ++n;
    std::string_view l = keywords::trim(line);
    if (l.empty() || l[0] == '#') continue;
    constexpr std::string_view kPrefix = "config classification:";
    if (!l.starts_with(kPrefix)) continue;
    l = keywords::trim(l.substr(kPrefix.size()));
    auto c1 = l.find(','), c2 = l.rfind(',');
    if (c1 == std::string_view::npos || c1 == c2) {
      errors.push_back({path, n, "-", "malformed classification line"});
      continue;
    }
    ClassType ct;
    ct.description = std::string(keywords::trim(l.substr(c1 + 1, c2 - c1 - 1)));
    ct.priority = std::atoi(std::string(l.substr(c2 + 1)).c_str());
    out[std::string(keywords::trim(l.substr(0, c1)))] = ct;
  }
  return out;
}

std::shared_ptr<RuleSet> RuleSet::load(const std::vector<std::string>& files,
                                       const RuleSetOptions& options,
                                       std::vector<LoadError>& errors, LoadStats& stats,
                                       const std::unordered_map<std::string, ClassType>*
                                           fallback_classtypes) {
  auto rs = std::make_shared<RuleSet>();
  if (!options.classification_file.empty())
    rs->classtypes_ = load_classifications(options.classification_file, errors);
  else if (fallback_classtypes)
    rs->classtypes_ = *fallback_classtypes;
  if (options.seed_names) {
    rs->var_names_ = *options.seed_names;
    for (uint32_t id = 0; id < rs->var_names_.count(VarKind::kFlowbit); ++id)
      rs->flowbit_names_.push_back(rs->var_names_.name(VarKind::kFlowbit, id));
  }
  BuildContext ctx;
  ctx.vars = options.vars;
  ctx.classtypes = rs->classtypes_;
  ctx.pcre_limits = options.pcre_limits;
  ctx.strict_all = options.strict_all;
  ctx.strict_keywords = options.strict_keywords;
  ctx.intern_flowbit = [&](std::string_view name) {
    const uint32_t id = rs->var_names_.intern(VarKind::kFlowbit, name);
    if (id == rs->flowbit_names_.size()) rs->flowbit_names_.emplace_back(name);
    return id;
  };
  ctx.var_names = &rs->var_names_;
  // (gid, sid) -> index in rules_, for duplicate handling.
  std::unordered_map<uint64_t, size_t> by_id;
  uint32_t load_index = 0;
  for (const auto& file : files) {
    std::string text;
    if (!core::read_whole_file(file, text)) {
      errors.push_back({file, 0, "-", "cannot open rule file"});
      stats.failures_by_reason["cannot open rule file"]++;
      continue;
    }
    stats.files++;
    for (const auto& line : rules::split_rule_file(text)) {
      auto raw = rules::parse_rule_text(line.text);
      if (!raw) {
        errors.push_back({file, line.line, "?", raw.error().message});
        stats.failed++;
        stats.failures_by_reason[reason_key(raw.error().message)]++;
        continue;
      }
      BuildResult outcome;
      auto rule = build_rule(*raw, ctx, outcome);
      if (!rule) {
        errors.push_back({file, line.line, find_sid_text(*raw), rule.error().message});
        stats.failed++;
        stats.failures_by_reason[reason_key(rule.error().message)]++;
        continue;
      }
      if (outcome.skipped) {
        stats.skipped++;
        continue;
      }
      rule->file = file;
      rule->line = line.line;
      rule->load_index = load_index++;
      uint64_t key = uint64_t(rule->gid) << 32 | rule->sid;
      auto it = by_id.find(key);
      if (it != by_id.end()) {
        Rule& old = rs->rules_[it->second];
        if (rule->rev > old.rev) {
          old = std::move(*rule);  // a newer revision replaces the old one
          continue;
        }
        errors.push_back({file, line.line, std::to_string(rule->sid),
                          "duplicate signature (gid " + std::to_string(rule->gid) + ", rev " +
                              std::to_string(rule->rev) + ")"});
        stats.failed++;
        stats.failures_by_reason["duplicate signature"]++;
        continue;
      }
      by_id[key] = rs->rules_.size();
      rs->rules_.push_back(std::move(*rule));
    }
  }
  stats.loaded = rs->rules_.size();
  rs->order_rules();
  auto st = rs->build_groups();
  if (!st.ok()) {
    errors.push_back({"<rule set>", 0, "-", st.error().message});
    stats.failures_by_reason["prefilter build"]++;
  }
  return rs;
}

void RuleSet::order_rules() {
  // Sort keys, not rules: a Rule is large, and moving whole rules around
  // inside the sort made loading ET Open half a second slower.
  struct Key {
    int action, flowbits;
    std::array<int, 5> vars;
    int priority;
    uint32_t load_index, pos;
  };
  std::vector<Key> keys;
  keys.reserve(rules_.size());
  for (uint32_t i = 0; i < rules_.size(); ++i) {
    const Rule& r = rules_[i];
    keys.push_back({action_rank(r.action), flowbits_rank(r), var_ranks(r), r.priority,
                    r.load_index, i});
  }
  std::sort(keys.begin(), keys.end(), [](const Key& a, const Key& b) {
    return std::tie(a.action, a.flowbits, a.vars, a.priority, a.load_index) <
           std::tie(b.action, b.flowbits, b.vars, b.priority, b.load_index);
  });
  std::vector<Rule> sorted;
  sorted.reserve(rules_.size());
  for (const Key& k : keys) sorted.push_back(std::move(rules_[k.pos]));
  rules_ = std::move(sorted);
}

core::Status RuleSet::build_groups() {
  for (size_t c = 0; c < size_t(ProtoClass::kCount); ++c) {
    std::vector<mpm::Pattern> patterns;
    std::vector<uint32_t> ids;
    RuleGroup& g = groups_[c];
    for (uint32_t i = 0; i < rules_.size(); ++i) {
      const Rule& r = rules_[i];
      if (!proto_in_class(r.proto, ProtoClass(c))) continue;
      if (r.ip_only || r.is_app_rule()) continue;
      const auto* fp = r.fast_pattern();
      std::string_view lit = prefilter_literal(fp);
      if (!lit.empty()) {
        patterns.push_back({std::string(lit), fp->nocase});
        ids.push_back(i);
      } else {
        g.no_pattern.push_back(i);
      }
    }
    auto db = mpm::Database::compile(patterns, ids);
    if (!db) return db.error();
    g.db = std::move(*db);
  }
  for (uint32_t i = 0; i < rules_.size(); ++i)
    if (rules_[i].ip_only) ip_only_.push_back(i);
  // Transaction rules, grouped by protocol, then by fast-pattern buffer and
  // the transforms applied to it.
  for (size_t ap = 0; ap < size_t(app::AppProto::kCount); ++ap) {
    AppRuleGroup& g = app_groups_[ap];
    std::vector<std::vector<mpm::Pattern>> patterns;
    std::vector<std::vector<uint32_t>> ids;
    for (uint32_t i = 0; i < rules_.size(); ++i) {
      const Rule& r = rules_[i];
      if (!r.is_app_rule()) continue;
      // Rules of no specific protocol (file.data) serve every protocol.
      if (r.app_proto != app::AppProto(ap) && r.app_proto != app::AppProto::kUnknown) continue;
      const auto* fp = r.fast_pattern();
      std::string_view lit = prefilter_literal(fp);
      if (lit.empty()) {
        g.no_pattern.push_back(i);
        continue;
      }
      const BufferList& list = r.buffers[size_t(r.fp_buffer)];
      size_t k = 0;
      while (k < g.prefilters.size() &&
             !(g.prefilters[k].buffer == list.app_buffer && g.prefilters[k].chain == list.transforms))
        ++k;
      if (k == g.prefilters.size()) {
        g.prefilters.push_back({list.app_buffer, list.transforms, nullptr});
        patterns.emplace_back();
        ids.emplace_back();
      }
      patterns[k].push_back({std::string(lit), fp->nocase});
      ids[k].push_back(i);
    }
    for (size_t k = 0; k < g.prefilters.size(); ++k) {
      auto db = mpm::Database::compile(patterns[k], ids[k]);
      if (!db) return db.error();
      g.prefilters[k].db = std::move(*db);
    }
  }
  ip_only_index_.build(rules_, ip_only_);
  return {};
}

}  // namespace pasban::detect::build
