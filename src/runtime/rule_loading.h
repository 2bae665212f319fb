// Building the detection rule set: at start-up and again for every rule
// reload (SIGUSR2, the control socket's reload-rules). Everything a build
// reads from the configuration is captured once in a RuleRecipe, so a
// reload runs on a background thread without touching the Config (yaml-cpp
// is not safe for concurrent readers) while packets flow.
#pragma once
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "detect/build/rule_set.h"
#include "detect/threshold/threshold_config.h"
#include "detect/var_names.h"
#include "runtime/cli.h"
#include "runtime/config.h"

namespace pasban::runtime {

struct RuleRecipe {
  std::vector<std::string> rule_files;           // -S / -s: must exist
  std::vector<std::string> optional_rule_files;  // rule-files: missing ones only warn
  std::map<std::string, std::string> address_groups, port_groups;  // vars.*
  detect::keywords::PcreLimits pcre_limits;
  bool strict_all = false;
  std::vector<std::string> strict_keywords;
  std::string classification_file;  // empty: the built-in classifications
  std::string threshold_file;       // empty: none
  bool detection_enabled = true;
  bool init_errors_fatal = false;   // a reload with any rule error keeps the old rules
};

// One built rule set and what it came with.
struct LoadedRules {
  std::shared_ptr<detect::build::RuleSet> rules;
  std::shared_ptr<const detect::threshold::ThresholdConfig> thresholds;
  detect::build::LoadStats stats;
  double seconds = 0;
  std::vector<std::string> errors;    // "file:line: sid N: reason", threshold errors
  std::vector<std::string> warnings;  // missing optional files
  // Why the set must not replace a running one ("" when it may): a rule file
  // that cannot be read, a prefilter that failed to build, no rule loaded
  // while some failed, or any error under --init-errors-fatal.
  std::string unusable_reason;
};

// Captures the recipe; warnings gets what is worth saying once (a missing
// classification file).
RuleRecipe make_rule_recipe(const Config& config, const CliOptions& cli,
                            std::vector<std::string> rule_files,
                            std::vector<std::string> optional_rule_files,
                            std::vector<std::string>& warnings);

// Builds the rule set and thresholds. seed: the running set's variable
// names on a reload (their ids are kept), else null.
std::shared_ptr<LoadedRules> load_rules(const RuleRecipe& recipe, const detect::VarNames* seed);

}  // namespace pasban::runtime
