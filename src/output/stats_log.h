// stats.log: every counter (Pasban's own included) in Suricata's
// plain-text table, written at the end of a run.
#pragma once
#include <string>

#include "core/counters.h"
#include "core/timestamp.h"

namespace pasban::output {

// Returns false (and sets error) when the file cannot be written.
bool write_stats_log(const std::string& path, const core::Counters& counters,
                     core::Timestamp now, int64_t uptime_s, std::string& error);

}  // namespace pasban::output
