#include "runtime/capture_config.h"

#include <algorithm>
#include <charconv>
#include <optional>

#include "runtime/config.h"

namespace pasban::runtime {

namespace {

// Looks a key up in the interface's entry, then in the default entry.
class EntryLookup {
 public:
  EntryLookup(const YAML::Node& list, const std::string& iface, std::string section)
      : iface_(iface), section_(std::move(section)) {
    if (!list.IsSequence()) return;
    for (const YAML::Node& e : list) {
      if (!e.IsMap() || !e["interface"] || !e["interface"].IsScalar()) continue;
      const std::string name = e["interface"].Scalar();
      if (name == iface && !own_) own_.reset(e);
      if (name == "default" && !default_) default_.reset(e);
    }
  }

  // A plain map of settings (nfq:), with no per-interface entries.
  static EntryLookup of_map(const YAML::Node& map, std::string name, std::string section) {
    EntryLookup e(YAML::Node(), name, std::move(section));
    e.default_.reset(map);
    return e;
  }

  std::optional<std::string> get(const char* key) const {
    for (const YAML::Node* n : {&own_, &default_}) {
      if (!*n) continue;
      const YAML::Node v = (*n)[key];
      if (v && v.IsScalar()) return v.Scalar();
    }
    return std::nullopt;
  }

  core::Error bad(const char* key, const std::string& value, const std::string& want) const {
    return core::make_error(section_ + " " + iface_ + ": " + key + ": '" + value + "' is not " +
                            want);
  }

  core::Status get_bool(const char* key, bool& out) const {
    auto v = get(key);
    if (!v) return core::Status::Ok();
    auto b = parse_bool(*v);
    if (!b) return bad(key, *v, "yes or no");
    out = *b;
    return core::Status::Ok();
  }

  template <class T>
  core::Status get_size(const char* key, T& out, uint64_t max) const {
    auto v = get(key);
    if (!v) return core::Status::Ok();
    auto s = parse_size(*v);
    if (!s || *s > max) return bad(key, *v, "a size up to " + std::to_string(max));
    out = T(*s);
    return core::Status::Ok();
  }

  core::Status get_string(const char* key, std::string& out) const {
    if (auto v = get(key)) out = *v;
    return core::Status::Ok();
  }

 private:
  std::string iface_;
  std::string section_;
  YAML::Node own_{YAML::NodeType::Undefined};
  YAML::Node default_{YAML::NodeType::Undefined};
};

core::Status parse_threads(const EntryLookup& e, int cpus, int& out) {
  auto v = e.get("threads");
  if (!v || *v == "auto") {
    out = std::max(1, cpus);
    return core::Status::Ok();
  }
  int n = 0;
  auto [p, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
  if (ec != std::errc() || p != v->data() + v->size() || n < 1 || n > 1024)
    return e.bad("threads", *v, "auto or a number from 1 to 1024");
  out = n;
  return core::Status::Ok();
}

core::Status parse_cluster_type(const EntryLookup& e, capture::ClusterType& out) {
  auto v = e.get("cluster-type");
  if (!v) return core::Status::Ok();
  using capture::ClusterType;
  // cluster_rollover is deprecated in Suricata and treated as cluster_flow.
  if (*v == "cluster_flow" || *v == "cluster_rollover") out = ClusterType::kFlow;
  else if (*v == "cluster_cpu") out = ClusterType::kCpu;
  else if (*v == "cluster_qm") out = ClusterType::kQm;
  else if (*v == "cluster_round_robin" || *v == "cluster_rr") out = ClusterType::kRoundRobin;
  else
    return e.bad("cluster-type", *v,
                 "cluster_flow, cluster_cpu, cluster_qm or cluster_round_robin"
                 " (cluster_ebpf is not supported)");
  return core::Status::Ok();
}

core::Status parse_copy_mode(const EntryLookup& e, capture::AfPacketConfig& c) {
  auto v = e.get("copy-mode");
  if (!v) return core::Status::Ok();
  if (*v == "ips") c.copy_mode = capture::CopyMode::kIps;
  else if (*v == "tap") c.copy_mode = capture::CopyMode::kTap;
  else if (*v == "none" || v->empty()) c.copy_mode = capture::CopyMode::kNone;
  else return e.bad("copy-mode", *v, "ips, tap or none");
  if (c.copy_mode != capture::CopyMode::kNone) {
    // As in Suricata, v3's block latency is wrong for a bridge unless asked.
    c.tpacket_v3 = false;
    if (auto ci = e.get("copy-iface")) c.copy_iface = *ci;
    if (c.copy_iface.empty())
      return core::make_error("af-packet " + c.interface + ": copy-mode " + *v +
                              " needs copy-iface");
  }
  return core::Status::Ok();
}

core::Status parse_checksum(const EntryLookup& e, capture::ChecksumChecks& out) {
  auto v = e.get("checksum-checks");
  if (!v) return core::Status::Ok();
  using capture::ChecksumChecks;
  if (*v == "kernel") out = ChecksumChecks::kKernel;
  else if (*v == "auto") out = ChecksumChecks::kAuto;
  else if (auto b = parse_bool(*v)) out = *b ? ChecksumChecks::kYes : ChecksumChecks::kNo;
  else return e.bad("checksum-checks", *v, "kernel, yes, no or auto");
  return core::Status::Ok();
}

}  // namespace

core::Result<capture::AfPacketConfig> af_packet_config(const YAML::Node& list,
                                                       const std::string& iface, int cpus) {
  EntryLookup e(list, iface, "af-packet");
  capture::AfPacketConfig c;
  c.interface = iface;
  bool disable_promisc = false;
  for (core::Status st : {
           parse_threads(e, cpus, c.threads), e.get_size("cluster-id", c.cluster_id, 0xffff),
           parse_cluster_type(e, c.cluster_type), e.get_bool("defrag", c.defrag),
           e.get_bool("use-mmap", c.use_mmap), parse_copy_mode(e, c),
           e.get_size("ring-size", c.ring_size, 1u << 20),
           e.get_size("block-size", c.block_size, 1u << 30),
           e.get_size("v2-block-size", c.v2_block_size, 1u << 30),
           e.get_size("block-timeout", c.block_timeout_ms, 60000),
           e.get_size("buffer-size", c.buffer_size, 1u << 30),
           e.get_size("snaplen", c.snaplen, 1u << 18), e.get_string("bpf-filter", c.bpf_filter),
           parse_checksum(e, c.checksum_checks), e.get_bool("disable-promisc", disable_promisc),
           // after copy-mode: an explicit tpacket-v3 wins over its default
           e.get_bool("tpacket-v3", c.tpacket_v3)}) {
    if (!st) return st.error();
  }
  c.promisc = !disable_promisc;
  return c;
}

core::Result<capture::PcapLiveConfig> pcap_live_config(const YAML::Node& list,
                                                      const std::string& iface) {
  EntryLookup e(list, iface, "pcap");
  capture::PcapLiveConfig c;
  c.interface = iface;
  for (core::Status st : {parse_threads(e, 1, c.threads),
                          e.get_size("buffer-size", c.buffer_size, 1u << 30),
                          e.get_size("snaplen", c.snaplen, 1u << 18),
                          e.get_string("bpf-filter", c.bpf_filter),
                          e.get_bool("promisc", c.promisc)}) {
    if (!st) return st.error();
  }
  return c;
}

core::Result<capture::NfqConfig> nfq_config(const YAML::Node& nfq, uint16_t queue) {
  capture::NfqConfig c;
  c.queue = queue;
  if (!nfq || nfq.IsNull()) return c;
  if (!nfq.IsMap()) return core::make_error("nfq: expected a map of settings");
  const EntryLookup e = EntryLookup::of_map(nfq, "queue " + std::to_string(queue), "nfq");
  if (auto m = e.get("mode")) {
    if (*m == "accept") c.mode = capture::NfqMode::kAccept;
    else if (*m == "repeat") c.mode = capture::NfqMode::kRepeat;
    else if (*m == "route") c.mode = capture::NfqMode::kRoute;
    else return e.bad("mode", *m, "accept, repeat or route");
  }
  for (core::Status st : {e.get_size("repeat-mark", c.repeat_mark, 0xffffffffu),
                          e.get_size("repeat-mask", c.repeat_mask, 0xffffffffu),
                          e.get_size("route-queue", c.route_queue, 0xffff),
                          e.get_bool("fail-open", c.fail_open),
                          e.get_size("queue-maxlen", c.queue_maxlen, 1u << 20),
                          e.get_size("buffer-size", c.buffer_size, 1u << 30)}) {
    if (!st) return st.error();
  }
  if (c.mode == capture::NfqMode::kRoute && !nfq["route-queue"])
    return core::make_error("nfq: mode route needs route-queue");
  return c;
}

}  // namespace pasban::runtime
