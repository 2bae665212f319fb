// libFuzzer target for the YAML configuration loader: the built-in
// default tree, the input merged over it as a YAML file, `--set`
// assignments over that, every typed getter the engine uses, the
// --dump-config text, and an engine built from the result in test mode
// (-T: every option is read and checked, no outputs are opened).
//
// Input: YAML text, then optionally a NUL byte and NUL-separated
// `key=value` assignments (each as --set). The YAML may `include:` the
// two small files of a scratch directory written at start-up (inc.yaml,
// sub/more.yaml, in /tmp/pasban-config-fuzz-<uid>) so include resolution and nesting run too.
// Crashes, sanitizer reports, leaks and hangs are the findings; errors
// are expected and only have to be clean.
#include <sys/stat.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/config.h"
#include "runtime/engine_shared.h"
#include "runtime/eve_config.h"

using namespace pasban;

namespace {

constexpr size_t kMaxSets = 16;

struct Fixture {
  runtime::Config defaults;
  std::string dir;  // include files and the empty rule file
};

// Written beside and renamed into place, so a process reading the file
// while another rewrites it sees one whole version.
void write_file(const std::string& path, const std::string& text) {
  const std::string tmp = path + "." + std::to_string(getpid());
  std::ofstream(tmp) << text;
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::perror(("config_fuzz: " + path).c_str());
    std::abort();
  }
}

const Fixture& fixture() {
  static const Fixture* f = [] {
    auto* fx = new Fixture;
    auto def = runtime::Config::load_default();
    if (!def.ok()) {
      std::fprintf(stderr, "config_fuzz: default config: %s\n", def.error().message.c_str());
      std::abort();
    }
    fx->defaults = std::move(*def);
    // One fixed directory per user, rewritten by every process: fork mode
    // starts many processes, and per-process directories would pile up.
    fx->dir = "/tmp/pasban-config-fuzz-" + std::to_string(getuid());
    mkdir(fx->dir.c_str(), 0700);
    mkdir((fx->dir + "/sub").c_str(), 0700);
    write_file(fx->dir + "/inc.yaml", "stream:\n  midstream: true\ninclude: sub/more.yaml\n");
    write_file(fx->dir + "/sub/more.yaml", "flow:\n  memcap: 64mb\nvars.address-groups.X: 1.2.3.4\n");
    write_file(fx->dir + "/empty.rules", "");
    return fx;
  }();
  return *f;
}

// Reads what the outputs and protocols read, through the same helpers.
size_t read_back(const runtime::Config& c) {
  size_t sum = c.dump().size();
  for (const runtime::ConfigView& eve : c.outputs("eve-log")) {
    (void)runtime::dns_log_options(eve.eve_type("dns"));
    (void)runtime::tls_log_fields(eve.eve_type("tls"));
    (void)runtime::http_log_options(eve.eve_type("http"));
    sum += eve.path().size();
  }
  for (const char* key : {"stream.memcap", "stream.reassembly.depth", "flow.memcap", "defrag.memcap"})
    (void)c.get_size(key, 0);
  for (const char* key : {"stream.midstream", "stream.inline"}) (void)c.get_bool_checked(key);
  (void)c.get_int_checked("detect.inspection-recursion-limit", 3000);
  (void)c.output("fast");
  (void)c.eve_type("alert");
  return sum;
}

// The engine as `pasban -T -c input` builds it: decoder, defrag, flow,
// stream, app-layer and detection options all come from the tree.
void build_engine(const runtime::Config& c, const std::string& dir) {
  runtime::CliOptions cli;
  cli.test_mode = true;
  cli.exclusive_rules = {dir + "/empty.rules"};
  cli.log_dir = dir;
  std::vector<std::string> errors, warnings;
  (void)runtime::EngineShared::create(c, cli, errors, warnings);
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  (void)fixture();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const Fixture& fx = fixture();
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const size_t nul = input.find('\0');
  const std::string_view yaml = input.substr(0, nul);
  runtime::Config c = fx.defaults;
  if (!c.merge_string(yaml, fx.dir, "fuzz.yaml").ok()) return 0;
  if (nul != std::string_view::npos) {
    std::string_view sets = input.substr(nul + 1);
    for (size_t n = 0; n < kMaxSets && !sets.empty(); ++n) {
      const size_t end = sets.find('\0');
      (void)c.set(sets.substr(0, end));
      sets = end == std::string_view::npos ? std::string_view() : sets.substr(end + 1);
    }
  }
  (void)read_back(c);
  build_engine(c, fx.dir);
  return 0;
}
