// Fuzzes rule loading end to end: the input is a rule file; each rule is
// split out, parsed and built by the full rule builder (every keyword's
// setup, fast pattern choice, IP-only classification), and every rule that
// builds has its buffer lists inspected against the input bytes themselves,
// so hostile keyword values (offsets, byte_* widths, pcre flags) also reach
// the packet-side matchers. Variables all expand to "any"; classtypes are
// the built-in table. Crashes, sanitizer reports and leaks are the findings.
//
// Build and seeds: fuzz/README.md (the seeds are the project's own rule
// files, one file per test case).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <variant>

#include "detect/build/builtin_classifications.h"
#include "detect/build/rule_builder.h"
#include "detect/eval/inspect.h"
#include "detect/rules/rule_file.h"
#include "detect/rules/rule_text.h"

using namespace pasban;

namespace {

// Owns the per-run PCRE2 match data the inspector borrows, as the Detector
// does per worker.
struct Scratch {
  detect::eval::InspectScratch s;
  Scratch() { s.match_data = pcre2_match_data_create(32, nullptr); }
  ~Scratch() { pcre2_match_data_free(s.match_data); }
};

const detect::build::BuildContext& context() {
  static const detect::build::BuildContext ctx = [] {
    detect::build::BuildContext c;
    c.vars = [](std::string_view) -> std::optional<std::string> { return "any"; };
    c.classtypes = detect::build::builtin_classifications();
    // Flowbit names are interned per input (below) so ids stay small.
    return c;
  }();
  return ctx;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static Scratch scratch;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  detect::build::BuildContext ctx = context();
  std::unordered_map<std::string, uint32_t> flowbits;
  detect::VarNames var_names;  // flowint, xbits, hostbits, pcre captures
  ctx.var_names = &var_names;
  ctx.intern_flowbit = [&](std::string_view name) {
    return flowbits.emplace(std::string(name), uint32_t(flowbits.size())).first->second;
  };
  const core::Bytes payload(data, size);
  for (const detect::rules::RuleLine& line : detect::rules::split_rule_file(input)) {
    auto raw = detect::rules::parse_rule_text(line.text);
    if (!raw) continue;
    (void)detect::build::find_sid_text(*raw);
    detect::build::BuildResult outcome;
    auto rule = detect::build::build_rule(*raw, ctx, outcome);
    if (!rule || outcome.skipped) continue;
    if (const auto* fp = rule->fast_pattern()) (void)fp->fast_pattern_bytes();
    for (const detect::BufferList& list : rule->buffers) {
      scratch.s.vars = {};
      scratch.s.steps = 0;
      (void)detect::eval::inspect_buffer(list.items, payload, scratch.s);
    }
    scratch.s.captures.clear();
  }
  return 0;
}
