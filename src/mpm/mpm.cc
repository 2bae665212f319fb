#include "mpm/mpm.h"

#include <map>

namespace pasban::mpm {

core::Result<std::shared_ptr<Database>> Database::compile(const std::vector<Pattern>& patterns,
                                                          const std::vector<uint32_t>& ids) {
  auto db = std::make_shared<Database>();
  if (patterns.empty()) return db;
  std::map<std::pair<std::string, bool>, uint32_t> literal_of;
  std::vector<const char*> exprs;
  std::vector<size_t> lens;
  std::vector<unsigned> flags, hs_ids;
  for (size_t i = 0; i < patterns.size(); ++i) {
    auto key = std::make_pair(patterns[i].bytes, patterns[i].nocase);
    auto [it, inserted] = literal_of.emplace(key, uint32_t(db->literal_ids_.size()));
    if (inserted) db->literal_ids_.emplace_back();
    db->literal_ids_[it->second].push_back(ids[i]);
  }
  for (const auto& [key, lit] : literal_of) {
    exprs.push_back(key.first.data());
    lens.push_back(key.first.size());
    flags.push_back(HS_FLAG_SINGLEMATCH | (key.second ? HS_FLAG_CASELESS : 0));
    hs_ids.push_back(lit);
  }
  hs_compile_error_t* cerr = nullptr;
  hs_error_t rc = hs_compile_lit_multi(exprs.data(), flags.data(), hs_ids.data(), lens.data(),
                                       unsigned(exprs.size()), HS_MODE_BLOCK, nullptr, &db->db_,
                                       &cerr);
  if (rc != HS_SUCCESS) {
    std::string msg = cerr && cerr->message ? cerr->message : "unknown error";
    if (cerr) hs_free_compile_error(cerr);
    return core::make_error("vectorscan compile failed: " + msg);
  }
  return db;
}

Database::~Database() {
  if (db_) hs_free_database(db_);
}

Scratch::~Scratch() {
  if (s_) hs_free_scratch(s_);
}

core::Status Scratch::prepare(const Database& db) {
  if (db.empty()) return {};
  if (hs_alloc_scratch(db.raw(), &s_) != HS_SUCCESS)
    return core::make_error("vectorscan: scratch allocation failed");
  return {};
}

}  // namespace pasban::mpm
