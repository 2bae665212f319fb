#include "runtime/signals.h"

#include <signal.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cstdint>

namespace pasban::runtime {
namespace {

static_assert(std::atomic<uint32_t>::is_always_lock_free,
              "signal handlers need a lock-free atomic word");
static_assert(std::atomic<LifecycleEvents*>::is_always_lock_free,
              "signal handlers need a lock-free atomic pointer");

// The one object the handlers report to. A signal handler cannot be given
// a context, so this is the single mutable global the process has.
std::atomic<LifecycleEvents*> g_events{nullptr};

void on_signal(int sig) {
  LifecycleEvents* ev = g_events.load(std::memory_order_acquire);
  if (!ev) return;
  switch (sig) {
    case SIGINT:
    case SIGTERM: ev->raise(LifecycleEvents::kStop); break;
    case SIGHUP: ev->raise(LifecycleEvents::kReopen); break;
    case SIGUSR2: ev->raise(LifecycleEvents::kReload); break;
    default: break;
  }
}

bool set_handler(int sig, void (*fn)(int), bool restart) {
  struct sigaction sa {};
  sa.sa_handler = fn;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = restart ? SA_RESTART : 0;
  return sigaction(sig, &sa, nullptr) == 0;
}

}  // namespace

LifecycleEvents::LifecycleEvents() { wake_fd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC); }

LifecycleEvents::~LifecycleEvents() {
  if (installed_) {
    for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGUSR2}) set_handler(sig, SIG_DFL, false);
    g_events.store(nullptr, std::memory_order_release);
  }
  if (wake_fd_ >= 0) ::close(wake_fd_);
}

bool LifecycleEvents::install_handlers() {
  LifecycleEvents* expected = nullptr;
  if (!g_events.compare_exchange_strong(expected, this) && expected != this) return false;
  installed_ = true;
  bool ok = set_handler(SIGINT, on_signal, false) && set_handler(SIGTERM, on_signal, false) &&
            set_handler(SIGHUP, on_signal, true) && set_handler(SIGUSR2, on_signal, true) &&
            set_handler(SIGPIPE, SIG_IGN, true);
  return ok;
}

void LifecycleEvents::raise(Bit bit) {
  if (bit == kStop) stopped_.store(true, std::memory_order_relaxed);
  pending_.fetch_or(bit, std::memory_order_acq_rel);
  if (wake_fd_ >= 0) {
    const uint64_t one = 1;
    // Async-signal-safe; a full counter (EAGAIN) already means "awake".
    ssize_t n = ::write(wake_fd_, &one, sizeof one);
    (void)n;
  }
}

void LifecycleEvents::drain_wake_fd() {
  uint64_t v;
  while (wake_fd_ >= 0 && ::read(wake_fd_, &v, sizeof v) == sizeof v) {
  }
}

}  // namespace pasban::runtime
