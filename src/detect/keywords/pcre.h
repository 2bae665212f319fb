// pcre: PCRE2 compiled with JIT at load time; per-worker match data is
// passed in so the packet path never allocates.
#pragma once
#ifndef PCRE2_CODE_UNIT_WIDTH
#define PCRE2_CODE_UNIT_WIDTH 8
#endif
#include <pcre2.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/bytes.h"
#include "core/result.h"

namespace pasban::detect::keywords {

struct PcreLimits {
  uint32_t match_limit = 3500;
  uint32_t recursion_limit = 1500;
};

// A capture group stored in a variable when the rule matches: the
// "pcre:"/re/, flow:name,pkt:name"" list (groups 1, 2, ... in order) or a
// named group (?P<flow_name>...) / (?P<pkt_name>...).
struct PcreCapture {
  bool pkt = false;    // a pktvar (else a flowvar)
  uint32_t group = 0;  // capture group number
  uint32_t id = 0;     // variable id, assigned by the rule builder
  std::string name;
};

struct Pcre {
  std::shared_ptr<pcre2_code> code;
  std::shared_ptr<pcre2_match_context> mctx;
  std::string source;  // "/regex/flags" for messages and equality
  bool negated = false;
  bool relative = false;
  bool rawbytes = false;
  // An HTTP buffer flag (U, I, P, Q, H, D, M, C, S, Y, V, W, Z) naming the
  // buffer the pcre inspects, or 0 for the current buffer.
  char buffer_flag = 0;
  std::vector<PcreCapture> captures;

  // value: the keyword value as written (quoted). Errors name the problem.
  static core::Result<Pcre> parse(std::string_view value, const PcreLimits& limits);
  // Matches in buf from cursor (relative) or 0; on a match sets end to the
  // offset just past the match. Negation is applied by the caller.
  bool search(core::Bytes buf, uint32_t cursor, pcre2_match_data* md, uint32_t& end) const noexcept;
  // After a successful search: the bytes of capture group g (empty when
  // the group did not take part in the match).
  core::Bytes group(core::Bytes buf, uint32_t cursor, pcre2_match_data* md, uint32_t g) const noexcept;
  bool operator==(const Pcre& o) const { return source == o.source && negated == o.negated; }
};

}  // namespace pasban::detect::keywords
