#include "runtime/worker_pool.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <tuple>

#include "capture/pcap_file.h"
#include "decode/outer_hash.h"
#include "output/stats_log.h"

namespace pasban::runtime {
namespace {

constexpr size_t kMinRing = 64, kMaxRing = 65536;  // max-pending-packets bounds
constexpr size_t kUnorderedBatchBytes = 64 << 10;   // unordered: hand over in chunks
constexpr uint32_t kStopItem = UINT32_MAX;
constexpr auto kMergeInterval = std::chrono::milliseconds(2);
constexpr uint64_t kInlineDrainPackets = 1024;  // one worker: sort and write this often
constexpr int kIdleSpins = 20;  // an idle worker yields this often before it sleeps
constexpr uint64_t kWakeBatch = 16;  // queued packets that wake a sleeping worker
constexpr int kIdleWakeMs = 200;  // an idle FIFO input still checks for lifecycle work this often

// Spins briefly, then sleeps: a wait for another worker is rare and short,
// and the machine may have fewer cores than threads.
void backoff(int& spins) {
  if (++spins < 64) std::this_thread::yield();
  else std::this_thread::sleep_for(std::chrono::microseconds(20));
}

}  // namespace

// One packet buffer of the ring. The reader fills it when pending is 0;
// every worker given it (the owner, and the others when a sweep is due)
// decrements pending when done.
struct alignas(64) WorkerPool::Slot {
  std::vector<uint8_t> data;
  core::Timestamp ts;
  int linktype = 0;
  uint32_t file = 0;
  bool sweep = false;
  std::atomic<uint64_t> cnt{0};  // global packet number held
  std::atomic<uint32_t> pending{0};
};

struct WorkerPool::Worker : detect::eval::TurnWait {
  WorkerPool* pool = nullptr;
  size_t index = 0;
  output::RecordBuffer sink;
  std::unique_ptr<Engine> engine;
  // Single-producer single-consumer queue of items (slot index << 1 | tick);
  // it never holds more than one item per slot, so the ring size bounds it.
  std::vector<uint32_t> queue;
  // Apart: the worker writes head, the reader tail.
  alignas(64) std::atomic<uint64_t> head{0};
  alignas(64) std::atomic<uint64_t> tail{0};
  alignas(64) uint64_t current = 0;  // packet number being handled
  std::thread thread;
  uint32_t file = UINT32_MAX;
  bool ordered_turns = true;  // offline: shared state in packet order
  uint64_t rules_generation = 0;  // the reload this worker has taken up

  // Before touching shared detection state: every earlier packet is done,
  // and for the packet's own records also the other workers' sweep at it
  // (a single worker sweeps before the packet too).
  void wait_turn() override {
    if (!ordered_turns) return;
    const bool own_packet = sink.cause().phase == output::RecordKey::kPacket;
    if (pool->done_below(current, own_packet)) return;
    // The packets we wait for may sit with a sleeping worker.
    for (auto& w : pool->workers_) w->ring();
    for (int spins = 0; !pool->done_below(current, own_packet);) backoff(spins);
  }
  // The reader rings a sleeping worker once a few packets wait for it (a
  // wake-up per packet would cost more than the packet), and always
  // before the reader itself blocks and at the end.
  void push(uint32_t item, bool ring_now = false) {
    const uint64_t t = tail.load(std::memory_order_relaxed);
    queue[t % queue.size()] = item;
    tail.store(t + 1, std::memory_order_seq_cst);
    if (ring_now || t + 1 - head.load(std::memory_order_relaxed) >= kWakeBatch) ring();
  }
  void ring() {
    if (!sleeping.load(std::memory_order_seq_cst)) return;
    bell.fetch_add(1, std::memory_order_release);
    bell.notify_one();
  }
  // Sleeps until rung, unless work arrived meanwhile (sleeping and tail
  // are both seq_cst: either the reader sees the flag or we see its item).
  void sleep_unless(uint64_t head_now) {
    const uint32_t b = bell.load(std::memory_order_acquire);
    sleeping.store(true, std::memory_order_seq_cst);
    if (tail.load(std::memory_order_seq_cst) == head_now) bell.wait(b);
    sleeping.store(false, std::memory_order_relaxed);
  }
  alignas(64) std::atomic<bool> sleeping{false};
  std::atomic<uint32_t> bell{0};
};

WorkerPool::~WorkerPool() {
  stop_merger_ = true;
  if (merger_.joinable()) merger_.join();
  for (auto& w : workers_) {
    if (w->thread.joinable()) {
      w->push(kStopItem, true);
      w->thread.join();
    }
  }
}

core::Result<std::unique_ptr<WorkerPool>> WorkerPool::create(const Config& config,
                                                             const CliOptions& cli,
                                                             std::vector<std::string>& errors,
                                                             std::vector<std::string>& warnings,
                                                             size_t workers) {
  auto shared = EngineShared::create(config, cli, errors, warnings);
  if (!shared) return shared.error();
  std::unique_ptr<WorkerPool> pool(new WorkerPool());
  pool->shared_ = std::move(*shared);
  if (workers) pool->shared_->threading.workers = workers;
  const size_t n = pool->shared_->threading.workers;
  const size_t ring = std::clamp<size_t>(size_t(config.get_int("max-pending-packets", 1024)),
                                         kMinRing, kMaxRing);
  for (size_t i = 0; i < ring; ++i) pool->ring_.push_back(std::make_unique<Slot>());
  for (size_t i = 0; i < n; ++i) {
    auto w = std::make_unique<Worker>();
    w->pool = pool.get();
    w->index = i;
    w->queue.resize(ring);
    auto e = Engine::create(*pool->shared_, &w->sink, w.get());
    if (!e) return e.error();
    w->engine = std::move(*e);
    pool->workers_.push_back(std::move(w));
  }
  pool->output_ = std::make_unique<output::OrderedOutput>(
      pool->shared_->stream_files(), n, pool->shared_->threading.deterministic);
  return pool;
}

bool WorkerPool::done_below(uint64_t n, bool with_ticks_at_n) const {
  const size_t r = ring_.size();
  for (uint64_t k = reclaimed_.load(std::memory_order_acquire); k < n; ++k) {
    const Slot& s = *ring_[k % r];
    // A slot holding a later packet was reused, so k was done.
    if (s.cnt.load(std::memory_order_acquire) == k &&
        s.pending.load(std::memory_order_acquire) != 0)
      return false;
  }
  if (!with_ticks_at_n) return true;
  const Slot& s = *ring_[n % r];
  return s.cnt.load(std::memory_order_acquire) != n ||
         s.pending.load(std::memory_order_acquire) <= 1;
}

uint64_t WorkerPool::watermark() const {
  const size_t r = ring_.size();
  uint64_t k = reclaimed_.load(std::memory_order_acquire);
  for (;; ++k) {
    const Slot& s = *ring_[k % r];
    if (s.cnt.load(std::memory_order_acquire) != k ||
        s.pending.load(std::memory_order_acquire) != 0)
      return k;
  }
}

void WorkerPool::publish(Worker& w, bool force) {
  if (w.sink.empty()) return;
  if (output_->ordered() || force || w.sink.bytes() >= kUnorderedBatchBytes)
    output_->publish(w.index, w.sink.take());
}

void WorkerPool::worker_loop(Worker& w) {
  const size_t r = ring_.size();
  uint64_t head = w.head.load(std::memory_order_relaxed);
  for (;;) {
    uint64_t tail = w.tail.load(std::memory_order_acquire);
    if (head == tail) {
      // Going idle: what is buffered goes out first. The next packet is
      // usually microseconds away: yield a little before sleeping.
      publish(w, true);
      for (int spins = 0; spins < kIdleSpins && (tail = w.tail.load(std::memory_order_acquire)) == head;
           ++spins)
        std::this_thread::yield();
      while ((tail = w.tail.load(std::memory_order_acquire)) == head) w.sleep_unless(head);
    }
    const uint32_t item = w.queue[head % r];
    if (item == kStopItem) break;
    take_rules(w);
    Slot& s = *ring_[item >> 1];
    w.current = s.cnt.load(std::memory_order_relaxed);
    if (item & 1) {
      w.engine->sweep(s.ts, w.current);
    } else {
      if (s.file != w.file && s.file < files_.size()) {
        w.file = s.file;
        w.engine->set_pcap_filename(files_[s.file]);
      }
      // Offline there is no one to give the verdict to.
      (void)w.engine->process(s.linktype, s.ts, core::Bytes(s.data.data(), s.data.size()),
                              w.current, s.sweep);
    }
    publish(w, false);
    w.head.store(++head, std::memory_order_release);
    s.pending.fetch_sub(1, std::memory_order_acq_rel);
  }
  publish(w, true);
}

void WorkerPool::process_inline(const Slot& s) {
  Worker& w = *workers_[0];
  take_rules(w);
  const uint64_t cnt = s.cnt.load(std::memory_order_relaxed);
  w.current = cnt;
  if (s.file != w.file && s.file < files_.size()) {
    w.file = s.file;
    w.engine->set_pcap_filename(files_[s.file]);
  }
  (void)w.engine->process(s.linktype, s.ts, core::Bytes(s.data.data(), s.data.size()), cnt,
                          s.sweep);
  publish(w, false);
  if (output_->ordered() && cnt % kInlineDrainPackets == 0) output_->drain(cnt + 1);
}

void WorkerPool::merger_loop() {
  while (!stop_merger_.load(std::memory_order_acquire)) {
    std::this_thread::sleep_for(kMergeInterval);
    output_->drain(watermark());
  }
}

// The offline reader: numbers packets, decides when flows are swept (once
// per second of packet time, as FlowTable::sweep_due), and dispatches.
class WorkerPool::Reader {
 public:
  explicit Reader(WorkerPool& pool) : pool_(pool) {}
  void dispatch(int linktype, const capture::RawPacket& rp, uint32_t file) {
    const uint64_t cnt = ++cnt_;
    const bool sweep = rp.ts.sec - last_sweep_sec_ >= 1;
    if (sweep) last_sweep_sec_ = rp.ts.sec;
    Slot& s = *pool_.ring_[cnt % pool_.ring_.size()];
    const size_t n = pool_.workers_.size();
    if (n > 1) wait_free(s);
    s.data.assign(rp.data.begin(), rp.data.end());
    s.ts = rp.ts;
    s.linktype = linktype;
    s.file = file;
    s.sweep = sweep;
    if (n == 1) {
      s.cnt.store(cnt, std::memory_order_relaxed);
      pool_.process_inline(s);
      return;
    }
    const auto h = decode::outer_address_hash(linktype, rp.data);
    const size_t owner = h ? size_t(*h % n) : 0;
    // pending before cnt: whoever sees the new number sees it not done.
    s.pending.store(sweep ? uint32_t(n) : 1u, std::memory_order_relaxed);
    s.cnt.store(cnt, std::memory_order_release);
    const uint32_t slot = uint32_t(cnt % pool_.ring_.size());
    pool_.workers_[owner]->push(slot << 1);
    if (sweep)
      for (size_t i = 0; i < n; ++i)
        if (i != owner) pool_.workers_[i]->push(slot << 1 | 1);
  }

 private:
  // Backpressure: the slot's previous packet must be done. Done slots in
  // order are reclaimed (the watermark other threads read).
  void wait_free(Slot& s) {
    if (s.pending.load(std::memory_order_acquire) != 0) {
      // The ring is full: every worker must run (the slot's owner may be
      // waiting for its turn on another's packet).
      for (auto& w : pool_.workers_) w->ring();
      for (int spins = 0; s.pending.load(std::memory_order_acquire) != 0;) backoff(spins);
    }
    const size_t r = pool_.ring_.size();
    uint64_t k = pool_.reclaimed_.load(std::memory_order_relaxed);
    while (k <= cnt_) {
      const Slot& o = *pool_.ring_[k % r];
      if (o.cnt.load(std::memory_order_acquire) == k && o.pending.load(std::memory_order_acquire) != 0)
        break;
      if (o.cnt.load(std::memory_order_acquire) < k) break;  // not yet filled
      ++k;
    }
    pool_.reclaimed_.store(k, std::memory_order_release);
  }

  WorkerPool& pool_;
  uint64_t cnt_ = 0;
  int64_t last_sweep_sec_ = 0;  // as a new FlowTable's last sweep
};

bool WorkerPool::run(const std::vector<std::string>& captures, const std::string& bpf,
                     std::string& error) {
  // Every file is known before the workers start (they read files_).
  std::vector<std::pair<size_t, std::string>> path_errors;
  std::vector<size_t> first_file;
  for (size_t i = 0; i < captures.size(); ++i) {
    first_file.push_back(files_.size());
    auto files = capture::expand_capture_path(captures[i]);
    if (!files) path_errors.push_back({i, files.error().message});
    else files_.insert(files_.end(), files->begin(), files->end());
  }
  first_file.push_back(files_.size());
  if (workers_.size() > 1) {
    for (auto& w : workers_) w->thread = std::thread([this, wp = w.get()] { worker_loop(*wp); });
    if (output_->ordered()) merger_ = std::thread([this] { merger_loop(); });
  }
  Reader reader(*this);
  bool ok = true;
  for (size_t i = 0; i < captures.size() && ok; ++i) {
    for (const auto& [at, msg] : path_errors)
      if (at == i) {
        error = msg;
        ok = false;
      }
    for (size_t f = first_file[i]; ok && f < first_file[i + 1]; ++f) {
      if (!at_boundary()) break;
      auto src = capture::PcapFile::open(files_[f], bpf);
      if (!src && !at_boundary()) break;  // a stop interrupted the open (a FIFO)
      if (!src) {
        error = src.error().message;
        ok = false;
        break;
      }
      capture::RawPacket rp;
      int rc = 0;
      while (at_boundary()) {
        // An idle FIFO: wake for lifecycle work (a reload, a counters
        // request) instead of blocking in the read.
        if (!(*src)->wait_readable(boundary_wake_fd_, kIdleWakeMs)) {
          if (boundary_hook_ && !boundary_hook_()) stopped_ = true;  // it drains the wake fd
          continue;
        }
        if ((rc = (*src)->next(rp)) != 1) break;
        reader.dispatch((*src)->linktype(), rp, uint32_t(f));
        if (output_->failed()) break;
      }
      if (output_->failed()) {
        // Nothing more can be logged (a full disk): stop rather than
        // inspect traffic whose evidence would be lost.
        error = "output error: " + output_->first_error() + "; stopped reading";
        ok = false;
        break;
      }
      // A stop signal interrupts a blocked read: that is the stop, not an error.
      if (stopped_ || (rc < 0 && !at_boundary())) {
        ok = true;
        i = captures.size();
        break;
      }
      if (rc < 0) {
        // A truncated capture ends that file, as in Suricata; it is
        // reported and the run goes on with the next file.
        std::fprintf(stderr, "pasban: warning: %s: %s\n", files_[f].c_str(),
                     (*src)->error().c_str());
      }
    }
  }
  for (auto& w : workers_) {
    if (!w->thread.joinable()) continue;
    w->push(kStopItem, true);
    w->thread.join();
  }
  stop_merger_ = true;
  if (merger_.joinable()) merger_.join();
  return ok;
}

bool WorkerPool::run_live(std::vector<std::unique_ptr<capture::Source>>& sources,
                          capture::RejectSender* reject, std::string& error) {
  if (sources.size() != workers_.size()) {
    error = "live capture: " + std::to_string(sources.size()) + " sources for " +
            std::to_string(workers_.size()) + " workers";
    return false;
  }
  std::atomic<bool> stop{false};
  std::atomic<size_t> ended{0};
  std::vector<std::thread> threads;
  for (size_t i = 0; i < workers_.size(); ++i) {
    workers_[i]->ordered_turns = false;  // no global packet order live
    std::fprintf(stderr, "pasban: worker %zu on %s%s\n", i, sources[i]->describe().c_str(),
                 sources[i]->is_inline() ? " (inline)" : "");
    threads.emplace_back([this, i, &sources, &stop, &ended, reject] {
      live_loop(*workers_[i], *sources[i], stop, reject);
      ended.fetch_add(1, std::memory_order_release);
    });
  }
  std::fprintf(stderr, "pasban: engine started, %zu worker(s)\n", workers_.size());
  // This thread serves the lifecycle (signals, socket, reloads) meanwhile.
  while (!stop.load()) {
    if (!at_boundary()) break;
    if (output_->failed()) {
      error = "output error: " + output_->first_error() + "; stopped capturing";
      break;
    }
    // Every worker's source failed: nothing left to capture. (A source's
    // error string belongs to its worker thread until that thread ends.)
    if (ended.load(std::memory_order_acquire) == workers_.size()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  stop = true;
  for (auto& t : threads) t.join();
  for (size_t i = 0; i < sources.size(); ++i) {
    workers_[i]->engine->record_capture_stats(*sources[i]);
    if (!sources[i]->error().empty() && !stopped_ && error.empty()) error = sources[i]->error();
  }
  return error.empty();
}

void WorkerPool::live_loop(Worker& w, capture::Source& src, const std::atomic<bool>& stop,
                           capture::RejectSender* reject) {
  capture::LivePacket pkt;
  while (!stop.load(std::memory_order_relaxed)) {
    const int rc = src.next(pkt);
    if (rc < 0) break;
    take_rules(w);
    const uint64_t cnt = live_cnt_.fetch_add(1, std::memory_order_relaxed) + 1;
    w.current = cnt;
    if (rc == 0) {
      // Idle: flows still time out, by the wall clock.
      const auto wall = std::chrono::system_clock::now().time_since_epoch();
      const int64_t us = std::chrono::duration_cast<std::chrono::microseconds>(wall).count();
      const core::Timestamp now{us / 1000000, int32_t(us % 1000000)};
      if (w.engine->sweep_due(now)) w.engine->sweep(now, cnt);
    } else {
      const PacketVerdict v = w.engine->process_live(pkt, cnt, w.engine->sweep_due(pkt.ts));
      if (v == PacketVerdict::kReject && reject) {
        // Rejects are rare; the sender (and its buffer) is shared.
        std::lock_guard<std::mutex> lock(reject_mu_);
        w.engine->answer_reject(pkt, *reject);
      }
      if (src.is_inline())
        src.verdict(pkt, v == PacketVerdict::kAccept ? capture::Verdict::kAccept
                                                     : capture::Verdict::kDrop);
    }
    publish(w, rc == 0);
    if (output_->ordered()) output_->drain_all();
  }
  publish(w, true);
}

void WorkerPool::set_packet_boundary(const std::atomic<uint32_t>* flag,
                                     std::function<bool()> hook, int wake_fd) {
  boundary_flag_ = flag;
  boundary_wake_fd_ = wake_fd;
  boundary_hook_ = std::move(hook);
}

bool WorkerPool::at_boundary() {
  if (stopped_) return false;
  if (!boundary_flag_ || boundary_flag_->load(std::memory_order_relaxed) == 0) return true;
  if (boundary_hook_ && !boundary_hook_()) stopped_ = true;
  return !stopped_;
}

bool WorkerPool::reopen_outputs(std::string& error) {
  // One worker on this thread: what it logged so far belongs in the old
  // files. (With worker threads, records still in flight may land in the
  // new ones; none is lost or written twice.)
  if (workers_.size() == 1 && !workers_[0]->thread.joinable()) {
    publish(*workers_[0], true);
    output_->drain_all();
  }
  return output_->with_files([&] {
    bool ok = true;
    for (auto& x : shared_->eves)
      if (!x->reopen() && ok) {
        error = x->error();
        ok = false;
      }
    if (shared_->fast && !shared_->fast->reopen() && ok) {
      error = shared_->fast->error();
      ok = false;
    }
    return ok;
  });
}

void WorkerPool::swap_rules(std::shared_ptr<LoadedRules> next) {
  if (!next || !next->rules) return;
  {
    std::lock_guard<std::mutex> lock(rules_mu_);
    next_rules_ = next;
    shared_->loaded = next;
    shared_->load_stats = next->stats;
    shared_->load_seconds = next->seconds;
  }
  rules_generation_.fetch_add(1, std::memory_order_release);
  // One worker on this thread (offline): it takes the set up right away.
  if (workers_.size() == 1 && !workers_[0]->thread.joinable()) take_rules(*workers_[0]);
}

void WorkerPool::take_rules(Worker& w) {
  const uint64_t g = rules_generation_.load(std::memory_order_acquire);
  if (g == w.rules_generation) return;
  std::shared_ptr<LoadedRules> next;
  {
    std::lock_guard<std::mutex> lock(rules_mu_);
    next = next_rules_;
  }
  w.rules_generation = g;
  if (next) w.engine->swap_rules(*next);
}

std::shared_ptr<const LoadedRules> WorkerPool::loaded_rules() const {
  std::lock_guard<std::mutex> lock(rules_mu_);
  return shared_->loaded;
}

uint64_t WorkerPool::active_flows() const {
  uint64_t n = 0;
  for (const auto& w : workers_) n += w->engine->active_flows();
  return n;
}

void WorkerPool::end_open_flows() {
  std::vector<std::tuple<uint64_t, size_t, flow::Flow*>> open;
  for (size_t i = 0; i < workers_.size(); ++i) {
    workers_[i]->ordered_turns = false;  // one thread from here on
    for (flow::Flow* f : workers_[i]->engine->open_flows()) open.emplace_back(f->origin, i, f);
  }
  std::sort(open.begin(), open.end());
  for (const auto& [origin, i, f] : open) {
    workers_[i]->engine->end_open_flow(f);
    publish(*workers_[i], false);
  }
}

core::Counters WorkerPool::sum_counters() {
  core::Counters total;
  for (auto& w : workers_) total.merge(w->engine->counters());
  total.merge(shared_->shared_counters);
  // Derived, as Suricata derives it: the mean size of a decoded frame.
  const uint64_t pkts = total.get("decoder.pkts");
  total.set(total.id("decoder.avg_pkt_size"), pkts ? total.get("decoder.bytes") / pkts : 0);
  return total;
}

bool WorkerPool::finish(std::string& error) {
  end_open_flows();
  for (auto& w : workers_) publish(*w, true);
  output_->drain_all();
  core::Counters counters = sum_counters();
  core::Timestamp first, last;
  bool seen = false;
  for (auto& w : workers_) {
    const Engine& e = *w->engine;
    if (!e.seen_packet()) continue;
    if (!seen || e.first_ts() < first) first = e.first_ts();
    if (!seen || last < e.last_ts()) last = e.last_ts();
    seen = true;
  }
  const int64_t uptime = last.sec - first.sec;
  // The first failure names the file that filled the disk; later ones
  // (every file on the same disk) would hide it.
  bool ok = !output_->failed();
  if (!ok) error = output_->first_error();
  // Extra eve-log outputs first, then the main one (as before the pool).
  for (size_t k = 1; k <= shared_->eves.size(); ++k) {
    output::EveWriter& x = *shared_->eves[k % shared_->eves.size()];
    x.stats(counters, last, uptime);
    x.close();
    if (!x.ok() && ok) {
      error = x.error();
      ok = false;
    }
  }
  if (!shared_->stats_log_path.empty()) {
    std::string serr;
    if (!output::write_stats_log(shared_->stats_log_path, counters, last, uptime, serr) && ok) {
      error = serr;
      ok = false;
    }
  }
  if (shared_->fast) {
    shared_->fast->close();
    if (!shared_->fast->ok() && ok) {
      error = shared_->fast->error();
      ok = false;
    }
  }
  return ok;
}

uint64_t WorkerPool::packets() const {
  uint64_t n = 0;
  for (const auto& w : workers_) n += w->engine->packets();
  return n;
}

std::vector<uint64_t> WorkerPool::packets_per_worker() const {
  std::vector<uint64_t> out;
  for (const auto& w : workers_) out.push_back(w->engine->packets());
  return out;
}

uint64_t WorkerPool::bytes() const {
  uint64_t n = 0;
  for (const auto& w : workers_) n += w->engine->bytes();
  return n;
}

uint64_t WorkerPool::alerts() const {
  uint64_t n = 0;
  for (const auto& w : workers_) n += w->engine->alerts();
  return n;
}

}  // namespace pasban::runtime
