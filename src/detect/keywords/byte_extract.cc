#include "detect/keywords/byte_extract.h"

#include <string>

namespace pasban::detect::keywords {

namespace bd = byte_detail;

namespace {
constexpr std::string_view kKw = "byte_extract";

// Longest string that cannot overflow uint64 in each base (Suricata's limits).
uint32_t max_string_bytes(ByteBase b) {
  switch (b) {
    case ByteBase::kHex: return 14;
    case ByteBase::kOct: return 23;
    default: return 20;
  }
}
}  // namespace

core::Result<ByteExtract> ByteExtract::parse(std::string_view value, const VarResolver& /*resolve*/,
                                             const VarDefiner& define) {
  auto args = bd::split_args(value);
  if (args.size() < 3)
    return bd::kw_error(kKw, "expected <bytes>,<offset>,<name> (got '" + std::string(bd::trim(value)) + "')");
  ByteExtract e;
  auto n = bd::parse_u64(args[0], 10);
  if (!n) return bd::kw_error(kKw, "invalid bytes '" + std::string(args[0]) + "'");
  auto off = bd::parse_i64(args[1]);
  if (!off || *off < -65535 || *off > 65535)
    return bd::kw_error(kKw, "offset must be -65535..65535 (got " + std::string(args[1]) + ")");
  e.offset = int32_t(*off);
  std::string_view name = args[2];
  if (!bd::looks_like_var(name)) return bd::kw_error(kKw, "invalid variable name '" + std::string(name) + "'");

  bool has_base = false, big = false, little = false, dce = false;
  for (size_t i = 3; i < args.size(); ++i) {
    auto [word, rest] = bd::split_word(args[i]);
    bool takes_value = word == "multiplier" || word == "align" || word == "bitmask";
    if (takes_value && rest.empty()) return bd::kw_error(kKw, "'" + std::string(word) + "' needs a value");
    // "string dec" in one part is accepted as well as "string,dec".
    if (!takes_value && !rest.empty() && !(word == "string" && bd::apply_base_word(rest, e.base)))
      return bd::kw_error(kKw, "unknown option '" + std::string(args[i]) + "'");
    if (word == "relative") e.relative = true;
    else if (word == "big") big = true;
    else if (word == "little") little = true;
    else if (word == "dce") dce = true;
    else if (word == "string") {
      e.string = true;
      has_base = has_base || !rest.empty();
    } else if (bd::apply_base_word(word, e.base)) has_base = true;
    else if (word == "multiplier") {
      auto m = bd::parse_u64(rest, 10);
      if (!m || *m < 1 || *m > 65535)
        return bd::kw_error(kKw, "multiplier must be 1..65535 (got " + std::string(rest) + ")");
      e.multiplier = uint32_t(*m);
    } else if (word == "align") {
      auto a = bd::parse_u64(rest, 10);
      if (!a || (*a != 2 && *a != 4))
        return bd::kw_error(kKw, "align must be 2 or 4 (got " + std::string(rest) + ")");
      e.align = uint8_t(*a);
    } else if (word == "bitmask") {
      auto m = bd::parse_u64(rest);
      if (!m || *m > 0xffffffffULL) return bd::kw_error(kKw, "invalid bitmask '" + std::string(rest) + "'");
      e.has_bitmask = true;
      e.bitmask = *m;
    } else {
      return bd::kw_error(kKw, "unknown option '" + std::string(args[i]) + "'");
    }
  }
  if (has_base && !e.string) return bd::kw_error(kKw, "a base (hex|dec|oct) needs 'string'");
  if (dce && (e.string || big || little))
    return bd::kw_error(kKw, "'dce' cannot be combined with string, big or little");
  e.endian = dce ? ByteEndian::kDce : (little && !big) ? ByteEndian::kLittle : ByteEndian::kBig;
  uint32_t max = e.string ? max_string_bytes(e.base) : bd::kMaxRawBytes;
  if (*n < 1 || *n > max)
    return bd::kw_error(kKw, "bytes must be 1.." + std::to_string(max) + (e.string ? " with string" : "") +
                                 " (got " + std::string(args[0]) + ")");
  e.nbytes = uint32_t(*n);

  // Defined last: a rule that fails to parse leaves no variable behind.
  if (!define) return bd::kw_error(kKw, "variables cannot be defined here");
  auto slot = define(name);
  if (!slot) return slot.error();
  if (*slot < 0 || *slot >= int(kMaxByteVars))
    return bd::kw_error(kKw, "too many variables (at most " + std::to_string(kMaxByteVars) + ")");
  e.slot = *slot;
  return e;
}

bool ByteExtract::apply(core::Bytes buf, uint32_t& cursor, ByteVars& vars) const noexcept {
  auto start = bd::locate(buf, cursor, relative, offset, nbytes);
  if (!start) return false;
  auto got = bd::read_value(buf, *start, nbytes, string, base, endian, vars);
  if (!got) return false;
  uint64_t v = has_bitmask ? bd::apply_bitmask(got->value, bitmask) : got->value;
  v *= multiplier;
  if (align != 0 && v % align != 0) v += align - v % align;
  vars.v[size_t(slot) % kMaxByteVars] = v;
  cursor = *start + got->consumed;
  return true;
}

size_t ByteExtract::hash() const {
  size_t h = 0x6265;
  for (uint64_t x : {uint64_t(nbytes), uint64_t(int64_t(offset)), uint64_t(slot), uint64_t(relative),
                     uint64_t(multiplier), uint64_t(endian), uint64_t(string), uint64_t(base),
                     uint64_t(align), uint64_t(has_bitmask), bitmask})
    h = bd::hash_mix(h, x);
  return h;
}

}  // namespace pasban::detect::keywords
