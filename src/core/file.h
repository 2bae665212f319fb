// Whole-file reads for rule, config and threshold files (build side).
#pragma once
#include <string>

namespace pasban::core {

// Reads path into out; false when it cannot be opened or read.
bool read_whole_file(const std::string& path, std::string& out);

}  // namespace pasban::core
