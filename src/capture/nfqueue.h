// NFQUEUE inline source (Suricata's -q N): the kernel hands each packet
// that an iptables `-j NFQUEUE --queue-num N` rule matched to us and holds
// it until we give a verdict. Exactly one verdict per packet is guaranteed:
// ids are tracked from arrival, and close() (or the destructor) settles
// whatever is still pending, accept under fail-open and drop otherwise.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "capture/source.h"
#include "core/result.h"

struct nfq_handle;
struct nfq_q_handle;
struct nfgenmsg;
struct nfq_data;

namespace pasban::capture {

// What an accept verdict does (Suricata's nfq.mode).
enum class NfqMode : uint8_t {
  kAccept,  // NF_ACCEPT: the packet leaves the hook
  kRepeat,  // NF_REPEAT with repeat-mark set: the ruleset runs again and a
            // rule earlier in the chain lets marked packets pass
  kRoute,   // NF_QUEUE to route-queue: another program inspects it next
};

struct NfqConfig {
  uint16_t queue = 0;
  NfqMode mode = NfqMode::kAccept;
  uint32_t repeat_mark = 1;
  uint32_t repeat_mask = 1;
  uint16_t route_queue = 0;
  bool fail_open = false;          // kernel accepts when the queue is full
  uint32_t queue_maxlen = 4096;    // packets the kernel holds for us
  uint32_t buffer_size = 0;        // netlink receive buffer; 0: from maxlen
  uint32_t copy_range = 0xffff;    // bytes of each packet copied to us
  int poll_timeout_ms = 100;
};

class NfQueue final : public Source {
 public:
  static core::Result<std::unique_ptr<NfQueue>> open(const NfqConfig& cfg);
  ~NfQueue() override;
  NfQueue(const NfQueue&) = delete;
  NfQueue& operator=(const NfQueue&) = delete;

  int next(LivePacket& out) override;
  bool is_inline() const override { return true; }
  bool verdict(const LivePacket& p, Verdict v) override;
  SourceStats stats() override;
  const std::string& error() const override { return error_; }
  std::string describe() const override;
  // Settles pending packets and unbinds the queue; idempotent.
  void close();
  size_t pending() const { return outstanding_.size(); }

 private:
  struct Arrived {
    uint32_t id = 0;
    uint32_t mark = 0;
    core::Timestamp ts;
    core::Bytes payload;  // into buf_, valid until the next recv
    bool csum_not_ready = false;
  };

  explicit NfQueue(const NfqConfig& cfg) : cfg_(cfg) {}
  core::Status setup();
  int receive();
  bool send_verdict(uint32_t id, uint32_t mark, Verdict v);
  bool forget(uint32_t id);
  core::Error fail(const std::string& what);
  static int on_packet(nfq_q_handle* qh, nfgenmsg* msg, nfq_data* nfa, void* self);

  NfqConfig cfg_;
  nfq_handle* h_ = nullptr;
  nfq_q_handle* qh_ = nullptr;
  int fd_ = -1;
  std::vector<uint8_t> buf_;
  std::vector<Arrived> arrived_;  // parsed from the last recv
  size_t arrived_pos_ = 0;
  // Ids the kernel waits on: few at a time (the worker answers before
  // asking for more), so a vector beats a hash set.
  std::vector<uint32_t> outstanding_;
  std::vector<uint32_t> marks_;   // parallel to outstanding_
  uint32_t last_id_ = 0;
  uint64_t id_gaps_ = 0;
  SourceStats st_;
  std::string error_;
};

// The kernel's per-queue counters from /proc/net/netfilter/nfnetlink_queue
// (of the calling thread's network namespace); false when the queue is not
// listed.
struct NfqKernelCounters {
  uint32_t queue_total = 0;        // waiting for a verdict now
  uint64_t queue_dropped = 0;      // queue full, fail-closed
  uint64_t user_dropped = 0;       // netlink send to us failed
  uint64_t id_sequence = 0;        // packets given an id (delivered or lost)
};
bool read_nfq_kernel_counters(uint16_t queue, NfqKernelCounters& out);

}  // namespace pasban::capture
