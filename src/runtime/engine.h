// The offline pipeline for one worker: capture -> decode -> flow ->
// detect -> outputs. Built from the configuration and command line.
#pragma once
#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "app/app_layer.h"
#include "core/counters.h"
#include "decode/decoder.h"
#include "defrag/defrag.h"
#include "detect/build/rule_set.h"
#include "detect/eval/detector.h"
#include "detect/eval/tagging.h"
#include "detect/threshold/threshold_config.h"
#include "flow/flow_table.h"
#include "output/eve.h"
#include "output/fast_log.h"
#include "output/file_log.h"
#include "capture/reject.h"
#include "capture/source.h"
#include "runtime/cli.h"
#include "runtime/config.h"
#include "runtime/rule_loading.h"

namespace pasban::runtime {

enum class ChecksumMode { kNone, kAll, kAuto };

// What an inline engine does with a captured frame.
enum class Verdict : uint8_t { kAccept, kDrop, kReject };

struct EngineSetup {
  std::vector<std::string> rule_files;
  std::vector<std::string> optional_rule_files;  // from the config: missing ones only warn
  std::string log_dir;
  ChecksumMode checksum = ChecksumMode::kAuto;
};

class Engine {
 public:
  // Loads rules and opens outputs. Problems are appended to errors (as
  // "file:line: sid N: reason" for rules); the engine is usable unless
  // the returned Result is an error.
  static core::Result<std::unique_ptr<Engine>> create(const Config& config, const CliOptions& cli,
                                                      std::vector<std::string>& errors,
                                                      std::vector<std::string>& warnings);
  // Runs every capture; returns false on a read or write error.
  bool run(const std::vector<std::string>& captures, const std::string& bpf,
           std::string& error);
  // Live capture: processes what src delivers until a stop (signal,
  // socket) or a fatal source error; inline, gives every packet its
  // verdict and answers reject rules through reject (may be null).
  bool run_live(capture::Source& src, capture::RejectSender* reject, std::string& error);
  // Ends flows, writes the stats record, flushes and closes outputs.
  bool finish(std::string& error);

  const detect::build::LoadStats& load_stats() const { return load_stats_; }
  double load_seconds() const { return load_seconds_; }
  uint64_t packets() const { return packets_; }
  uint64_t bytes() const { return bytes_; }
  uint64_t alerts() const { return alerts_; }
  // Lifecycle (runtime/lifecycle.h). Between packets, when *flag is not
  // zero, the read loop calls hook; hook returning false stops reading
  // (run() then returns true and the caller runs finish() as usual). Both
  // outlive run(); one relaxed load per packet when nothing is pending.
  // wake_fd (an eventfd, -1: none) wakes an input that is waiting for
  // packets (a FIFO) so pending work runs while no packet arrives.
  void set_packet_boundary(const std::atomic<uint32_t>* flag, std::function<bool()> hook,
                           int wake_fd = -1);
  // True once a boundary hook stopped the run.
  bool stopped() const { return stopped_; }
  // Log rotation (SIGHUP): every log file reopens its path. False, with
  // error naming the file, when one cannot be reopened.
  bool reopen_outputs(std::string& error);
  // Rule reload, on the packet thread between packets: `next` inspects
  // every packet from the next one on; per-flow rule state is carried over
  // (detect/eval/rule_swap.cc).
  void swap_rules(std::shared_ptr<LoadedRules> next);
  // How the rules were built and the set in force (a reload's seed).
  // rule_recipe() never changes after create(): any thread may read it.
  const RuleRecipe& rule_recipe() const { return recipe_; }
  std::shared_ptr<const LoadedRules> loaded_rules() const { return loaded_; }
  const core::Counters& counters() const { return counters_; }
  core::Counters& counters() { return counters_; }  // packet thread only
  uint64_t active_flows() const { return flows_ ? flows_->size() : 0; }
  // Processes one captured frame; inline, the verdict to give it (always
  // accept when passive). The detector's verdict() says what rejected it.
  Verdict process(int linktype, core::Timestamp ts, core::Bytes frame);

 private:
  Engine() = default;
  void emit_alerts(const decode::Packet& p, const detect::eval::PacketVerdict* v);
  void log_drop(const decode::Packet& p, const detect::eval::Alert* cause);
  // EVE flowbit and variable names of the rule set in force.
  void name_variables(output::EveWriter& w) const;
  // Files keep their content only when file.data rules or the file-store
  // need it (the process-wide file settings; set again after a reload).
  void apply_file_content_limit() const;
  // Runs the boundary hook when something is pending; false: stop reading.
  bool at_boundary();
  // EVE anomaly records for what the packet raised (decode, stream, app layer).
  void log_anomalies(const decode::Packet& p);
  // Flow, app-layer and detection for one decoded packet.
  void run_stages(decode::Packet& p);
  // Decodes and runs parent's inner packet (and theirs, recursively).
  void process_inner(decode::Packet& parent);
  // Hands a fragment to defrag and runs the datagram it completes, before
  // the fragment itself (as Suricata runs its defrag pseudo packet).
  void defragment(decode::Packet& fragment);
  // A flow ends: flush its stream and parser, inspect and log what is left
  // (from pseudo packets, as Suricata does at flow timeout), then log the flow.
  void end_flow(flow::Flow& f, flow::EndReason why);

  core::Counters counters_;
  const std::atomic<uint32_t>* boundary_flag_ = nullptr;
  std::function<bool()> boundary_hook_;
  int boundary_wake_fd_ = -1;
  bool stopped_ = false;
  bool file_store_enabled_ = false;
  size_t file_content_limit_ = 0;  // as configured, before apply_file_content_limit
  EngineSetup setup_;
  std::shared_ptr<detect::build::RuleSet> rules_;
  RuleRecipe recipe_;                    // how rules_ was built (a reload repeats it)
  std::shared_ptr<LoadedRules> loaded_;  // rules_ and the thresholds in force
  std::unique_ptr<decode::Decoder> decoder_;
  std::unique_ptr<flow::FlowTable> flows_;
  std::unique_ptr<app::AppLayer> app_;
  std::unique_ptr<detect::eval::Detector> detector_;
  std::unique_ptr<output::EveWriter> eve_;
  std::vector<std::unique_ptr<output::EveWriter>> extra_eves_;  // 2nd.. eve-log outputs
  std::unique_ptr<output::FastLog> fast_;
  std::unique_ptr<output::FileLog> file_log_;  // file-store and fileinfo records
  std::string stats_log_path_;  // empty: stats.log disabled
  detect::build::LoadStats load_stats_;
  double load_seconds_ = 0;
  bool detection_enabled_ = true;
  bool ips_ = false;
  // -k auto: checksums are checked until kAutoSample packets say offload.
  uint64_t csum_sampled_ = 0, csum_bad_ = 0;
  bool csum_decided_ = false;
  core::Timestamp first_ts_, last_ts_;
  bool seen_packet_ = false;
  uint64_t packets_ = 0, bytes_ = 0, alerts_ = 0;
  decode::Packet packet_;
  // Inner packets of tunnels, one per nesting level (decoder.max-layers).
  std::vector<decode::Packet> tunnel_packets_;
  detect::eval::TagTracker tags_{counters_};
  std::unique_ptr<defrag::Defragmenter> defrag_;
  // Datagrams rebuilt by defrag, one per nesting level, with their bytes.
  struct RebuiltSlot {
    decode::Packet packet;
    std::vector<uint8_t> bytes;
  };
  std::vector<RebuiltSlot> rebuilt_;
  std::vector<detect::eval::Alert> alert_buf_;
  core::Counters::Id c_csum_bad_ = 0;
  // Inline verdict of the frame being processed, and the ips.* counters.
  bool frame_dropped_ = false, frame_rejected_ = false;
  // Live capture: no pcap_cnt (Suricata logs it for files only), and the
  // kernel may say a frame's checksums cannot be checked (offload).
  bool live_ = false;
  bool frame_csum_unverifiable_ = false;
  // Publishes a live source's counters (capture.kernel_*) for stats.
  void record_capture_stats(capture::Source& src);
  core::Counters::Id c_ips_accepted_ = 0, c_ips_blocked_ = 0, c_ips_rejected_ = 0,
                     c_ips_replaced_ = 0;
  core::Counters::Id c_drop_reason_[size_t(decode::DropReason::kCount)] = {};
  // Raw stream inspection: on when rules need it; chunk sizes per
  // direction (stream.reassembly.to{server,client}-chunk-size).
  bool raw_stream_ = false;
  uint64_t raw_chunk_[2] = {2560, 2560};
  void inspect_raw_stream(decode::Packet& p, bool flow_end);
};

}  // namespace pasban::runtime
