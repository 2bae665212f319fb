#include "detect/keywords/byte_math.h"

#include <string>

namespace pasban::detect::keywords {

namespace bd = byte_detail;

namespace {
constexpr std::string_view kKw = "byte_math";
constexpr uint32_t kMaxBytes = 10;

std::optional<ByteMath::Oper> parse_oper(std::string_view s) {
  if (s == "+") return ByteMath::Oper::kAdd;
  if (s == "-") return ByteMath::Oper::kSub;
  if (s == "*") return ByteMath::Oper::kMul;
  if (s == "/") return ByteMath::Oper::kDiv;
  if (s == "<<") return ByteMath::Oper::kShl;
  if (s == ">>") return ByteMath::Oper::kShr;
  return std::nullopt;
}
}  // namespace

core::Result<ByteMath> ByteMath::parse(std::string_view value, const VarResolver& resolve,
                                       const VarDefiner& define) {
  ByteMath m;
  bool seen_bytes = false, seen_offset = false, seen_oper = false, seen_rvalue = false;
  bool seen_endian = false;
  std::string_view result;
  for (std::string_view part : bd::split_args(value)) {
    auto [key, val] = bd::split_word(part);
    if (key.empty()) return bd::kw_error(kKw, "empty option in '" + std::string(bd::trim(value)) + "'");
    auto dup = [&](bool& seen) {
      bool was = seen;
      seen = true;
      return was;
    };
    bool flag = key == "relative" || key == "dce";
    if (flag && !val.empty()) return bd::kw_error(kKw, "unknown option '" + std::string(part) + "'");
    if (!flag && val.empty() && key != "relative")
      return bd::kw_error(kKw, "'" + std::string(key) + "' needs a value");
    if (key == "bytes") {
      if (dup(seen_bytes)) return bd::kw_error(kKw, "'bytes' given twice");
      auto n = bd::parse_operand(kKw, "bytes", val, resolve, 1, kMaxBytes);
      if (!n) return n.error();
      m.nbytes = *n;
    } else if (key == "offset") {
      if (dup(seen_offset)) return bd::kw_error(kKw, "'offset' given twice");
      auto o = bd::parse_operand(kKw, "offset", val, resolve, -65535, 65535, /*allow_var=*/false);
      if (!o) return o.error();
      m.offset = int32_t(o->literal);
    } else if (key == "oper") {
      if (dup(seen_oper)) return bd::kw_error(kKw, "'oper' given twice");
      auto op = parse_oper(val);
      if (!op) return bd::kw_error(kKw, "invalid operator '" + std::string(val) + "'");
      m.oper = *op;
    } else if (key == "rvalue") {
      if (dup(seen_rvalue)) return bd::kw_error(kKw, "'rvalue' given twice");
      auto r = bd::parse_operand(kKw, "rvalue", val, resolve, 0, 0xffffffffLL);
      if (!r) return r.error();
      m.rvalue = *r;
    } else if (key == "result") {
      if (!result.empty()) return bd::kw_error(kKw, "'result' given twice");
      if (!bd::looks_like_var(val)) return bd::kw_error(kKw, "invalid result name '" + std::string(val) + "'");
      result = val;
    } else if (key == "relative") {
      if (m.relative) return bd::kw_error(kKw, "'relative' given twice");
      m.relative = true;
    } else if (key == "endian" || key == "dce") {
      if (dup(seen_endian)) return bd::kw_error(kKw, "endianness given twice");
      std::string_view e = key == "dce" ? std::string_view("dce") : val;
      if (e == "big") m.endian = ByteEndian::kBig;
      else if (e == "little") m.endian = ByteEndian::kLittle;
      else if (e == "dce") m.endian = ByteEndian::kDce;
      else return bd::kw_error(kKw, "invalid endian '" + std::string(val) + "'");
    } else if (key == "string") {
      if (m.string) return bd::kw_error(kKw, "'string' given twice");
      if (!bd::apply_base_word(val, m.base)) return bd::kw_error(kKw, "invalid string base '" + std::string(val) + "'");
      m.string = true;
    } else if (key == "bitmask") {
      if (m.has_bitmask) return bd::kw_error(kKw, "'bitmask' given twice");
      auto b = bd::parse_u64(val, 16);
      if (!b || *b > 0xffffffffULL) return bd::kw_error(kKw, "invalid bitmask '" + std::string(val) + "'");
      m.has_bitmask = true;
      m.bitmask = *b;
    } else {
      return bd::kw_error(kKw, "unknown option '" + std::string(part) + "'");
    }
  }
  const char* missing = !seen_bytes ? "bytes" : !seen_offset ? "offset" : !seen_oper ? "oper"
                        : !seen_rvalue ? "rvalue" : result.empty() ? "result" : nullptr;
  if (missing) return bd::kw_error(kKw, std::string("missing '") + missing + "'");
  if (!m.nbytes.is_var()) {
    int64_t n = m.nbytes.literal;
    if ((m.oper == Oper::kShl || m.oper == Oper::kShr) && n > 4)
      return bd::kw_error(kKw, "bytes must be 1..4 with '<<' or '>>' (got " + std::to_string(n) + ")");
    if (m.endian == ByteEndian::kDce && n != 1 && n != 2 && n != 4)
      return bd::kw_error(kKw, "bytes must be 1, 2 or 4 with dce (got " + std::to_string(n) + ")");
  }
  if (!define) return bd::kw_error(kKw, "variables cannot be defined here");
  auto slot = define(result);
  if (!slot) return slot.error();
  if (*slot < 0 || *slot >= int(kMaxByteVars))
    return bd::kw_error(kKw, "too many variables (at most " + std::to_string(kMaxByteVars) + ")");
  m.slot = *slot;
  return m;
}

bool ByteMath::apply(core::Bytes buf, uint32_t& cursor, ByteVars& vars) const noexcept {
  uint64_t n = nbytes.resolve(vars);
  if (n == 0 || n > kMaxBytes || (!string && n > bd::kMaxRawBytes)) return false;
  auto start = bd::locate(buf, cursor, relative, offset, n);
  if (!start) return false;
  auto got = bd::read_value(buf, *start, uint32_t(n), string, base, endian, vars);
  if (!got) return false;
  uint64_t v = got->value;
  uint64_t r = rvalue.resolve(vars);
  switch (oper) {
    case Oper::kAdd: v += r; break;
    case Oper::kSub: v -= r; break;
    case Oper::kMul: v *= r; break;
    case Oper::kDiv:
      if (r == 0) return false;
      v /= r;
      break;
    case Oper::kShl: v = r < 64 ? v << r : 0; break;
    case Oper::kShr: v = r < 64 ? v >> r : 0; break;
  }
  if (has_bitmask) v = bd::apply_bitmask(v, bitmask);
  vars.v[size_t(slot) % kMaxByteVars] = v;
  cursor = *start + got->consumed;
  return true;
}

size_t ByteMath::hash() const {
  size_t h = 0x626d;
  for (uint64_t x : {uint64_t(nbytes.literal), uint64_t(nbytes.slot), uint64_t(int64_t(offset)),
                     uint64_t(oper), uint64_t(rvalue.literal), uint64_t(rvalue.slot), uint64_t(slot),
                     uint64_t(relative), uint64_t(endian), uint64_t(string), uint64_t(base),
                     uint64_t(has_bitmask), bitmask})
    h = bd::hash_mix(h, x);
  return h;
}

}  // namespace pasban::detect::keywords
