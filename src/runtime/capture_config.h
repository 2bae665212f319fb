// Capture settings from Suricata's YAML: one entry of the `af-packet:` and
// `pcap:` lists (the entry whose `interface` names the device, with the
// `interface: default` entry supplying what it leaves unset, as Suricata
// does) and the `nfq:` map. capture/ stays free of YAML and runtime/.
#pragma once
#include <yaml-cpp/yaml.h>

#include <string>

#include "capture/af_packet.h"
#include "capture/nfqueue.h"
#include "capture/pcap_live.h"
#include "core/result.h"

namespace pasban::runtime {

// `list` is the af-packet: node (a sequence, or null). cpus resolves
// "threads: auto". Errors name the key: "af-packet eth0: cluster-type ...".
core::Result<capture::AfPacketConfig> af_packet_config(const YAML::Node& list,
                                                       const std::string& iface, int cpus);

core::Result<capture::PcapLiveConfig> pcap_live_config(const YAML::Node& list,
                                                      const std::string& iface);

// `nfq` is the nfq: node (a map, or null). Suricata's keys (mode,
// repeat-mark, repeat-mask, route-queue, fail-open) plus Pasban's
// queue-maxlen and buffer-size.
core::Result<capture::NfqConfig> nfq_config(const YAML::Node& nfq, uint16_t queue);

}  // namespace pasban::runtime
