#include "capture/pcap_live.h"

#include <poll.h>

namespace pasban::capture {

core::Error PcapLive::fail(const std::string& what) {
  error_ = "pcap " + cfg_.interface + ": " + what;
  ++st_.errors;
  return core::make_error(error_);
}

core::Result<std::unique_ptr<PcapLive>> PcapLive::open(const PcapLiveConfig& cfg) {
  std::unique_ptr<PcapLive> s(new PcapLive(cfg));
  if (auto st = s->setup(); !st) return st.error();
  return s;
}

PcapLive::~PcapLive() {
  if (handle_ != nullptr) pcap_close(handle_);
}

std::string PcapLive::describe() const {
  return "pcap " + cfg_.interface + (cfg_.promisc ? " (promisc" : " (no promisc") +
         (cfg_.bpf_filter.empty() ? ")" : ", filter '" + cfg_.bpf_filter + "')");
}

core::Status PcapLive::setup() {
  char errbuf[PCAP_ERRBUF_SIZE] = {};
  handle_ = pcap_create(cfg_.interface.c_str(), errbuf);
  if (handle_ == nullptr) return fail(errbuf);
  if (cfg_.snaplen != 0) pcap_set_snaplen(handle_, int(cfg_.snaplen));
  pcap_set_promisc(handle_, cfg_.promisc ? 1 : 0);
  pcap_set_timeout(handle_, cfg_.poll_timeout_ms);
  if (cfg_.buffer_size != 0) pcap_set_buffer_size(handle_, int(cfg_.buffer_size));
  if (cfg_.immediate) pcap_set_immediate_mode(handle_, 1);
  const int rc = pcap_activate(handle_);
  if (rc < 0) {
    // PCAP_ERROR_NO_SUCH_DEVICE, PCAP_ERROR_PERM_DENIED, ...: pcap_geterr
    // has the specifics, pcap_statustostr the category.
    std::string why = pcap_statustostr(rc);
    const std::string detail = pcap_geterr(handle_);
    if (!detail.empty()) why += " (" + detail + ")";
    return fail(why);
  }
  if (!cfg_.bpf_filter.empty()) {
    bpf_program prog{};
    if (pcap_compile(handle_, &prog, cfg_.bpf_filter.c_str(), 1, PCAP_NETMASK_UNKNOWN) != 0)
      return fail("bpf-filter '" + cfg_.bpf_filter + "': " + pcap_geterr(handle_));
    const int frc = pcap_setfilter(handle_, &prog);
    pcap_freecode(&prog);
    if (frc != 0) return fail("setting bpf-filter: " + std::string(pcap_geterr(handle_)));
  }
  if (pcap_setnonblock(handle_, 1, errbuf) != 0) return fail(errbuf);
  fd_ = pcap_get_selectable_fd(handle_);
  linktype_ = pcap_datalink(handle_);
  st_ = SourceStats{};
  error_.clear();
  return core::Status::Ok();
}

int PcapLive::next(LivePacket& out) {
  if (handle_ == nullptr) return -1;
  for (int attempt = 0; attempt < 2; ++attempt) {
    pcap_pkthdr* hdr = nullptr;
    const u_char* data = nullptr;
    const int rc = pcap_next_ex(handle_, &hdr, &data);
    if (rc == 1) {
      out.ts = core::Timestamp{hdr->ts.tv_sec, int32_t(hdr->ts.tv_usec)};
      out.data = core::Bytes(data, hdr->caplen);
      out.orig_len = hdr->len;
      out.id = next_id_++;
      out.linktype = linktype_;
      out.checksum_unverifiable = false;
      ++st_.received;
      return 1;
    }
    if (rc < 0) {
      fail(pcap_geterr(handle_));
      return -1;
    }
    if (attempt == 1 || fd_ < 0) break;
    pollfd pfd{fd_, POLLIN, 0};
    if (::poll(&pfd, 1, cfg_.poll_timeout_ms) <= 0) break;
  }
  return 0;
}

SourceStats PcapLive::stats() {
  pcap_stat ps{};
  // libpcap's counters are cumulative (it keeps the totals itself).
  if (handle_ != nullptr && pcap_stats(handle_, &ps) == 0) {
    st_.kernel_packets = ps.ps_recv;
    st_.kernel_drops = ps.ps_drop;
    st_.kernel_ifdrops = ps.ps_ifdrop;
  }
  return st_;
}

}  // namespace pasban::capture
