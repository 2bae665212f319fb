// RawRule (grammar) -> Rule (compiled options). One keyword table maps
// each option name to its setup; errors name the keyword and token.
#pragma once
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/result.h"
#include "detect/keywords/pcre.h"
#include "detect/rule.h"
#include "detect/rules/rule_text.h"
#include "detect/rules/var_lookup.h"
#include "detect/var_names.h"

namespace pasban::detect::build {

struct ClassType {
  std::string description;
  int priority = 3;
};

struct BuildContext {
  rules::VarLookup vars;
  std::unordered_map<std::string, ClassType> classtypes;
  std::function<uint32_t(std::string_view)> intern_flowbit;
  // Names of flowints, flowvars, pktvars, hostbits and ip-pair bits (the
  // rule set's); rules using those keywords fail to build without it.
  VarNames* var_names = nullptr;
  keywords::PcreLimits pcre_limits;
  // Keywords named in --strict-rule-keywords (or "all"): warnings about them become errors.
  bool strict_all = false;
  std::vector<std::string> strict_keywords;
};

struct BuildResult {
  bool skipped = false;  // `requires:` not met: not an error, the rule is left out
  std::string skip_reason;
};

core::Result<Rule> build_rule(const rules::RawRule& raw, const BuildContext& ctx,
                              BuildResult& outcome);

// The sid as written, for error messages on rules that fail to build.
std::string find_sid_text(const rules::RawRule& raw);

}  // namespace pasban::detect::build
