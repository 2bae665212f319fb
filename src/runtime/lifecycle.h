// The running process's lifecycle around the packet loop: signals (stop,
// log reopen, rule reload), background rule rebuilds swapped in at packet
// boundaries, and the control socket's commands. The packet thread calls
// on_boundary() between packets (WorkerPool::set_packet_boundary); other
// threads (the socket server, the rule builder) hand it work through a
// queue of tasks, run on the thread that serves the boundary hook.
#pragma once
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "runtime/control_socket.h"
#include "runtime/worker_pool.h"
#include "runtime/signals.h"

namespace pasban::runtime {

struct LifecycleOptions {
  std::string run_mode = "single";         // running-mode's answer
  std::string capture_mode = "PCAP_FILE";  // capture-mode's answer
  // How long a socket command waits for the packet thread (idle offline
  // input blocks it in a read) before answering from what it has.
  std::chrono::milliseconds packet_thread_wait{1000};
  // How long reload-rules waits for a rule set to build.
  std::chrono::milliseconds reload_build_limit{600000};
};

// The outcome of the last rule reload, for ruleset-reload-time and
// ruleset-stats.
struct ReloadStatus {
  bool ok = true;
  std::string time;  // ISO 8601 local time of the last successful load
  std::string error;  // why the last reload was refused
  size_t loaded = 0, failed = 0, skipped = 0;
  std::vector<std::string> failed_rules;  // the last build's rule errors
};

class Lifecycle {
 public:
  Lifecycle(WorkerPool& engine, LifecycleEvents& events, LifecycleOptions options);
  ~Lifecycle();
  Lifecycle(const Lifecycle&) = delete;
  Lifecycle& operator=(const Lifecycle&) = delete;

  // Installs the boundary hook on the engine.
  void attach();
  // Packet thread: handles what is pending; false stops reading.
  bool on_boundary();

  // Any thread: starts a background rebuild; false when one is running.
  bool start_reload();
  // Any thread: rebuilds and waits until the new set is handed to the
  // packet thread (then every packet read after the answer is inspected by
  // it) or refused. Errors say why; the old rules stay on failure.
  core::Status reload_and_wait();
  // Any thread: runs fn on the packet thread at its next boundary. False
  // when the packet thread did not get to it within the wait (fn is then
  // dropped, never run late).
  bool run_on_packet_thread(std::function<void()> fn, std::chrono::milliseconds wait);
  // The counters as Suricata's dump-counters object (nested by dotted
  // name, with uptime), as fresh as the packet thread lets it be.
  std::string counters_json();
  ReloadStatus reload_status() const;

  // How `shutdown` wakes a packet thread blocked in a read (the app sends
  // it SIGTERM, which interrupts the read).
  void set_stop_waker(std::function<void()> waker) { stop_waker_ = std::move(waker); }
  // Opens the control socket at path with every command registered.
  core::Status open_control_socket(const std::string& path);

 private:
  struct Task {
    std::function<void()> fn;
    bool done = false, cancelled = false;
  };
  void register_commands(ControlSocket& s);
  void run_tasks();
  std::shared_ptr<Task> post_task(std::function<void()> fn);
  void reopen_logs();
  // Packet thread: swap in a built set, or report why it is refused.
  void finish_reload(std::shared_ptr<LoadedRules> built);
  void snapshot_counters();  // packet thread

  WorkerPool& engine_;
  LifecycleEvents& events_;
  LifecycleOptions options_;
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::shared_ptr<Task>> tasks_;
  std::shared_ptr<const LoadedRules> current_;  // the set in force (the next build's seed)
  bool building_ = false;
  uint64_t reloads_started_ = 0, reloads_built_ = 0, reloads_finished_ = 0;
  std::string last_build_error_;  // of the last build ("" usable)
  std::function<void()> stop_waker_;
  ReloadStatus status_;
  std::thread builder_;
  std::string counters_snapshot_;
  std::unique_ptr<ControlSocket> socket_;
  core::Counters::Id c_reloads_ = 0, c_reload_failures_ = 0;
};

// The dump-counters object of a set of counters: "decoder.pkts" becomes
// {"decoder": {"pkts": N}}; uptime in seconds comes first.
std::string counters_to_json(const core::Counters& counters, int64_t uptime_s);

}  // namespace pasban::runtime
