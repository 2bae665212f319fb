#include "capture/pcap_file.h"

#include <poll.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

namespace pasban::capture {

core::Result<std::unique_ptr<PcapFile>> PcapFile::open(const std::string& path,
                                                       const std::string& bpf) {
  char errbuf[PCAP_ERRBUF_SIZE] = {0};
  std::unique_ptr<PcapFile> f(new PcapFile());
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0 && S_ISFIFO(st.st_mode)) {
    // A FIFO is read unbuffered, so "no bytes in the pipe" means "no packet
    // waiting" and wait_readable() can poll it; libpcap then reads each
    // record with two read() calls, which only a pipe's rate allows.
    std::FILE* fp = std::fopen(path.c_str(), "rb");
    if (!fp) return core::make_error(path + ": " + std::strerror(errno));
    std::setvbuf(fp, nullptr, _IONBF, 0);
    f->handle_ = pcap_fopen_offline_with_tstamp_precision(fp, PCAP_TSTAMP_PRECISION_MICRO, errbuf);
    if (!f->handle_) {
      std::fclose(fp);
      return core::make_error(path + ": " + errbuf);
    }
    f->fifo_fd_ = fileno(fp);
  } else {
    f->handle_ = pcap_open_offline_with_tstamp_precision(path.c_str(), PCAP_TSTAMP_PRECISION_MICRO,
                                                         errbuf);
  }
  if (!f->handle_) return core::make_error(path + ": " + errbuf);
  f->linktype_ = pcap_datalink(f->handle_);
  if (!bpf.empty()) {
    if (pcap_compile(f->handle_, &f->bpf_, bpf.c_str(), 1, PCAP_NETMASK_UNKNOWN) != 0)
      return core::make_error("bpf filter '" + bpf + "': " + pcap_geterr(f->handle_));
    f->has_bpf_ = true;
  }
  return f;
}

PcapFile::~PcapFile() {
  if (has_bpf_) pcap_freecode(&bpf_);
  if (handle_) pcap_close(handle_);
}

bool PcapFile::wait_readable(int wake_fd, int timeout_ms) const {
  if (fifo_fd_ < 0) return true;
  pollfd fds[2] = {{fifo_fd_, POLLIN, 0}, {wake_fd, POLLIN, 0}};
  const int n = ::poll(fds, wake_fd >= 0 ? 2 : 1, timeout_ms);
  // End of input (POLLHUP) is "readable": next() then reports it.
  return n > 0 && (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) != 0;
}

int PcapFile::next(RawPacket& out) {
  while (true) {
    pcap_pkthdr* hdr = nullptr;
    const u_char* data = nullptr;
    int rc = pcap_next_ex(handle_, &hdr, &data);
    if (rc == PCAP_ERROR_BREAK) return 0;
    if (rc < 0) {
      error_ = pcap_geterr(handle_);
      return -1;
    }
    if (rc == 0) continue;
    if (has_bpf_ && pcap_offline_filter(&bpf_, hdr, data) == 0) {
      ++filtered_;
      continue;
    }
    out.ts = {hdr->ts.tv_sec, int32_t(hdr->ts.tv_usec)};
    out.data = core::Bytes(data, hdr->caplen);
    out.orig_len = hdr->len;
    return 1;
  }
}

core::Result<std::vector<std::string>> expand_capture_path(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    std::vector<std::string> out;
    for (const auto& e : std::filesystem::directory_iterator(path, ec))
      if (e.is_regular_file()) out.push_back(e.path().string());
    if (ec) return core::make_error(path + ": " + ec.message());
    std::sort(out.begin(), out.end());
    return out;
  }
  if (!std::filesystem::exists(path, ec)) return core::make_error(path + ": no such file");
  return std::vector<std::string>{path};
}

}  // namespace pasban::capture
