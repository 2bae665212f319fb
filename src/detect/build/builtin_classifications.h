// The standard classtypes (name, description, priority) used when no
// classification file is configured or found, so rules with a classtype
// still load and alerts carry a category.
#pragma once
#include <string>
#include <unordered_map>

#include "detect/build/rule_builder.h"

namespace pasban::detect::build {

const std::unordered_map<std::string, ClassType>& builtin_classifications();

}  // namespace pasban::detect::build
