#include "detect/rules/content_string.h"

namespace pasban::detect::rules {
namespace {

core::Error err(std::string msg) { return core::make_error(std::move(msg)); }

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Strips a leading '!' (and the spaces after it).
bool take_negation(std::string_view& s) {
  if (s.empty() || s.front() != '!') return false;
  s.remove_prefix(1);
  s = trim(s);
  return true;
}

// Decodes the hex block text between two '|' into 'out'. Bytes are digit
// pairs; spaces may separate bytes but not split one.
bool decode_hex_block(std::string_view block, std::string& out) {
  size_t i = 0;
  while (i < block.size()) {
    if (block[i] == ' ') {
      ++i;
      continue;
    }
    if (i + 1 >= block.size()) return false;
    int hi = hex_value(block[i]), lo = hex_value(block[i + 1]);
    if (hi < 0 || lo < 0) return false;
    out.push_back(char(hi << 4 | lo));
    i += 2;
  }
  return true;
}

}  // namespace

core::Result<std::string> parse_content_bytes(std::string_view value) {
  value = trim(value);
  if (value.size() < 2 || value.front() != '"' || value.back() != '"') {
    return err("content must be quoted");
  }
  std::string_view body = value.substr(1, value.size() - 2);
  std::string out;
  out.reserve(body.size());
  for (size_t i = 0; i < body.size(); ++i) {
    char c = body[i];
    if (c == '|') {
      size_t close = body.find('|', i + 1);
      if (close == std::string_view::npos) {
        return err("unterminated hex block in content: '" + std::string(body.substr(i)) + "'");
      }
      if (!decode_hex_block(body.substr(i + 1, close - i - 1), out)) {
        return err("invalid hex in content: '" + std::string(body.substr(i, close - i + 1)) + "'");
      }
      i = close;
    } else if (c == '\\') {
      if (i + 1 >= body.size()) return err("content ends in a lone '\\'");
      char n = body[i + 1];
      if (n != '"' && n != ';' && n != '\\' && n != ':') {
        return err(std::string("invalid escape '\\") + n + "' in content");
      }
      out.push_back(n);
      ++i;
    } else if (c == '"') {
      return err("unescaped '\"' inside content");
    } else {
      out.push_back(c);
    }
  }
  if (out.empty()) return err("empty content");
  return out;
}

core::Result<ContentValue> parse_content_value(std::string_view value) {
  value = trim(value);
  ContentValue result;
  result.negated = take_negation(value);
  auto bytes = parse_content_bytes(value);
  if (!bytes) return bytes.error();
  result.bytes = std::move(*bytes);
  return result;
}

core::Result<PcreValue> parse_pcre_value(std::string_view value) {
  value = trim(value);
  PcreValue result;
  result.negated = take_negation(value);
  if (!value.empty() && value.front() == '"') {
    if (value.size() < 2 || value.back() != '"') return err("pcre has unterminated quote");
    value = value.substr(1, value.size() - 2);
  }
  std::string text;
  text.reserve(value.size());
  for (size_t i = 0; i < value.size(); ++i) {
    char c = value[i];
    if (c == '\\' && i + 1 < value.size()) {
      char n = value[i + 1];
      if (n == '"' || n == ';') {
        text.push_back(n);
      } else {  // a regex escape: keep both characters, \\ included
        text.push_back(c);
        text.push_back(n);
      }
      ++i;
      continue;
    }
    text.push_back(c);
  }
  if (text.empty() || text.front() != '/') return err("pcre must start with '/'");
  size_t last = text.rfind('/');
  if (last == 0) return err("pcre is missing its closing '/'");
  result.pattern = text.substr(1, last - 1);
  result.flags = text.substr(last + 1);
  return result;
}

}  // namespace pasban::detect::rules
