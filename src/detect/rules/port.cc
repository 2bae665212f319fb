#include "detect/rules/port.h"

#include <algorithm>

namespace pasban::detect::rules {

// Ranges are widened to 32 bits while parsing so that hi + 1 never wraps.
struct WideRange {
  uint32_t lo, hi;
};
using WideRanges = std::vector<WideRange>;

namespace {

constexpr uint32_t kMaxPort = 65535;

core::Error err(std::string msg) { return core::make_error(std::move(msg)); }

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

void skip_space(std::string_view text, size_t& pos) {
  while (pos < text.size() && is_space(text[pos])) ++pos;
}

void normalize(WideRanges& r) {
  if (r.size() < 2) return;
  std::sort(r.begin(), r.end(), [](const WideRange& a, const WideRange& b) { return a.lo < b.lo; });
  size_t out = 0;
  for (size_t i = 1; i < r.size(); ++i) {
    if (r[i].lo <= r[out].hi + 1) {
      r[out].hi = std::max(r[out].hi, r[i].hi);
    } else {
      r[++out] = r[i];
    }
  }
  r.resize(out + 1);
}

// a minus b, both normalized.
WideRanges subtract(const WideRanges& a, const WideRanges& b) {
  WideRanges out;
  size_t j = 0;
  for (const WideRange& r : a) {
    uint32_t lo = r.lo;
    while (j < b.size() && b[j].hi < lo) ++j;
    bool alive = true;
    for (size_t k = j; k < b.size() && b[k].lo <= r.hi; ++k) {
      if (b[k].lo > lo) out.push_back({lo, b[k].lo - 1});
      if (b[k].hi >= r.hi) {
        alive = false;
        break;
      }
      lo = b[k].hi + 1;
    }
    if (alive) out.push_back({lo, r.hi});
  }
  return out;
}

// A decimal port number; nullopt when not all digits. Values past 65535
// are returned (capped) so the caller can say "out of range".
std::optional<uint32_t> parse_number(std::string_view s) {
  if (s.empty()) return std::nullopt;
  uint32_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = std::min<uint32_t>(v * 10 + uint32_t(c - '0'), 1000000);
  }
  return v;
}

}  // namespace

class PortParser {
 public:
  explicit PortParser(const VarLookup& vars) : vars_(vars) {}

  core::Result<WideRanges> parse_whole(std::string_view text, int var_depth) {
    size_t pos = 0;
    auto element = parse_element(text, pos, var_depth, 0);
    if (!element) return element.error();
    skip_space(text, pos);
    if (pos != text.size()) {
      return err("unexpected '" + std::string(text.substr(pos)) + "' in port '" +
                 std::string(text) + "'");
    }
    if (element->negated) return subtract({{0, kMaxPort}}, element->ranges);
    return std::move(element->ranges);
  }

  static PortSet make_set(const WideRanges& r) {
    PortSet set;
    set.ranges_.reserve(r.size());
    for (const WideRange& w : r) set.ranges_.push_back({uint16_t(w.lo), uint16_t(w.hi)});
    return set;
  }

 private:
  struct Element {
    WideRanges ranges;  // normalized
    bool negated = false;
  };

  core::Result<Element> parse_element(std::string_view text, size_t& pos, int var_depth,
                                      int nesting) {
    skip_space(text, pos);
    Element element;
    while (pos < text.size() && text[pos] == '!') {
      element.negated = !element.negated;
      ++pos;
    }
    if (pos >= text.size()) return err("empty port in '" + std::string(text) + "'");
    char c = text[pos];
    core::Result<WideRanges> ranges = WideRanges{};
    if (c == '[') {
      ranges = parse_list(text, pos, var_depth, nesting + 1);
    } else if (c == '$') {
      ranges = parse_var(text, pos, var_depth);
    } else {
      size_t start = pos;
      while (pos < text.size() && text[pos] != ',' && text[pos] != ']' && text[pos] != '[' &&
             !is_space(text[pos])) {
        ++pos;
      }
      if (start == pos) {
        return err("unexpected '" + std::string(1, c) + "' in port '" + std::string(text) + "'");
      }
      ranges = parse_leaf(text.substr(start, pos - start));
    }
    if (!ranges) return ranges.error();
    element.ranges = std::move(*ranges);
    return element;
  }

  core::Result<WideRanges> parse_list(std::string_view text, size_t& pos, int var_depth,
                                      int nesting) {
    if (nesting > kMaxListNesting) return err("port lists nested too deeply");
    size_t open = pos++;
    WideRanges positive, negative;
    bool any_positive = false;
    int count = 0;
    for (;;) {
      skip_space(text, pos);
      if (pos >= text.size()) break;
      if (text[pos] == ']') {
        if (count == 0) return err("empty port list in '" + std::string(text) + "'");
        return err("expected port before ']' in '" + std::string(text) + "'");
      }
      auto element = parse_element(text, pos, var_depth, nesting);
      if (!element) return element.error();
      ++count;
      WideRanges& into = element->negated ? negative : positive;
      any_positive |= !element->negated;
      into.insert(into.end(), element->ranges.begin(), element->ranges.end());
      skip_space(text, pos);
      if (pos < text.size() && text[pos] == ',') {
        ++pos;
        continue;
      }
      if (pos < text.size() && text[pos] == ']') {
        ++pos;
        if (!any_positive) positive = {{0, kMaxPort}};
        normalize(positive);
        normalize(negative);
        return subtract(positive, negative);
      }
      if (pos < text.size()) {
        return err("expected ',' or ']' at '" + std::string(text.substr(pos)) + "' in port '" +
                   std::string(text) + "'");
      }
    }
    return err("unterminated '[' in port '" + std::string(text.substr(open)) + "'");
  }

  core::Result<WideRanges> parse_var(std::string_view text, size_t& pos, int var_depth) {
    size_t start = ++pos;
    while (pos < text.size()) {
      char c = text[pos];
      bool name_char = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                       c == '_' || c == '-' || c == '.';
      if (!name_char) break;
      ++pos;
    }
    std::string_view name = text.substr(start, pos - start);
    if (name.empty()) return err("empty variable name in port '" + std::string(text) + "'");
    if (var_depth >= kMaxVarDepth) {
      return err("variable '$" + std::string(name) + "' nests deeper than " +
                 std::to_string(kMaxVarDepth) + " levels (recursive definition?)");
    }
    std::optional<std::string> value = vars_ ? vars_(name) : std::nullopt;
    if (!value) return err("unknown variable '$" + std::string(name) + "'");
    auto ranges = parse_whole(*value, var_depth + 1);
    if (!ranges) {
      const std::string& inner = ranges.error().message;
      if (inner.find("nests deeper") != std::string::npos) return ranges.error();
      return err("in variable '$" + std::string(name) + "': " + inner);
    }
    return ranges;
  }

  // any, 80, 1024:65535, 1024:, :1023
  core::Result<WideRanges> parse_leaf(std::string_view tok) {
    if (tok == "any") return WideRanges{{0, kMaxPort}};
    size_t colon = tok.find(':');
    std::string_view lo_text = tok.substr(0, colon);
    std::string_view hi_text = colon == std::string_view::npos ? tok : tok.substr(colon + 1);
    if (colon != std::string_view::npos && lo_text.empty() && hi_text.empty()) {
      return err("invalid port range '" + std::string(tok) + "'");
    }
    std::optional<uint32_t> lo =
        lo_text.empty() ? std::optional<uint32_t>(0) : parse_number(lo_text);
    std::optional<uint32_t> hi =
        hi_text.empty() ? std::optional<uint32_t>(kMaxPort) : parse_number(hi_text);
    if (!lo || !hi) return err("invalid port '" + std::string(tok) + "'");
    if (*lo > kMaxPort || *hi > kMaxPort)
      return err("port '" + std::string(tok) + "' out of range");
    if (*lo > *hi) return err("reversed port range '" + std::string(tok) + "'");
    return WideRanges{{*lo, *hi}};
  }

  const VarLookup& vars_;
};

PortSet PortSet::any() { return PortParser::make_set({{0, kMaxPort}}); }

bool PortSet::match(uint16_t port) const noexcept {
  auto it = std::upper_bound(ranges_.begin(), ranges_.end(), port,
                             [](uint16_t p, const PortRange& r) { return p < r.lo; });
  return it != ranges_.begin() && std::prev(it)->hi >= port;
}

bool PortSet::is_any() const {
  return ranges_.size() == 1 && ranges_[0].lo == 0 && ranges_[0].hi == kMaxPort;
}

std::string PortSet::to_string() const {
  if (is_any()) return "any";
  std::string out = "[";
  for (size_t i = 0; i < ranges_.size(); ++i) {
    if (i) out += ", ";
    out += std::to_string(ranges_[i].lo);
    if (ranges_[i].hi != ranges_[i].lo) out += ":" + std::to_string(ranges_[i].hi);
  }
  return out + "]";
}

core::Result<PortSet> parse_port(std::string_view text, const VarLookup& vars) {
  PortParser parser(vars);
  auto ranges = parser.parse_whole(text, 0);
  if (!ranges) return ranges.error();
  if (ranges->empty()) return err("port '" + std::string(text) + "' matches nothing");
  return PortParser::make_set(*ranges);
}

}  // namespace pasban::detect::rules
