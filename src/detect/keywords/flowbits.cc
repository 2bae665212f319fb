#include "detect/keywords/flowbits.h"

#include "detect/keywords/numeric.h"

namespace pasban::detect::keywords {

core::Result<Flowbits> Flowbits::parse(std::string_view value, const Interner& intern) {
  Flowbits fb;
  std::string_view v = trim(value);
  auto comma = v.find(',');
  std::string_view cmd = trim(v.substr(0, comma));
  std::string_view names = comma == std::string_view::npos ? std::string_view{} : trim(v.substr(comma + 1));
  if (cmd == "set") fb.op = kSet;
  else if (cmd == "unset") fb.op = kUnset;
  else if (cmd == "toggle") fb.op = kToggle;
  else if (cmd == "isset") fb.op = kIsSet;
  else if (cmd == "isnotset") fb.op = kIsNotSet;
  else if (cmd == "noalert") fb.op = kNoAlert;
  else return core::make_error("flowbits: unknown command '" + std::string(cmd) + "'");
  if (fb.op == kNoAlert) {
    if (!names.empty()) return core::make_error("flowbits: noalert takes no name");
    return fb;
  }
  if (names.empty()) return core::make_error("flowbits: '" + std::string(cmd) + "' needs a name");
  char sep = 0;
  if (names.find('|') != std::string_view::npos) sep = '|';
  if (names.find('&') != std::string_view::npos) {
    if (sep) return core::make_error("flowbits: cannot mix '|' and '&'");
    sep = '&';
  }
  if (sep && !fb.is_condition() && sep == '|')
    return core::make_error("flowbits: '|' is only allowed with isset/isnotset");
  fb.any_of = sep == '|';
  while (!names.empty()) {
    auto pos = sep ? names.find(sep) : std::string_view::npos;
    std::string_view name = trim(names.substr(0, pos));
    names = pos == std::string_view::npos ? std::string_view{} : names.substr(pos + 1);
    if (name.empty()) return core::make_error("flowbits: empty name");
    for (char c : name)
      if (c == ' ' || c == ',' || c == ';')
        return core::make_error("flowbits: invalid name '" + std::string(name) + "'");
    fb.names.emplace_back(name);
    fb.ids.push_back(intern(name));
  }
  return fb;
}

bool Flowbits::check(const flow::Flow* f) const noexcept {
  if (op == kIsSet) {
    if (!f) return false;
    if (any_of) {
      for (auto id : ids) if (f->has_flowbit(id)) return true;
      return false;
    }
    for (auto id : ids) if (!f->has_flowbit(id)) return false;
    return true;
  }
  if (op == kIsNotSet) {
    if (!f) return true;
    if (any_of) {
      for (auto id : ids) if (!f->has_flowbit(id)) return true;
      return false;
    }
    for (auto id : ids) if (f->has_flowbit(id)) return false;
    return true;
  }
  return true;
}

void Flowbits::apply(flow::Flow* f) const {
  if (!f) return;
  for (auto id : ids) {
    switch (op) {
      case kSet: f->set_flowbit(id); break;
      case kUnset: f->unset_flowbit(id); break;
      case kToggle:
        if (f->has_flowbit(id)) f->unset_flowbit(id); else f->set_flowbit(id);
        break;
      default: break;
    }
  }
}

}  // namespace pasban::detect::keywords
