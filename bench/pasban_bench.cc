// pasban-bench PCAP [RULES] [--workers N] [--set key=value ...]
// Loads RULES (none when omitted), runs PCAP through N worker threads (one
// by default; the reading thread feeds them as in `pasban -r`) and prints
// rules loaded/rejected, rule-load seconds, packets, packets/s, Mbit/s,
// alerts and peak RSS. Outputs go to a scratch directory that is removed.
#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "runtime/cli.h"
#include "runtime/config.h"
#include "runtime/worker_pool.h"

using namespace pasban;

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: pasban-bench PCAP [RULES] [--workers N] [--set key=value ...]\n");
    return 2;
  }
  std::string pcap = argv[1];
  runtime::CliOptions cli;
  int i = 2;
  if (argc > 2 && std::string(argv[2]).rfind("--", 0) != 0) {
    cli.exclusive_rules.push_back(argv[2]);
    i = 3;
  }
  auto config = runtime::Config::load_default();
  if (!config) return 1;
  std::string workers = "1";
  for (; i + 1 < argc; i += 2) {
    const std::string opt = argv[i];
    if (opt == "--workers") {
      workers = argv[i + 1];
      continue;
    }
    if (opt != "--set") {
      std::fprintf(stderr, "pasban-bench: unknown option '%s'\n", opt.c_str());
      return 2;
    }
    auto st = config->set(argv[i + 1]);
    if (!st.ok()) {
      std::fprintf(stderr, "--set: %s\n", st.error().message.c_str());
      return 1;
    }
  }
  if (auto st = config->set("threading.cpu-affinity.worker-cpu-set.threads=" + workers); !st.ok()) {
    std::fprintf(stderr, "--workers: %s\n", st.error().message.c_str());
    return 1;
  }
  auto dir = std::filesystem::temp_directory_path() / ("pasban-bench-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  cli.log_dir = dir.string();
  cli.checksum_mode = "auto";
  if (cli.exclusive_rules.empty()) {
    cli.exclusive_rules.push_back((dir / "empty.rules").string());
    std::fclose(std::fopen(cli.exclusive_rules[0].c_str(), "w"));
  }
  std::vector<std::string> errors, warnings;
  auto engine = runtime::WorkerPool::create(*config, cli, errors, warnings);
  if (!engine) {
    std::fprintf(stderr, "%s\n", engine.error().message.c_str());
    return 1;
  }
  const auto& ls = (*engine)->load_stats();
  // CPU time of all threads: with several workers, what the hand-off costs.
  auto cpu_seconds = [] {
    rusage r{};
    getrusage(RUSAGE_SELF, &r);
    return double(r.ru_utime.tv_sec + r.ru_stime.tv_sec) +
           double(r.ru_utime.tv_usec + r.ru_stime.tv_usec) / 1e6;
  };
  const double cpu0 = cpu_seconds();
  auto t0 = std::chrono::steady_clock::now();
  std::string err;
  if (!(*engine)->run({pcap}, "", err)) {
    std::fprintf(stderr, "%s\n", err.c_str());
    return 1;
  }
  (*engine)->finish(err);
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const double cpu = cpu_seconds() - cpu0;
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  std::filesystem::remove_all(dir);
  uint64_t pkts = (*engine)->packets(), bytes = (*engine)->bytes();
  std::printf("pcap:            %s\n", pcap.c_str());
  std::printf("workers:         %zu (packets:", (*engine)->workers());
  for (uint64_t n : (*engine)->packets_per_worker()) std::printf(" %llu", static_cast<unsigned long long>(n));
  std::printf(")\n");
  std::printf("rules loaded:    %zu\n", ls.loaded);
  std::printf("rules rejected:  %zu\n", ls.failed);
  std::printf("rule load:       %.3f s\n", (*engine)->load_seconds());
  std::printf("packets:         %llu\n", static_cast<unsigned long long>(pkts));
  std::printf("seconds:         %.3f\n", secs);
  std::printf("packets/s:       %.0f\n", secs > 0 ? pkts / secs : 0.0);
  std::printf("cpu seconds:     %.3f (all threads)\n", cpu);
  std::printf("Mbit/s:          %.1f\n", secs > 0 ? bytes * 8 / secs / 1e6 : 0.0);
  std::printf("alerts:          %llu\n", static_cast<unsigned long long>((*engine)->alerts()));
  std::printf("peak RSS:        %.1f MiB\n", ru.ru_maxrss / 1024.0);
  return 0;
}
