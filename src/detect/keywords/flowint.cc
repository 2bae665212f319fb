#include "detect/keywords/flowint.h"

#include <cctype>

#include "detect/keywords/numeric.h"

namespace pasban::detect::keywords {
namespace {

core::Error err(const std::string& msg) { return core::make_error("flowint: " + msg); }

// Suricata's names: a letter first, then letters, digits, '_', '.', '/'.
bool valid_name(std::string_view n, bool allow_punct) {
  if (n.empty() || !std::isalpha(static_cast<unsigned char>(n[0]))) return false;
  for (char c : n) {
    const bool ok = std::isalnum(static_cast<unsigned char>(c)) || c == '_' ||
                    (allow_punct && (c == '.' || c == '/' || c == '-'));
    if (!ok) return false;
  }
  return true;
}

bool parse_op(std::string_view s, Flowint::Op& op) {
  static const std::pair<std::string_view, Flowint::Op> kOps[] = {
      {"=", Flowint::kSet},     {"+", Flowint::kAdd},       {"-", Flowint::kSub},
      {"==", Flowint::kEq},     {"!=", Flowint::kNe},       {"<", Flowint::kLt},
      {"<=", Flowint::kLe},     {">", Flowint::kGt},        {">=", Flowint::kGe},
      {"isset", Flowint::kIsSet}, {"notset", Flowint::kNotSet}, {"isnotset", Flowint::kNotSet},
  };
  for (const auto& [name, o] : kOps)
    if (s == name) {
      op = o;
      return true;
    }
  return false;
}

}  // namespace

core::Result<Flowint> Flowint::parse(std::string_view value, const Interner& intern) {
  std::string_view parts[3];
  size_t n = 0;
  std::string_view rest = trim(value);
  while (!rest.empty()) {
    if (n == 3) return err("too many arguments in '" + std::string(value) + "'");
    auto comma = rest.find(',');
    parts[n++] = trim(rest.substr(0, comma));
    rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
  }
  if (n < 2) return err("expected 'name, modifier[, value]'");
  Flowint fi;
  if (!valid_name(parts[0], true)) return err("invalid name '" + std::string(parts[0]) + "'");
  if (!parse_op(parts[1], fi.op)) return err("unknown modifier '" + std::string(parts[1]) + "'");
  fi.name = std::string(parts[0]);
  if (fi.op != kIsSet && fi.op != kNotSet) {
    if (n < 3 || parts[2].empty()) return err("modifier '" + std::string(parts[1]) + "' needs a value");
    std::string_view t = parts[2];
    if (std::isdigit(static_cast<unsigned char>(t[0]))) {
      if (t.size() > 10) return err("value '" + std::string(t) + "' out of range");
      uint64_t v = 0;
      for (char c : t) {
        if (!std::isdigit(static_cast<unsigned char>(c)))
          return err("invalid value '" + std::string(t) + "'");
        v = v * 10 + uint64_t(c - '0');
      }
      if (v > 0xffffffffull) return err("value '" + std::string(t) + "' out of range");
      fi.value = uint32_t(v);
    } else {
      if (!valid_name(t, false)) return err("invalid variable '" + std::string(t) + "'");
      fi.target_is_var = true;
      fi.target_id = intern(t);
    }
  }
  fi.id = intern(fi.name);
  return fi;
}

uint32_t Flowint::operand(const flow::Flow& f) const noexcept {
  if (!target_is_var) return value;
  const auto* t = f.flowint(target_id);
  return t ? t->value : 0;
}

bool Flowint::check(const flow::Flow* f) const noexcept {
  if (!f) return false;
  const auto* v = f->flowint(id);
  switch (op) {
    case kIsSet: return v != nullptr;
    case kNotSet: return v == nullptr;
    default: break;
  }
  if (!v) return false;  // comparing an unset variable never matches
  const uint32_t t = operand(*f);
  switch (op) {
    case kEq: return v->value == t;
    case kNe: return v->value != t;
    case kLt: return v->value < t;
    case kLe: return v->value <= t;
    case kGt: return v->value > t;
    case kGe: return v->value >= t;
    default: return true;
  }
}

void Flowint::apply(flow::Flow* f) const {
  if (!f) return;
  const uint32_t t = operand(*f);
  const auto* v = f->flowint(id);
  switch (op) {
    case kSet: f->set_flowint(id, t); break;
    // Adding to an unset variable starts it from 0; subtracting from one
    // does nothing (Suricata). Both wrap as unsigned 32-bit values.
    case kAdd: f->set_flowint(id, v ? v->value + t : t); break;
    case kSub: if (v) f->set_flowint(id, v->value - t); break;
    default: break;
  }
}

}  // namespace pasban::detect::keywords
