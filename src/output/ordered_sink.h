// Output of a pool of workers. Each worker writes its log lines into its
// own RecordBuffer (no lock); finished batches are handed to the
// OrderedOutput, the only writer of the real files. Unordered, a batch is
// written as it arrives (whole lines, never interleaved). Ordered, records
// wait until every packet before them is done and are written sorted by
// RecordKey, an order that does not depend on the thread count: two
// replays of one capture give the same bytes.
#pragma once
#include <compare>
#include <cstdint>
#include <atomic>
#include <deque>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "output/log_file.h"

namespace pasban::output {

// What caused a record: the global number of the packet (kAfterInput for
// the end of input), the phase (kTimeouts, flows ended by the clock before
// the packet; kPacket, the packet's own records), the origin of the ended
// flow (timeouts only: flows ending together are written in the order they
// began) and the worker's write sequence (keeps a worker's order).
struct RecordKey {
  static constexpr uint64_t kAfterInput = UINT64_MAX - 1;
  enum Phase : uint8_t { kTimeouts = 0, kPacket = 1 };
  uint64_t packet = 0;
  uint8_t phase = kPacket;
  uint64_t origin = 0;
  uint64_t seq = 0;
  friend auto operator<=>(const RecordKey&, const RecordKey&) = default;
};

// One worker's lines since its last hand-off.
struct RecordBatch {
  struct Entry {
    RecordKey key;
    uint8_t stream;
    uint32_t offset, length;
  };
  std::string text;
  std::vector<Entry> entries;
  bool empty() const { return entries.empty(); }
};

class RecordBuffer : public LineSink {
 public:
  // The cause of the lines written from now on.
  void set_cause(uint64_t packet, RecordKey::Phase phase, uint64_t origin = 0) {
    cause_.packet = packet;
    cause_.phase = phase;
    cause_.origin = origin;
  }
  const RecordKey& cause() const { return cause_; }
  void write_line(uint8_t stream, std::string_view line) override;
  bool empty() const { return batch_.empty(); }
  size_t bytes() const { return batch_.text.size(); }
  // Hands over what was written (the buffer starts a new batch).
  RecordBatch take();

 private:
  RecordKey cause_;
  uint64_t seq_ = 0;
  RecordBatch batch_;
};

class OrderedOutput {
 public:
  // files[stream] receives the lines of that stream (null: discarded).
  OrderedOutput(std::vector<LogFile*> files, size_t workers, bool ordered);
  bool ordered() const { return ordered_; }
  // A worker's batch. Ordered, every later batch of the worker holds
  // records of packets no earlier than this one's.
  void publish(size_t worker, RecordBatch&& batch);
  // Ordered: writes every record caused by packets below `below`, sorted.
  void drain(uint64_t below);
  // Writes everything still held (end of run).
  void drain_all() { drain(UINT64_MAX); }
  // A write failed (a full disk, a lost file system): nothing more can be
  // logged, so the run should stop. first_error() names the file.
  bool failed() const { return failed_.load(std::memory_order_acquire); }
  std::string first_error() const;
  // Runs fn while no record is being written (log rotation reopens files).
  template <typename Fn>
  auto with_files(Fn fn) {
    std::lock_guard<std::mutex> lock(mu_);
    return fn();
  }

 private:
  struct Pending {
    std::deque<RecordBatch> batches;
    size_t next = 0;  // first unwritten entry of batches.front()
  };
  void write(uint8_t stream, std::string_view line);

  std::vector<LogFile*> files_;
  bool ordered_;
  mutable std::mutex mu_;  // guards pending_, the files and first_error_
  std::atomic<bool> failed_{false};
  std::string first_error_;
  std::vector<Pending> pending_;
  std::vector<std::pair<const RecordBatch::Entry*, const RecordBatch*>> sort_buf_;
};

}  // namespace pasban::output
