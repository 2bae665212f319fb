#include "detect/rules/address.h"

#include <algorithm>
#include <cstdio>

namespace pasban::detect::rules {

using u128 = unsigned __int128;
using Ranges = std::vector<AddressRange>;

namespace {

constexpr u128 kV4Max = 0xffffffffu;
constexpr u128 kV6Max = ~u128(0);

core::Error err(std::string msg) { return core::make_error(std::move(msg)); }

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

void skip_space(std::string_view text, size_t& pos) {
  while (pos < text.size() && is_space(text[pos])) ++pos;
}

// Sorts and merges overlapping or adjacent ranges.
void normalize(Ranges& r) {
  if (r.size() < 2) return;
  std::sort(r.begin(), r.end(),
            [](const AddressRange& a, const AddressRange& b) { return a.lo < b.lo; });
  size_t out = 0;
  for (size_t i = 1; i < r.size(); ++i) {
    AddressRange& cur = r[out];
    if (cur.hi == kV6Max || r[i].lo <= cur.hi + 1) {
      cur.hi = std::max(cur.hi, r[i].hi);
    } else {
      r[++out] = r[i];
    }
  }
  r.resize(out + 1);
}

// a minus b, both normalized; the result is normalized.
Ranges subtract(const Ranges& a, const Ranges& b) {
  Ranges out;
  size_t j = 0;
  for (const AddressRange& r : a) {
    u128 lo = r.lo;
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

void append(Ranges& to, const Ranges& from) { to.insert(to.end(), from.begin(), from.end()); }

u128 to_u128(const core::IpAddress& a) {
  if (a.is_v4()) return a.v4_host_order();
  u128 v = 0;
  for (uint8_t b : a.bytes) v = v << 8 | b;
  return v;
}

bool contains(const Ranges& r, u128 v) {
  // First range whose lo is greater than v; the one before may hold v.
  auto it = std::upper_bound(r.begin(), r.end(), v,
                             [](u128 x, const AddressRange& range) { return x < range.lo; });
  return it != r.begin() && std::prev(it)->hi >= v;
}

std::optional<unsigned> parse_decimal(std::string_view s, unsigned max) {
  if (s.empty() || s.size() > 3) return std::nullopt;
  unsigned v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + unsigned(c - '0');
  }
  if (v > max) return std::nullopt;
  return v;
}

// Prefix length of a contiguous IPv4 netmask, or nullopt.
std::optional<unsigned> netmask_prefix(uint32_t mask) {
  uint32_t inverted = ~mask;
  if ((inverted & (inverted + 1)) != 0) return std::nullopt;  // not 1...10...0
  unsigned bits = 0;
  while (mask & 0x80000000u) {
    ++bits;
    mask <<= 1;
  }
  return bits;
}

struct FamilySets {
  Ranges v4, v6;
};

FamilySets universe() { return FamilySets{{{0, kV4Max}}, {{0, kV6Max}}}; }

FamilySets complement(const FamilySets& s) {
  return FamilySets{subtract({{0, kV4Max}}, s.v4), subtract({{0, kV6Max}}, s.v6)};
}

std::string u128_to_ip(u128 v, bool v4) {
  core::IpAddress a;
  if (v4) {
    a.family = 4;
    for (int i = 3; i >= 0; --i, v >>= 8) a.bytes[i] = uint8_t(v);
  } else {
    a.family = 6;
    for (int i = 15; i >= 0; --i, v >>= 8) a.bytes[i] = uint8_t(v);
  }
  return a.to_string();
}

void append_ranges(std::string& out, const Ranges& ranges, bool v4) {
  const int width = v4 ? 32 : 128;
  for (const AddressRange& r : ranges) {
    if (!out.empty()) out += ", ";
    out += u128_to_ip(r.lo, v4);
    if (r.lo == r.hi) continue;
    // One CIDR block when hi - lo + 1 is a power of two aligned at lo.
    u128 size_minus_one = r.hi - r.lo;
    bool block = (size_minus_one & (size_minus_one + 1)) == 0 && (r.lo & size_minus_one) == 0;
    if (block) {
      int host_bits = 0;
      while (host_bits < width && ((size_minus_one >> host_bits) & 1)) ++host_bits;
      out += "/" + std::to_string(width - host_bits);
    } else {
      out += "-" + u128_to_ip(r.hi, v4);
    }
  }
}

}  // namespace

class AddressParser {
 public:
  explicit AddressParser(const VarLookup& vars) : vars_(vars) {}

  // Parses a whole expression: one element, nothing after it.
  core::Result<FamilySets> parse_whole(std::string_view text, int var_depth) {
    size_t pos = 0;
    auto element = parse_element(text, pos, var_depth, 0);
    if (!element) return element.error();
    skip_space(text, pos);
    if (pos != text.size()) {
      return err("unexpected '" + std::string(text.substr(pos)) + "' in address '" +
                 std::string(text) + "'");
    }
    return element->negated ? complement(element->sets) : std::move(element->sets);
  }

  static AddressSet make_set(FamilySets&& s) {
    AddressSet set;
    set.v4_ = std::move(s.v4);
    set.v6_ = std::move(s.v6);
    return set;
  }

 private:
  struct Element {
    FamilySets sets;
    bool negated = false;  // an odd number of leading '!'
  };

  core::Result<Element> parse_element(std::string_view text, size_t& pos, int var_depth,
                                      int nesting) {
    skip_space(text, pos);
    Element element;
    // Counted in a loop rather than by recursion: "!!!!...x" cannot blow
    // the stack.
    while (pos < text.size() && text[pos] == '!') {
      element.negated = !element.negated;
      ++pos;
    }
    if (pos >= text.size()) return err("empty address in '" + std::string(text) + "'");
    char c = text[pos];
    if (c == '[') {
      auto list = parse_list(text, pos, var_depth, nesting + 1);
      if (!list) return list.error();
      element.sets = std::move(*list);
    } else if (c == '$') {
      auto var = parse_var(text, pos, var_depth);
      if (!var) return var.error();
      element.sets = std::move(*var);
    } else {
      size_t start = pos;
      while (pos < text.size() && text[pos] != ',' && text[pos] != ']' && text[pos] != '[' &&
             !is_space(text[pos])) {
        ++pos;
      }
      if (start == pos) {
        return err("unexpected '" + std::string(1, c) + "' in address '" + std::string(text) + "'");
      }
      auto leaf = parse_leaf(text.substr(start, pos - start));
      if (!leaf) return leaf.error();
      element.sets = std::move(*leaf);
    }
    return element;
  }

  // "[a, !b, [c, d]]": (union of positives, or everything when there are
  // none) minus (union of negatives).
  core::Result<FamilySets> parse_list(std::string_view text, size_t& pos, int var_depth,
                                      int nesting) {
    if (nesting > kMaxListNesting) return err("address lists nested too deeply");
    size_t open = pos++;
    FamilySets positive, negative;
    bool any_positive = false;
    int count = 0;
    for (;;) {
      skip_space(text, pos);
      if (pos >= text.size()) break;
      if (text[pos] == ']') {
        if (count == 0) return err("empty address list in '" + std::string(text) + "'");
        return err("expected address before ']' in '" + std::string(text) + "'");
      }
      auto element = parse_element(text, pos, var_depth, nesting);
      if (!element) return element.error();
      ++count;
      if (element->negated) {
        append(negative.v4, element->sets.v4);
        append(negative.v6, element->sets.v6);
      } else {
        any_positive = true;
        append(positive.v4, element->sets.v4);
        append(positive.v6, element->sets.v6);
      }
      skip_space(text, pos);
      if (pos < text.size() && text[pos] == ',') {
        ++pos;
        continue;
      }
      if (pos < text.size() && text[pos] == ']') {
        ++pos;
        if (!any_positive) positive = universe();
        normalize(positive.v4);
        normalize(positive.v6);
        normalize(negative.v4);
        normalize(negative.v6);
        return FamilySets{subtract(positive.v4, negative.v4), subtract(positive.v6, negative.v6)};
      }
      if (pos < text.size()) {
        return err("expected ',' or ']' at '" + std::string(text.substr(pos)) + "' in address '" +
                   std::string(text) + "'");
      }
    }
    return err("unterminated '[' in address '" + std::string(text.substr(open)) + "'");
  }

  core::Result<FamilySets> parse_var(std::string_view text, size_t& pos, int var_depth) {
    size_t start = ++pos;
    while (pos < text.size()) {
      char c = text[pos];
      bool name_char = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                       c == '_' || c == '-' || c == '.';
      if (!name_char) break;
      ++pos;
    }
    std::string_view name = text.substr(start, pos - start);
    if (name.empty()) return err("empty variable name in address '" + std::string(text) + "'");
    if (var_depth >= kMaxVarDepth) {
      return err("variable '$" + std::string(name) + "' nests deeper than " +
                 std::to_string(kMaxVarDepth) + " levels (recursive definition?)");
    }
    std::optional<std::string> value = vars_ ? vars_(name) : std::nullopt;
    if (!value) return err("unknown variable '$" + std::string(name) + "'");
    auto sets = parse_whole(*value, var_depth + 1);
    if (!sets) {
      // Keep the innermost message but say where it came from, once.
      const std::string& inner = sets.error().message;
      if (inner.find("nests deeper") != std::string::npos) return sets.error();
      return err("in variable '$" + std::string(name) + "': " + inner);
    }
    return sets;
  }

  // any, an address, CIDR, netmask or a-b range.
  core::Result<FamilySets> parse_leaf(std::string_view tok) {
    if (tok == "any") return universe();
    size_t slash = tok.find('/');
    size_t dash = tok.find('-');
    if (dash != std::string_view::npos && slash == std::string_view::npos) {
      auto lo = core::IpAddress::parse(tok.substr(0, dash));
      auto hi = core::IpAddress::parse(tok.substr(dash + 1));
      if (!lo || !hi || lo->family != hi->family) {
        return err("invalid address range '" + std::string(tok) + "'");
      }
      u128 a = to_u128(*lo), b = to_u128(*hi);
      if (a > b) return err("reversed address range '" + std::string(tok) + "'");
      FamilySets s;
      (lo->is_v4() ? s.v4 : s.v6).push_back({a, b});
      return s;
    }
    auto addr = core::IpAddress::parse(tok.substr(0, slash));
    if (!addr) return err("invalid address '" + std::string(tok) + "'");
    const unsigned width = addr->is_v4() ? 32 : 128;
    unsigned prefix = width;
    if (slash != std::string_view::npos) {
      std::string_view mask_text = tok.substr(slash + 1);
      if (auto bits = parse_decimal(mask_text, width)) {
        prefix = *bits;
      } else if (addr->is_v4() && mask_text.find('.') != std::string_view::npos) {
        auto mask = core::IpAddress::parse(mask_text);
        std::optional<unsigned> bits_from_mask;
        if (mask && mask->is_v4()) bits_from_mask = netmask_prefix(mask->v4_host_order());
        if (!bits_from_mask) return err("invalid netmask in '" + std::string(tok) + "'");
        prefix = *bits_from_mask;
      } else {
        return err("invalid CIDR prefix length in '" + std::string(tok) + "'");
      }
    }
    // Host bits set below the prefix ("1.2.3.4/24") are masked off, as
    // Suricata does.
    u128 value = to_u128(*addr);
    u128 host_mask = prefix == 0 ? (addr->is_v4() ? kV4Max : kV6Max)
                                 : (prefix >= width ? 0 : (u128(1) << (width - prefix)) - 1);
    FamilySets s;
    (addr->is_v4() ? s.v4 : s.v6).push_back({value & ~host_mask, value | host_mask});
    return s;
  }

  const VarLookup& vars_;
};

AddressSet AddressSet::any() { return AddressParser::make_set(universe()); }

bool AddressSet::match(const core::IpAddress& addr) const noexcept {
  if (addr.is_v4()) return contains(v4_, addr.v4_host_order());
  if (addr.is_v6()) return contains(v6_, to_u128(addr));
  return false;
}

bool AddressSet::is_any() const {
  return v4_.size() == 1 && v4_[0].lo == 0 && v4_[0].hi == kV4Max && v6_.size() == 1 &&
         v6_[0].lo == 0 && v6_[0].hi == kV6Max;
}

std::string AddressSet::to_string() const {
  if (is_any()) return "any";
  std::string out;
  append_ranges(out, v4_, true);
  append_ranges(out, v6_, false);
  return "[" + out + "]";
}

core::Result<AddressSet> parse_address(std::string_view text, const VarLookup& vars) {
  AddressParser parser(vars);
  auto sets = parser.parse_whole(text, 0);
  if (!sets) return sets.error();
  if (sets->v4.empty() && sets->v6.empty()) {
    return err("address '" + std::string(text) + "' matches nothing");
  }
  return AddressParser::make_set(std::move(*sets));
}

}  // namespace pasban::detect::rules
