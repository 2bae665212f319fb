// Fuzzes the rule grammar: the rule text, then every header field and every
// content/pcre value it yields. Input is a rule file; each rule is parsed.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "detect/rules/address.h"
#include "detect/rules/content_string.h"
#include "detect/rules/port.h"
#include "detect/rules/rule_file.h"
#include "detect/rules/rule_text.h"

using namespace pasban::detect::rules;

namespace {

// A small fixed variable table, including a self-reference, so that
// expansion and the recursion limit are exercised.
std::optional<std::string> lookup(std::string_view name) {
  if (name == "HOME_NET") return "[192.168.0.0/16,10.0.0.0/8,!10.1.0.0/16,2001:db8::/32]";
  if (name == "EXTERNAL_NET") return "!$HOME_NET";
  if (name == "HTTP_PORTS") return "[80,8000:8080]";
  if (name == "LOOP") return "[$LOOP,1.2.3.4]";
  return std::nullopt;
}

void exercise(std::string_view text, const VarLookup& vars) {
  auto rule = parse_rule_text(text);
  if (!rule) return;
  static const pasban::core::IpAddress probe = *pasban::core::IpAddress::parse("10.0.0.1");
  for (const std::string* a : {&rule->src_addr, &rule->dst_addr}) {
    auto set = parse_address(*a, vars);
    if (set) {
      (void)set->match(probe);
      (void)set->to_string();
    }
  }
  for (const std::string* p : {&rule->src_port, &rule->dst_port}) {
    auto set = parse_port(*p, vars);
    if (set) (void)set->match(80);
  }
  for (const RawOption& opt : rule->options) {
    (void)unquote_value(opt.value);
    (void)parse_content_value(opt.value);
    (void)parse_pcre_value(opt.value);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const VarLookup vars = lookup;
  std::string_view input(reinterpret_cast<const char*>(data), size);
  exercise(input, vars);  // the whole input as one rule
  for (const RuleLine& line : split_rule_file(input)) exercise(line.text, vars);
  // The raw input as a header field on its own, too.
  (void)parse_address(input, vars);
  (void)parse_port(input, vars);
  return 0;
}
