// Suricata's threshold.config: sensor-side thresholds, event filters, rate
// filters and suppressions.
//
//   threshold gen_id 1, sig_id 10, type limit, track by_src, count 1, seconds 60
//   event_filter gen_id 1, sig_id 10, type both, track by_dst, count 5, seconds 60
//   rate_filter gen_id 1, sig_id 1000, track by_rule, count 100, seconds 60,
//       new_action drop, timeout 30        (continued with a trailing '\')
//   suppress gen_id 1, sig_id 2003614
//   suppress gen_id 1, sig_id 2003614, track by_src, ip 217.110.97.128/25
//
// '#' starts a comment line; a trailing '\' joins the next line. sig_id 0
// means every rule (of gen_id, or of every gen_id when gen_id is 0 too).
// A bad line becomes a "FILE:LINE: reason" error and the rest still load.
//
// How Suricata applies entries to rules (for the rule-set builder): a
// threshold/event_filter/rate_filter for one sid replaces the rule's own
// threshold/detection_filter keyword; a wildcard one (sig_id 0) skips rules
// that have their own. Suppressions add to whatever else the rule has.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "detect/threshold/threshold_spec.h"

namespace pasban::detect::threshold {

struct ThresholdConfigEntry {
  enum Kind : uint8_t { kThreshold, kEventFilter, kRateFilter, kSuppress };

  Kind kind = kThreshold;
  uint32_t gen_id = 0;
  uint32_t sig_id = 0;
  uint32_t line = 0;      // first line of the entry (1-based)
  ThresholdSpec spec;     // threshold, event_filter, rate_filter
  SuppressSpec suppress;  // suppress

  bool applies_to(uint32_t gid, uint32_t sid) const {
    if (sig_id == 0) return gen_id == 0 || gen_id == gid;
    return sig_id == sid && gen_id == gid;
  }
  bool is_wildcard() const { return sig_id == 0; }
  friend bool operator==(const ThresholdConfigEntry&, const ThresholdConfigEntry&) = default;
};

struct ThresholdConfig {
  std::vector<ThresholdConfigEntry> entries;
  std::vector<core::Error> errors;  // "FILE:LINE: reason", in file order
};

// Parses the text of a threshold.config. `file_name` only labels errors.
// `vars` resolves $NAME in suppress ip lists (the address-groups).
ThresholdConfig parse_threshold_config(std::string_view text, std::string_view file_name,
                                       const AddressVarResolver& vars = {});

// Reads and parses a file; an unreadable file is an Error.
core::Result<ThresholdConfig> load_threshold_config(const std::string& path,
                                                    const AddressVarResolver& vars = {});

// One entry line (without continuation or comments), for tests and --set.
core::Result<ThresholdConfigEntry> parse_threshold_config_line(std::string_view line,
                                                               const AddressVarResolver& vars = {});

}  // namespace pasban::detect::threshold
