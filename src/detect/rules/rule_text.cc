#include "detect/rules/rule_text.h"

#include <array>

namespace pasban::detect::rules {
namespace {

using core::Error;

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '.' || c == '-';
}

Error err(std::string msg) { return core::make_error(std::move(msg)); }

// Reads one header token starting at 'pos'. Whitespace inside brackets
// belongs to the token ("[1.2.3.4, !5.6.7.8]"); an unbracketed '(' ends it so
// that "80(msg:..." still splits.
core::Result<std::string_view> next_header_token(std::string_view text, size_t& pos) {
  size_t start = pos;
  int depth = 0;
  while (pos < text.size()) {
    char c = text[pos];
    if (c == '[') {
      ++depth;
    } else if (c == ']') {
      if (depth == 0) return err("unbalanced ']' in rule header");
      --depth;
    } else if (depth == 0 && (is_space(c) || c == '(')) {
      break;
    }
    ++pos;
  }
  if (depth != 0) return err("unbalanced '[' in rule header");
  return text.substr(start, pos - start);
}

// Where an option value ends: at a ';' that is neither escaped nor inside
// a quoted string. Quotes count only when the value starts with one (after
// an optional '!'), and such a quote closes only at a '"' followed by ';'.
// Suricata itself ends every value at the first unescaped ';' and ignores
// quotes, so real rules carry stray quotes inside quoted values
// (pcre:"/^["']?post/Ri";) and the '"' + ';' rule keeps accepting them,
// while a ';' inside quotes (msg:"a;b";) no longer cuts the value short.
struct ValueEnd {
  size_t pos = 0;       // index of the terminating ';'
  bool found = false;
  bool in_quotes = false;  // ran out of text inside a quoted value
};

ValueEnd find_value_end(std::string_view text, size_t pos) {
  size_t p = pos;
  while (p < text.size() && is_space(text[p])) ++p;
  if (p < text.size() && text[p] == '!') {
    ++p;
    while (p < text.size() && is_space(text[p])) ++p;
  }
  if (p < text.size() && text[p] == '"') {
    for (pos = p + 1; pos < text.size();) {
      char c = text[pos];
      if (c == '\\') {
        pos += 2;
        continue;
      }
      if (c == '"') {
        size_t q = pos + 1;
        while (q < text.size() && is_space(text[q])) ++q;
        if (q < text.size() && text[q] == ';') return ValueEnd{q, true, false};
        // A quote at the very end closes the value; what is missing is ')'.
        if (q == text.size()) return ValueEnd{text.size(), false, false};
      }
      ++pos;
    }
    return ValueEnd{text.size(), false, true};
  }
  while (pos < text.size()) {
    char c = text[pos];
    if (c == '\\') {
      pos += 2;
      continue;
    }
    if (c == ';') return ValueEnd{pos, true, false};
    ++pos;
  }
  return ValueEnd{text.size(), false, false};
}

// Everything after the final option's ';' must be ')' and then whitespace.
core::Result<std::vector<RawOption>> parse_options(std::string_view text, size_t pos) {
  std::vector<RawOption> options;
  for (;;) {
    while (pos < text.size() && is_space(text[pos])) ++pos;
    if (pos >= text.size()) return err("missing closing ')'");
    if (text[pos] == ')') {
      std::string_view rest = trim(text.substr(pos + 1));
      if (!rest.empty()) {
        return err("unexpected text after closing ')': '" + std::string(rest) + "'");
      }
      if (options.empty()) return err("no options");
      return options;
    }

    // Name: up to ':' (a value follows) or ';' (a bare flag like "nocase").
    size_t name_start = pos;
    while (pos < text.size() && text[pos] != ':' && text[pos] != ';') ++pos;
    std::string_view name = trim(text.substr(name_start, pos - name_start));
    if (pos >= text.size()) {
      // "(msg:"x"; nocase)" runs into the end; say which is missing.
      if (!name.empty() && name.back() == ')') {
        name.remove_suffix(1);
        return err("option '" + std::string(trim(name)) + "' is missing its terminating ';'");
      }
      return err("missing closing ')'");
    }
    if (name.empty()) return err("empty option name");
    for (char c : name) {
      if (!is_name_char(c)) return err("invalid option name '" + std::string(name) + "'");
    }

    RawOption opt;
    opt.name = std::string(name);
    if (text[pos] == ';') {
      ++pos;
      options.push_back(std::move(opt));
      continue;
    }

    ++pos;  // ':'
    size_t value_start = pos;
    ValueEnd end = find_value_end(text, pos);
    if (!end.found) {
      std::string_view rest = trim(text);
      bool closed = rest.back() == ')';
      rest.remove_suffix(1);
      rest = trim(rest);
      // "(msg:"x")": the value is complete, only its ';' is missing.
      if (closed && (!end.in_quotes || (!rest.empty() && rest.back() == '"'))) {
        return err("option '" + opt.name + "' is missing its terminating ';'");
      }
      if (end.in_quotes) return err("option '" + opt.name + "' has unterminated quoted value");
      return err("missing closing ')'");
    }
    pos = end.pos;
    opt.value = std::string(trim(text.substr(value_start, pos - value_start)));
    opt.has_value = true;
    ++pos;  // ';'
    options.push_back(std::move(opt));
  }
}

}  // namespace

core::Result<RawRule> parse_rule_text(std::string_view text) {
  text = trim(text);
  if (text.empty()) return err("empty rule");

  static constexpr std::array<const char*, 7> kFieldNames = {
      "action", "protocol", "source address", "source port", "direction",
      "destination address", "destination port"};
  std::array<std::string_view, 7> fields;
  size_t pos = 0;
  for (size_t i = 0; i < fields.size(); ++i) {
    while (pos < text.size() && is_space(text[pos])) ++pos;
    if (pos >= text.size() || text[pos] == '(') {
      return err(std::string("incomplete rule header: missing ") + kFieldNames[i]);
    }
    auto token = next_header_token(text, pos);
    if (!token) return token.error();
    fields[i] = *token;
  }
  while (pos < text.size() && is_space(text[pos])) ++pos;
  if (pos >= text.size()) return err("missing '(' before options");
  if (text[pos] != '(') {
    size_t tok_end = pos;
    while (tok_end < text.size() && !is_space(text[tok_end]) && text[tok_end] != '(') ++tok_end;
    return err("unexpected '" + std::string(text.substr(pos, tok_end - pos)) +
               "' in rule header, expected '(' after destination port");
  }

  std::string_view dir = fields[4];
  // "=>" is Suricata 8's transactional direction (request one way,
  // response back).
  if (dir != "->" && dir != "<>" && dir != "=>")
    return err("unknown direction '" + std::string(dir) + "'");

  auto options = parse_options(text, pos + 1);
  if (!options) return options.error();

  RawRule rule;
  rule.action = std::string(fields[0]);
  rule.proto = std::string(fields[1]);
  rule.src_addr = std::string(fields[2]);
  rule.src_port = std::string(fields[3]);
  rule.direction = std::string(fields[4]);
  rule.dst_addr = std::string(fields[5]);
  rule.dst_port = std::string(fields[6]);
  rule.options = std::move(*options);
  return rule;
}

std::string unquote_value(std::string_view value) {
  value = trim(value);
  if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
    value = value.substr(1, value.size() - 2);
  }
  std::string out;
  out.reserve(value.size());
  for (size_t i = 0; i < value.size(); ++i) {
    char c = value[i];
    if (c == '\\' && i + 1 < value.size()) {
      char n = value[i + 1];
      if (n == '"' || n == ';' || n == '\\' || n == ':') {
        out.push_back(n);
        ++i;
        continue;
      }
    }
    out.push_back(c);
  }
  return out;
}

}  // namespace pasban::detect::rules
