// The registration list of application protocols: one line per protocol.
#pragma once
#include <vector>

#include "app/parser.h"

namespace pasban::runtime {

std::vector<const app::ProtocolSpec*> builtin_protocols();

}  // namespace pasban::runtime
