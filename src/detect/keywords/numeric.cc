#include "detect/keywords/numeric.h"

#include <charconv>
#include <string>

namespace pasban::detect::keywords {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

core::Result<uint64_t> parse_uint(std::string_view keyword, std::string_view text, uint64_t max) {
  text = trim(text);
  int base = 10;
  if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
    base = 16;
    text.remove_prefix(2);
  }
  uint64_t v = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v, base);
  if (text.empty() || ec != std::errc() || ptr != text.data() + text.size())
    return core::make_error(std::string(keyword) + ": invalid number '" + std::string(text) + "'");
  if (v > max)
    return core::make_error(std::string(keyword) + ": value " + std::to_string(v) +
                            " out of range (max " + std::to_string(max) + ")");
  return v;
}

core::Result<NumCmp> parse_num_cmp(std::string_view keyword, std::string_view text, uint64_t max) {
  text = trim(text);
  NumCmp c;
  if (text.empty()) return core::make_error(std::string(keyword) + ": empty value");
  // Ranges: "N<>M" and "N-M" are the same exclusive range, "!" negates it.
  // Suricata's parser wants M > N + 1 (a range with nothing inside is an error).
  {
    std::string_view r = text;
    const bool negated = r.starts_with('!') && !r.starts_with("!=");
    if (negated) r = trim(r.substr(1));
    size_t sep = r.find("<>"), sep_len = 2;
    if (sep == std::string_view::npos) {
      sep = r.find('-');
      sep_len = 1;
      if (sep == 0) sep = std::string_view::npos;  // "-5" is not a range
    }
    if (sep != std::string_view::npos) {
      auto a = parse_uint(keyword, r.substr(0, sep), max);
      if (!a) return a.error();
      auto b = parse_uint(keyword, r.substr(sep + sep_len), max);
      if (!b) return b.error();
      if (*b <= *a || *b - *a <= 1)
        return core::make_error(std::string(keyword) + ": invalid range '" + std::string(text) + "'");
      c.op = negated ? NumCmp::kNegRange : NumCmp::kRange;
      c.a = *a;
      c.b = *b;
      return c;
    }
  }
  if (text.starts_with("<=")) { c.op = NumCmp::kLe; text.remove_prefix(2); }
  else if (text.starts_with(">=")) { c.op = NumCmp::kGe; text.remove_prefix(2); }
  else if (text.starts_with("!=")) { c.op = NumCmp::kNe; text.remove_prefix(2); }
  else if (text.starts_with("<")) { c.op = NumCmp::kLt; text.remove_prefix(1); }
  else if (text.starts_with(">")) { c.op = NumCmp::kGt; text.remove_prefix(1); }
  else if (text.starts_with("!")) { c.op = NumCmp::kNe; text.remove_prefix(1); }
  else if (text.starts_with("=")) { text.remove_prefix(1); }
  auto v = parse_uint(keyword, text, max);
  if (!v) return v.error();
  c.a = *v;
  return c;
}

}  // namespace pasban::detect::keywords
