#include "runtime/engine.h"

#include <chrono>
#include <cstdio>
#include <filesystem>

#include "capture/pcap_file.h"
#include "detect/build/builtin_classifications.h"
#include "output/stats_log.h"
#include "runtime/protocols.h"

namespace pasban::runtime {
namespace {

constexpr uint64_t kChecksumAutoSample = 1000;  // Suricata's auto-mode sample
constexpr uint64_t kChecksumAutoBadRatio = 10;   // more than 1 in 10 bad: offloading

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

output::EveOptions eve_options(const Config& config) {
  output::EveOptions o;
  YAML::Node eve = config.output("eve-log");
  if (!eve || !eve.IsMap()) {
    o.enabled = false;
    return o;
  }
  ConfigView v(eve, "outputs.eve-log");
  o.enabled = v.get_bool("enabled", true);
  if (auto f = v.get_string("filename")) o.filename = *f;
  o.community_id = v.get_bool("community-id", false);
  o.community_id_seed = uint16_t(v.get_int("community-id-seed", 0));
  ConfigView alert = v.eve_type("alert");
  o.payload = alert.get_bool("payload", false);
  o.payload_printable = alert.get_bool("payload-printable", false);
  o.payload_length = alert.get_bool("payload-length", false);
  o.packet = alert.get_bool("packet", false);
  o.metadata = alert.get_bool("metadata", true);
  for (auto proto : {app::AppProto::kHttp, app::AppProto::kDns, app::AppProto::kTls,
                     app::AppProto::kSmtp})
    o.app_records[size_t(proto)] = eve_type_enabled(v, app::app_proto_name(proto));
  o.files = eve_type_enabled(v, "files");
  o.flow = eve_type_enabled(v, "flow");
  o.stats = eve_type_enabled(v, "stats");
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

  // Rules.
  detect::build::RuleSetOptions ro;
  ro.vars = [&config](std::string_view name) -> std::optional<std::string> {
    std::string n(name);
    if (auto v = config.get_string("vars.address-groups." + n)) return v;
    if (auto v = config.get_string("vars.port-groups." + n)) return v;
    return std::nullopt;
  };
  ro.pcre_limits.match_limit = uint32_t(config.get_int("pcre.match-limit", 3500));
  ro.pcre_limits.recursion_limit = uint32_t(config.get_int("pcre.match-limit-recursion", 1500));
  ro.strict_all = cli.strict_all;
  ro.strict_keywords = cli.strict_rule_keywords;
  std::string class_file = config.get_string("classification-file").value_or("");
  const bool have_class_file = !class_file.empty() && file_exists(class_file);
  if (have_class_file) ro.classification_file = class_file;
  else if (!class_file.empty())
    warnings.push_back(class_file + ": not found, using the built-in classifications");

  std::vector<std::string> files = e->setup_.rule_files;
  for (const auto& f : e->setup_.optional_rule_files) {
    if (file_exists(f)) files.push_back(f);
    else warnings.push_back(f + ": rule file not found");
  }
  std::vector<detect::build::LoadError> load_errors;
  auto t0 = std::chrono::steady_clock::now();
  if (e->detection_enabled_) {
    e->rules_ = detect::build::RuleSet::load(files, ro, load_errors, e->load_stats_,
                                             have_class_file ? nullptr
                                                             : &detect::build::builtin_classifications());
  } else {
    e->rules_ = detect::build::RuleSet::load({}, ro, load_errors, e->load_stats_, nullptr);
  }
  e->load_seconds_ =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  for (const auto& le : load_errors) errors.push_back(le.format());

  // Global thresholds (threshold.config): a missing file only warns.
  std::string tfile = config.get_string("threshold-file").value_or("");
  if (!tfile.empty()) {
    if (file_exists(tfile)) {
      auto tc = detect::threshold::load_threshold_config(
          tfile, [&config](std::string_view name) -> std::optional<std::string> {
            return config.get_string("vars.address-groups." + std::string(name));
          });
      if (!tc) {
        errors.push_back(tc.error().message);
      } else {
        for (const auto& te : tc->errors) errors.push_back(te.message);
        e->thresholds_ = std::move(*tc);
      }
    } else {
      // Suricata only warns about a missing threshold file.
      warnings.push_back(tfile + ": threshold file not found");
    }
  }

  // Per-worker state.
  decode::DecodeOptions dopt;
  dopt.verify_checksums = e->setup_.checksum != ChecksumMode::kNone;
  e->decoder_ = std::make_unique<decode::Decoder>(e->counters_, dopt);
  flow::FlowConfig fc;
  auto memcap = config.get_size("flow.memcap", 128ull << 20);
  if (!memcap) return memcap.error();
  fc.memcap = *memcap;
  auto mid = config.get_bool_checked("stream.midstream", false);
  if (!mid) return mid.error();
  fc.midstream = *mid;
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
  e->app_ = std::make_unique<app::AppLayer>(ac, e->counters_);
  e->c_csum_bad_ = e->counters_.id("tcp.invalid_checksum");

  detect::eval::DetectOptions dopts;
  dopts.ips = e->ips_;
  dopts.alert_max = uint32_t(config.get_int("detect.packet-alert-max", 15));
  dopts.recursion_limit = uint32_t(config.get_int("detect.inspection-recursion-limit", 3000));
  e->detector_ = std::make_unique<detect::eval::Detector>(e->rules_, dopts, e->counters_,
                                                          &e->thresholds_);

  // Outputs.
  if (!cli.test_mode) {
    output::EveWriter* eve_raw = nullptr;
    auto eo = eve_options(config);
    e->eve_ = std::make_unique<output::EveWriter>(eo);
    if (!e->eve_->open(e->setup_.log_dir))
      return core::make_error("eve-log: " + e->eve_->error());
    eve_raw = e->eve_.get();
    e->app_->set_tx_logger([eve_raw](const flow::Flow& f, app::AppProto proto, app::Transaction& tx) {
      eve_raw->transaction(f, proto, tx, f.last);
      eve_raw->files(f, proto, tx, f.last);
    });
    YAML::Node stats_out = config.output("stats");
    if (stats_out && stats_out.IsMap() && ConfigView(stats_out, "outputs.stats").get_bool("enabled", true))
      e->stats_log_path_ = e->setup_.log_dir + "/" +
          ConfigView(stats_out, "outputs.stats").get_string("filename").value_or("stats.log");
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

void Engine::emit_alerts(const decode::Packet& p) {
  for (const auto& a : alert_buf_) {
    ++alerts_;
    if (eve_) eve_->alert(p, a);
    if (fast_) fast_->alert(p, a);
  }
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
      detector_->inspect_transactions(p, alert_buf_, true, to_server ? 1 : 2);
      emit_alerts(p);
    }
  }
  if (eve_) {
    auto name = f.app_proto ? app::app_proto_name(app::AppProto(f.app_proto)) : std::string_view{};
    eve_->flow(f, why, name);
  }
}

void Engine::process(int linktype, core::Timestamp ts, core::Bytes frame) {
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
  if (p.has_tcp && p.l4_csum == decode::CsumState::kInvalid) counters_.add(c_csum_bad_);
  flows_->handle(p);
  app_->handle(p);
  if (!detection_enabled_) return;
  detector_->inspect(p, alert_buf_);
  detector_->inspect_transactions(p, alert_buf_, false);
  emit_alerts(p);
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
      auto src = capture::PcapFile::open(file, bpf);
      if (!src) {
        error = src.error().message;
        return false;
      }
      capture::RawPacket rp;
      int rc;
      while ((rc = (*src)->next(rp)) == 1) process((*src)->linktype(), rp.ts, rp.data);
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
