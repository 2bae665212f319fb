#include "detect/keywords/isdataat.h"

#include <string>

namespace pasban::detect::keywords {

namespace bd = byte_detail;

core::Result<IsDataAt> IsDataAt::parse(std::string_view value, const VarResolver& resolve) {
  constexpr std::string_view kKw = "isdataat";
  auto args = bd::split_args(value);
  IsDataAt d;
  std::string_view pos = args[0];
  if (!pos.empty() && pos[0] == '!') {
    d.negate = true;
    pos = bd::trim(pos.substr(1));
  }
  auto p = bd::parse_operand(kKw, "position", pos, resolve, 0, 0xffffffffLL);
  if (!p) return p.error();
  d.position = *p;
  bool rawbytes = false;
  for (size_t i = 1; i < args.size(); ++i) {
    if (args[i] == "relative" && !d.relative) d.relative = true;
    else if (args[i] == "rawbytes" && !rawbytes) rawbytes = true;
    else return bd::kw_error(kKw, "unknown option '" + std::string(args[i]) + "'");
  }
  return d;
}

bool IsDataAt::match(core::Bytes buf, uint32_t cursor, const ByteVars& vars) const noexcept {
  uint64_t n = uint32_t(position.resolve(vars));  // Suricata reads the variable as uint32
  bool present = relative ? uint64_t(cursor) + n <= buf.size() : n < buf.size();
  return present != negate;
}

size_t IsDataAt::hash() const {
  size_t h = 0x6964;
  for (uint64_t x : {uint64_t(position.literal), uint64_t(position.slot), uint64_t(negate), uint64_t(relative)})
    h = bd::hash_mix(h, x);
  return h;
}

}  // namespace pasban::detect::keywords
