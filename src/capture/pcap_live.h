// libpcap live capture (Suricata's -i IFACE / --pcap=IFACE). Non-blocking
// handle plus poll() with a short timeout, so next() returns 0 regularly
// and the worker sees its stop flag even on a silent link.
#pragma once
#include <pcap/pcap.h>

#include <memory>
#include <string>

#include "capture/source.h"
#include "core/result.h"

namespace pasban::capture {

// One entry of Suricata's `pcap:` list with defaults applied.
struct PcapLiveConfig {
  std::string interface;
  int threads = 1;
  uint32_t snaplen = 0;      // 0: libpcap's default (262144)
  bool promisc = true;
  uint32_t buffer_size = 0;  // kernel ring bytes; 0: libpcap's default
  std::string bpf_filter;
  bool immediate = true;     // deliver each packet at once (no V3 block wait)
  int poll_timeout_ms = 100;
};

class PcapLive final : public Source {
 public:
  static core::Result<std::unique_ptr<PcapLive>> open(const PcapLiveConfig& cfg);
  ~PcapLive() override;
  PcapLive(const PcapLive&) = delete;
  PcapLive& operator=(const PcapLive&) = delete;

  int next(LivePacket& out) override;
  SourceStats stats() override;
  const std::string& error() const override { return error_; }
  std::string describe() const override;
  int linktype() const { return linktype_; }

 private:
  explicit PcapLive(const PcapLiveConfig& cfg) : cfg_(cfg) {}
  core::Status setup();
  core::Error fail(const std::string& what);

  PcapLiveConfig cfg_;
  pcap_t* handle_ = nullptr;
  int fd_ = -1;
  int linktype_ = 0;
  uint32_t next_id_ = 0;
  SourceStats st_;
  std::string error_;
};

}  // namespace pasban::capture
