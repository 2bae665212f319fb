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
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "capture/source.h"
#include "output/ordered_sink.h"
#include "runtime/engine.h"
#include "runtime/engine_shared.h"

namespace pasban::runtime {

class WorkerPool {
 public:
  ~WorkerPool();
  // Loads rules, opens outputs and builds the workers (see EngineShared).
  static core::Result<std::unique_ptr<WorkerPool>> create(const Config& config,
                                                          const CliOptions& cli,
                                                          std::vector<std::string>& errors,
                                                          std::vector<std::string>& warnings);
  // Runs every capture; returns false on a read error.
  bool run(const std::vector<std::string>& captures, const std::string& bpf, std::string& error);
  // Live: worker i polls sources[i] (one per worker) until stop is set or a
  // source fails; inline sources get each packet's verdict.
  bool run_live(std::vector<std::unique_ptr<capture::Source>>& sources,
                const std::atomic<bool>& stop, std::string& error);
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
  void live_loop(Worker& w, capture::Source& src, const std::atomic<bool>& stop);
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
};

}  // namespace pasban::runtime
