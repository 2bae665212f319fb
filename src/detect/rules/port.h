// Rule port expressions: any, 80, 1024:65535, 1024:, :1023, [80,443],
// !80, ![80,443], $HTTP_PORTS.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "detect/rules/var_lookup.h"

namespace pasban::detect::rules {

struct PortRange {
  uint16_t lo = 0;
  uint16_t hi = 0;  // inclusive
  friend bool operator==(const PortRange&, const PortRange&) = default;
};

// A set of ports as sorted, disjoint, non-adjacent ranges. Immutable once
// parsed.
class PortSet {
 public:
  static PortSet any();

  bool match(uint16_t port) const noexcept;
  bool is_any() const;
  const std::vector<PortRange>& ranges() const { return ranges_; }
  // "any", or "[80, 1024:65535]".
  std::string to_string() const;

  friend bool operator==(const PortSet&, const PortSet&) = default;

 private:
  friend class PortParser;
  std::vector<PortRange> ranges_;
};

// Same list semantics as addresses: (union of positive elements, or every
// port when all are negated) minus (union of negated elements). Out-of-range
// ports, reversed ranges and sets that match nothing ("!any") are errors.
core::Result<PortSet> parse_port(std::string_view text, const VarLookup& vars);

}  // namespace pasban::detect::rules
