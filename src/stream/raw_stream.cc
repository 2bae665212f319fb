#include "stream/raw_stream.h"

#include <algorithm>

namespace pasban::stream {

void RawStream::append(core::Bytes b) {
  if (b.empty()) return;
  const size_t at = data_.size();
  data_.append(reinterpret_cast<const char*>(b.data()), b.size());
  if (after_gap_ || blocks_.empty()) {
    blocks_.push_back({at, data_.size()});
    after_gap_ = false;
  } else {
    blocks_.back().end = data_.size();
  }
}

void RawStream::gap(uint32_t len) {
  if (len == 0) return;
  gaps_.emplace_back(data_.size(), len);
  after_gap_ = true;
}

std::string RawStream::render() const {
  std::string out;
  out.reserve(data_.size() + gaps_.size() * 24);
  size_t pos = 0;
  for (const auto& [at, len] : gaps_) {
    out.append(data_, pos, at - pos);
    out += "[" + std::to_string(len) + " bytes missing]";
    pos = at;
  }
  out.append(data_, pos, std::string::npos);
  return out;
}

void RawStream::consume(size_t keep) {
  size_t from = data_.size();
  if (!blocks_.empty() && !after_gap_) {
    const Block& last = blocks_.back();
    from = last.end - std::min(keep, last.end - last.begin);
  }
  base_off_ += from;
  for (const auto& g : gaps_) base_off_ += g.first <= from ? g.second : 0;
  data_.erase(0, from);
  blocks_.clear();
  gaps_.clear();
  if (!data_.empty()) blocks_.push_back({0, data_.size()});
  inspected_ = data_.size();
  trigger = false;
  packet_matched.clear();
}

}  // namespace pasban::stream
