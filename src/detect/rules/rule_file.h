// Splits a .rules file into one logical rule per entry.
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace pasban::detect::rules {

struct RuleLine {
  std::string text;  // the rule, continuation lines joined, trimmed
  int line = 0;      // 1-based number of the rule's first physical line
};

// One rule per line. A line ending in '\' (trailing whitespace allowed)
// continues onto the next one; the backslash is removed and the lines are
// joined without a separator, as Suricata does. Blank lines and lines whose
// first non-space character is '#' (comments and commented-out rules) are
// skipped. CRLF and LF line endings are both accepted.
std::vector<RuleLine> split_rule_file(std::string_view contents);

}  // namespace pasban::detect::rules
