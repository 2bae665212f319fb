// What the workers of one run share, built once from the configuration and
// command line and immutable once they start: the rule set, thresholds,
// the options every stage is built from, the outputs' real files and the
// detection state Suricata keeps globally (hosts, IP pairs, rules).
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "app/app_layer.h"
#include "core/counters.h"
#include "decode/decoder.h"
#include "defrag/defrag.h"
#include "detect/build/rule_set.h"
#include "detect/eval/detector.h"
#include "detect/threshold/threshold_config.h"
#include "flow/flow_table.h"
#include "output/eve.h"
#include "output/fast_log.h"
#include "output/file_log.h"
#include "runtime/cli.h"
#include "runtime/config.h"
#include "runtime/rule_loading.h"

namespace pasban::runtime {

enum class ChecksumMode { kNone, kAll, kAuto };

struct EngineSetup {
  std::vector<std::string> rule_files;
  std::vector<std::string> optional_rule_files;  // from the config: missing ones only warn
  std::string log_dir;
  ChecksumMode checksum = ChecksumMode::kAuto;
};

// Worker threads of a run (docs/threading.md).
struct ThreadingOptions {
  static constexpr size_t kMaxWorkers = 64;
  size_t workers = 1;
  // threading.deterministic-output: records in one canonical order,
  // whatever the thread count.
  bool deterministic = false;
};

// The worker count from --runmode and the threading section: single is one
// worker; threading.cpu-affinity.worker-cpu-set.threads gives an explicit
// count; autofp and workers use detect-thread-ratio x CPUs.
core::Result<ThreadingOptions> threading_options(const Config& config, const CliOptions& cli);

struct EngineShared {
  EngineSetup setup;
  ThreadingOptions threading;
  bool detection_enabled = true;
  bool ips = false;
  bool outputs = true;  // false under -T
  std::shared_ptr<detect::build::RuleSet> rules;
  detect::build::LoadStats load_stats;
  double load_seconds = 0;
  // The rule set in force and how to build it again (a reload).
  RuleRecipe recipe;
  std::shared_ptr<LoadedRules> loaded;

  // Options each worker builds its stages from.
  decode::DecodeOptions decode;
  defrag::DefragConfig defrag;
  flow::FlowConfig flow;
  app::AppLayerConfig app;
  detect::eval::DetectOptions detect;
  uint64_t raw_chunk[2] = {2560, 2560};  // stream.reassembly.to{server,client}-chunk-size

  // Outputs: the writers own the real files; workers write through copies
  // of them attached to their record buffers.
  std::vector<std::unique_ptr<output::EveWriter>> eves;  // first: the main eve-log
  std::unique_ptr<output::FastLog> fast;
  output::FileStoreOptions file_store;
  std::string stats_log_path;  // empty: stats.log disabled

  // Global detection state (its own counters, summed into the stats).
  core::Counters shared_counters;
  std::unique_ptr<detect::eval::SharedDetectState> detect_state;

  // Loads rules, reads options and opens outputs. Problems are appended to
  // errors (as "file:line: sid N: reason" for rules); usable unless the
  // Result is an error.
  static core::Result<std::unique_ptr<EngineShared>> create(const Config& config,
                                                            const CliOptions& cli,
                                                            std::vector<std::string>& errors,
                                                            std::vector<std::string>& warnings);
  // Output streams of a record buffer: eves[i] is stream i, fast.log the next.
  uint8_t fast_stream() const { return uint8_t(eves.size()); }
  std::vector<output::LogFile*> stream_files();
};

}  // namespace pasban::runtime
