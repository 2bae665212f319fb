// Offline packet source: pcap and pcapng files through libpcap, with an
// optional BPF filter. A directory expands to its captures in name order.
#pragma once
#include <pcap/pcap.h>

#include <memory>
#include <string>
#include <vector>

#include "core/bytes.h"
#include "core/result.h"
#include "core/timestamp.h"

namespace pasban::capture {

struct RawPacket {
  core::Timestamp ts;
  core::Bytes data;     // valid until the next call to next()
  uint32_t orig_len = 0;
};

class PcapFile {
 public:
  static core::Result<std::unique_ptr<PcapFile>> open(const std::string& path,
                                                      const std::string& bpf);
  ~PcapFile();
  PcapFile(const PcapFile&) = delete;
  PcapFile& operator=(const PcapFile&) = delete;

  int linktype() const { return linktype_; }
  // 1: a packet; 0: end of file; -1: read error (error() says why).
  int next(RawPacket& out);
  const std::string& error() const { return error_; }
  uint64_t filtered() const { return filtered_; }
  // A FIFO input (fed by another process) can sit idle: true when a packet
  // is waiting, false when timeout_ms passed or wake_fd (-1: none) became
  // readable first. Always true for a regular file.
  bool wait_readable(int wake_fd, int timeout_ms) const;

 private:
  PcapFile() = default;
  pcap_t* handle_ = nullptr;
  bpf_program bpf_{};
  bool has_bpf_ = false;
  int linktype_ = 0;
  std::string error_;
  uint64_t filtered_ = 0;
  int fifo_fd_ = -1;  // the FIFO's descriptor (owned by the pcap handle)
};

// FILE -> {FILE}; DIR -> its regular files, sorted by name.
core::Result<std::vector<std::string>> expand_capture_path(const std::string& path);

}  // namespace pasban::capture
