// Values of the content family (content, uricontent, ...) and of pcre, as
// written inside the rule's option list.
#pragma once
#include <string>
#include <string_view>

#include "core/result.h"

namespace pasban::detect::rules {

struct ContentValue {
  std::string bytes;  // the pattern, hex blocks and escapes resolved
  bool negated = false;
};

// The quoted pattern alone: "abc|0d 0a|def". Hex blocks between '|' hold
// pairs of hex digits, optionally separated by spaces; the only escapes
// allowed are \" \; \\ and \: (Suricata's set). An unescaped '"' inside,
// an unterminated hex block, an odd digit or a non-hex character in a block,
// and an empty result are errors, e.g. "invalid hex in content: '|22 2 22|'".
// Unlike Suricata, a space may not split a byte ("|4 1|"), and ',' is not
// skipped inside a block.
core::Result<std::string> parse_content_bytes(std::string_view value);

// As above, with an optional leading '!' (negation) before the quote.
core::Result<ContentValue> parse_content_value(std::string_view value);

struct PcreValue {
  bool negated = false;
  std::string pattern;  // between the first and the last '/', regex escapes intact
  std::string flags;    // after the last '/', raw; the pcre keyword validates them
};

// "/regex/flags" in double quotes (quotes optional), optionally preceded by
// '!'. The quoting escapes \" and \; are resolved; every other backslash
// sequence, \\ included, is left for the regex engine.
core::Result<PcreValue> parse_pcre_value(std::string_view value);

}  // namespace pasban::detect::rules
