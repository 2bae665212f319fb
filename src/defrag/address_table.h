// Longest-prefix-match table from addresses to a value, as Suricata's
// host-os-policy and defrag host-config lookups work ("the most specific
// entry matches"). Built once from the configuration; lookups do not
// allocate. IPv4 and IPv6 entries are separate: 0.0.0.0/0 never matches an
// IPv6 address.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/ip_address.h"
#include "core/result.h"

namespace pasban::defrag {

struct Cidr {
  core::IpAddress network;  // host bits cleared
  uint8_t prefix_len = 0;
  // "10.0.0.0/8", "2001:db8::/32", or a plain address (a host route).
  static std::optional<Cidr> parse(std::string_view text);
  bool contains(const core::IpAddress& a) const;
};

template <class T>
class AddressTable {
 public:
  // Adds an entry; a later entry for the same prefix replaces the value.
  core::Status add(std::string_view cidr, T value) {
    auto c = Cidr::parse(cidr);
    if (!c) return core::make_error("invalid address '" + std::string(cidr) + "'");
    for (auto& e : entries_) {
      if (e.cidr.prefix_len == c->prefix_len && e.cidr.network == c->network) {
        e.value = value;
        return core::Status::Ok();
      }
    }
    entries_.push_back({*c, value});
    return core::Status::Ok();
  }
  // The value of the most specific entry containing a, if any.
  const T* lookup(const core::IpAddress& a) const {
    const Entry* best = nullptr;
    for (const auto& e : entries_)
      if (e.cidr.contains(a) && (!best || e.cidr.prefix_len > best->cidr.prefix_len)) best = &e;
    return best ? &best->value : nullptr;
  }
  bool empty() const { return entries_.empty(); }

 private:
  struct Entry {
    Cidr cidr;
    T value;
  };
  std::vector<Entry> entries_;
};

}  // namespace pasban::defrag
