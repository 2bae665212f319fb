#include "runtime/app.h"

#include <pthread.h>
#include <signal.h>

#include <cstdio>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "runtime/cli.h"
#include "runtime/config.h"
#include "runtime/worker_pool.h"
#include "runtime/live.h"
#include "runtime/lifecycle.h"
#include "runtime/pidfile.h"
#include "runtime/signals.h"
#include "runtime/version.h"

namespace pasban::runtime {
namespace {

void print_build_info() {
  std::printf("This is Suricata version %s RELEASE (%s %s)\n", kSuricataCompatVersion,
              kProductName, kPasbanVersion);
  std::printf("Features: PCAP_SET_BUFF AF_PACKET HAVE_PACKET_FANOUT HAVE_HTP_URI_NORMALIZE_HOOK "
              "PCRE_JIT HAVE_NSS HAVE_LIBJANSSON TLS MAGIC RUST HAVE_JA3 HAVE_JA4\n");
  std::printf("SIMD support: SSE_2\n");
  std::printf("Atomic intrinsics: 1 2 4 8 byte(s)\n");
  std::printf("64-bits, Little-endian architecture\n");
  std::printf("compiled with GCC version %s\n", __VERSION__);
  std::printf("Pasban engine: Vectorscan prefilter, PCRE2 JIT, libpcap offline input\n");
}

// Relative unix-command file names live here, as Suricata's do.
constexpr const char* kSocketDir = "/var/run/suricata/";
constexpr const char* kDefaultSocketName = "suricata-command.socket";

// The control socket's path, or "" when it is off. --unix-socket turns it
// on; otherwise unix-command.enabled: yes does (auto means on for live
// capture in Suricata, and Pasban reads files only).
std::string control_socket_path(const Config& config, const CliOptions& cli) {
  std::string enabled = config.get_string("unix-command.enabled").value_or("auto");
  if (!cli.unix_socket && enabled != "yes" && enabled != "true") return "";
  std::string name = cli.unix_socket_path;
  if (name.empty()) name = config.get_string("unix-command.filename").value_or(kDefaultSocketName);
  if (name.front() == '/') return name;
  std::error_code ec;
  std::filesystem::create_directories(kSocketDir, ec);
  return kSocketDir + name;
}

LifecycleOptions lifecycle_options(const CliOptions& cli, const LiveSetup* live) {
  LifecycleOptions o;
  o.run_mode = cli.runmode.empty() ? (live ? "workers" : "single") : cli.runmode;
  o.capture_mode = live ? live->capture_mode : "PCAP_FILE";
  return o;
}

// Runs the engine over the captures with signals, the control socket and
// rule reloads live; returns the exit code.
int run_engine(WorkerPool& engine, const Config& config, const CliOptions& cli,
               const std::string& bpf, LifecycleEvents& events, LiveSetup* live) {
  Lifecycle lifecycle(engine, events, lifecycle_options(cli, live));
  lifecycle.attach();
  const pthread_t packet_thread = pthread_self();
  // shutdown from the socket: SIGTERM to the packet thread interrupts a
  // read that is waiting for input (a FIFO), as a signal from outside does.
  lifecycle.set_stop_waker([packet_thread] { pthread_kill(packet_thread, SIGTERM); });
  const std::string socket_path = control_socket_path(config, cli);
  if (!socket_path.empty()) {
    auto st = lifecycle.open_control_socket(socket_path);
    if (!st.ok()) {
      std::fprintf(stderr, "pasban: %s\n", st.error().message.c_str());
      return 1;
    }
  }
  std::string err;
  bool ok = live ? engine.run_live(live->sources, live->reject ? &*live->reject : nullptr, err)
                 : engine.run(cli.read_paths, bpf, err);
  if (!ok) std::fprintf(stderr, "pasban: %s\n", err.c_str());
  if (engine.stopped()) std::fprintf(stderr, "pasban: stop requested; finishing\n");
  std::string ferr;
  if (!engine.finish(ferr)) {
    std::fprintf(stderr, "pasban: output error: %s\n", ferr.c_str());
    return 1;
  }
  std::fprintf(stderr, "pasban: %llu packets, %llu alerts\n",
               static_cast<unsigned long long>(engine.packets()),
               static_cast<unsigned long long>(engine.alerts()));
  return ok ? 0 : 1;
}

}  // namespace

int run_app(int argc, char** argv) {
  auto cli = parse_cli(argc, argv);
  if (!cli) {
    std::fprintf(stderr, "pasban: %s\n", cli.error().message.c_str());
    return 1;
  }
  if (cli->help) {
    std::fputs(usage_text().c_str(), stdout);
    return 0;
  }
  if (cli->version) {
    std::printf("This is Suricata version %s RELEASE (%s %s)\n", kSuricataCompatVersion,
                kProductName, kPasbanVersion);
    return 0;
  }
  if (cli->build_info) {
    print_build_info();
    return 0;
  }

  auto config = Config::load_default();
  if (!config) {
    std::fprintf(stderr, "pasban: built-in configuration: %s\n", config.error().message.c_str());
    return 1;
  }
  if (!cli->config_file.empty()) {
    auto st = config->merge_file(cli->config_file);
    if (!st.ok()) {
      std::fprintf(stderr, "pasban: %s\n", st.error().message.c_str());
      return 1;
    }
  }
  for (const auto& s : cli->sets) {
    auto st = config->set(s);
    if (!st.ok()) {
      std::fprintf(stderr, "pasban: --set %s: %s\n", s.c_str(), st.error().message.c_str());
      return 1;
    }
  }
  if (cli->dump_config) {
    std::fputs(config->dump().c_str(), stdout);
    return 0;
  }
  if (cli->read_paths.empty() && !cli->test_mode && !cli->live()) {
    std::fprintf(stderr,
                 "pasban: nothing to do: give a capture with -r, a live source with -q, -i or "
                 "--af-packet (or -T to test rules)\n");
    return 1;
  }
  if (cli->live() && !cli->read_paths.empty()) {
    std::fprintf(stderr, "pasban: -r cannot be combined with live capture (-q, -i, --af-packet)\n");
    return 1;
  }
  if (cli->live()) {
    auto inl = live_is_inline(*config, *cli);
    if (!inl) {
      std::fprintf(stderr, "pasban: %s\n", inl.error().message.c_str());
      return 1;
    }
    cli->inline_capture = *inl;
  }
  if (!cli->log_dir.empty()) {
    std::error_code ec;
    const bool dir = std::filesystem::is_directory(cli->log_dir, ec);
    if (ec) {
      std::fprintf(stderr, "pasban: -l %s: cannot access: %s\n", cli->log_dir.c_str(),
                   ec.message().c_str());
      return 1;
    }
    if (!dir) {
      std::fprintf(stderr, "pasban: -l %s: not a directory\n", cli->log_dir.c_str());
      return 1;
    }
  }

  std::string bpf = cli->bpf_filter;
  if (!cli->bpf_file.empty()) {
    FILE* f = std::fopen(cli->bpf_file.c_str(), "r");
    if (!f) {
      std::fprintf(stderr, "pasban: -F %s: cannot open\n", cli->bpf_file.c_str());
      return 1;
    }
    char buf[4096];
    size_t n = std::fread(buf, 1, sizeof buf - 1, f);
    std::fclose(f);
    buf[n] = 0;
    bpf = buf;
  }

  // Signals are events from here on: a SIGTERM while rules load stops the
  // run before its first packet, with the usual complete outputs.
  LifecycleEvents events;
  if (!cli->test_mode) events.install_handlers();
  PidFile pidfile;
  if (!cli->pidfile.empty() && !cli->test_mode) {
    auto st = pidfile.create(cli->pidfile);
    if (!st.ok()) {
      std::fprintf(stderr, "pasban: %s\n", st.error().message.c_str());
      return 1;
    }
  }

  std::optional<LiveSetup> live;
  if (cli->live()) {
    std::vector<std::string> live_warnings;
    auto opened = open_live(*config, *cli, live_warnings);
    for (const auto& w : live_warnings) std::fprintf(stderr, "pasban: warning: %s\n", w.c_str());
    if (!opened) {
      std::fprintf(stderr, "pasban: %s\n", opened.error().message.c_str());
      return 1;
    }
    live.emplace(std::move(*opened));
  }
  std::vector<std::string> errors, warnings;
  // Live: one worker per source (a queue, a fanout socket).
  auto engine = WorkerPool::create(*config, *cli, errors, warnings,
                                   live ? live->sources.size() : 0);
  for (const auto& w : warnings) std::fprintf(stderr, "pasban: warning: %s\n", w.c_str());
  for (const auto& e : errors) std::fprintf(stderr, "pasban: error: %s\n", e.c_str());
  if (!engine) {
    std::fprintf(stderr, "pasban: %s\n", engine.error().message.c_str());
    return 1;
  }
  const auto& ls = (*engine)->load_stats();
  std::fprintf(stderr, "pasban: %zu rule files, %zu rules loaded, %zu failed, %zu skipped (%.3f s)\n",
               ls.files, ls.loaded, ls.failed, ls.skipped, (*engine)->load_seconds());
  if (!errors.empty() && (cli->init_errors_fatal || cli->test_mode)) {
    std::fprintf(stderr, "pasban: %zu initialisation error(s); exiting\n", errors.size());
    return 1;
  }
  if (cli->test_mode) {
    std::fprintf(stderr, "pasban: configuration and rules OK\n");
    return 0;
  }
  return run_engine(**engine, *config, *cli, bpf, events, live ? &*live : nullptr);
}

}  // namespace pasban::runtime
