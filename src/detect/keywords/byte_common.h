// Shared pieces of the byte keywords (byte_test, byte_jump, byte_extract,
// byte_math, isdataat): the per-inspection variable slots, operands that are
// either literals or variables, and the extraction primitives.
//
// Build side: tokenising and number parsing (allocates, returns Result).
// Packet side: locate/extract functions, noexcept and allocation free.
#pragma once
#include <array>
#include <cctype>
#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/bytes.h"
#include "core/result.h"

namespace pasban::detect::keywords {

inline constexpr size_t kMaxByteVars = 16;

// byte_extract / byte_math results, indexed by slot. One per inspection of a
// rule (scratch owned by the caller). dce_little_endian is the byte order of
// the DCERPC PDU being inspected; keywords with `dce` read with it.
struct ByteVars {
  std::array<uint64_t, kMaxByteVars> v{};
  bool dce_little_endian = false;
};

// name -> slot, for operands given as a variable name.
using VarResolver = std::function<std::optional<int>(std::string_view name)>;
// defines a new var, returns its slot.
using VarDefiner = std::function<core::Result<int>(std::string_view name)>;

enum class ByteEndian : uint8_t { kBig, kLittle, kDce };

// Base of a `string` read. kAuto is strtoull's base 0 (0x -> hex, 0 -> oct),
// which is what byte_test/byte_jump use when `string` has no base.
enum class ByteBase : uint8_t { kAuto = 0, kOct = 8, kDec = 10, kHex = 16 };

// A literal or a variable slot.
struct ByteOperand {
  int64_t literal = 0;
  int8_t slot = -1;

  static ByteOperand of(int64_t v) { return {v, -1}; }
  static ByteOperand var(int s) { return {0, int8_t(s)}; }
  bool is_var() const { return slot >= 0; }
  uint64_t resolve(const ByteVars& vars) const noexcept {
    return is_var() ? vars.v[size_t(slot) % kMaxByteVars] : uint64_t(literal);
  }
  // An offset operand: a variable is read as int32, as Suricata casts it
  // for byte_test and byte_jump. Used whole, a 64-bit value from the packet
  // overflowed offset + cursor in locate() (undefined behaviour, UBSan).
  int64_t resolve_offset(const ByteVars& vars) const noexcept {
    return is_var() ? int64_t(int32_t(uint32_t(vars.v[size_t(slot) % kMaxByteVars]))) : literal;
  }
  friend bool operator==(const ByteOperand&, const ByteOperand&) = default;
};

namespace byte_detail {

// ---- packet side -------------------------------------------------------

struct Extracted {
  uint64_t value = 0;
  uint32_t consumed = 0;  // bytes the read used (string reads may stop early)
};

// Largest string read that fits uint64 (octal with a zero prefix):
// "01777777777777777777777" (Suricata's limit).
inline constexpr uint32_t kMaxStringBytes = 23;
inline constexpr uint32_t kMaxRawBytes = 8;

// The start of an `nbytes` read at `offset` (relative to `cursor` when
// `relative`), or nullopt when any part of it lies outside `buf`.
inline std::optional<uint32_t> locate(core::Bytes buf, uint32_t cursor, bool relative,
                                      int64_t offset, uint64_t nbytes) noexcept {
  int64_t start = offset + (relative ? int64_t(cursor) : 0);
  if (start < 0 || start >= int64_t(buf.size())) return std::nullopt;
  if (nbytes > uint64_t(int64_t(buf.size()) - start)) return std::nullopt;
  return uint32_t(start);
}

inline Extracted extract_raw(const uint8_t* p, uint32_t n, bool little) noexcept {
  uint64_t v = 0;
  for (uint32_t i = 0; i < n; ++i) {
    if (little)
      v |= uint64_t(p[i]) << (8 * i);
    else
      v = (v << 8) | p[i];
  }
  return {v, n};
}

inline int digit_value(uint8_t c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'z') return c - 'a' + 10;
  if (c >= 'A' && c <= 'Z') return c - 'A' + 10;
  return 99;
}

// strtoull over exactly the n bytes at p (a NUL ends it early), as Suricata's
// ByteExtractString does: leading spaces and a sign are accepted, the number
// stops at the first non-digit. nullopt when there is no digit or on
// overflow. `consumed` counts up to the last digit.
inline std::optional<Extracted> extract_string(const uint8_t* p, uint32_t n,
                                               ByteBase base_kind) noexcept {
  if (n > kMaxStringBytes) return std::nullopt;
  uint32_t i = 0;
  while (i < n && p[i] != 0 && std::isspace(p[i])) ++i;
  bool negative = false;
  if (i < n && (p[i] == '+' || p[i] == '-')) {
    negative = p[i] == '-';
    ++i;
  }
  int base = int(base_kind);
  // "0x" counts as a prefix only when a hex digit follows (else "0" is read).
  auto has_hex_prefix = [&] {
    return i + 2 < n && p[i] == '0' && (p[i + 1] == 'x' || p[i + 1] == 'X') &&
           digit_value(p[i + 2]) < 16;
  };
  if ((base == 0 || base == 16) && has_hex_prefix()) {
    base = 16;
    i += 2;
  } else if (base == 0) {
    base = (i < n && p[i] == '0') ? 8 : 10;
  }
  uint64_t v = 0;
  uint32_t digits = 0;
  for (; i < n; ++i) {
    int d = digit_value(p[i]);
    if (d >= base) break;
    if (v > (std::numeric_limits<uint64_t>::max() - uint64_t(d)) / uint64_t(base))
      return std::nullopt;  // ERANGE
    v = v * uint64_t(base) + uint64_t(d);
    ++digits;
  }
  if (digits == 0) return std::nullopt;
  return Extracted{negative ? uint64_t(0) - v : v, i};
}

// Applies `bitmask` then shifts right by its trailing zero bits (when the
// masked value is non-zero), as Suricata does for byte_test and byte_math.
inline uint64_t apply_bitmask(uint64_t v, uint64_t mask) noexcept {
  v &= mask;
  if (v != 0 && mask != 0) {
    while ((mask & 1) == 0) {
      mask >>= 1;
      v >>= 1;
    }
  }
  return v;
}

// Reads nbytes at start either as a string in `base` or raw with `endian`.
inline std::optional<Extracted> read_value(core::Bytes buf, uint32_t start, uint32_t nbytes,
                                           bool is_string, ByteBase base, ByteEndian endian,
                                           const ByteVars& vars) noexcept {
  if (is_string) return extract_string(buf.data() + start, nbytes, base);
  if (nbytes == 0 || nbytes > kMaxRawBytes) return std::nullopt;
  bool little = endian == ByteEndian::kLittle ||
                (endian == ByteEndian::kDce && vars.dce_little_endian);
  return extract_raw(buf.data() + start, nbytes, little);
}

// ---- build side --------------------------------------------------------

inline std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// Comma separated, each part trimmed. "" gives one empty part.
inline std::vector<std::string_view> split_args(std::string_view s) {
  std::vector<std::string_view> out;
  size_t pos = 0;
  while (true) {
    size_t comma = s.find(',', pos);
    out.push_back(trim(s.substr(pos, comma == std::string_view::npos ? s.npos : comma - pos)));
    if (comma == std::string_view::npos) break;
    pos = comma + 1;
  }
  return out;
}

// "bitmask 0xf8" -> {"bitmask", "0xf8"}; "relative" -> {"relative", ""}.
inline std::pair<std::string_view, std::string_view> split_word(std::string_view s) {
  s = trim(s);
  size_t i = 0;
  while (i < s.size() && !std::isspace(static_cast<unsigned char>(s[i]))) ++i;
  return {s.substr(0, i), trim(s.substr(i))};
}

// Unsigned with strtoul's base rules (base 0: 0x hex, leading 0 octal).
inline std::optional<uint64_t> parse_u64(std::string_view s, int base = 0) {
  s = trim(s);
  if (s.empty() || s.size() > 40) return std::nullopt;
  if ((base == 0 || base == 16) && s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    base = 16;
    s.remove_prefix(2);
  } else if (base == 0) {
    base = (s.size() > 1 && s[0] == '0') ? 8 : 10;
  }
  uint64_t v = 0;
  for (char c : s) {
    int d = digit_value(static_cast<uint8_t>(c));
    if (d >= base) return std::nullopt;
    if (v > (std::numeric_limits<uint64_t>::max() - uint64_t(d)) / uint64_t(base))
      return std::nullopt;
    v = v * uint64_t(base) + uint64_t(d);
  }
  return v;
}

inline std::optional<int64_t> parse_i64(std::string_view s, int base = 0) {
  s = trim(s);
  bool neg = false;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    neg = s[0] == '-';
    s.remove_prefix(1);
  }
  auto u = parse_u64(s, base);
  if (!u || *u > uint64_t(std::numeric_limits<int64_t>::max())) return std::nullopt;
  return neg ? -int64_t(*u) : int64_t(*u);
}

// Suricata treats a token as a variable name when it starts with a letter.
inline bool looks_like_var(std::string_view s) {
  return !s.empty() && std::isalpha(static_cast<unsigned char>(s[0]));
}

inline core::Error kw_error(std::string_view kw, const std::string& msg) {
  return core::make_error(std::string(kw) + ": " + msg);
}

// A number within [min, max] or, when `allow_var`, a variable name known to
// `resolve`. `what` names the field in errors.
inline core::Result<ByteOperand> parse_operand(std::string_view kw, std::string_view what,
                                               std::string_view token, const VarResolver& resolve,
                                               int64_t min, int64_t max, bool allow_var = true) {
  token = trim(token);
  if (token.empty()) return kw_error(kw, "missing " + std::string(what));
  if (looks_like_var(token)) {
    if (!allow_var) return kw_error(kw, "invalid " + std::string(what) + " '" + std::string(token) + "'");
    std::optional<int> slot = resolve ? resolve(token) : std::nullopt;
    if (!slot || *slot < 0 || *slot >= int(kMaxByteVars))
      return kw_error(kw, "unknown variable '" + std::string(token) + "'");
    return ByteOperand::var(*slot);
  }
  auto v = parse_i64(token);
  if (!v) return kw_error(kw, "invalid " + std::string(what) + " '" + std::string(token) + "'");
  if (*v < min || *v > max)
    return kw_error(kw, std::string(what) + " must be " + std::to_string(min) + ".." +
                            std::to_string(max) + " (got " + std::string(token) + ")");
  return ByteOperand::of(*v);
}

// Unsigned literal that may exceed int64 (byte_test values are uint64).
inline core::Result<ByteOperand> parse_value_operand(std::string_view kw, std::string_view what,
                                                     std::string_view token,
                                                     const VarResolver& resolve) {
  token = trim(token);
  if (looks_like_var(token) || token.empty() || token[0] == '-')
    return parse_operand(kw, what, token, resolve, 0, std::numeric_limits<int64_t>::max());
  auto v = parse_u64(token);
  if (!v) return kw_error(kw, "invalid " + std::string(what) + " '" + std::string(token) + "'");
  return ByteOperand::of(int64_t(*v));  // bit pattern kept; resolve() gives it back
}

// "hex" | "dec" | "oct" -> base; false for any other word.
inline bool apply_base_word(std::string_view w, ByteBase& base) {
  if (w == "hex") base = ByteBase::kHex;
  else if (w == "dec") base = ByteBase::kDec;
  else if (w == "oct") base = ByteBase::kOct;
  else return false;
  return true;
}

inline size_t hash_mix(size_t h, uint64_t v) {
  return h ^ (std::hash<uint64_t>{}(v) + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2));
}

}  // namespace byte_detail
}  // namespace pasban::detect::keywords
