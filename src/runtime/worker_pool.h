// A run's worker threads. Offline, the calling thread reads the captures
// and hands each packet (copied into a bounded ring of packet buffers) to
// the worker that owns its flows, chosen by a symmetric hash of the
// outermost IP address pair; non-IP frames go to worker 0. Live, each
// worker polls its own capture::Source and gives it the packet's verdict.
//
// Determinism: packet time drives every worker's clock (the reader tells
// idle workers when a flow sweep is due), shared detection state is
// touched in global packet order (TurnWait), and with
// threading.deterministic-output the records are written in one order
// that does not depend on the thread count (output/ordered_sink.h).
#pragma once
#include <atomic>
#include <functional>
#include <mutex>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "capture/reject.h"
#include "capture/source.h"
#include "output/ordered_sink.h"
#include "runtime/engine.h"
#include "runtime/engine_shared.h"

namespace pasban::runtime {

class WorkerPool {
 public:
  ~WorkerPool();
  // Loads rules, opens outputs and builds the workers (see EngineShared).
  // workers: the count (live: one per source); 0 takes it from the
  // threading settings.
  static core::Result<std::unique_ptr<WorkerPool>> create(const Config& config,
                                                          const CliOptions& cli,
                                                          std::vector<std::string>& errors,
                                                          std::vector<std::string>& warnings,
                                                          size_t workers = 0);
  // Runs every capture; returns false on a read error.
  bool run(const std::vector<std::string>& captures, const std::string& bpf, std::string& error);
  // Live: worker i polls sources[i] (one per worker) until stop is set or a
  // source fails; inline sources get each packet's verdict.
  // reject answers reject rules (null: they only drop); shared by the
  // workers under a lock (rejects are rare). The calling thread runs the
  // lifecycle boundary hook meanwhile; a hook returning false stops.
  bool run_live(std::vector<std::unique_ptr<capture::Source>>& sources,
                capture::RejectSender* reject, std::string& error);

  // Lifecycle (runtime/lifecycle.h). Between packets (offline: the reader
  // thread; live: the calling thread, every 100 ms), when *flag is not
  // zero, hook runs; false stops the run (run() then returns true and
  // finish() runs as usual). wake_fd (an eventfd, -1: none) wakes a reader
  // waiting on an idle FIFO.
  void set_packet_boundary(const std::atomic<uint32_t>* flag, std::function<bool()> hook,
                           int wake_fd = -1);
  bool stopped() const { return stopped_.load(); }
  // Log rotation (SIGHUP): every log file reopens its path.
  bool reopen_outputs(std::string& error);
  // Rule reload: each worker takes `next` up before its next packet.
  void swap_rules(std::shared_ptr<LoadedRules> next);
  const RuleRecipe& rule_recipe() const { return shared_->recipe; }
  std::shared_ptr<const LoadedRules> loaded_rules() const;
  // Counters of the run itself (reloads); a snapshot of every worker's for
  // dump-counters (read while they run: approximate, as Suricata's are).
  core::Counters& counters() { return shared_->shared_counters; }
  core::Counters counters_snapshot() { return sum_counters(); }
  uint64_t active_flows() const;
  // Ends flows, writes the stats record, flushes and closes outputs.
  bool finish(std::string& error);

  size_t workers() const { return workers_.size(); }
  const detect::build::LoadStats& load_stats() const { return shared_->load_stats; }
  double load_seconds() const { return shared_->load_seconds; }
  uint64_t packets() const;
  // Packets each worker processed (how evenly the flows spread).
  std::vector<uint64_t> packets_per_worker() const;
  uint64_t bytes() const;
  uint64_t alerts() const;

 private:
  struct Slot;
  struct Worker;
  class Reader;
  WorkerPool() = default;

  // One packet through worker 0 on the calling thread (one worker).
  void process_inline(const Slot& s);
  // The loop of a worker thread fed by the reader.
  void worker_loop(Worker& w);
  void live_loop(Worker& w, capture::Source& src, const std::atomic<bool>& stop,
                 capture::RejectSender* reject);
  // Hands the worker's records to the output (before its packet is marked done).
  void publish(Worker& w, bool force);
  // Every packet numbered below n is done (and, with tick_of_n, every
  // other worker's sweep at n).
  bool done_below(uint64_t n, bool with_ticks_at_n) const;
  uint64_t watermark() const;
  void merger_loop();
  // Ends every open flow, all workers together, in origin order.
  void end_open_flows();
  core::Counters sum_counters();

  std::unique_ptr<EngineShared> shared_;
  std::vector<std::unique_ptr<Worker>> workers_;
  std::unique_ptr<output::OrderedOutput> output_;
  std::vector<std::unique_ptr<Slot>> ring_;
  std::atomic<uint64_t> reclaimed_{1};  // every packet below it is done
  std::atomic<uint64_t> live_cnt_{0};   // live packets, numbered across workers
  std::atomic<bool> stop_merger_{false};
  std::thread merger_;
  std::vector<std::string> files_;  // capture files, by index (pcap_filename)
  // Lifecycle.
  const std::atomic<uint32_t>* boundary_flag_ = nullptr;
  std::function<bool()> boundary_hook_;
  int boundary_wake_fd_ = -1;
  std::atomic<bool> stopped_{false};
  bool at_boundary();
  // A reload: the set every worker takes up at its next packet.
  mutable std::mutex rules_mu_;
  std::shared_ptr<LoadedRules> next_rules_;
  std::atomic<uint64_t> rules_generation_{0};
  void take_rules(Worker& w);
  std::mutex reject_mu_;
};

}  // namespace pasban::runtime
