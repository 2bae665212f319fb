#include "runtime/live.h"

#include <thread>

#include "capture/af_packet.h"
#include "capture/nfqueue.h"
#include "capture/pcap_live.h"
#include "detect/rule.h"
#include "runtime/capture_config.h"

namespace pasban::runtime {
namespace {

int cpu_count() {
  const unsigned n = std::thread::hardware_concurrency();
  return n ? int(n) : 1;
}

// The af-packet entries to open: the one --af-packet names, or every
// entry of the list but "default".
std::vector<std::string> af_packet_interfaces(const Config& config, const CliOptions& cli) {
  if (!cli.af_packet_iface.empty()) return {cli.af_packet_iface};
  std::vector<std::string> out;
  YAML::Node list = config.get_node("af-packet");
  if (list && list.IsSequence())
    for (const auto& entry : list)
      if (entry.IsMap() && entry["interface"] && entry["interface"].IsScalar()) {
        std::string name = entry["interface"].as<std::string>();
        if (name != "default") out.push_back(name);
      }
  return out;
}

}  // namespace

capture::RejectDirection reject_direction(detect::Action a) {
  switch (a) {
    case detect::Action::kRejectDst: return capture::RejectDirection::kDestination;
    case detect::Action::kRejectBoth: return capture::RejectDirection::kBoth;
    default: return capture::RejectDirection::kSource;
  }
}

core::Result<bool> live_is_inline(const Config& config, const CliOptions& cli) {
  if (!cli.nfq_queues.empty()) return true;
  if (!cli.af_packet) return false;
  for (const auto& iface : af_packet_interfaces(config, cli)) {
    auto cfg = af_packet_config(config.get_node("af-packet"), iface, cpu_count());
    if (!cfg) return cfg.error();
    if (cfg->copy_mode == capture::CopyMode::kIps) return true;
  }
  return false;
}

core::Result<LiveSetup> open_live(const Config& config, const CliOptions& cli,
                                  std::vector<std::string>& warnings) {
  LiveSetup s;
  for (uint16_t q : cli.nfq_queues) {
    auto cfg = nfq_config(config.get_node("nfq"), q);
    if (!cfg) return cfg.error();
    auto src = capture::NfQueue::open(*cfg);
    if (!src) return src.error();
    s.sources.push_back(std::move(*src));
  }
  if (!cli.nfq_queues.empty()) {
    s.capture_mode = "NFQ";
    s.is_inline = true;
    auto rs = capture::RejectSender::open_raw();
    if (rs) s.reject.emplace(std::move(*rs));
    else warnings.push_back("reject: " + rs.error().message + "; reject rules will only drop");
  }
  if (cli.af_packet) {
    s.capture_mode = "AF_PACKET_DEV";
    const auto ifaces = af_packet_interfaces(config, cli);
    if (ifaces.empty())
      return core::make_error("--af-packet: no interface given and none in the af-packet list");
    for (const auto& iface : ifaces) {
      auto cfg = af_packet_config(config.get_node("af-packet"), iface, cpu_count());
      if (!cfg) return cfg.error();
      auto group = capture::AfPacket::open_group(*cfg);
      if (!group) return group.error();
      for (auto& g : *group) s.sources.push_back(std::move(g));
      if (cfg->copy_mode == capture::CopyMode::kIps) {
        s.is_inline = true;
        if (!s.reject) {
          auto rs = capture::RejectSender::open_bridge(iface, cfg->copy_iface);
          if (rs) s.reject.emplace(std::move(*rs));
          else warnings.push_back("reject: " + rs.error().message + "; reject rules will only drop");
        }
      }
    }
  }
  if (!cli.pcap_iface.empty()) {
    s.capture_mode = "PCAP_DEV";
    auto cfg = pcap_live_config(config.get_node("pcap"), cli.pcap_iface);
    if (!cfg) return cfg.error();
    auto src = capture::PcapLive::open(*cfg);
    if (!src) return src.error();
    s.sources.push_back(std::move(*src));
  }
  return s;
}

}  // namespace pasban::runtime
