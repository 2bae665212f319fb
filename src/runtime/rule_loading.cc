#include "runtime/rule_loading.h"

#include <chrono>
#include <filesystem>

#include "detect/build/builtin_classifications.h"

namespace pasban::runtime {
namespace {

bool file_exists(const std::string& p) {
  std::error_code ec;
  return std::filesystem::exists(p, ec);
}

// Every scalar under vars.<group>, by name.
std::map<std::string, std::string> var_group(const Config& config, const std::string& group) {
  std::map<std::string, std::string> out;
  YAML::Node n = config.get_node("vars." + group);
  if (!n || !n.IsMap()) return out;
  for (const auto& kv : n) {
    if (!kv.first.IsScalar()) continue;
    const std::string name = kv.first.as<std::string>();
    if (auto v = config.get_string("vars." + group + "." + name)) out[name] = *v;
  }
  return out;
}

std::optional<std::string> lookup(const std::map<std::string, std::string>& m,
                                  std::string_view name) {
  auto it = m.find(std::string(name));
  if (it == m.end()) return std::nullopt;
  return it->second;
}

void load_thresholds(const RuleRecipe& recipe, LoadedRules& out) {
  auto empty = std::make_shared<detect::threshold::ThresholdConfig>();
  out.thresholds = empty;
  if (recipe.threshold_file.empty()) return;
  if (!file_exists(recipe.threshold_file)) {
    // Suricata only warns about a missing threshold file.
    out.warnings.push_back(recipe.threshold_file + ": threshold file not found");
    return;
  }
  auto tc = detect::threshold::load_threshold_config(
      recipe.threshold_file, [&recipe](std::string_view name) {
        return lookup(recipe.address_groups, name);
      });
  if (!tc) {
    out.errors.push_back(tc.error().message);
    out.unusable_reason = "threshold file: " + tc.error().message;
    return;
  }
  for (const auto& te : tc->errors) out.errors.push_back(te.message);
  out.thresholds = std::make_shared<const detect::threshold::ThresholdConfig>(std::move(*tc));
}

}  // namespace

RuleRecipe make_rule_recipe(const Config& config, const CliOptions& cli,
                            std::vector<std::string> rule_files,
                            std::vector<std::string> optional_rule_files,
                            std::vector<std::string>& warnings) {
  RuleRecipe r;
  r.rule_files = std::move(rule_files);
  r.optional_rule_files = std::move(optional_rule_files);
  r.address_groups = var_group(config, "address-groups");
  r.port_groups = var_group(config, "port-groups");
  r.pcre_limits.match_limit = uint32_t(config.get_int("pcre.match-limit", 3500));
  r.pcre_limits.recursion_limit = uint32_t(config.get_int("pcre.match-limit-recursion", 1500));
  r.strict_all = cli.strict_all;
  r.strict_keywords = cli.strict_rule_keywords;
  std::string class_file = config.get_string("classification-file").value_or("");
  if (!class_file.empty() && file_exists(class_file)) r.classification_file = class_file;
  else if (!class_file.empty())
    warnings.push_back(class_file + ": not found, using the built-in classifications");
  r.threshold_file = config.get_string("threshold-file").value_or("");
  r.detection_enabled = !cli.disable_detection;
  r.init_errors_fatal = cli.init_errors_fatal;
  return r;
}

std::shared_ptr<LoadedRules> load_rules(const RuleRecipe& recipe, const detect::VarNames* seed) {
  auto out = std::make_shared<LoadedRules>();
  detect::build::RuleSetOptions ro;
  ro.vars = [&recipe](std::string_view name) -> std::optional<std::string> {
    if (auto v = lookup(recipe.address_groups, name)) return v;
    return lookup(recipe.port_groups, name);
  };
  ro.pcre_limits = recipe.pcre_limits;
  ro.strict_all = recipe.strict_all;
  ro.strict_keywords = recipe.strict_keywords;
  ro.classification_file = recipe.classification_file;
  ro.seed_names = seed;

  std::vector<std::string> files = recipe.rule_files;
  for (const auto& f : recipe.optional_rule_files) {
    if (file_exists(f)) files.push_back(f);
    else out->warnings.push_back(f + ": rule file not found");
  }
  if (!recipe.detection_enabled) files.clear();
  std::vector<detect::build::LoadError> load_errors;
  const auto t0 = std::chrono::steady_clock::now();
  out->rules = detect::build::RuleSet::load(
      files, ro, load_errors, out->stats,
      recipe.classification_file.empty() && recipe.detection_enabled
          ? &detect::build::builtin_classifications()
          : nullptr);
  out->seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  for (const auto& le : load_errors) {
    out->errors.push_back(le.format());
    if (le.line == 0 && out->unusable_reason.empty()) out->unusable_reason = le.format();
  }
  if (out->unusable_reason.empty() && out->stats.loaded == 0 && out->stats.failed > 0)
    out->unusable_reason = "no rule loaded (" + std::to_string(out->stats.failed) + " failed)";
  if (out->unusable_reason.empty() && recipe.init_errors_fatal && !load_errors.empty())
    out->unusable_reason = std::to_string(load_errors.size()) +
                           " rule error(s) with --init-errors-fatal";
  load_thresholds(recipe, *out);
  return out;
}

}  // namespace pasban::runtime
