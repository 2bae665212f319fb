#include "detect/rules/rule_file.h"

namespace pasban::detect::rules {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f'; }

std::string_view trim_left(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  return s;
}

std::string_view trim_right(std::string_view s) {
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

std::string_view trim(std::string_view s) { return trim_left(trim_right(s)); }

}  // namespace

std::vector<RuleLine> split_rule_file(std::string_view contents) {
  std::vector<RuleLine> out;
  std::string pending;  // a rule being continued across lines
  int pending_line = 0;
  bool continuing = false;
  int line_no = 0;
  size_t pos = 0;
  while (pos < contents.size()) {
    size_t nl = contents.find('\n', pos);
    size_t end = nl == std::string_view::npos ? contents.size() : nl;
    std::string_view line = contents.substr(pos, end - pos);
    pos = nl == std::string_view::npos ? contents.size() : nl + 1;
    ++line_no;

    // Trailing whitespace (and the '\r' of CRLF) goes; leading whitespace
    // of a continuation line stays, since it may sit inside a quoted value.
    line = trim_right(line);
    if (!continuing) {
      line = trim_left(line);
      // A comment ends at its line even when it ends in '\': Suricata
      // checks for comments before it checks for continuation.
      if (line.empty() || line.front() == '#') continue;
      pending_line = line_no;
    }
    bool continues = !line.empty() && line.back() == '\\';
    if (continues) line.remove_suffix(1);
    pending.append(line);
    continuing = continues;
    if (!continuing) {
      std::string_view text = trim(pending);
      if (!text.empty()) out.push_back(RuleLine{std::string(text), pending_line});
      pending.clear();
    }
  }
  if (continuing) {  // file ended inside a continued rule: keep what we have
    std::string_view text = trim(pending);
    if (!text.empty()) out.push_back(RuleLine{std::string(text), pending_line});
  }
  return out;
}

}  // namespace pasban::detect::rules
