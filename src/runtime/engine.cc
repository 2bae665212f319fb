#include "runtime/engine.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>

#include "capture/pcap_file.h"
#include "detect/build/builtin_classifications.h"
#include "output/stats_log.h"
#include "runtime/defrag_config.h"
#include "runtime/eve_config.h"
#include "app/files/file.h"
#include "runtime/file_config.h"
#include "runtime/protocols.h"
#include "runtime/smtp_config.h"

namespace pasban::runtime {
namespace {

constexpr uint64_t kChecksumAutoSample = 1000;  // Suricata's auto-mode sample
constexpr uint64_t kChecksumAutoBadRatio = 10;   // more than 1 in 10 bad: offloading
constexpr int kIdleWakeMs = 200;  // an idle FIFO input still checks for work this often

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
                     app::AppProto::kSmtp})
    o.app_records[size_t(proto)] = eve_type_enabled(v, app::app_proto_name(proto));
  o.files = eve_type_enabled(v, "files");
  o.flow = eve_type_enabled(v, "flow");
  o.stats = eve_type_enabled(v, "stats");
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

core::Result<std::unique_ptr<Engine>> Engine::create(const Config& config, const CliOptions& cli,
                                                     std::vector<std::string>& errors,
                                                     std::vector<std::string>& warnings) {
  std::unique_ptr<Engine> e(new Engine());
  // Log directory: -l, else default-log-dir.
  e->setup_.log_dir = cli.log_dir.empty() ? config.get_string("default-log-dir").value_or(".")
                                          : cli.log_dir;
  // Checksum mode: -k, else pcap-file.checksum-checks.
  std::string k = cli.checksum_mode.empty()
                      ? config.get_string("pcap-file.checksum-checks").value_or("auto")
                      : cli.checksum_mode;
  if (k == "none" || k == "no") e->setup_.checksum = ChecksumMode::kNone;
  else if (k == "all" || k == "yes") e->setup_.checksum = ChecksumMode::kAll;
  else if (k == "auto") e->setup_.checksum = ChecksumMode::kAuto;
  else return core::make_error("pcap-file.checksum-checks: invalid value '" + k + "'");
  e->ips_ = cli.simulate_ips;
  e->detection_enabled_ = !cli.disable_detection;

  // Rule files: -S only; else the configured rule-files plus -s.
  if (!cli.exclusive_rules.empty()) {
    e->setup_.rule_files = cli.exclusive_rules;
  } else {
    std::string dir = config.get_string("default-rule-path").value_or("");
    YAML::Node files = config.get_node("rule-files");
    if (files && files.IsSequence())
      for (const auto& f : files)
        if (f.IsScalar()) e->setup_.optional_rule_files.push_back(join_path(dir, f.as<std::string>()));
    e->setup_.rule_files = cli.extra_rules;
  }

  // Rules and thresholds (runtime/rule_loading: a reload builds them again).
  e->recipe_ = make_rule_recipe(config, cli, e->setup_.rule_files,
                                e->setup_.optional_rule_files, warnings);
  e->loaded_ = load_rules(e->recipe_, nullptr);
  e->rules_ = e->loaded_->rules;
  e->load_stats_ = e->loaded_->stats;
  e->load_seconds_ = e->loaded_->seconds;
  for (const auto& w : e->loaded_->warnings) warnings.push_back(w);
  for (const auto& err : e->loaded_->errors) errors.push_back(err);

  // Per-worker state.
  decode::DecodeOptions dopt = decode_options(config);
  e->tunnel_packets_.resize(size_t(dopt.max_tunnel_depth));
  dopt.verify_checksums = e->setup_.checksum != ChecksumMode::kNone;
  e->decoder_ = std::make_unique<decode::Decoder>(e->counters_, dopt);
  auto dcfg = defrag_config(config);
  if (!dcfg) return dcfg.error();
  e->defrag_ = std::make_unique<defrag::Defragmenter>(std::move(*dcfg), e->counters_);
  e->rebuilt_.resize(size_t(dopt.max_tunnel_depth) + 1);
  flow::FlowConfig fc;
  auto memcap = config.get_size("flow.memcap", 128ull << 20);
  if (!memcap) return memcap.error();
  fc.memcap = *memcap;
  auto mid = config.get_bool_checked("stream.midstream", false);
  if (!mid) return mid.error();
  fc.midstream = *mid;
  fc.recursion_for_tracking = config.get_bool("decoder.recursion-level.use-for-tracking", true);
  fc.tcp_checksum_gate = config.get_bool("stream.checksum-validation", true) &&
                         e->setup_.checksum != ChecksumMode::kNone;
  auto timeout = [&](const char* proto, const char* kind, uint32_t def) {
    return uint32_t(config.get_int(std::string("flow-timeouts.") + proto + "." + kind, def));
  };
  fc.tcp = {timeout("tcp", "new", 60), timeout("tcp", "established", 3600), timeout("tcp", "closed", 60)};
  fc.udp = {timeout("udp", "new", 30), timeout("udp", "established", 300), 0};
  fc.icmp = {timeout("icmp", "new", 30), timeout("icmp", "established", 300), 0};
  fc.other = {timeout("default", "new", 30), timeout("default", "established", 300), 0};
  e->flows_ = std::make_unique<flow::FlowTable>(fc, e->counters_);

  app::AppLayerConfig ac;
  configure_smtp(config);
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
  ac.stream.memcap = *smemcap;
  ac.stream.midstream = fc.midstream;
  if (auto st = load_stream_config(config, ac.stream); !st) return st.error();
  e->app_ = std::make_unique<app::AppLayer>(ac, e->counters_);
  e->c_csum_bad_ = e->counters_.id("tcp.invalid_checksum");
  if (e->ips_) {
    // Suricata registers the ips.* counters only when inline.
    e->c_ips_accepted_ = e->counters_.id("ips.accepted");
    e->c_ips_blocked_ = e->counters_.id("ips.blocked");
    e->c_ips_rejected_ = e->counters_.id("ips.rejected");
    e->c_ips_replaced_ = e->counters_.id("ips.replaced");
    for (size_t r = 1; r < size_t(decode::DropReason::kCount); ++r)
      e->c_drop_reason_[r] = e->counters_.id(
          "ips.drop_reason." + std::string(decode::drop_reason_counter(decode::DropReason(r))));
  }

  detect::eval::DetectOptions dopts;
  dopts.ips = e->ips_;
  // Top-level packet-alert-max (Suricata reads it there; detect.* accepted too).
  dopts.alert_max = uint32_t(config.get_int("packet-alert-max", config.get_int("detect.packet-alert-max", 15)));
  dopts.recursion_limit = uint32_t(config.get_int("detect.inspection-recursion-limit", 3000));
  auto host_memcap = config.get_size("host.memcap", 32ull << 20);
  if (!host_memcap) return host_memcap.error();
  dopts.hosts.host_memcap = *host_memcap;
  auto ippair_memcap = config.get_size("ippair.memcap", 32ull << 20);
  if (!ippair_memcap) return ippair_memcap.error();
  dopts.hosts.ippair_memcap = *ippair_memcap;
  e->detector_ = std::make_unique<detect::eval::Detector>(e->rules_, dopts, e->counters_,
                                                          e->loaded_->thresholds.get());
  e->raw_stream_ = e->detection_enabled_ && e->detector_->has_stream_rules();
  e->app_->set_raw_stream(e->raw_stream_);
  for (int d = 0; d < 2; ++d) {
    auto chunk = config.get_size(d == 0 ? "stream.reassembly.toserver-chunk-size"
                                        : "stream.reassembly.toclient-chunk-size", 2560);
    if (!chunk) return chunk.error();
    e->raw_chunk_[d] = *chunk;
  }

  // Outputs.
  if (!cli.test_mode) {
    // The first eve-log output is eve_ (it logs every alert, as before);
    // further ones (their own filename and types) go to extra_eves_.
    std::vector<ConfigView> eve_views = config.outputs("eve-log");
    for (size_t i = 0; i < eve_views.size() || i == 0; ++i) {
      auto eo = i < eve_views.size() ? eve_options(eve_views[i]) : eve_options(ConfigView());
      if (i == 0) eo.alerts = true;
      eo.ips = e->ips_;
      auto w = std::make_unique<output::EveWriter>(eo);
      if (!w->open(e->setup_.log_dir)) return core::make_error("eve-log: " + w->error());
      e->name_variables(*w);
      if (i == 0) e->eve_ = std::move(w);
      else e->extra_eves_.push_back(std::move(w));
    }
    // Files: what they compute, the file-store, their fileinfo records.
    output::FileStoreOptions store;
    if (auto st = configure_files(config, eve_views, store); !st.ok()) return st.error();
    e->file_store_enabled_ = store.enabled;
    e->file_content_limit_ = app::files::file_settings().content_limit;
    e->apply_file_content_limit();
    e->file_log_ = std::make_unique<output::FileLog>(store, e->setup_.log_dir, e->counters_);
    e->file_log_->add_eve(e->eve_.get());
    for (auto& x : e->extra_eves_) e->file_log_->add_eve(x.get());
    Engine* eng = e.get();
    e->app_->set_tx_logger([eng](const flow::Flow& f, app::AppProto proto, app::Transaction& tx,
                                 uint64_t pcap_cnt) {
      eng->eve_->transaction(f, proto, tx, f.last, pcap_cnt);
      for (auto& x : eng->extra_eves_) {
        x->transaction(f, proto, tx, f.last, pcap_cnt);
      }
    });
    YAML::Node stats_out = config.output("stats");
    if (stats_out && stats_out.IsMap() && ConfigView(stats_out, "outputs.stats").get_bool("enabled", true))
      e->stats_log_path_ = join_path(e->setup_.log_dir,
          ConfigView(stats_out, "outputs.stats").get_string("filename").value_or("stats.log"));
    YAML::Node fast = config.output("fast");
    if (fast && fast.IsMap() && ConfigView(fast, "outputs.fast").get_bool("enabled", true)) {
      e->fast_ = std::make_unique<output::FastLog>();
      std::string fname = ConfigView(fast, "outputs.fast").get_string("filename").value_or("fast.log");
      if (!e->fast_->open(e->setup_.log_dir, fname))
        return core::make_error("fast: " + e->fast_->error());
    }
  }
  Engine* raw = e.get();
  e->flows_->set_end_callback([raw](flow::Flow& f, flow::EndReason why) { raw->end_flow(f, why); });
  return e;
}

void Engine::apply_file_content_limit() const {
  // A file keeps its bytes only for file.data rules and the file-store:
  // copying every body otherwise costs a third of the no-rules speed.
  bool file_data_rules = false;
  if (rules_)
    for (const auto& r : rules_->rules())
      for (const auto& l : r.buffers)
        if (l.is_app && l.app_buffer == app::AppBuffer::kFileData) file_data_rules = true;
  app::files::file_settings().content_limit =
      file_store_enabled_ || file_data_rules ? file_content_limit_ : 0;
}

void Engine::name_variables(output::EveWriter& w) const {
  if (!rules_) return;
  std::shared_ptr<const detect::build::RuleSet> rules = rules_;
  w.set_flowbit_names([rules](uint32_t id) -> std::string_view {
    return id < rules->flowbit_count() ? std::string_view(rules->flowbit_name(id))
                                       : std::string_view();
  });
  if (detector_) w.set_var_names(&rules_->var_names(), &detector_->pktvars());
}

void Engine::set_packet_boundary(const std::atomic<uint32_t>* flag, std::function<bool()> hook,
                                 int wake_fd) {
  boundary_flag_ = flag;
  boundary_wake_fd_ = wake_fd;
  boundary_hook_ = std::move(hook);
}

bool Engine::at_boundary() {
  if (stopped_) return false;
  if (!boundary_flag_ || boundary_flag_->load(std::memory_order_relaxed) == 0) return true;
  if (boundary_hook_ && !boundary_hook_()) stopped_ = true;
  return !stopped_;
}

bool Engine::reopen_outputs(std::string& error) {
  bool ok = true;
  auto check = [&](bool reopened, const std::string& err) {
    if (!reopened && ok) {
      error = err;
      ok = false;
    }
  };
  if (eve_) check(eve_->reopen(), eve_->error());
  for (auto& x : extra_eves_) check(x->reopen(), x->error());
  if (fast_) check(fast_->reopen(), fast_->error());
  return ok;
}

void Engine::swap_rules(std::shared_ptr<LoadedRules> next) {
  if (!next || !next->rules || !detector_) return;
  const std::vector<uint32_t> old_to_new =
      detector_->swap_rules(next->rules, next->thresholds.get());
  flows_->for_each([&](flow::Flow& f) { detect::eval::remap_flow_rule_state(f, old_to_new); });
  // The detector no longer refers to the old set: it is freed here (or
  // when the last EVE name lookup lets go of it, just below).
  loaded_ = std::move(next);
  rules_ = loaded_->rules;
  load_stats_ = loaded_->stats;
  load_seconds_ = loaded_->seconds;
  if (eve_) name_variables(*eve_);
  for (auto& x : extra_eves_) name_variables(*x);
  raw_stream_ = detection_enabled_ && detector_->has_stream_rules();
  app_->set_raw_stream(raw_stream_);
  if (file_log_) apply_file_content_limit();  // outputs configured (not -T)
}

void Engine::emit_alerts(const decode::Packet& p, const detect::eval::PacketVerdict* v) {
  for (const auto& a : alert_buf_) {
    ++alerts_;
    if (eve_) eve_->alert(p, a, v);
    for (auto& x : extra_eves_) x->alert(p, a, v);
    if (fast_) fast_->alert(p, a);
  }
}

// An inline engine dropped p: count it and write the drop records (each
// eve-log output decides by its drop settings; a dropped flow is marked
// logged per direction once they all had their say).
void Engine::log_drop(const decode::Packet& p, const detect::eval::Alert* cause) {
  frame_dropped_ = true;
  counters_.add(c_drop_reason_[size_t(p.drop_reason)]);
  const bool by_rule = cause != nullptr;
  if (eve_ && eve_->wants_drop(p, by_rule)) eve_->drop(p, cause);
  for (auto& x : extra_eves_)
    if (x->wants_drop(p, by_rule)) x->drop(p, cause);
  if (p.flow && p.flow->drop) p.flow->drop_logged |= p.to_server ? 1 : 2;
}

void Engine::end_flow(flow::Flow& f, flow::EndReason why) {
  app_->end_flow(f, f.last);
  if (detection_enabled_ && app::AppLayer::state_of(&f)) {
    for (bool to_server : {true, false}) {
      decode::Packet p{};
      p.pseudo = true;
      p.ts = f.last;
      p.flow = &f;
      p.to_server = to_server;
      p.ip_version = f.client.is_v6() ? 6 : 4;
      p.ip_proto = f.proto;
      p.src = to_server ? f.client : f.server;
      p.dst = to_server ? f.server : f.client;
      p.sp = to_server ? f.client_port : f.server_port;
      p.dp = to_server ? f.server_port : f.client_port;
      p.has_tcp = f.proto == 6;
      p.has_udp = f.proto == 17;
      p.flow_established = true;
      alert_buf_.clear();
      detector_->reset_verdict();
      detector_->inspect_transactions(p, alert_buf_, true, to_server ? 1 : 2);
      inspect_raw_stream(p, true);
      emit_alerts(p, &detector_->verdict());
    }
  }
  if (file_log_) file_log_->run(f, f.last, true);
  if (eve_) {
    auto name = f.app_proto ? app::app_proto_name(app::AppProto(f.app_proto)) : std::string_view{};
    eve_->flow(f, why, name);
    for (auto& x : extra_eves_) x->flow(f, why, name);
  }
}

Verdict Engine::process(int linktype, core::Timestamp ts, core::Bytes frame) {
  frame_dropped_ = frame_rejected_ = false;
  decode::Packet& p = packet_;
  p = decode::Packet{};
  p.ts = ts;
  p.pcap_cnt = ++packets_;
  bytes_ += frame.size();
  if (!seen_packet_) {
    first_ts_ = ts;
    seen_packet_ = true;
  }
  last_ts_ = ts;
  decoder_->decode(linktype, frame, p);
  if (setup_.checksum == ChecksumMode::kNone) {
    p.ignore_checksum = true;
  } else if (setup_.checksum == ChecksumMode::kAuto) {
    if (csum_decided_) {
      p.ignore_checksum = true;
      p.l4_csum = p.ip_csum = decode::CsumState::kNotChecked;
    } else if (p.ip_version) {
      ++csum_sampled_;
      if (p.l4_csum == decode::CsumState::kInvalid || p.ip_csum == decode::CsumState::kInvalid)
        ++csum_bad_;
      if (csum_sampled_ >= kChecksumAutoSample) {
        // Mostly bad checksums mean the capture host offloaded them.
        if (csum_bad_ * kChecksumAutoBadRatio > csum_sampled_) {
          csum_decided_ = true;
          decoder_->set_verify_checksums(false);
        }
      }
    }
  }
  // Suricata runs a tunnel's inner packets through the pipeline before the
  // outer packet that carried them.
  if (p.tunnel_root()) process_inner(p);
  run_stages(p);
  if (!ips_) return Verdict::kAccept;
  if (!frame_dropped_) {
    counters_.add(c_ips_accepted_);
    return Verdict::kAccept;
  }
  counters_.add(c_ips_blocked_);
  if (frame_rejected_) {
    counters_.add(c_ips_rejected_);
    return Verdict::kReject;
  }
  return Verdict::kDrop;
}

void Engine::defragment(decode::Packet& fragment) {
  auto r = defrag_->insert(fragment);
  if (!r || fragment.tunnel_depth >= rebuilt_.size()) return;
  RebuiltSlot& slot = rebuilt_[fragment.tunnel_depth];
  slot.bytes.assign(r->frame.begin(), r->frame.end());
  decode::Packet& p = slot.packet;
  decoder_->decode_rebuilt(r->linktype, core::Bytes(slot.bytes.data(), slot.bytes.size()),
                           r->ip_offset, r->ip_version, fragment, p);
  p.ignore_checksum = fragment.ignore_checksum;
  if (csum_decided_) p.l4_csum = p.ip_csum = decode::CsumState::kNotChecked;
  if (p.tunnel_root()) process_inner(p);
  run_stages(p);
}

void Engine::run_stages(decode::Packet& p) {
  if (p.is_fragment && defrag_) defragment(p);
  if (p.has_tcp && p.l4_csum == decode::CsumState::kInvalid) counters_.add(c_csum_bad_);
  flows_->handle(p);
  if (ips_ && p.flow && p.flow->drop) {
    // A dropped flow's packets are dropped on arrival: no stream, no
    // parsing, no inspection (Suricata's flow drop).
    p.drop_reason = decode::DropReason::kFlowDrop;
    log_drop(p, nullptr);
    return;
  }
  // A tunnel's outer packet carries no app-layer data of its own.
  if (!p.tunnel_root()) app_->handle(p);
  if (!detection_enabled_) {
    log_anomalies(p);
    if (file_log_ && p.flow) file_log_->run(*p.flow, p.ts, false);
    return;
  }
  detector_->inspect(p, alert_buf_);
  detector_->inspect_transactions(p, alert_buf_, false);
  inspect_raw_stream(p, false);
  const detect::eval::PacketVerdict& verdict = detector_->verdict();
  if (ips_ && verdict.drop) {
    p.drop_reason = verdict.by_threshold ? decode::DropReason::kRulesThreshold
                                         : decode::DropReason::kRules;
    if (verdict.rejects()) frame_rejected_ = true;
  }
  emit_alerts(p, &verdict);
  if (p.drop_reason != decode::DropReason::kNone)
    log_drop(p, verdict.drop_alert ? &*verdict.drop_alert : nullptr);
  // The alert logger writes tagged packets after the packet's alerts.
  if (tags_.on_packet(p, alert_buf_)) {
    if (eve_) eve_->tagged_packet(p);
    for (auto& x : extra_eves_) x->tagged_packet(p);
  }
  log_anomalies(p);
  // Files that ended on this packet, once detection had its say.
  if (file_log_ && p.flow) file_log_->run(*p.flow, p.ts, false);
}

// Anomaly records come after the packet's alerts (Suricata runs its
// packet loggers in that order) and see the flowbits detection just set.
void Engine::log_anomalies(const decode::Packet& p) {
  const app::AppFlowState* st = app::AppLayer::state_of(p.flow);
  // A tunnel's outer packet skips the app layer: its flow's list is stale.
  const std::vector<std::string_view>* events =
      st && !p.tunnel_root() ? &st->packet_events : nullptr;
  if (eve_) eve_->packet_anomalies(p, events);
  for (auto& x : extra_eves_) x->packet_anomalies(p, events);
}

void Engine::process_inner(decode::Packet& parent) {
  // One scratch packet per nesting level (allocated once in create()).
  if (parent.tunnel_depth >= tunnel_packets_.size()) return;
  decode::Packet& p = tunnel_packets_[parent.tunnel_depth];
  if (!decoder_->decode_tunnel(parent, p)) {
    // An invalid inner packet is dropped; the outer one is inspected whole.
    parent.inner_kind = decode::TunnelKind::kNone;
    return;
  }
  // The outer payload is the inner packet: only its headers are inspected
  // (Suricata's no-payload-inspection flag on the tunnel root).
  parent.payload = {};
  p.ignore_checksum = parent.ignore_checksum;
  if (p.tunnel_root()) process_inner(p);
  run_stages(p);
}

void Engine::inspect_raw_stream(decode::Packet& p, bool flow_end) {
  if (!raw_stream_ || !p.has_tcp || !p.flow) return;
  app::AppFlowState* st = app::AppLayer::state_of(p.flow);
  if (!st) return;
  const int dir = p.to_server ? 0 : 1;
  stream::RawStream& rs = st->raw[dir];
  if (rs.empty()) return;
  // Suricata inspects a direction's raw stream once a chunk has
  // accumulated, when the direction closes (FIN, RST), when the app layer
  // asks, and at the flow's end.
  constexpr uint8_t kFinOrRst = 0x01 | 0x04;
  if (!flow_end && rs.pending() < raw_chunk_[dir] && !(p.tcp_flags & kFinOrRst) && !rs.trigger)
    return;
  detector_->inspect_stream(p, rs, alert_buf_);
  // Keep a little context so a pattern across the chunk border is seen.
  constexpr size_t kRawKeep = 256;
  rs.consume(flow_end ? 0 : kRawKeep);
}

bool Engine::run(const std::vector<std::string>& captures, const std::string& bpf,
                 std::string& error) {
  for (const auto& path : captures) {
    auto files = capture::expand_capture_path(path);
    if (!files) {
      error = files.error().message;
      return false;
    }
    for (const auto& file : *files) {
      if (!at_boundary()) return true;
      if (eve_) eve_->set_pcap_filename(file);
      for (auto& x : extra_eves_) x->set_pcap_filename(file);
      auto src = capture::PcapFile::open(file, bpf);
      if (!src && !at_boundary()) return true;  // a stop interrupted the open (a FIFO)
      if (!src) {
        error = src.error().message;
        return false;
      }
      capture::RawPacket rp;
      int rc = 0;
      while (at_boundary()) {
        // An idle FIFO: wake for lifecycle work (a reload, a counters
        // request) instead of blocking in the read.
        if (!(*src)->wait_readable(boundary_wake_fd_, kIdleWakeMs)) {
          if (boundary_hook_ && !boundary_hook_()) stopped_ = true;  // it drains the wake fd
          continue;
        }
        if ((rc = (*src)->next(rp)) != 1) break;
        process((*src)->linktype(), rp.ts, rp.data);
      }
      // A stop signal interrupts a blocked read: that is the stop, not an error.
      if (stopped_ || (rc < 0 && !at_boundary())) return true;
      if (rc < 0) {
        // A truncated capture ends that file, as in Suricata; it is
        // reported and the run goes on with the next file.
        std::fprintf(stderr, "pasban: warning: %s: %s\n", file.c_str(), (*src)->error().c_str());
      }
    }
  }
  return true;
}

bool Engine::finish(std::string& error) {
  if (flows_) flows_->flush();
  bool ok = true;
  for (auto& x : extra_eves_) {
    x->stats(counters_, last_ts_, last_ts_.sec - first_ts_.sec);
    x->close();
    if (!x->ok()) {
      error = x->error();
      ok = false;
    }
  }
  if (eve_) {
    eve_->stats(counters_, last_ts_, last_ts_.sec - first_ts_.sec);
    eve_->close();
    if (!eve_->ok()) {
      error = eve_->error();
      ok = false;
    }
  }
  if (!stats_log_path_.empty()) {
    std::string serr;
    if (!output::write_stats_log(stats_log_path_, counters_, last_ts_, last_ts_.sec - first_ts_.sec, serr)) {
      error = serr;
      ok = false;
    }
  }
  if (fast_) {
    fast_->close();
    if (!fast_->ok()) {
      error = fast_->error();
      ok = false;
    }
  }
  return ok;
}

}  // namespace pasban::runtime
