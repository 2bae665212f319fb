// content and its modifiers (nocase, depth, offset, distance, within,
// startswith, endswith, fast_pattern, rawbytes). Positions may be constants
// or byte_extract variables (slot >= 0).
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

#include "core/bytes.h"
#include "core/result.h"
#include "detect/keywords/byte_common.h"

namespace pasban::detect::keywords {

struct Content {
  std::string bytes;
  bool negated = false;
  bool nocase = false;
  bool startswith = false;
  bool endswith = false;
  bool rawbytes = false;
  bool has_offset = false, has_depth = false, has_distance = false, has_within = false;
  int32_t offset = 0, depth = 0, distance = 0, within = 0;
  int8_t offset_var = -1, depth_var = -1, distance_var = -1, within_var = -1;
  bool fast_pattern = false, fast_pattern_only = false, fast_pattern_chop = false;
  uint16_t fp_offset = 0, fp_length = 0;

  // Relative to the previous match (distance or within given).
  bool relative() const { return has_distance || has_within; }
  // The bytes the prefilter should look for (chop applied).
  std::string_view fast_pattern_bytes() const {
    std::string_view b = bytes;
    if (fast_pattern_chop && fp_offset < b.size()) return b.substr(fp_offset, fp_length);
    return b;
  }
  friend bool operator==(const Content&, const Content&) = default;
};

// Finds needle in hay[from, to) (to exclusive), honouring nocase. Returns
// the match start or -1.
int64_t find_bytes(core::Bytes hay, size_t from, size_t to, std::string_view needle,
                   bool nocase) noexcept;

}  // namespace pasban::detect::keywords
