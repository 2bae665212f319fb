#include "runtime/engine_shared.h"

#include "runtime/rule_loading.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <thread>

#include "app/files/file.h"
#include "detect/build/builtin_classifications.h"
#include "runtime/defrag_config.h"
#include "runtime/eve_config.h"
#include "runtime/file_config.h"
#include "runtime/protocols.h"
#include "runtime/mqtt_config.h"
#include "runtime/smtp_config.h"

namespace pasban::runtime {
namespace {

bool file_exists(const std::string& p) {
  std::error_code ec;
  return std::filesystem::exists(p, ec);
}

std::string join_path(const std::string& dir, const std::string& file) {
  if (file.empty() || file[0] == '/' || dir.empty()) return file;
  return dir.back() == '/' ? dir + file : dir + "/" + file;
}

// An eve-log type is on when listed (a plain name, or a map without
// "enabled: no").
bool eve_type_enabled(const ConfigView& eve, std::string_view type) {
  ConfigView t = eve.eve_type(type);
  return (t.valid() || t.node().IsMap()) && t.get_bool("enabled", true);
}

// eve-log types anomaly. Suricata starts from "applayer only" and lets
// `types.{decode,stream,applayer}` and `packethdr` turn each on or off, so a
// bare `- anomaly` logs app-layer anomalies only.
output::AnomalyOptions anomaly_options(const ConfigView& eve) {
  output::AnomalyOptions a;
  a.enabled = eve_type_enabled(eve, "anomaly");
  ConfigView t = eve.eve_type("anomaly");
  ConfigView types = t.view("types");
  a.decode = types.get_bool("decode", a.decode);
  a.stream = types.get_bool("stream", a.stream);
  a.applayer = types.get_bool("applayer", a.applayer);
  a.packethdr = t.get_bool("packethdr", a.packethdr);
  return a;
}

// The options of one eve-log output (a config may hold several, each with
// its own file and types).
output::EveOptions eve_options(const ConfigView& v) {
  output::EveOptions o;
  if (!v.node().IsMap()) {
    o.enabled = false;
    return o;
  }
  o.enabled = v.get_bool("enabled", true);
  if (auto f = v.get_string("filename")) o.filename = *f;
  o.community_id = v.get_bool("community-id", false);
  o.community_id_seed = uint16_t(v.get_int("community-id-seed", 0));
  ConfigView alert = v.eve_type("alert");
  o.payload = alert.get_bool("payload", false);
  o.payload_printable = alert.get_bool("payload-printable", false);
  o.tagged_packets = alert.get_bool("tagged-packets", false);
  o.payload_length = alert.get_bool("payload-length", false);
  o.packet = alert.get_bool("packet", false);
  o.metadata = alert.get_bool("metadata", true);
  for (auto proto : {app::AppProto::kHttp, app::AppProto::kDns, app::AppProto::kTls,
                     app::AppProto::kSmtp, app::AppProto::kMqtt,
                     app::AppProto::kSip})
    o.app_records[size_t(proto)] = eve_type_enabled(v, app::app_proto_name(proto));
  o.files = eve_type_enabled(v, "files");
  o.flow = eve_type_enabled(v, "flow");
  o.stats = eve_type_enabled(v, "stats");
  o.stats_null_values = v.eve_type("stats").get_bool("null-values", true);
  o.alerts = eve_type_enabled(v, "alert");
  o.anomaly = anomaly_options(v);
  o.top_metadata = v.get_bool("metadata", true);
  o.ethernet = v.get_bool("ethernet", false);
  o.pcap_file = v.get_bool("pcap-file", false);
  o.verdict = v.eve_type("alert").get_bool("verdict", false);
  o.drop = eve_type_enabled(v, "drop");
  ConfigView drop = v.eve_type("drop");
  o.drop_alerts = drop.get_bool("alerts", false);
  o.drop_flows_all = drop.get_string("flows").value_or("start") == "all";
  o.dns = dns_log_options(v.eve_type("dns"));
  o.tls_fields = tls_log_fields(v.eve_type("tls"));
  o.http = http_log_options(v.eve_type("http"));
  o.mqtt = mqtt_log_options(v.eve_type("mqtt"));
  return o;
}

// decoder.<name>.ports: "4789", "[8472, 4789]", a YAML list, or "any"
// (every port, an empty list). Unset or unreadable ($VXLAN_PORTS left from
// the stock template): the default.
std::vector<uint16_t> tunnel_ports(const Config& config, const std::string& name,
                                   std::vector<uint16_t> def) {
  YAML::Node n = config.get_node("decoder." + name + ".ports");
  std::string text;
  if (n && n.IsSequence()) {
    for (const auto& item : n)
      if (item.IsScalar()) text += item.as<std::string>() + ",";
  } else if (n && n.IsScalar()) {
    text = n.as<std::string>();
  }
  if (text.find("any") != std::string::npos) return {};
  std::vector<uint16_t> ports;
  uint32_t v = 0;
  bool in_number = false;
  for (char ch : text + ",") {
    if (ch >= '0' && ch <= '9') {
      v = std::min<uint32_t>(v * 10 + uint32_t(ch - '0'), 0x10000);
      in_number = true;
    } else {
      if (in_number && v <= 0xffff && ports.size() < decode::DecodeOptions::kMaxTunnelPorts)
        ports.push_back(uint16_t(v));
      v = 0;
      in_number = false;
    }
  }
  return ports.empty() ? def : ports;
}

decode::DecodeOptions decode_options(const Config& config) {
  decode::DecodeOptions o;
  o.vxlan_enabled = config.get_bool("decoder.vxlan.enabled", true);
  o.vxlan_ports = tunnel_ports(config, "vxlan", o.vxlan_ports);
  o.geneve_enabled = config.get_bool("decoder.geneve.enabled", true);
  o.geneve_ports = tunnel_ports(config, "geneve", o.geneve_ports);
  o.teredo_enabled = config.get_bool("decoder.teredo.enabled", true);
  o.teredo_ports = tunnel_ports(config, "teredo", o.teredo_ports);
  o.erspan_type1 = config.get_bool("decoder.erspan.typeI.enabled", false);
  // decoder.max-layers counts every decoded layer; Pasban bounds tunnel
  // nesting with it (one less: the outermost packet is a layer too).
  const int64_t layers = std::clamp<int64_t>(config.get_int("decoder.max-layers", 16), 2, 64);
  o.max_tunnel_depth = int(layers - 1);
  return o;
}

}  // namespace

core::Result<ThreadingOptions> threading_options(const Config& config, const CliOptions& cli) {
  ThreadingOptions t;
  auto det = config.get_bool_checked("threading.deterministic-output", false);
  if (!det) return det.error();
  t.deterministic = *det;
  const int64_t explicit_threads =
      config.get_int("threading.cpu-affinity.worker-cpu-set.threads", 0);
  if (explicit_threads < 0 || explicit_threads > int64_t(ThreadingOptions::kMaxWorkers))
    return core::make_error("threading.cpu-affinity.worker-cpu-set.threads: expected 0.." +
                            std::to_string(ThreadingOptions::kMaxWorkers) + ", got " +
                            std::to_string(explicit_threads));
  if (cli.runmode == "single") {
    t.workers = 1;
  } else if (explicit_threads > 0) {
    t.workers = size_t(explicit_threads);
  } else if (cli.runmode == "autofp" || cli.runmode == "workers") {
    // Suricata: detect-thread-ratio x online CPUs, at least one.
    double ratio = 1.0;
    if (auto r = config.get_string("threading.detect-thread-ratio")) {
      char* end = nullptr;
      ratio = std::strtod(r->c_str(), &end);
      if (end == r->c_str() || *end != 0 || !(ratio > 0) || ratio > 64)
        return core::make_error("threading.detect-thread-ratio: not a positive number: '" + *r + "'");
    }
    const unsigned cpus = std::max(1u, std::thread::hardware_concurrency());
    t.workers = std::clamp<size_t>(size_t(ratio * cpus + 0.5), 1, ThreadingOptions::kMaxWorkers);
  }
  return t;
}

std::vector<output::LogFile*> EngineShared::stream_files() {
  std::vector<output::LogFile*> files;
  for (auto& w : eves) files.push_back(&w->file());
  files.push_back(fast ? &fast->file() : nullptr);
  return files;
}

core::Result<std::unique_ptr<EngineShared>> EngineShared::create(
    const Config& config, const CliOptions& cli, std::vector<std::string>& errors,
    std::vector<std::string>& warnings) {
  auto e = std::make_unique<EngineShared>();
  auto threading = threading_options(config, cli);
  if (!threading) return threading.error();
  e->threading = *threading;
  e->outputs = !cli.test_mode;
  // Log directory: -l, else default-log-dir.
  e->setup.log_dir = cli.log_dir.empty() ? config.get_string("default-log-dir").value_or(".")
                                          : cli.log_dir;
  // Checksum mode: -k, else pcap-file.checksum-checks.
  std::string k = cli.checksum_mode.empty()
                      ? config.get_string("pcap-file.checksum-checks").value_or("auto")
                      : cli.checksum_mode;
  if (k == "none" || k == "no") e->setup.checksum = ChecksumMode::kNone;
  else if (k == "all" || k == "yes") e->setup.checksum = ChecksumMode::kAll;
  else if (k == "auto") e->setup.checksum = ChecksumMode::kAuto;
  else return core::make_error("pcap-file.checksum-checks: invalid value '" + k + "'");
  e->ips = cli.simulate_ips || cli.inline_capture;
  e->detection_enabled = !cli.disable_detection;

  // Rule files: -S only; else the configured rule-files plus -s.
  if (!cli.exclusive_rules.empty()) {
    e->setup.rule_files = cli.exclusive_rules;
  } else {
    std::string dir = config.get_string("default-rule-path").value_or("");
    YAML::Node files = config.get_node("rule-files");
    if (files && files.IsSequence())
      for (const auto& f : files)
        if (f.IsScalar()) e->setup.optional_rule_files.push_back(join_path(dir, f.as<std::string>()));
    e->setup.rule_files = cli.extra_rules;
  }

  // Rules and thresholds, through the recipe a reload builds from again.
  e->recipe = make_rule_recipe(config, cli, e->setup.rule_files, e->setup.optional_rule_files,
                               warnings);
  e->loaded = load_rules(e->recipe, nullptr);
  e->rules = e->loaded->rules;
  e->load_stats = e->loaded->stats;
  e->load_seconds = e->loaded->seconds;
  for (const auto& w : e->loaded->warnings) warnings.push_back(w);
  for (const auto& err : e->loaded->errors) errors.push_back(err);

  // Options of the per-worker stages.
  decode::DecodeOptions dopt = decode_options(config);
  dopt.verify_checksums = e->setup.checksum != ChecksumMode::kNone;
  e->decode = dopt;
  auto dcfg = defrag_config(config);
  if (!dcfg) return dcfg.error();
  e->defrag = std::move(*dcfg);
  flow::FlowConfig fc;
  auto memcap = config.get_size("flow.memcap", 128ull << 20);
  if (!memcap) return memcap.error();
  // The flow memcap bounds the whole run: each worker owns a share.
  fc.memcap = *memcap / e->threading.workers;
  auto mid = config.get_bool_checked("stream.midstream", false);
  if (!mid) return mid.error();
  fc.midstream = *mid;
  fc.recursion_for_tracking = config.get_bool("decoder.recursion-level.use-for-tracking", true);
  fc.tcp_checksum_gate = config.get_bool("stream.checksum-validation", true) &&
                         e->setup.checksum != ChecksumMode::kNone;
  auto timeout = [&](const char* proto, const char* kind, uint32_t def) {
    return uint32_t(config.get_int(std::string("flow-timeouts.") + proto + "." + kind, def));
  };
  fc.tcp = {timeout("tcp", "new", 60), timeout("tcp", "established", 3600), timeout("tcp", "closed", 60)};
  fc.udp = {timeout("udp", "new", 30), timeout("udp", "established", 300), 0};
  fc.icmp = {timeout("icmp", "new", 30), timeout("icmp", "established", 300), 0};
  fc.other = {timeout("default", "new", 30), timeout("default", "established", 300), 0};
  e->flow = fc;

  app::AppLayerConfig ac;
  configure_smtp(config);
  if (auto st = configure_mqtt(config); !st) return st.error();
  for (const app::ProtocolSpec* spec : builtin_protocols()) {
    std::string key = "app-layer.protocols." + std::string(app::app_proto_name(spec->proto));
    // "yes", "no" or "detection-only"; absent means enabled.
    std::string on = config.get_string(key + ".enabled").value_or("yes");
    if (on == "no" || on == "false") continue;
    ac.protocols.push_back(spec);
  }
  auto depth = config.get_size("stream.reassembly.depth", 1 << 20);
  if (!depth) return depth.error();
  ac.stream.depth = uint32_t(*depth);
  auto smemcap = config.get_size("stream.reassembly.memcap", 256ull << 20);
  if (!smemcap) return smemcap.error();
  ac.stream.memcap = *smemcap / e->threading.workers;
  ac.stream.midstream = fc.midstream;
  if (auto st = load_stream_config(config, ac.stream); !st) return st.error();
  e->app = ac;

  detect::eval::DetectOptions dopts;
  dopts.ips = e->ips;
  // Top-level packet-alert-max (Suricata reads it there; detect.* accepted too).
  dopts.alert_max = uint32_t(
      config.get_int("packet-alert-max", config.get_int("detect.packet-alert-max", 15)));
  dopts.recursion_limit = uint32_t(config.get_int("detect.inspection-recursion-limit", 3000));
  auto host_memcap = config.get_size("host.memcap", 32ull << 20);
  if (!host_memcap) return host_memcap.error();
  dopts.hosts.host_memcap = *host_memcap;
  auto ippair_memcap = config.get_size("ippair.memcap", 32ull << 20);
  if (!ippair_memcap) return ippair_memcap.error();
  dopts.hosts.ippair_memcap = *ippair_memcap;
  e->detect = dopts;
  e->detect_state = std::make_unique<detect::eval::SharedDetectState>(
      dopts.hosts, dopts.threshold_memcap_entries, e->shared_counters, e->threading.workers > 1);
  for (int d = 0; d < 2; ++d) {
    auto chunk = config.get_size(d == 0 ? "stream.reassembly.toserver-chunk-size"
                                        : "stream.reassembly.toclient-chunk-size", 2560);
    if (!chunk) return chunk.error();
    e->raw_chunk[d] = *chunk;
  }

  // Outputs.
  if (e->outputs) {
    std::vector<ConfigView> eve_views = config.outputs("eve-log");
    for (size_t i = 0; i < eve_views.size() || i == 0; ++i) {
      auto eo = i < eve_views.size() ? eve_options(eve_views[i]) : eve_options(ConfigView());
      // The first eve-log output logs every alert.
      if (i == 0) eo.alerts = true;
      eo.ips = e->ips;
      auto w = std::make_unique<output::EveWriter>(eo);
      if (!w->open(e->setup.log_dir)) return core::make_error("eve-log: " + w->error());
      e->eves.push_back(std::move(w));
    }
    // Files: what they compute, the file-store, their fileinfo records.
    if (auto st = configure_files(config, eve_views, e->file_store); !st.ok()) return st.error();
    // A file keeps its bytes only for file.data rules and the file-store:
    // copying every body otherwise costs a third of the no-rules speed.
    bool file_data_rules = false;
    if (e->rules)
      for (const auto& r : e->rules->rules())
        for (const auto& l : r.buffers)
          if (l.is_app && l.app_buffer == app::AppBuffer::kFileData) file_data_rules = true;
    if (!e->file_store.enabled && !file_data_rules) app::files::file_settings().content_limit = 0;
    YAML::Node stats_out = config.output("stats");
    if (stats_out && stats_out.IsMap() && ConfigView(stats_out, "outputs.stats").get_bool("enabled", true))
      e->stats_log_path = join_path(e->setup.log_dir,
          ConfigView(stats_out, "outputs.stats").get_string("filename").value_or("stats.log"));
    YAML::Node fast = config.output("fast");
    if (fast && fast.IsMap() && ConfigView(fast, "outputs.fast").get_bool("enabled", true)) {
      e->fast = std::make_unique<output::FastLog>();
      std::string fname = ConfigView(fast, "outputs.fast").get_string("filename").value_or("fast.log");
      if (!e->fast->open(e->setup.log_dir, fname))
        return core::make_error("fast: " + e->fast->error());
    }
  }
  return e;
}

}  // namespace pasban::runtime
