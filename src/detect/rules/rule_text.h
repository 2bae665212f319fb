// The outer grammar of one Suricata rule: the seven header fields and the
// option list, as text. Keywords interpret the option values later.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace pasban::detect::rules {

struct RawOption {
  std::string name;   // trimmed, e.g. "content"
  std::string value;  // trimmed, exactly as written (quotes and escapes kept)
  bool has_value = false;  // true when the option had a ':' ("msg:..." vs "nocase")
};

struct RawRule {
  std::string action, proto, src_addr, src_port, direction, dst_addr, dst_port;
  std::vector<RawOption> options;
};

// Parses "action proto src sport dir dst dport (name:value; name; ...)".
// Header fields may be bracketed lists containing spaces. The direction is
// "->" or "<>". Option values end at a ';' that is neither escaped ('\;')
// nor inside a double-quoted string. Errors name the problem, e.g.
// "missing closing ')'", "unknown direction '<-'", "no options",
// "option 'content' has unterminated quoted value", "empty option name".
core::Result<RawRule> parse_rule_text(std::string_view text);

// Strips one pair of surrounding double quotes (if present, after trimming)
// and resolves the escapes \" \; \\ \: . Other backslash sequences are kept
// as written.
std::string unquote_value(std::string_view value);

}  // namespace pasban::detect::rules
