// Rule variables ($HOME_NET, $HTTP_PORTS): the grammar asks the config for a
// variable's text and parses that text in place of the reference.
#pragma once
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace pasban::detect::rules {

// Called with the variable name without its '$' ("HOME_NET"); returns the
// variable's text (itself an address or port expression), or nullopt when
// the variable is not defined.
using VarLookup = std::function<std::optional<std::string>(std::string_view name)>;

// Variables may refer to further variables; past this depth the definition
// is taken to be recursive ($A -> $B -> $A) and the rule is rejected.
inline constexpr int kMaxVarDepth = 16;

// Bracketed lists may nest; the bound keeps the recursive parser's stack
// small on hostile input.
inline constexpr int kMaxListNesting = 64;

}  // namespace pasban::detect::rules
