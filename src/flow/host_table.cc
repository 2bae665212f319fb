#include "flow/host_table.h"

#include <algorithm>

namespace pasban::flow {

HostKey HostKey::ip_pair(const core::IpAddress& x, const core::IpAddress& y) {
  // Both directions of a conversation name one pair.
  return x < y ? HostKey{x, y, true} : HostKey{y, x, true};
}

HostBitTable::HostBitTable(const HostTableConfig& config, core::Counters& counters)
    : config_(config), counters_(counters), c_memcap_(counters.id("pasban.hostbits.memcap_refused")) {}

bool HostBitTable::charge(bool pair, uint64_t n, core::Timestamp now) {
  uint64_t& use = pair ? pair_use_ : host_use_;
  const uint64_t cap = pair ? config_.ippair_memcap : config_.host_memcap;
  if (cap != 0 && use + n > cap) {
    sweep(now);
    if (use + n > cap) {
      counters_.add(c_memcap_);
      return false;
    }
  }
  use += n;
  memuse_ += n;
  return true;
}

void HostBitTable::sweep(core::Timestamp now) {
  // Drop expired bits everywhere, and the entries left without any.
  const int64_t t = now.as_usec();
  for (auto it = table_.begin(); it != table_.end();) {
    Entry& e = it->second;
    for (size_t i = e.bits.size(); i-- > 0;)
      if (e.bits[i].expire_us < t) erase_bit(e, i);
    if (e.bits.empty()) {
      uint64_t& use = it->first.pair ? pair_use_ : host_use_;
      use -= kEntryBytes;
      memuse_ -= kEntryBytes;
      table_.erase(it++);
    } else {
      ++it;
    }
  }
}

void HostBitTable::erase_bit(Entry& e, size_t i) {
  e.bits.erase(e.bits.begin() + std::ptrdiff_t(i));
}

HostBitTable::Entry* HostBitTable::get_or_create(const HostKey& k, core::Timestamp now) {
  auto it = table_.find(k);
  if (it != table_.end()) return &it->second;
  if (!charge(k.pair, kEntryBytes, now)) return nullptr;
  return &table_[k];
}

bool HostBitTable::isset(const HostKey& k, uint32_t id, core::Timestamp now) {
  auto it = table_.find(k);
  if (it == table_.end()) return false;
  auto& bits = it->second.bits;
  for (size_t i = 0; i < bits.size(); ++i) {
    if (bits[i].id != id) continue;
    if (bits[i].expire_us < now.as_usec()) {
      erase_bit(it->second, i);
      return false;
    }
    return true;
  }
  return false;
}

void HostBitTable::set(const HostKey& k, uint32_t id, core::Timestamp now, uint32_t expire_s) {
  Entry* e = get_or_create(k, now);
  if (!e) return;
  const int64_t expire = now.as_usec() + int64_t(expire_s) * 1000000;
  for (auto& b : e->bits)
    if (b.id == id) {
      b.expire_us = expire;  // setting again extends the lifetime
      return;
    }
  e->bits.push_back({id, expire});
}

void HostBitTable::unset(const HostKey& k, uint32_t id) {
  auto it = table_.find(k);
  if (it == table_.end()) return;
  auto& bits = it->second.bits;
  for (size_t i = 0; i < bits.size(); ++i)
    if (bits[i].id == id) {
      erase_bit(it->second, i);
      return;
    }
}

void HostBitTable::toggle(const HostKey& k, uint32_t id, core::Timestamp now, uint32_t expire_s) {
  if (isset(k, id, now)) unset(k, id);
  else set(k, id, now, expire_s);
}

}  // namespace pasban::flow
