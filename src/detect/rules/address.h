// Rule address expressions: any, 1.2.3.4, 10.0.0.0/8, 1.2.3.0/255.255.255.0,
// 2001:db8::/32, 1.2.3.4-1.2.3.9, [a, b, ...], !x, ![...], $VAR.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "core/ip_address.h"
#include "core/result.h"
#include "detect/rules/var_lookup.h"

namespace pasban::detect::rules {

// An inclusive range of addresses as 128-bit integers (IPv4 uses the low 32
// bits).
struct AddressRange {
  unsigned __int128 lo = 0;
  unsigned __int128 hi = 0;
  friend bool operator==(const AddressRange&, const AddressRange&) = default;
};

// A set of IPv4 and IPv6 addresses, kept as sorted, disjoint, non-adjacent
// ranges per family so that match() is a binary search. Immutable once
// parsed.
class AddressSet {
 public:
  // The set of every address of both families.
  static AddressSet any();

  bool match(const core::IpAddress& addr) const noexcept;
  bool is_any() const;
  bool has_v4() const { return !v4_.empty(); }
  bool has_v6() const { return !v6_.empty(); }
  // True when the set holds addresses of only one family.
  bool is_single_family() const { return has_v4() != has_v6(); }

  const std::vector<AddressRange>& v4_ranges() const { return v4_; }
  const std::vector<AddressRange>& v6_ranges() const { return v6_; }

  // For debugging and error messages: "any", or "[10.0.0.0/8, 1.2.3.4-1.2.3.9,
  // 2001:0db8:...]" with each range shown as a CIDR block when it is one.
  std::string to_string() const;

  friend bool operator==(const AddressSet&, const AddressSet&) = default;

 private:
  friend class AddressParser;
  std::vector<AddressRange> v4_;
  std::vector<AddressRange> v6_;
};

// Parses an address expression. The set is the union of the positive
// elements (or every address when all elements are negated) minus the union
// of the negated ones; a negated IPv4 element leaves all of IPv6 in the set,
// as in Suricata. Variables are looked up by name without '$' and may nest up
// to kMaxVarDepth. An expression matching nothing ("!any",
// "[1.2.3.4,!1.2.3.4]") is an error.
core::Result<AddressSet> parse_address(std::string_view text, const VarLookup& vars);

}  // namespace pasban::detect::rules
