#include "output/ordered_sink.h"

#include <algorithm>

namespace pasban::output {

void RecordBuffer::write_line(uint8_t stream, std::string_view line) {
  RecordKey key = cause_;
  key.seq = seq_++;
  batch_.entries.push_back({key, stream, uint32_t(batch_.text.size()), uint32_t(line.size())});
  batch_.text.append(line);
}

RecordBatch RecordBuffer::take() {
  RecordBatch out = std::move(batch_);
  batch_ = RecordBatch{};
  batch_.text.reserve(out.text.capacity());
  return out;
}

OrderedOutput::OrderedOutput(std::vector<LogFile*> files, size_t workers, bool ordered)
    : files_(std::move(files)), ordered_(ordered), pending_(workers) {}

void OrderedOutput::write(uint8_t stream, std::string_view line) {
  if (stream >= files_.size() || !files_[stream]) return;
  LogFile& f = *files_[stream];
  f.write(line);
  if (!f.ok() && !failed_.load(std::memory_order_relaxed)) {
    first_error_ = f.error();
    failed_.store(true, std::memory_order_release);
  }
}

std::string OrderedOutput::first_error() const {
  std::lock_guard<std::mutex> lock(mu_);
  return first_error_;
}

void OrderedOutput::publish(size_t worker, RecordBatch&& batch) {
  if (batch.empty()) return;
  std::lock_guard<std::mutex> lock(mu_);
  if (!ordered_) {
    for (const auto& e : batch.entries)
      write(e.stream, std::string_view(batch.text).substr(e.offset, e.length));
    return;
  }
  pending_[worker].batches.push_back(std::move(batch));
}

void OrderedOutput::drain(uint64_t below) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!ordered_) return;
  // A worker's records come in packet order, so what is ready is a prefix
  // of each worker's queue.
  sort_buf_.clear();
  for (Pending& p : pending_) {
    size_t next = p.next;
    for (const RecordBatch& b : p.batches) {
      for (; next < b.entries.size() && b.entries[next].key.packet < below; ++next)
        sort_buf_.push_back({&b.entries[next], &b});
      if (next < b.entries.size()) break;
      next = 0;
    }
  }
  std::sort(sort_buf_.begin(), sort_buf_.end(),
            [](const auto& a, const auto& b) { return a.first->key < b.first->key; });
  for (const auto& [e, b] : sort_buf_)
    write(e->stream, std::string_view(b->text).substr(e->offset, e->length));
  // Drop what was written.
  for (Pending& p : pending_) {
    while (!p.batches.empty()) {
      RecordBatch& b = p.batches.front();
      while (p.next < b.entries.size() && b.entries[p.next].key.packet < below) ++p.next;
      if (p.next < b.entries.size()) break;
      p.batches.pop_front();
      p.next = 0;
    }
  }
}

}  // namespace pasban::output
