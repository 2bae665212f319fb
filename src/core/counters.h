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
  // Returns the slot for name, creating it on first use (build side).
  Id id(std::string_view name) {
    for (Id i = 0; i < names_.size(); ++i)
      if (names_[i] == name) return i;
    names_.emplace_back(name);
    values_.push_back(0);
    return Id(names_.size() - 1);
  }
  void add(Id id, uint64_t n = 1) { values_[id] += n; }
  void set(Id id, uint64_t v) { values_[id] = v; }
  uint64_t get(Id id) const { return values_[id]; }
  uint64_t get(std::string_view name) const {
    for (Id i = 0; i < names_.size(); ++i)
      if (names_[i] == name) return values_[i];
    return 0;
  }
  size_t size() const { return names_.size(); }
  const std::string& name(Id id) const { return names_[id]; }

 private:
  std::vector<std::string> names_;
  std::vector<uint64_t> values_;
};

}  // namespace pasban::core
