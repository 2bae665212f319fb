// Named counters. Names are registered on the build side and give a slot
// index; the packet side only adds to slots. Names follow Suricata's stats
// names ("decoder.pkts", "flow.memcap") so EVE stats read the same.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace pasban::core {

class Counters {
 public:
  using Id = uint32_t;
  // How totals over several workers combine: summed, or the largest
  // (decoder.max_pkt_size).
  enum class Kind : uint8_t { kSum, kMax };
  // Returns the slot for name, creating it on first use (build side).
  Id id(std::string_view name, Kind kind = Kind::kSum) {
    for (Id i = 0; i < names_.size(); ++i)
      if (names_[i] == name) return i;
    names_.emplace_back(name);
    values_.push_back(0);
    kinds_.push_back(kind);
    return Id(names_.size() - 1);
  }
  void add(Id id, uint64_t n = 1) { values_[id] += n; }
  void set(Id id, uint64_t v) { values_[id] = v; }
  void raise_to(Id id, uint64_t v) {
    if (v > values_[id]) values_[id] = v;
  }
  uint64_t get(Id id) const { return values_[id]; }
  uint64_t get(std::string_view name) const {
    for (Id i = 0; i < names_.size(); ++i)
      if (names_[i] == name) return values_[i];
    return 0;
  }
  size_t size() const { return names_.size(); }
  const std::string& name(Id id) const { return names_[id]; }
  Kind kind(Id id) const { return kinds_[id]; }
  // Adds another set of counters into this one, by name and kind.
  void merge(const Counters& other) {
    for (Id i = 0; i < other.size(); ++i) {
      const Id mine = id(other.name(i), other.kind(i));
      if (other.kind(i) == Kind::kMax) raise_to(mine, other.get(i));
      else add(mine, other.get(i));
    }
  }

 private:
  std::vector<std::string> names_;
  std::vector<uint64_t> values_;
  std::vector<Kind> kinds_;
};

}  // namespace pasban::core
