// config: the settings a matching rule changes for a unit of traffic
// ("config: logging disable, type tx, scope tx;"). Only transaction
// logging is supported: the matching transaction writes no EVE record.
#pragma once
#include <string_view>

#include "core/result.h"

namespace pasban::detect::keywords {

struct ConfigSetting {
  enum class Subsys : uint8_t { kLogging };
  enum class Type : uint8_t { kTx };
  enum class Scope : uint8_t { kTx };
  Subsys subsys = Subsys::kLogging;
  Type type = Type::kTx;
  Scope scope = Scope::kTx;

  // "<subsys> disable, type <type>, scope <scope>"
  static core::Result<ConfigSetting> parse(std::string_view value);
};

}  // namespace pasban::detect::keywords
