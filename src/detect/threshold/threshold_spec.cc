#include "detect/threshold/threshold_spec.h"

#include <cctype>
#include <string>

namespace pasban::detect::threshold {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

std::optional<uint32_t> parse_u32(std::string_view s) {
  s = trim(s);
  if (s.empty() || s.size() > 10) return std::nullopt;
  uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + uint64_t(c - '0');
  }
  if (v > 0xffffffffULL) return std::nullopt;
  return uint32_t(v);
}

core::Error err(std::string_view kw, const std::string& msg) {
  return core::make_error(std::string(kw) + ": " + msg);
}

std::optional<ThresholdSpec::Track> parse_track(std::string_view s) {
  if (s == "by_src") return ThresholdSpec::kBySrc;
  if (s == "by_dst") return ThresholdSpec::kByDst;
  if (s == "by_rule") return ThresholdSpec::kByRule;
  if (s == "by_both") return ThresholdSpec::kByBoth;
  if (s == "by_flow") return ThresholdSpec::kByFlow;
  return std::nullopt;
}

// The comma separated "key value" parts of both keywords; detection_filter
// takes no type and no multiplier.
core::Result<ThresholdSpec> parse_parts(std::string_view kw, std::string_view value, bool is_threshold) {
  ThresholdSpec spec;
  spec.type = is_threshold ? ThresholdSpec::kLimit : ThresholdSpec::kDetectionFilter;
  bool has_type = false, has_track = false, has_count = false, has_seconds = false, has_mult = false;
  size_t pos = 0;
  while (pos <= value.size()) {
    size_t comma = value.find(',', pos);
    std::string_view part = trim(value.substr(pos, comma == value.npos ? value.npos : comma - pos));
    pos = comma == value.npos ? value.size() + 1 : comma + 1;
    size_t sp = 0;
    while (sp < part.size() && !std::isspace(static_cast<unsigned char>(part[sp]))) ++sp;
    std::string_view key = part.substr(0, sp), val = trim(part.substr(sp));
    auto once = [&](bool& seen) -> bool {
      bool was = seen;
      seen = true;
      return !was;
    };
    if (key.empty()) return err(kw, "empty part in '" + std::string(trim(value)) + "'");
    if (val.empty()) return err(kw, "'" + std::string(key) + "' needs a value");
    if (key == "type" && is_threshold) {
      if (!once(has_type)) return err(kw, "'type' given twice");
      if (val == "limit") spec.type = ThresholdSpec::kLimit;
      else if (val == "threshold") spec.type = ThresholdSpec::kThreshold;
      else if (val == "both") spec.type = ThresholdSpec::kBoth;
      else if (val == "backoff") spec.type = ThresholdSpec::kBackoff;
      else return err(kw, "invalid type '" + std::string(val) + "'");
    } else if (key == "track") {
      if (!once(has_track)) return err(kw, "'track' given twice");
      auto t = parse_track(val);
      if (!t) return err(kw, "invalid track '" + std::string(val) + "'");
      spec.track = *t;
    } else if (key == "count" || key == "seconds" || (key == "multiplier" && is_threshold)) {
      bool& seen = key == "count" ? has_count : key == "seconds" ? has_seconds : has_mult;
      if (!once(seen)) return err(kw, "'" + std::string(key) + "' given twice");
      auto n = parse_u32(val);
      if (!n) return err(kw, "invalid " + std::string(key) + " '" + std::string(val) + "'");
      (key == "count" ? spec.count : key == "seconds" ? spec.seconds : spec.multiplier) = *n;
    } else {
      return err(kw, "unknown option '" + std::string(part) + "'");
    }
  }
  if (is_threshold && !has_type) return err(kw, "missing 'type'");
  if (!has_track) return err(kw, "missing 'track'");
  if (!has_count) return err(kw, "missing 'count'");
  if (spec.type == ThresholdSpec::kBackoff) {
    if (has_seconds) return err(kw, "'seconds' cannot be used with type backoff");
    if (!has_mult) return err(kw, "missing 'multiplier' for type backoff");
    if (spec.count == 0) return err(kw, "count must be at least 1 for type backoff");
    if (spec.multiplier == 0) return err(kw, "multiplier must be at least 1");
  } else {
    if (has_mult) return err(kw, "'multiplier' is only for type backoff");
    if (!has_seconds) return err(kw, "missing 'seconds'");
  }
  return spec;
}

}  // namespace

core::Result<ThresholdSpec> parse_threshold_keyword(std::string_view value) {
  return parse_parts("threshold", value, true);
}

core::Result<ThresholdSpec> parse_detection_filter(std::string_view value) {
  return parse_parts("detection_filter", value, false);
}

// ---- addresses -------------------------------------------------------------

bool IpPrefix::contains(const core::IpAddress& ip) const noexcept {
  if (ip.family != addr.family) return false;
  uint8_t full = bits / 8, rest = bits % 8;
  for (uint8_t i = 0; i < full; ++i)
    if (ip.bytes[i] != addr.bytes[i]) return false;
  if (rest == 0) return true;
  uint8_t mask = uint8_t(0xff << (8 - rest));
  return (ip.bytes[full] & mask) == (addr.bytes[full] & mask);
}

bool IpSet::contains(const core::IpAddress& ip) const noexcept {
  bool in = include.empty();
  for (const auto& p : include)
    if (p.contains(ip)) {
      in = true;
      break;
    }
  if (!in) return false;
  for (const auto& p : exclude)
    if (p.contains(ip)) return false;
  return true;
}

namespace {

constexpr int kMaxAddressDepth = 8;  // nested lists and variables

core::Status add_ip_text(std::string_view text, bool negate, IpSet& out, const AddressVarResolver& vars,
                         int depth);

// Splits "a, [b, c], d" at its top-level commas.
core::Result<std::vector<std::string_view>> split_list(std::string_view s) {
  std::vector<std::string_view> out;
  int level = 0;
  size_t start = 0;
  for (size_t i = 0; i <= s.size(); ++i) {
    char c = i < s.size() ? s[i] : ',';
    if (c == '[') ++level;
    if (c == ']' && --level < 0) return core::make_error("unbalanced ']' in '" + std::string(s) + "'");
    if (c == ',' && level == 0) {
      out.push_back(trim(s.substr(start, i - start)));
      start = i + 1;
    }
  }
  if (level != 0) return core::make_error("unbalanced '[' in '" + std::string(s) + "'");
  return out;
}

core::Result<IpPrefix> parse_prefix(std::string_view s) {
  std::string_view host = s, len;
  if (size_t slash = s.find('/'); slash != s.npos) {
    host = s.substr(0, slash);
    len = s.substr(slash + 1);
  }
  auto ip = core::IpAddress::parse(trim(host));
  if (!ip) return core::make_error("invalid address '" + std::string(s) + "'");
  uint32_t max = ip->is_v4() ? 32 : 128;
  uint32_t bits = max;
  if (!len.empty()) {
    auto n = parse_u32(len);
    if (!n || *n > max) return core::make_error("invalid prefix length in '" + std::string(s) + "'");
    bits = *n;
  }
  return IpPrefix{*ip, uint8_t(bits)};
}

core::Status add_ip_text(std::string_view text, bool negate, IpSet& out, const AddressVarResolver& vars,
                         int depth) {
  text = trim(text);
  if (depth > kMaxAddressDepth) return core::make_error("address list nested too deep");
  if (text.empty()) return core::make_error("empty address");
  if (text[0] == '!') return add_ip_text(text.substr(1), !negate, out, vars, depth + 1);
  if (text.front() == '[') {
    if (text.back() != ']') return core::make_error("unbalanced '[' in '" + std::string(text) + "'");
    auto parts = split_list(text.substr(1, text.size() - 2));
    if (!parts) return parts.error();
    for (auto p : *parts) {
      auto st = add_ip_text(p, negate, out, vars, depth + 1);
      if (!st) return st;
    }
    return {};
  }
  auto& dst = negate ? out.exclude : out.include;
  if (text[0] == '$') {
    std::string_view name = text.substr(1);
    std::optional<std::string> v = vars ? vars(name) : std::nullopt;
    if (!v) return core::make_error("unknown address variable '" + std::string(text) + "'");
    return add_ip_text(*v, negate, out, vars, depth + 1);
  }
  if (text == "any") {
    dst.push_back(IpPrefix{*core::IpAddress::parse("0.0.0.0"), 0});
    dst.push_back(IpPrefix{*core::IpAddress::parse("::"), 0});
    return {};
  }
  auto p = parse_prefix(text);
  if (!p) return p.error();
  dst.push_back(*p);
  return {};
}

}  // namespace

core::Result<IpSet> parse_ip_set(std::string_view text, const AddressVarResolver& vars) {
  IpSet set;
  auto st = add_ip_text(text, false, set, vars, 0);
  if (!st) return st.error();
  return set;
}

bool SuppressSpec::suppresses(const core::IpAddress& src, const core::IpAddress& dst) const noexcept {
  switch (track) {
    case kAll: return true;
    case kBySrc: return ips.contains(src);
    case kByDst: return ips.contains(dst);
    case kByEither: return ips.contains(src) || ips.contains(dst);
  }
  return false;
}

}  // namespace pasban::detect::threshold
