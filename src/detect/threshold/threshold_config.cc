#include "detect/threshold/threshold_config.h"

#include <cctype>
#include <fstream>
#include <sstream>

namespace pasban::detect::threshold {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

std::optional<uint32_t> parse_u32(std::string_view s) {
  if (s.empty() || s.size() > 10) return std::nullopt;
  uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + uint64_t(c - '0');
  }
  if (v > 0xffffffffULL) return std::nullopt;
  return uint32_t(v);
}

struct Part {
  std::string_view key, value;
};

// "gen_id 1, sig_id 2, ip [a,b]" -> parts; commas inside [] stay in a value.
std::vector<Part> split_parts(std::string_view s) {
  std::vector<Part> out;
  int level = 0;
  size_t start = 0;
  for (size_t i = 0; i <= s.size(); ++i) {
    char c = i < s.size() ? s[i] : ',';
    if (c == '[') ++level;
    if (c == ']') --level;
    if (c != ',' || level > 0) continue;
    std::string_view part = trim(s.substr(start, i - start));
    start = i + 1;
    size_t sp = 0;
    while (sp < part.size() && !std::isspace(static_cast<unsigned char>(part[sp]))) ++sp;
    out.push_back({part.substr(0, sp), trim(part.substr(sp))});
  }
  return out;
}

core::Error fail(const std::string& msg) { return core::make_error(msg); }

}  // namespace

core::Result<ThresholdConfigEntry> parse_threshold_config_line(std::string_view line,
                                                               const AddressVarResolver& vars) {
  line = trim(line);
  size_t sp = 0;
  while (sp < line.size() && !std::isspace(static_cast<unsigned char>(line[sp]))) ++sp;
  std::string_view kind = line.substr(0, sp);
  ThresholdConfigEntry e;
  if (kind == "threshold") e.kind = ThresholdConfigEntry::kThreshold;
  else if (kind == "event_filter") e.kind = ThresholdConfigEntry::kEventFilter;
  else if (kind == "rate_filter") e.kind = ThresholdConfigEntry::kRateFilter;
  else if (kind == "suppress") e.kind = ThresholdConfigEntry::kSuppress;
  else return fail("unknown entry '" + std::string(kind) + "'");
  bool is_rate = e.kind == ThresholdConfigEntry::kRateFilter;
  bool is_suppress = e.kind == ThresholdConfigEntry::kSuppress;
  bool is_threshold = !is_rate && !is_suppress;
  if (is_rate) e.spec.type = ThresholdSpec::kRateFilter;

  std::vector<std::string_view> seen;
  std::string_view ip_text;
  bool has_track = false;
  for (const Part& p : split_parts(line.substr(sp))) {
    std::string key(p.key);
    if (p.key.empty()) return fail("empty part");
    if (p.value.empty()) return fail("'" + key + "' needs a value");
    for (auto s : seen)
      if (s == p.key) return fail("'" + key + "' given twice");
    seen.push_back(p.key);
    auto number = [&](uint32_t& out) -> core::Status {
      auto n = parse_u32(p.value);
      if (!n) return fail("invalid " + key + " '" + std::string(p.value) + "'");
      out = *n;
      return {};
    };
    core::Status st;
    if (p.key == "gen_id") st = number(e.gen_id);
    else if (p.key == "sig_id") st = number(e.sig_id);
    else if (p.key == "count" && !is_suppress) st = number(e.spec.count);
    else if (p.key == "seconds" && !is_suppress) st = number(e.spec.seconds);
    else if (p.key == "multiplier" && is_threshold) st = number(e.spec.multiplier);
    else if (p.key == "timeout" && is_rate) st = number(e.spec.timeout);
    else if (p.key == "type" && is_threshold) {
      if (p.value == "limit") e.spec.type = ThresholdSpec::kLimit;
      else if (p.value == "threshold") e.spec.type = ThresholdSpec::kThreshold;
      else if (p.value == "both") e.spec.type = ThresholdSpec::kBoth;
      else if (p.value == "backoff") e.spec.type = ThresholdSpec::kBackoff;
      else return fail("invalid type '" + std::string(p.value) + "'");
    } else if (p.key == "track") {
      has_track = true;
      std::string_view v = p.value;
      if (is_suppress) {
        if (v == "by_src") e.suppress.track = SuppressSpec::kBySrc;
        else if (v == "by_dst") e.suppress.track = SuppressSpec::kByDst;
        else if (v == "by_either") e.suppress.track = SuppressSpec::kByEither;
        else return fail("invalid track '" + std::string(v) + "' for suppress");
      } else if (v == "by_src") e.spec.track = ThresholdSpec::kBySrc;
      else if (v == "by_dst") e.spec.track = ThresholdSpec::kByDst;
      else if (v == "by_rule") e.spec.track = ThresholdSpec::kByRule;
      else if (v == "by_both") e.spec.track = ThresholdSpec::kByBoth;
      else if (v == "by_flow") e.spec.track = ThresholdSpec::kByFlow;
      else return fail("invalid track '" + std::string(v) + "'");
    } else if (p.key == "new_action" && is_rate) {
      std::string_view v = p.value;
      if (v == "alert" || v == "log") e.spec.new_action = ThresholdSpec::kAlert;
      else if (v == "drop" || v == "sdrop") e.spec.new_action = ThresholdSpec::kDrop;
      else if (v == "pass") e.spec.new_action = ThresholdSpec::kPass;
      else if (v == "reject") e.spec.new_action = ThresholdSpec::kReject;
      else return fail("invalid new_action '" + std::string(v) + "'");
    } else if (p.key == "ip" && is_suppress) {
      ip_text = p.value;
    } else {
      return fail("unknown option '" + key + "' for " + std::string(kind));
    }
    if (!st) return st.error();
  }

  auto has = [&](std::string_view k) {
    for (auto s : seen)
      if (s == k) return true;
    return false;
  };
  std::vector<std::string_view> required = {"gen_id", "sig_id"};
  if (is_threshold) {
    required.insert(required.end(), {"type", "track", "count"});
    required.push_back(e.spec.type == ThresholdSpec::kBackoff ? "multiplier" : "seconds");
  } else if (is_rate) {
    required.insert(required.end(), {"track", "count", "seconds", "new_action", "timeout"});
  }
  for (auto k : required)
    if (!has(k)) return fail("missing '" + std::string(k) + "'");

  if (is_threshold && e.spec.type == ThresholdSpec::kBackoff) {
    if (has("seconds")) return fail("'seconds' cannot be used with type backoff");
    if (e.spec.count == 0 || e.spec.multiplier == 0) return fail("backoff needs count and multiplier of at least 1");
  } else if (has("multiplier")) {
    return fail("'multiplier' is only for type backoff");
  }
  if (is_suppress) {
    if (has_track && ip_text.empty()) return fail("suppress with a track needs 'ip'");
    if (!has_track && !ip_text.empty()) return fail("suppress with 'ip' needs a track");
    if (has_track) {
      auto ips = parse_ip_set(ip_text, vars);
      if (!ips) return ips.error();
      e.suppress.ips = std::move(*ips);
    }
  }
  return e;
}

ThresholdConfig parse_threshold_config(std::string_view text, std::string_view file_name,
                                       const AddressVarResolver& vars) {
  ThresholdConfig out;
  std::string pending;
  uint32_t pending_line = 0;
  uint32_t line_no = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    std::string_view raw = text.substr(pos, nl == text.npos ? text.npos : nl - pos);
    pos = nl == text.npos ? text.size() : nl + 1;
    ++line_no;
    std::string_view line = trim(raw);
    if (pending.empty() && (line.empty() || line[0] == '#')) continue;
    if (pending.empty()) pending_line = line_no;
    bool continues = !line.empty() && line.back() == '\\';
    if (continues) line.remove_suffix(1);
    pending.append(line);
    pending.push_back(' ');
    if (continues && pos < text.size()) continue;
    auto entry = parse_threshold_config_line(pending, vars);
    if (entry) {
      entry->line = pending_line;
      out.entries.push_back(std::move(*entry));
    } else {
      out.errors.push_back(core::make_error(std::string(file_name) + ":" + std::to_string(pending_line) +
                                            ": " + entry.error().message));
    }
    pending.clear();
  }
  return out;
}

core::Result<ThresholdConfig> load_threshold_config(const std::string& path, const AddressVarResolver& vars) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return core::make_error(path + ": cannot open threshold file");
  std::ostringstream ss;
  ss << in.rdbuf();
  return parse_threshold_config(ss.str(), path, vars);
}

}  // namespace pasban::detect::threshold
