// strip_whitespace and compress_whitespace. Whitespace is C's isspace set
// in the "C" locale (space, \t, \n, \v, \f, \r), as Suricata uses.
#include "detect/transforms/transform.h"

namespace pasban::detect::transforms {
namespace {

bool is_space(uint8_t c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

}  // namespace

void strip_whitespace(core::Bytes in, std::string& out) {
  out.clear();
  for (uint8_t c : in)
    if (!is_space(c)) out.push_back(char(c));
}

// A run of whitespace becomes its first character: "I  \t J" -> "I J".
void compress_whitespace(core::Bytes in, std::string& out) {
  out.clear();
  bool in_run = false;
  for (uint8_t c : in) {
    if (!is_space(c)) {
      out.push_back(char(c));
      in_run = false;
    } else if (!in_run) {
      out.push_back(char(c));
      in_run = true;
    }
  }
}

}  // namespace pasban::detect::transforms
