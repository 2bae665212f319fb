#include "runtime/app.h"

#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "runtime/cli.h"
#include "runtime/config.h"
#include "runtime/worker_pool.h"
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
  if (cli->read_paths.empty() && !cli->test_mode) {
    std::fprintf(stderr, "pasban: nothing to do: give a capture with -r (or -T to test rules)\n");
    return 1;
  }
  if (!cli->log_dir.empty()) {
    std::error_code ec;
    if (!std::filesystem::is_directory(cli->log_dir, ec)) {
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

  std::vector<std::string> errors, warnings;
  auto engine = WorkerPool::create(*config, *cli, errors, warnings);
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
  std::string err;
  bool ok = (*engine)->run(cli->read_paths, bpf, err);
  if (!ok) std::fprintf(stderr, "pasban: %s\n", err.c_str());
  std::string ferr;
  if (!(*engine)->finish(ferr)) {
    std::fprintf(stderr, "pasban: output error: %s\n", ferr.c_str());
    return 1;
  }
  std::fprintf(stderr, "pasban: %llu packets, %llu alerts\n",
               static_cast<unsigned long long>((*engine)->packets()),
               static_cast<unsigned long long>((*engine)->alerts()));
  return ok ? 0 : 1;
}

}  // namespace pasban::runtime
