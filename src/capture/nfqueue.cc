#include "capture/nfqueue.h"

#include <arpa/inet.h>
#include <libnetfilter_queue/libnetfilter_queue.h>
#include <linux/netfilter.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace pasban::capture {

namespace {

constexpr int kLinkRaw = 101;  // LINKTYPE_RAW: the packet starts with its IP header
// A netlink message carries the packet plus ~200 bytes of attributes; one
// recv can hold several messages.
constexpr size_t kRecvBufferSize = 0xffff + 4096;
constexpr uint32_t kMaxBufferSize = 64u << 20;

}  // namespace

core::Error NfQueue::fail(const std::string& what) {
  error_ = "nfq queue " + std::to_string(cfg_.queue) + ": " + what;
  if (errno != 0) error_ += std::string(": ") + std::strerror(errno);
  ++st_.errors;
  return core::make_error(error_);
}

core::Result<std::unique_ptr<NfQueue>> NfQueue::open(const NfqConfig& cfg) {
  std::unique_ptr<NfQueue> q(new NfQueue(cfg));
  if (auto st = q->setup(); !st) return st.error();
  return q;
}

core::Status NfQueue::setup() {
  errno = 0;
  h_ = nfq_open();
  if (h_ == nullptr) return fail("nfq_open (needs CAP_NET_ADMIN)");
  qh_ = nfq_create_queue(h_, cfg_.queue, &NfQueue::on_packet, this);
  if (qh_ == nullptr) return fail("binding the queue (is another process using it?)");
  if (nfq_set_mode(qh_, NFQNL_COPY_PACKET, cfg_.copy_range) < 0)
    return fail("setting copy-packet mode");
  if (nfq_set_queue_maxlen(qh_, cfg_.queue_maxlen) < 0)
    return fail("setting queue-maxlen " + std::to_string(cfg_.queue_maxlen));
  // Set the flag either way: a queue left behind by an earlier fail-open
  // run keeps its flags otherwise.
  const uint32_t flags = cfg_.fail_open ? NFQA_CFG_F_FAIL_OPEN : 0;
  if (nfq_set_queue_flags(qh_, NFQA_CFG_F_FAIL_OPEN, flags) < 0)
    return fail("setting fail-open (kernel older than 3.6?)");
  fd_ = nfq_fd(h_);
  // The socket must hold a queue's worth of packets, or the kernel drops
  // (or, fail-open, accepts) them before we see them and we get ENOBUFS.
  uint32_t rcvbuf = cfg_.buffer_size;
  if (rcvbuf == 0) rcvbuf = std::min<uint64_t>(uint64_t(cfg_.queue_maxlen) * 1600, kMaxBufferSize);
  int size = int(rcvbuf);
  if (::setsockopt(fd_, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof size) != 0 &&
      ::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &size, sizeof size) != 0)
    return fail("setting receive buffer " + std::to_string(rcvbuf));
  buf_.resize(kRecvBufferSize);
  arrived_.reserve(64);
  outstanding_.reserve(64);
  marks_.reserve(64);
  error_.clear();
  st_.errors = 0;
  return core::Status::Ok();
}

NfQueue::~NfQueue() { close(); }

std::string NfQueue::describe() const {
  static constexpr const char* kModes[] = {"accept", "repeat", "route"};
  return "nfq queue " + std::to_string(cfg_.queue) + " (mode " + kModes[int(cfg_.mode)] +
         (cfg_.fail_open ? ", fail-open" : ", fail-closed") + ", maxlen " +
         std::to_string(cfg_.queue_maxlen) + ")";
}

int NfQueue::on_packet(nfq_q_handle*, nfgenmsg*, nfq_data* nfa, void* self_ptr) {
  auto* self = static_cast<NfQueue*>(self_ptr);
  nfqnl_msg_packet_hdr* ph = nfq_get_msg_packet_hdr(nfa);
  if (ph == nullptr) {
    ++self->st_.errors;  // no id: nothing we could give a verdict for
    return 0;
  }
  Arrived a;
  a.id = ntohl(ph->packet_id);
  a.mark = nfq_get_nfmark(nfa);
  unsigned char* payload = nullptr;
  const int len = nfq_get_payload(nfa, &payload);
  if (len > 0) a.payload = core::Bytes(payload, size_t(len));
  timeval tv{};
  if (nfq_get_timestamp(nfa, &tv) != 0) ::gettimeofday(&tv, nullptr);  // OUTPUT hook: none
  a.ts = core::Timestamp{tv.tv_sec, int32_t(tv.tv_usec)};
  const uint32_t skb = nfq_get_skbinfo(nfa);
  a.csum_not_ready = (skb & NFQA_SKB_CSUMNOTREADY) != 0;
  // Ids are consecutive from 1 for the queue instance our bind created; a
  // gap is a packet the kernel failed to send us (socket full) and settled
  // itself, by fail-open or by drop.
  if (a.id > self->last_id_ + 1) self->id_gaps_ += a.id - self->last_id_ - 1;
  self->last_id_ = a.id;
  self->outstanding_.push_back(a.id);
  self->marks_.push_back(a.mark);
  self->arrived_.push_back(a);
  return 0;
}

// One recv: parses every packet message in it into arrived_.
int NfQueue::receive() {
  pollfd pfd{fd_, POLLIN, 0};
  const int prc = ::poll(&pfd, 1, cfg_.poll_timeout_ms);
  if (prc < 0) {
    if (errno == EINTR) return 0;
    fail("poll");
    return -1;
  }
  if (prc == 0) return 0;
  const ssize_t n = ::recv(fd_, buf_.data(), buf_.size(), MSG_DONTWAIT);
  if (n < 0) {
    if (errno == EAGAIN || errno == EINTR) return 0;
    if (errno == ENOBUFS) {  // the kernel could not queue to us; it settled those itself
      ++st_.overflows;
      return 0;
    }
    fail("recv");
    return -1;
  }
  arrived_.clear();
  arrived_pos_ = 0;
  if (nfq_handle_packet(h_, reinterpret_cast<char*>(buf_.data()), int(n)) < 0) ++st_.errors;
  return arrived_.empty() ? 0 : 1;
}

int NfQueue::next(LivePacket& out) {
  if (qh_ == nullptr) {
    if (error_.empty()) error_ = "nfq queue " + std::to_string(cfg_.queue) + ": closed";
    return -1;
  }
  if (arrived_pos_ >= arrived_.size()) {
    const int rc = receive();
    if (rc <= 0) return rc;
  }
  const Arrived& a = arrived_[arrived_pos_++];
  out.ts = a.ts;
  out.data = a.payload;
  out.orig_len = uint32_t(a.payload.size());
  out.id = a.id;
  out.linktype = kLinkRaw;
  out.checksum_unverifiable = a.csum_not_ready;
  ++st_.received;
  return 1;
}

bool NfQueue::forget(uint32_t id) {
  auto it = std::find(outstanding_.begin(), outstanding_.end(), id);
  if (it == outstanding_.end()) return false;
  const size_t i = size_t(it - outstanding_.begin());
  outstanding_[i] = outstanding_.back();
  outstanding_.pop_back();
  marks_[i] = marks_.back();
  marks_.pop_back();
  return true;
}

bool NfQueue::send_verdict(uint32_t id, uint32_t mark, Verdict v) {
  int rc;
  if (v == Verdict::kDrop) {
    rc = nfq_set_verdict(qh_, id, NF_DROP, 0, nullptr);
  } else if (cfg_.mode == NfqMode::kRepeat) {
    const uint32_t m = (mark & ~cfg_.repeat_mask) | (cfg_.repeat_mark & cfg_.repeat_mask);
    rc = nfq_set_verdict2(qh_, id, NF_REPEAT, m, 0, nullptr);
  } else if (cfg_.mode == NfqMode::kRoute) {
    rc = nfq_set_verdict(qh_, id, NF_QUEUE_NR(cfg_.route_queue), 0, nullptr);
  } else {
    rc = nfq_set_verdict(qh_, id, NF_ACCEPT, 0, nullptr);
  }
  if (rc < 0) {
    ++st_.errors;
    return false;
  }
  ++(v == Verdict::kDrop ? st_.dropped : st_.accepted);
  return true;
}

bool NfQueue::verdict(const LivePacket& p, Verdict v) {
  if (qh_ == nullptr) return false;
  auto it = std::find(outstanding_.begin(), outstanding_.end(), p.id);
  if (it == outstanding_.end()) {
    ++st_.errors;  // unknown id or a second verdict: the kernel would reject it
    return false;
  }
  const uint32_t mark = marks_[size_t(it - outstanding_.begin())];
  forget(p.id);
  return send_verdict(p.id, mark, v);
}

void NfQueue::close() {
  if (qh_ != nullptr) {
    const Verdict v = cfg_.fail_open ? Verdict::kAccept : Verdict::kDrop;
    while (!outstanding_.empty()) {
      const uint32_t id = outstanding_.back();
      const uint32_t mark = marks_.back();
      outstanding_.pop_back();
      marks_.pop_back();
      send_verdict(id, mark, v);
      ++st_.flushed;
    }
    nfq_destroy_queue(qh_);
    qh_ = nullptr;
  }
  if (h_ != nullptr) {
    nfq_close(h_);
    h_ = nullptr;
    fd_ = -1;
  }
  arrived_.clear();
  arrived_pos_ = 0;
}

SourceStats NfQueue::stats() {
  SourceStats s = st_;
  s.bypassed = cfg_.fail_open ? id_gaps_ : 0;
  NfqKernelCounters k;
  if (read_nfq_kernel_counters(cfg_.queue, k)) {
    s.kernel_packets = k.id_sequence;
    s.kernel_drops = k.queue_dropped + k.user_dropped;
  }
  return s;
}

bool read_nfq_kernel_counters(uint16_t queue, NfqKernelCounters& out) {
  // thread-self: a worker may have entered another network namespace.
  std::ifstream in("/proc/thread-self/net/netfilter/nfnetlink_queue");
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream f(line);
    unsigned num = 0, portid = 0, copy_mode = 0, copy_range = 0;
    NfqKernelCounters k;
    if (!(f >> num >> portid >> k.queue_total >> copy_mode >> copy_range >> k.queue_dropped >>
          k.user_dropped >> k.id_sequence))
      continue;
    if (num == queue) {
      out = k;
      return true;
    }
  }
  return false;
}

}  // namespace pasban::capture
