// The immutable rule set: rules in Suricata's order, grouped by transport
// protocol with one Vectorscan database of fast patterns per group, plus
// the rules that have no usable pattern and the IP-only rules.
#pragma once
#include <array>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "detect/build/ip_only_index.h"
#include "detect/build/rule_builder.h"
#include "detect/rule.h"
#include "mpm/mpm.h"

namespace pasban::detect::build {

// Transport classes a packet falls into; rule groups are per class.
enum class ProtoClass : uint8_t { kTcp, kUdp, kIcmpv4, kIcmpv6, kOther, kCount };
ProtoClass proto_class_of(const decode::Packet& p);

struct LoadError {
  std::string file;
  int line = 0;
  std::string sid;
  std::string reason;
  std::string format() const { return file + ":" + std::to_string(line) + ": sid " + sid + ": " + reason; }
};

struct LoadStats {
  size_t files = 0;
  size_t loaded = 0;
  size_t failed = 0;
  size_t skipped = 0;  // requires: not met
  std::unordered_map<std::string, size_t> failures_by_reason;
};

struct RuleGroup {
  std::shared_ptr<mpm::Database> db;  // ids are rule indexes
  std::vector<uint32_t> no_pattern;   // rules evaluated on every packet of the class
};

// A fast-pattern database over one app buffer as seen through one
// transform chain (dns.query; dotprefix; ... scans ".example.com").
struct AppPrefilter {
  app::AppBuffer buffer = app::AppBuffer::kCount;
  transforms::TransformChain chain;
  std::shared_ptr<mpm::Database> db;  // ids are rule indexes
};

// Transaction rules of one application protocol: the prefilter databases
// and the rules without a pattern.
struct AppRuleGroup {
  std::vector<AppPrefilter> prefilters;
  std::vector<uint32_t> no_pattern;
};

struct RuleSetOptions {
  rules::VarLookup vars;
  std::string classification_file;  // empty: none
  keywords::PcreLimits pcre_limits;
  bool strict_all = false;
  std::vector<std::string> strict_keywords;
  // A rule reload passes the running set's names: every variable keeps its
  // id (flows, hosts and ip pairs store ids), new names get new ids after
  // them. Null: ids start at 0.
  const VarNames* seed_names = nullptr;
};

class RuleSet {
 public:
  // Loads every file (a missing file is an error); bad rules go to errors
  // and the rest load.
  static std::shared_ptr<RuleSet> load(const std::vector<std::string>& files,
                                       const RuleSetOptions& options,
                                       std::vector<LoadError>& errors, LoadStats& stats,
                                       const std::unordered_map<std::string, ClassType>*
                                           fallback_classtypes = nullptr);

  const std::vector<Rule>& rules() const { return rules_; }
  const RuleGroup& group(ProtoClass c) const { return groups_[size_t(c)]; }
  const AppRuleGroup& app_group(app::AppProto p) const { return app_groups_[size_t(p)]; }
  const std::vector<uint32_t>& ip_only() const { return ip_only_; }
  const IpOnlyIndex& ip_only_index() const { return ip_only_index_; }
  uint32_t flowbit_count() const { return uint32_t(flowbit_names_.size()); }
  const std::string& flowbit_name(uint32_t id) const { return flowbit_names_[id]; }
  const std::unordered_map<std::string, ClassType>& classtypes() const { return classtypes_; }
  // Names of every rule variable (flowbits included, same ids), for logs.
  const VarNames& var_names() const { return var_names_; }

 private:
  void order_rules();
  core::Status build_groups();

  std::vector<Rule> rules_;
  std::array<RuleGroup, size_t(ProtoClass::kCount)> groups_;
  std::array<AppRuleGroup, size_t(app::AppProto::kCount)> app_groups_;
  std::vector<uint32_t> ip_only_;
  IpOnlyIndex ip_only_index_;
  std::vector<std::string> flowbit_names_;
  VarNames var_names_;
  std::unordered_map<std::string, ClassType> classtypes_;
};

// classification.config lines: "config classification: name,description,priority".
std::unordered_map<std::string, ClassType> load_classifications(const std::string& path,
                                                                std::vector<LoadError>& errors);

}  // namespace pasban::detect::build
