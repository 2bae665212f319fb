#include "detect/var_names.h"

namespace pasban::detect {

uint32_t VarNames::intern(VarKind kind, std::string_view name) {
  auto& ids = ids_[size_t(kind)];
  auto [it, inserted] = ids.emplace(std::string(name), uint32_t(names_[size_t(kind)].size()));
  if (inserted) names_[size_t(kind)].emplace_back(name);
  return it->second;
}

bool VarNames::find(VarKind kind, std::string_view name, uint32_t& id) const {
  const auto& ids = ids_[size_t(kind)];
  auto it = ids.find(std::string(name));
  if (it == ids.end()) return false;
  id = it->second;
  return true;
}

const std::string& VarNames::name(VarKind kind, uint32_t id) const {
  static const std::string kUnknown;
  const auto& names = names_[size_t(kind)];
  return id < names.size() ? names[id] : kUnknown;
}

}  // namespace pasban::detect
