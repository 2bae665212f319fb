// Multi-pattern matching over Vectorscan/Hyperscan literal databases.
// Build side (PatternSet::compile) may allocate and be slow; the scan side
// uses caller-owned Scratch and never allocates.
#pragma once
#include <hs/hs.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/bytes.h"
#include "core/result.h"

namespace pasban::mpm {

struct Pattern {
  std::string bytes;
  bool nocase = false;
};

class Database {
 public:
  Database() = default;
  // Identical (bytes, nocase) patterns are merged: several ids may report
  // for one literal. ids[i] is the caller's id for patterns[i].
  static core::Result<std::shared_ptr<Database>> compile(const std::vector<Pattern>& patterns,
                                                         const std::vector<uint32_t>& ids);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  bool empty() const { return db_ == nullptr; }
  hs_database_t* raw() const { return db_; }
  // For literal index L (the id Vectorscan reports), the caller ids.
  const std::vector<uint32_t>& ids_of(uint32_t literal) const { return literal_ids_[literal]; }
  size_t literal_count() const { return literal_ids_.size(); }

 private:
  hs_database_t* db_ = nullptr;
  std::vector<std::vector<uint32_t>> literal_ids_;
};

// Per-worker scratch, large enough for every database it was prepared for.
class Scratch {
 public:
  Scratch() = default;
  ~Scratch();
  Scratch(const Scratch&) = delete;
  Scratch& operator=(const Scratch&) = delete;
  core::Status prepare(const Database& db);
  hs_scratch_t* raw() const { return s_; }

 private:
  hs_scratch_t* s_ = nullptr;
};

// Calls on_match(caller_id) for every caller id whose literal occurs in
// data (each literal at most once per scan).
template <class F>
void scan(const Database& db, Scratch& scratch, core::Bytes data, F&& on_match) {
  if (db.empty() || data.empty()) return;
  struct Ctx {
    const Database* db;
    F* f;
  } ctx{&db, &on_match};
  auto cb = [](unsigned int id, unsigned long long, unsigned long long, unsigned int,
               void* c) -> int {
    auto* x = static_cast<Ctx*>(c);
    for (uint32_t caller : x->db->ids_of(id)) (*x->f)(caller);
    return 0;
  };
  hs_scan(db.raw(), reinterpret_cast<const char*>(data.data()), unsigned(data.size()), 0,
          scratch.raw(), cb, &ctx);
}

}  // namespace pasban::mpm
