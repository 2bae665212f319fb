#include "runtime/cli.h"

#include <cstdlib>
#include <string_view>

namespace pasban::runtime {

std::string usage_text() {
  return
      "Pasban: a Suricata-compatible network intrusion detection and prevention engine.\n"
      "\n"
      "USAGE: pasban [OPTIONS] [BPF FILTER]\n"
      "\n"
      "  -r <path>                         read pcap/pcapng file, or every capture in a directory\n"
      "  -q <qid>                          run inline on NFQUEUE queue qid (repeatable)\n"
      "  -i <iface>                        capture live from iface with libpcap\n"
      "  --af-packet[=<iface>]             capture live with AF_PACKET (the config's af-packet list)\n"
      "  -S <file>                         load only the rules in this file (repeatable)\n"
      "  -s <file>                         load these rules in addition to the configured ones\n"
      "  -l <dir>                          default log directory\n"
      "  -c <path>                         path to the configuration file (YAML)\n"
      "  -k [all|none|auto]                checksum validation mode (default: auto)\n"
      "  -T                                test configuration and rules, then exit\n"
      "  -V                                print the version and exit\n"
      "  -F <file>                         read the BPF filter from a file\n"
      "  -v                                be more verbose\n"
      "  -h, --help                        this help\n"
      "  --set <key>=<value>               set a configuration value (dotted path, list indexes allowed)\n"
      "  --init-errors-fatal               exit 1 when any rule or setting fails to load\n"
      "  --simulate-ips                    act as an inline IPS on offline input (drop takes effect)\n"
      "  --runmode <single|autofp|workers> run mode: single is one worker thread; autofp and workers\n"
      "                                    use threading.detect-thread-ratio x CPUs (docs/threading.md)\n"
      "  --strict-rule-keywords[=all|list] make keyword warnings errors\n"
      "  --disable-detection               decode and log without rules\n"
      "  --build-info                      print build information and exit\n"
      "  --dump-config                     print the effective configuration and exit\n"
      "  --no-random                       accepted for compatibility (Pasban is deterministic)\n"
      "  --pidfile <file>                  write the process id to file (refuses to start if it names a live process)\n"
      "  --unix-socket[=<file>]            enable the control socket (Suricata's unix-command protocol)\n"
      "\n"
      "Signals: SIGINT/SIGTERM stop and flush every output; SIGHUP reopens log files;\n"
      "SIGUSR2 reloads the rules.\n";
}

core::Result<CliOptions> parse_cli(int argc, char** argv) {
  CliOptions o;
  std::vector<std::string> trailing;
  for (int i = 1; i < argc; ++i) {
    std::string_view a = argv[i];
    auto need = [&](std::string_view flag) -> core::Result<std::string> {
      if (i + 1 >= argc) return core::make_error("option " + std::string(flag) + " needs a value");
      return std::string(argv[++i]);
    };
    // --name=value and --name value for long options that take a value.
    auto long_value = [&](std::string_view name, std::string& out) -> int {
      if (a == name) {
        if (i + 1 >= argc) return -1;
        out = argv[++i];
        return 1;
      }
      if (a.starts_with(name) && a.size() > name.size() && a[name.size()] == '=') {
        out = std::string(a.substr(name.size() + 1));
        return 1;
      }
      return 0;
    };
    std::string val;
    if (a == "-q" || a == "-i") {
      auto v = need(a);
      if (!v) return v.error();
      if (a == "-i") {
        o.pcap_iface = *v;
        continue;
      }
      char* end = nullptr;
      const unsigned long q = std::strtoul(v->c_str(), &end, 10);
      if (v->empty() || *end != 0 || q > 65535)
        return core::make_error("-q: expected a queue number 0-65535, got '" + *v + "'");
      o.nfq_queues.push_back(uint16_t(q));
    } else if (a == "--af-packet" || a.starts_with("--af-packet=")) {
      o.af_packet = true;
      if (a.size() > 11) o.af_packet_iface = std::string(a.substr(12));
    } else if (a == "-r" || a == "-S" || a == "-s" || a == "-l" || a == "-c" || a == "-k" || a == "-F") {
      auto v = need(a);
      if (!v) return v.error();
      if (a == "-r") o.read_paths.push_back(*v);
      else if (a == "-S") o.exclusive_rules.push_back(*v);
      else if (a == "-s") o.extra_rules.push_back(*v);
      else if (a == "-l") o.log_dir = *v;
      else if (a == "-c") o.config_file = *v;
      else if (a == "-F") o.bpf_file = *v;
      else {
        if (*v != "none" && *v != "all" && *v != "auto")
          return core::make_error("-k: expected none, all or auto, got '" + *v + "'");
        o.checksum_mode = *v;
      }
    } else if (int r = long_value("--set", val); r != 0) {
      if (r < 0) return core::make_error("option --set needs a value");
      o.sets.push_back(val);
    } else if (int r2 = long_value("--runmode", val); r2 != 0) {
      if (r2 < 0) return core::make_error("option --runmode needs a value");
      if (val != "single" && val != "autofp" && val != "workers")
        return core::make_error("--runmode: unknown run mode '" + val + "'");
      o.runmode = val;
    } else if (int r3 = long_value("--pidfile", val); r3 != 0) {
      if (r3 < 0 || val.empty()) return core::make_error("option --pidfile needs a file name");
      o.pidfile = val;
    } else if (a == "--unix-socket" || a.starts_with("--unix-socket=")) {
      o.unix_socket = true;
      if (a.size() > 13) o.unix_socket_path = std::string(a.substr(14));
    } else if (a == "--strict-rule-keywords") {
      o.strict_all = true;
    } else if (a.starts_with("--strict-rule-keywords=")) {
      std::string_view list = a.substr(23);
      while (!list.empty()) {
        auto comma = list.find(',');
        std::string item(list.substr(0, comma));
        if (item == "all") o.strict_all = true;
        else if (!item.empty()) o.strict_rule_keywords.push_back(item);
        list = comma == std::string_view::npos ? std::string_view{} : list.substr(comma + 1);
      }
    } else if (a == "--init-errors-fatal") {
      o.init_errors_fatal = true;
    } else if (a == "--simulate-ips") {
      o.simulate_ips = true;
    } else if (a == "-T") {
      o.test_mode = true;
    } else if (a == "-V") {
      o.version = true;
    } else if (a == "--build-info") {
      o.build_info = true;
    } else if (a == "--dump-config") {
      o.dump_config = true;
    } else if (a == "-h" || a == "--help") {
      o.help = true;
    } else if (a == "--disable-detection") {
      o.disable_detection = true;
    } else if (a == "--no-random") {
    } else if (a == "-v" || a == "-vv" || a == "-vvv" || a == "-vvvv") {
      o.verbose += int(a.size()) - 1;
    } else if (a == "--pcap" || a.starts_with("--pcap=")) {
      // "--pcap" selects the pcap run mode; with -r it is implied.
    } else if (a == "--") {
      for (++i; i < argc; ++i) trailing.emplace_back(argv[i]);
    } else if (!a.empty() && a[0] == '-') {
      return core::make_error("unknown option '" + std::string(a) + "' (see -h)");
    } else {
      trailing.emplace_back(a);
    }
  }
  for (const auto& t : trailing) {
    if (!o.bpf_filter.empty()) o.bpf_filter += ' ';
    o.bpf_filter += t;
  }
  return o;
}

}  // namespace pasban::runtime
