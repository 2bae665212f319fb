#include "detect/keywords/byte_jump.h"

#include <string>

namespace pasban::detect::keywords {

namespace bd = byte_detail;

namespace {
constexpr std::string_view kKw = "byte_jump";
constexpr int64_t kMaxOffset = 65535;  // Suricata's range for offset/post_offset
// Values above this jump past any buffer; refusing them early keeps the
// arithmetic below in range.
constexpr uint64_t kMaxJumpValue = uint64_t(1) << 40;
}  // namespace

core::Result<ByteJump> ByteJump::parse(std::string_view value, const VarResolver& resolve) {
  auto args = bd::split_args(value);
  if (args.size() < 2)
    return bd::kw_error(kKw, "expected <bytes>,<offset> (got '" + std::string(bd::trim(value)) + "')");
  ByteJump j;
  auto nbytes = bd::parse_operand(kKw, "bytes", args[0], resolve, 0, 1000);
  if (!nbytes) return nbytes.error();
  j.nbytes = *nbytes;
  auto off = bd::parse_operand(kKw, "offset", args[1], resolve, -kMaxOffset, kMaxOffset);
  if (!off) return off.error();
  j.offset = *off;

  bool has_base = false, big = false, little = false, dce = false;
  for (size_t i = 2; i < args.size(); ++i) {
    auto [word, rest] = bd::split_word(args[i]);
    bool takes_value = word == "multiplier" || word == "post_offset" || word == "bitmask";
    if (takes_value && rest.empty())
      return bd::kw_error(kKw, "'" + std::string(word) + "' needs a value");
    if (!takes_value && !rest.empty())
      return bd::kw_error(kKw, "unknown option '" + std::string(args[i]) + "'");
    if (word == "relative") j.relative = true;
    else if (word == "big") big = true;
    else if (word == "little") little = true;
    else if (word == "dce") dce = true;
    else if (word == "string") j.string = true;
    else if (word == "align") j.align = true;
    else if (word == "from_beginning") j.from_beginning = true;
    else if (word == "from_end") j.from_end = true;
    else if (bd::apply_base_word(word, j.base)) has_base = true;
    else if (word == "multiplier") {
      auto m = bd::parse_u64(rest, 10);
      if (!m || *m < 1 || *m > 65535)
        return bd::kw_error(kKw, "multiplier must be 1..65535 (got " + std::string(rest) + ")");
      j.multiplier = uint32_t(*m);
    } else if (word == "post_offset") {
      auto p = bd::parse_i64(rest, 10);
      if (!p || *p < -kMaxOffset || *p > kMaxOffset)
        return bd::kw_error(kKw, "post_offset must be -65535..65535 (got " + std::string(rest) + ")");
      j.post_offset = int32_t(*p);
    } else if (word == "bitmask") {
      auto m = bd::parse_u64(rest);
      if (!m || *m > 0xffffffffULL)
        return bd::kw_error(kKw, "invalid bitmask '" + std::string(rest) + "'");
      j.has_bitmask = true;
      j.bitmask = *m;
    } else {
      return bd::kw_error(kKw, "unknown option '" + std::string(args[i]) + "'");
    }
  }
  if (j.from_beginning && j.from_end)
    return bd::kw_error(kKw, "'from_beginning' and 'from_end' cannot be combined");
  if (has_base && !j.string) return bd::kw_error(kKw, "a base (hex|dec|oct) needs 'string'");
  if (dce && (j.string || big || little))
    return bd::kw_error(kKw, "'dce' cannot be combined with string, big or little");
  j.endian = dce ? ByteEndian::kDce : (little && !big) ? ByteEndian::kLittle : ByteEndian::kBig;
  if (!j.nbytes.is_var()) {
    int64_t n = j.nbytes.literal;
    int64_t max = j.string ? bd::kMaxStringBytes : bd::kMaxRawBytes;
    if (n < 1 || n > max)
      return bd::kw_error(kKw, "bytes must be 1.." + std::to_string(max) +
                                   (j.string ? " with string" : "") + " (got " + std::to_string(n) + ")");
  }
  return j;
}

bool ByteJump::apply(core::Bytes buf, uint32_t& cursor, const ByteVars& vars) const noexcept {
  uint64_t n = nbytes.resolve(vars);
  if (n > (string ? bd::kMaxStringBytes : bd::kMaxRawBytes)) return false;
  auto start = bd::locate(buf, cursor, relative, offset.resolve_offset(vars), n);
  if (!start) return false;
  // A byte count taken from a variable may be 0: Suricata then reads
  // nothing, the value is 0 and the jump lands at the read position
  // (suricata-verify detect-bytejump-02).
  std::optional<bd::Extracted> got = bd::Extracted{0, 0};
  if (n > 0) got = bd::read_value(buf, *start, uint32_t(n), string, base, endian, vars);
  if (!got) return false;
  uint64_t v = has_bitmask ? bd::apply_bitmask(got->value, bitmask) : got->value;
  if (v > kMaxJumpValue) return false;
  v *= multiplier;
  if (align && v % 4 != 0) v += 4 - v % 4;
  int64_t base_pos = from_beginning ? 0
                     : from_end     ? int64_t(buf.size())
                                    : int64_t(*start) + int64_t(got->consumed);
  int64_t pos = base_pos + int64_t(v) + post_offset;
  if (pos < 0) pos = 0;  // Suricata resets a jump before the start to the start
  if (pos > int64_t(buf.size())) return false;
  cursor = uint32_t(pos);
  return true;
}

size_t ByteJump::hash() const {
  size_t h = 0x626a;
  for (uint64_t x : {uint64_t(nbytes.literal), uint64_t(nbytes.slot), uint64_t(offset.literal),
                     uint64_t(offset.slot), uint64_t(relative), uint64_t(multiplier), uint64_t(endian),
                     uint64_t(string), uint64_t(base), uint64_t(align), uint64_t(from_beginning),
                     uint64_t(from_end), uint64_t(int64_t(post_offset)), uint64_t(has_bitmask), bitmask})
    h = bd::hash_mix(h, x);
  return h;
}

}  // namespace pasban::detect::keywords
