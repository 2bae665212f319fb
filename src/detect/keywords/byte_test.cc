#include "detect/keywords/byte_test.h"

#include <limits>
#include <string>

namespace pasban::detect::keywords {

namespace bd = byte_detail;

namespace {

constexpr std::string_view kKw = "byte_test";

std::optional<ByteTest::Op> parse_op(std::string_view s, bool negated) {
  // "!" alone is "not equal", as in Snort and Suricata.
  if (s == "=" || (negated && s.empty())) return ByteTest::Op::kEq;
  if (s == "<") return ByteTest::Op::kLt;
  if (s == ">") return ByteTest::Op::kGt;
  if (s == "<=") return ByteTest::Op::kLe;
  if (s == ">=") return ByteTest::Op::kGe;
  if (s == "&") return ByteTest::Op::kAnd;
  if (s == "^") return ByteTest::Op::kXor;
  return std::nullopt;
}

}  // namespace

core::Result<ByteTest> ByteTest::parse(std::string_view value, const VarResolver& resolve) {
  auto args = bd::split_args(value);
  if (args.size() < 4)
    return bd::kw_error(kKw, "expected <bytes>,<op>,<value>,<offset> (got '" + std::string(bd::trim(value)) + "')");
  ByteTest t;

  auto nbytes = bd::parse_operand(kKw, "bytes", args[0], resolve, 0, 1000);
  if (!nbytes) return nbytes.error();
  t.nbytes = *nbytes;

  std::string_view op = args[1];
  if (!op.empty() && op[0] == '!') {
    t.negate = true;
    op = bd::trim(op.substr(1));
  }
  auto parsed_op = parse_op(op, t.negate);
  if (!parsed_op) return bd::kw_error(kKw, "invalid operator '" + std::string(args[1]) + "'");
  t.op = *parsed_op;

  auto val = bd::parse_value_operand(kKw, "value", args[2], resolve);
  if (!val) return val.error();
  t.value = *val;

  auto off = bd::parse_operand(kKw, "offset", args[3], resolve, std::numeric_limits<int32_t>::min(),
                               std::numeric_limits<int32_t>::max());
  if (!off) return off.error();
  t.offset = *off;

  bool has_base = false, big = false, little = false, dce = false;
  for (size_t i = 4; i < args.size(); ++i) {
    auto [word, rest] = bd::split_word(args[i]);
    bool takes_value = word == "bitmask";
    if (takes_value && rest.empty())
      return bd::kw_error(kKw, "'" + std::string(word) + "' needs a value");
    if (!takes_value && !rest.empty())
      return bd::kw_error(kKw, "unknown option '" + std::string(args[i]) + "'");
    if (word == "relative") t.relative = true;
    else if (word == "big") big = true;
    else if (word == "little") little = true;
    else if (word == "dce") dce = true;
    else if (word == "string") t.string = true;
    else if (bd::apply_base_word(word, t.base)) has_base = true;
    else if (word == "bitmask") {
      auto m = bd::parse_u64(rest);
      if (!m || *m > 0xffffffffULL)
        return bd::kw_error(kKw, "invalid bitmask '" + std::string(rest) + "'");
      t.has_bitmask = true;
      t.bitmask = *m;
    } else {
      return bd::kw_error(kKw, "unknown option '" + std::string(args[i]) + "'");
    }
  }
  if (has_base && !t.string) return bd::kw_error(kKw, "a base (hex|dec|oct) needs 'string'");
  if (dce && (t.string || big || little))
    return bd::kw_error(kKw, "'dce' cannot be combined with string, big or little");
  // Suricata: "big" clears a previous "little".
  t.endian = dce ? ByteEndian::kDce : (little && !big) ? ByteEndian::kLittle : ByteEndian::kBig;

  if (!t.nbytes.is_var()) {
    int64_t n = t.nbytes.literal;
    int64_t max = t.string ? bd::kMaxStringBytes : bd::kMaxRawBytes;
    // A count of 0 loads (ET Open uses "byte_test:0,=,0,0,string,dec" as a
    // never-true guard, and Suricata accepts it) and never matches.
    if (n < 0 || n > max)
      return bd::kw_error(kKw, "bytes must be 0.." + std::to_string(max) +
                                   (t.string ? " with string" : "") + " (got " + std::to_string(n) + ")");
  }
  return t;
}

bool ByteTest::match(core::Bytes buf, uint32_t cursor, const ByteVars& vars) const noexcept {
  uint64_t n = nbytes.resolve(vars);
  if (n == 0 || n > (string ? bd::kMaxStringBytes : bd::kMaxRawBytes)) return false;
  auto start = bd::locate(buf, cursor, relative, offset.resolve_offset(vars), n);
  if (!start) return false;
  auto got = bd::read_value(buf, *start, uint32_t(n), string, base, endian, vars);
  if (!got) return false;
  uint64_t v = has_bitmask ? bd::apply_bitmask(got->value, bitmask) : got->value;
  uint64_t want = value.resolve(vars);
  bool m = false;
  switch (op) {
    case Op::kEq: m = v == want; break;
    case Op::kLt: m = v < want; break;
    case Op::kGt: m = v > want; break;
    case Op::kLe: m = v <= want; break;
    case Op::kGe: m = v >= want; break;
    case Op::kAnd: m = (v & want) != 0; break;
    case Op::kXor: m = (v ^ want) != 0; break;
  }
  return m != negate;
}

size_t ByteTest::hash() const {
  size_t h = 0x6274;
  for (uint64_t x : {uint64_t(nbytes.literal), uint64_t(nbytes.slot), uint64_t(op), uint64_t(negate),
                     uint64_t(value.literal), uint64_t(value.slot), uint64_t(offset.literal),
                     uint64_t(offset.slot), uint64_t(relative), uint64_t(endian), uint64_t(string),
                     uint64_t(base), uint64_t(has_bitmask), bitmask})
    h = bd::hash_mix(h, x);
  return h;
}

}  // namespace pasban::detect::keywords
