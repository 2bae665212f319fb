// Bits stored per host and per IP pair (hostbits, xbits): Suricata's host
// and ippair tables, reduced to what detection keeps in them. Each bit has
// an expiry time; an expired bit reads as unset and is dropped when seen.
// Both tables grow with traffic, so each has a memcap: at the cap, entries
// whose bits all expired are swept, and if that frees nothing the new
// entry is refused (the set is lost) and counted.
#pragma once
#include <absl/container/flat_hash_map.h>

#include <cstdint>
#include <vector>

#include "core/counters.h"
#include "core/ip_address.h"
#include "core/timestamp.h"

namespace pasban::flow {

struct HostTableConfig {
  uint64_t host_memcap = 32ull << 20;    // host.memcap
  uint64_t ippair_memcap = 32ull << 20;  // ippair.memcap
};

// One host, or an unordered pair of hosts.
struct HostKey {
  core::IpAddress a, b;  // b is unused (default) for a single host
  bool pair = false;

  static HostKey host(const core::IpAddress& ip) { return {ip, {}, false}; }
  static HostKey ip_pair(const core::IpAddress& x, const core::IpAddress& y);
  friend bool operator==(const HostKey&, const HostKey&) = default;
  template <typename H>
  friend H AbslHashValue(H h, const HostKey& k) {
    return H::combine(std::move(h), k.a, k.b, k.pair);
  }
};

class HostBitTable {
 public:
  HostBitTable(const HostTableConfig& config, core::Counters& counters);

  // now is the packet time; expire_s the bit's lifetime in seconds.
  bool isset(const HostKey& k, uint32_t id, core::Timestamp now);
  void set(const HostKey& k, uint32_t id, core::Timestamp now, uint32_t expire_s);
  void unset(const HostKey& k, uint32_t id);
  void toggle(const HostKey& k, uint32_t id, core::Timestamp now, uint32_t expire_s);
  size_t size() const { return table_.size(); }
  uint64_t memuse() const { return memuse_; }

 private:
  struct Bit {
    uint32_t id;
    int64_t expire_us;
  };
  struct Entry {
    std::vector<Bit> bits;
  };
  // Approximate bytes of an entry with a few bits (the memcap's unit).
  static constexpr uint64_t kEntryBytes = 128;

  Entry* get_or_create(const HostKey& k, core::Timestamp now);
  bool charge(bool pair, uint64_t n, core::Timestamp now);
  void sweep(core::Timestamp now);
  void erase_bit(Entry& e, size_t i);

  HostTableConfig config_;
  core::Counters& counters_;
  absl::flat_hash_map<HostKey, Entry> table_;
  uint64_t memuse_ = 0;        // both tables together
  uint64_t host_use_ = 0, pair_use_ = 0;
  core::Counters::Id c_memcap_;
};

}  // namespace pasban::flow
