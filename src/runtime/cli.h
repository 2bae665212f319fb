// Suricata's command line for offline runs, parsed into CliOptions.
#pragma once
#include <string>
#include <vector>

#include "core/result.h"

namespace pasban::runtime {

struct CliOptions {
  std::vector<std::string> read_paths;       // -r FILE|DIR (repeatable)
  std::vector<std::string> exclusive_rules;  // -S FILE (repeatable)
  std::vector<std::string> extra_rules;      // -s FILE (repeatable)
  std::string log_dir;                       // -l DIR
  std::string config_file;                   // -c FILE
  std::string checksum_mode;                 // -k none|all|auto ("" = config)
  std::vector<std::string> sets;             // --set key=value
  std::string runmode;                       // --runmode=
  std::vector<std::string> strict_rule_keywords;  // --strict-rule-keywords[=list]
  bool strict_all = false;
  bool init_errors_fatal = false;
  bool simulate_ips = false;
  bool test_mode = false;    // -T
  bool version = false;      // -V
  bool build_info = false;   // --build-info
  bool dump_config = false;  // --dump-config
  bool help = false;         // -h
  bool disable_detection = false;
  int verbose = 0;
  // Live capture (runtime/live.h): -q N (NFQUEUE, repeatable), -i IFACE
  // (libpcap), --af-packet[=IFACE] (IFACE empty: the config's interfaces).
  std::vector<uint16_t> nfq_queues;
  std::string pcap_iface;
  bool af_packet = false;
  std::string af_packet_iface;
  bool live() const { return !nfq_queues.empty() || !pcap_iface.empty() || af_packet; }
  // Set by the runtime, not the command line: the live source is inline
  // (NFQUEUE, AF_PACKET copy-mode ips), so drops take effect.
  bool inline_capture = false;
  std::string bpf_filter;    // trailing arguments, joined
  std::string bpf_file;      // -F FILE
  std::string pidfile;       // --pidfile FILE
  bool unix_socket = false;  // --unix-socket[=FILE]: enable the control socket
  std::string unix_socket_path;  // its FILE ("" = unix-command.filename)
};

core::Result<CliOptions> parse_cli(int argc, char** argv);
std::string usage_text();

}  // namespace pasban::runtime
