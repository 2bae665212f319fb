#include "detect/keywords/tag.h"

#include <charconv>
#include <string>
#include <vector>

namespace pasban::detect::keywords {

namespace {
std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if ((a[i] | 0x20) != (b[i] | 0x20)) return false;
  return true;
}

core::Error tag_error(const std::string& msg) { return core::make_error("tag: " + msg); }
}  // namespace

core::Result<TagSpec> TagSpec::parse(std::string_view value) {
  std::vector<std::string_view> parts;
  std::string_view rest = value;
  while (true) {
    const size_t comma = rest.find(',');
    parts.push_back(trim(rest.substr(0, comma)));
    if (comma == std::string_view::npos) break;
    rest = rest.substr(comma + 1);
  }
  TagSpec t;
  if (iequals(parts[0], "session")) t.type = Type::kSession;
  else if (iequals(parts[0], "host")) t.type = Type::kHost;
  else return tag_error("expected 'session' or 'host', got '" + std::string(parts[0]) + "'");
  // type, or type,count,metric, or type,count,metric,direction.
  if (parts.size() == 2 || parts.size() > 4) return tag_error("expected <type>[,<count>,<metric>[,<direction>]]");
  if (parts.size() >= 3) {
    const std::string_view n = parts[1];
    auto [end, ec] = std::from_chars(n.data(), n.data() + n.size(), t.count);
    if (ec != std::errc() || end != n.data() + n.size() || n.empty())
      return tag_error("invalid count '" + std::string(n) + "'");
    if (iequals(parts[2], "packets")) t.metric = Metric::kPackets;
    else if (iequals(parts[2], "seconds")) t.metric = Metric::kSeconds;
    else if (iequals(parts[2], "bytes")) t.metric = Metric::kBytes;
    else return tag_error("invalid metric '" + std::string(parts[2]) + "'");
  }
  if (parts.size() == 4) {
    if (iequals(parts[3], "src")) t.src_host = true;
    else if (iequals(parts[3], "dst")) t.src_host = false;
    else return tag_error("invalid direction '" + std::string(parts[3]) + "'");
  }
  return t;
}

}  // namespace pasban::detect::keywords
