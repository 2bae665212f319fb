// Content inspection of one buffer: content, pcre, byte_* and isdataat in
// rule order, with relative positions and backtracking over alternative
// content matches, bounded by an inspection step limit.
#pragma once
#ifndef PCRE2_CODE_UNIT_WIDTH
#define PCRE2_CODE_UNIT_WIDTH 8
#endif
#include <pcre2.h>

#include <string>
#include <vector>

#include "core/bytes.h"
#include "detect/rule.h"

namespace pasban::detect::eval {

// A pcre capture waiting for its rule to match (then it is stored in the
// flow or the packet); a later capture of the same variable replaces it.
struct PendingCapture {
  bool pkt = false;
  uint32_t id = 0;
  std::string value;
};

struct InspectScratch {
  keywords::ByteVars vars;
  pcre2_match_data* match_data = nullptr;  // owned by the Detector
  uint32_t steps = 0;
  uint32_t step_limit = 3000;  // detect.inspection-recursion-limit
  // base64_decode writes here; the rule's base64_data list (set by the
  // caller per rule, null when none) inspects it.
  std::string base64;
  const std::vector<BufferItem>* base64_data = nullptr;
  // A transformed list's bytes (the transform chain alternates a and b).
  transforms::ChainScratch transformed;
  // Captures of the rule being evaluated (cleared per rule by the caller).
  std::vector<PendingCapture> captures;
};

bool inspect_buffer(const std::vector<BufferItem>& items, core::Bytes buf, InspectScratch& s) noexcept;

}  // namespace pasban::detect::eval
