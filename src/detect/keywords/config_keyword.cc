#include "detect/keywords/config_keyword.h"

#include <string>

#include "detect/keywords/numeric.h"

namespace pasban::detect::keywords {
namespace {

// Splits "name value" into its two words; false unless there are two.
bool two_words(std::string_view item, std::string_view& first, std::string_view& second) {
  item = trim(item);
  auto sp = item.find_first_of(" \t");
  if (sp == std::string_view::npos) return false;
  first = item.substr(0, sp);
  second = trim(item.substr(sp + 1));
  return !second.empty() && second.find_first_of(" \t") == std::string_view::npos;
}

core::Error config_error(const std::string& msg) { return core::make_error("config: " + msg); }

}  // namespace

core::Result<ConfigSetting> ConfigSetting::parse(std::string_view value) {
  std::string_view parts[3];
  size_t n = 0;
  while (true) {
    auto comma = value.find(',');
    if (n == 3) return config_error("expected '<subsys> disable, type <type>, scope <scope>'");
    parts[n++] = value.substr(0, comma);
    if (comma == std::string_view::npos) break;
    value = value.substr(comma + 1);
  }
  if (n != 3) return config_error("expected '<subsys> disable, type <type>, scope <scope>'");
  std::string_view subsys, action, key, type, scope;
  if (!two_words(parts[0], subsys, action)) return config_error("expected '<subsys> <action>'");
  if (action != "disable") return config_error("unsupported action '" + std::string(action) + "'");
  if (!two_words(parts[1], key, type) || key != "type") return config_error("expected 'type <type>'");
  if (!two_words(parts[2], key, scope) || key != "scope")
    return config_error("expected 'scope <scope>'");
  if (subsys != "logging")
    return config_error("subsystem '" + std::string(subsys) + "' is not supported");
  if (type != "tx") return config_error("type '" + std::string(type) + "' is not supported");
  if (scope != "tx") return config_error("scope '" + std::string(scope) + "' is not supported");
  return ConfigSetting{};
}

}  // namespace pasban::detect::keywords
