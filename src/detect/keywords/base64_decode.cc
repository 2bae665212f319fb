#include "detect/keywords/base64_decode.h"

#include <algorithm>
#include <charconv>

#include "detect/keywords/numeric.h"
#include "detect/transforms/base64.h"

namespace pasban::detect::keywords {
namespace {

// "name N" at the front of rest, followed by an optional ','.
bool take_number(std::string_view& rest, std::string_view name, uint32_t& value,
                 core::Error& error) {
  if (!rest.starts_with(name) || rest.size() == name.size() ||
      (rest[name.size()] != ' ' && rest[name.size()] != '\t'))
    return false;
  std::string_view v = trim(rest.substr(name.size()));
  uint32_t n = 0;
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  if (ec != std::errc() || p == v.data()) {
    error = core::make_error("base64_decode: bad value for " + std::string(name));
    return true;
  }
  value = n;
  rest = trim(std::string_view(p, size_t(v.data() + v.size() - p)));
  if (rest.starts_with(",")) rest = trim(rest.substr(1));
  return true;
}

}  // namespace

core::Result<Base64Decode> Base64Decode::parse(std::string_view value) {
  // Suricata's grammar: [bytes N][,][offset N][,][relative], in that order.
  Base64Decode k;
  std::string_view rest = trim(value);
  core::Error error;
  if (take_number(rest, "bytes", k.bytes, error) && !error.message.empty()) return error;
  if (take_number(rest, "offset", k.offset, error) && !error.message.empty()) return error;
  if (rest == "relative") {
    k.relative = true;
    rest = {};
  }
  if (!rest.empty())
    return core::make_error("base64_decode: invalid argument '" + std::string(rest) + "'");
  if (k.bytes == 0) k.bytes = kMaxBytes;
  return k;
}

bool Base64Decode::decode(core::Bytes buf, uint32_t cursor, std::string& out) const {
  out.clear();
  core::Bytes p = buf;
  if (relative) p = p.subspan(std::min<size_t>(cursor, p.size()));
  if (offset) {
    if (offset >= p.size()) return false;
    p = p.subspan(offset);
  }
  p = p.first(std::min<size_t>(p.size(), bytes));
  transforms::base64_decode(p, transforms::Base64Mode::kRfc4648, out);
  return !out.empty();
}

}  // namespace pasban::detect::keywords
