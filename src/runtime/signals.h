// The process's signals as events the packet loop polls. Handlers only set
// bits in an atomic word and write to an eventfd (both async-signal-safe);
// everything else happens on the packet thread at a packet boundary:
//   SIGINT, SIGTERM  stop reading, then the normal finish path
//   SIGHUP           reopen every log file (logrotate)
//   SIGUSR2          rebuild the rule set and swap it in
// SIGPIPE is ignored so a control-socket client that went away is a write
// error, not the end of the process.
#pragma once
#include <atomic>
#include <cstdint>

namespace pasban::runtime {

class LifecycleEvents {
 public:
  enum Bit : uint32_t {
    kStop = 1u << 0,
    kReopen = 1u << 1,
    kReload = 1u << 2,
    kTasks = 1u << 3,  // work queued for the packet thread (runtime/lifecycle)
  };

  LifecycleEvents();
  ~LifecycleEvents();
  LifecycleEvents(const LifecycleEvents&) = delete;
  LifecycleEvents& operator=(const LifecycleEvents&) = delete;

  // Routes SIGINT/SIGTERM/SIGHUP/SIGUSR2 to this object and ignores
  // SIGPIPE. One object at a time may own the handlers; the destructor
  // restores the defaults. SIGINT/SIGTERM interrupt a blocking read (no
  // SA_RESTART) so an idle offline read of a FIFO still stops; SIGHUP and
  // SIGUSR2 restart it, as their work waits for the next packet anyway.
  bool install_handlers();

  // The word the packet loop tests on every packet (one relaxed load).
  const std::atomic<uint32_t>& pending() const { return pending_; }
  bool any() const { return pending_.load(std::memory_order_relaxed) != 0; }
  // Each take_* clears its bit and says whether it was set.
  bool take_stop() { return take(kStop); }
  bool take_reopen() { return take(kReopen); }
  bool take_reload() { return take(kReload); }
  bool take_tasks() { return take(kTasks); }
  // Stop stays visible after take_stop so every loop level sees it.
  bool stop_requested() const { return stopped_.load(std::memory_order_relaxed); }

  // From any thread (or a signal handler): raise a bit and wake pollers.
  void raise(Bit bit);
  void request_stop() { raise(kStop); }
  // An eventfd that becomes readable whenever a bit is raised, for a thread
  // blocked in poll(); drain_wake_fd() empties it.
  int wake_fd() const { return wake_fd_; }
  void drain_wake_fd();

 private:
  bool take(Bit bit) {
    return (pending_.fetch_and(~uint32_t(bit), std::memory_order_acq_rel) & bit) != 0;
  }

  std::atomic<uint32_t> pending_{0};
  std::atomic<bool> stopped_{false};
  int wake_fd_ = -1;
  bool installed_ = false;
};

}  // namespace pasban::runtime
