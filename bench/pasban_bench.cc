// pasban-bench PCAP [RULES] [--set key=value ...]
// Loads RULES (none when omitted), runs PCAP through one worker and prints
// rules loaded/rejected, rule-load seconds, packets, packets/s, Mbit/s,
// alerts and peak RSS. Outputs go to a scratch directory that is removed.
#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "capture/pcap_file.h"
#include "runtime/cli.h"
#include "runtime/config.h"
#include "runtime/engine.h"

using namespace pasban;

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: pasban-bench PCAP [RULES] [--set key=value ...]\n");
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
  for (; i + 1 < argc; i += 2)
    if (std::string(argv[i]) == "--set") {
      auto st = config->set(argv[i + 1]);
      if (!st.ok()) {
        std::fprintf(stderr, "--set: %s\n", st.error().message.c_str());
        return 1;
      }
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
  auto engine = runtime::Engine::create(*config, cli, errors, warnings);
  if (!engine) {
    std::fprintf(stderr, "%s\n", engine.error().message.c_str());
    return 1;
  }
  const auto& ls = (*engine)->load_stats();
  auto src = capture::PcapFile::open(pcap, "");
  if (!src) {
    std::fprintf(stderr, "%s\n", src.error().message.c_str());
    return 1;
  }
  capture::RawPacket rp;
  auto t0 = std::chrono::steady_clock::now();
  while ((*src)->next(rp) == 1) (*engine)->process((*src)->linktype(), rp.ts, rp.data);
  std::string err;
  (*engine)->finish(err);
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  std::filesystem::remove_all(dir);
  uint64_t pkts = (*engine)->packets(), bytes = (*engine)->bytes();
  std::printf("pcap:            %s\n", pcap.c_str());
  std::printf("rules loaded:    %zu\n", ls.loaded);
  std::printf("rules rejected:  %zu\n", ls.failed);
  std::printf("rule load:       %.3f s\n", (*engine)->load_seconds());
  std::printf("packets:         %llu\n", static_cast<unsigned long long>(pkts));
  std::printf("seconds:         %.3f\n", secs);
  std::printf("packets/s:       %.0f\n", secs > 0 ? pkts / secs : 0.0);
  std::printf("Mbit/s:          %.1f\n", secs > 0 ? bytes * 8 / secs / 1e6 : 0.0);
  std::printf("alerts:          %llu\n", static_cast<unsigned long long>((*engine)->alerts()));
  std::printf("peak RSS:        %.1f MiB\n", ru.ru_maxrss / 1024.0);
  return 0;
}
