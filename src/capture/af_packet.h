// AF_PACKET live capture (Suricata's --af-packet): a TPACKET_V3 block ring
// for IDS, a TPACKET_V2 frame ring for IPS/TAP bridges (a V3 block is only
// handed over when full or after block-timeout, which adds latency to every
// forwarded packet), or plain recvfrom() with use-mmap: no. All sockets of
// one interface join one PACKET_FANOUT group so the kernel spreads flows
// over the worker threads.
#pragma once
#include <linux/if_packet.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "capture/netdev.h"
#include "capture/source.h"
#include "core/result.h"

namespace pasban::capture {

enum class ClusterType : uint8_t { kFlow, kCpu, kQm, kRoundRobin };
enum class CopyMode : uint8_t { kNone, kTap, kIps };
enum class ChecksumChecks : uint8_t { kKernel, kYes, kNo, kAuto };

// One entry of Suricata's `af-packet:` list with defaults applied; built by
// parse_af_packet_config() (capture_config.h) or by hand in tests.
struct AfPacketConfig {
  std::string interface;
  int threads = 1;                 // sockets in the fanout group ("auto": CPUs)
  uint16_t cluster_id = 99;
  ClusterType cluster_type = ClusterType::kFlow;
  bool defrag = true;              // PACKET_FANOUT_FLAG_DEFRAG
  bool use_mmap = true;
  bool tpacket_v3 = true;          // default: yes unless copy-mode is set
  uint32_t ring_size = 2048;       // frames per socket
  uint32_t block_size = 32768;     // TPACKET_V3 block (power of 2, page multiple)
  uint32_t v2_block_size = 131072;
  uint32_t block_timeout_ms = 10;  // TPACKET_V3 retire timeout
  uint32_t buffer_size = 0;        // SO_RCVBUF for use-mmap: no; 0 = kernel default
  uint32_t snaplen = 0;            // 0: interface MTU + Ethernet + VLAN header
  std::string bpf_filter;
  CopyMode copy_mode = CopyMode::kNone;
  std::string copy_iface;
  ChecksumChecks checksum_checks = ChecksumChecks::kKernel;
  bool promisc = true;             // !disable-promisc
  int poll_timeout_ms = 100;       // how long next() may block
};

class AfPacket final : public Source {
 public:
  // One socket; `index` is its position in the group (for describe()).
  static core::Result<std::unique_ptr<AfPacket>> open(const AfPacketConfig& cfg, int index);
  // cfg.threads sockets in one fanout group, one per worker thread.
  static core::Result<std::vector<std::unique_ptr<AfPacket>>> open_group(
      const AfPacketConfig& cfg);
  ~AfPacket() override;
  AfPacket(const AfPacket&) = delete;
  AfPacket& operator=(const AfPacket&) = delete;

  int next(LivePacket& out) override;
  // Only IPS copy mode needs verdicts; TAP forwards everything in next().
  bool is_inline() const override { return cfg_.copy_mode == CopyMode::kIps; }
  bool verdict(const LivePacket& p, Verdict v) override;
  SourceStats stats() override;
  const std::string& error() const override { return error_; }
  std::string describe() const override;

 private:
  explicit AfPacket(const AfPacketConfig& cfg, int index) : cfg_(cfg), index_(index) {}
  core::Status setup();
  core::Status setup_ring();
  core::Status attach_filter();
  core::Status join_fanout();
  void release_held();
  bool take_v3(LivePacket& out);
  bool take_v2(LivePacket& out);
  int take_recv(LivePacket& out);
  bool finish_frame(LivePacket& out, uint8_t* frame, uint32_t mac, uint32_t snaplen,
                    uint32_t len, uint32_t sec, uint32_t nsec, uint32_t status,
                    uint16_t vlan_tci, uint16_t vlan_tpid);
  bool forward(core::Bytes frame);
  core::Error fail(const std::string& what);

  AfPacketConfig cfg_;
  int index_ = 0;
  int fd_ = -1;
  FrameSender peer_;  // copy-iface in TAP/IPS mode
  int ifindex_ = 0;
  uint32_t snaplen_ = 0;
  uint8_t* ring_ = nullptr;
  size_t ring_len_ = 0;
  uint32_t block_size_ = 0;
  uint32_t block_nr_ = 0;
  uint32_t frame_size_ = 0;
  uint32_t frame_nr_ = 0;
  // V3 cursor: the block being read, the frame last returned, frames left.
  uint32_t block_ = 0;
  uint8_t* frame_ = nullptr;
  uint32_t frames_left_ = 0;
  bool in_block_ = false;
  // V2 cursor: the frame index and whether it is still ours.
  uint32_t frame_idx_ = 0;
  bool frame_held_ = false;
  bool awaiting_verdict_ = false;
  core::Bytes held_;  // IPS: the frame waiting for its verdict
  std::vector<uint8_t> buf_;  // use-mmap: no
  uint32_t next_id_ = 0;
  SourceStats st_;
  std::string error_;
};

}  // namespace pasban::capture
