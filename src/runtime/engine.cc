#include "runtime/engine.h"

#include "runtime/live.h"

#include <algorithm>


namespace pasban::runtime {
namespace {

constexpr uint64_t kChecksumAutoSample = 1000;  // Suricata's auto-mode sample
constexpr uint64_t kChecksumAutoBadRatio = 10;   // more than 1 in 10 bad: offloading

}  // namespace

core::Result<std::unique_ptr<Engine>> Engine::create(EngineShared& shared, output::RecordBuffer* sink,
                                                     detect::eval::TurnWait* turn) {
  std::unique_ptr<Engine> e(new Engine(shared));
  e->sink_ = sink;
  e->setup_ = shared.setup;
  e->rules_ = shared.rules;
  e->ips_ = shared.ips;
  e->detection_enabled_ = shared.detection_enabled;

  // Per-worker state.
  const decode::DecodeOptions& dopt = shared.decode;
  e->tunnel_packets_.resize(size_t(dopt.max_tunnel_depth));
  e->decoder_ = std::make_unique<decode::Decoder>(e->counters_, dopt);
  e->defrag_ = std::make_unique<defrag::Defragmenter>(shared.defrag, e->counters_);
  e->rebuilt_.resize(size_t(dopt.max_tunnel_depth) + 1);
  e->flows_ = std::make_unique<flow::FlowTable>(shared.flow, e->counters_);
  e->app_ = std::make_unique<app::AppLayer>(shared.app, e->counters_);
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
  e->detector_ = std::make_unique<detect::eval::Detector>(e->rules_, shared.detect, e->counters_,
                                                          shared.loaded->thresholds.get(),
                                                          shared.detect_state.get());
  e->detector_->set_turn_wait(turn);
  bool host_tags = false;
  if (e->rules_)
    for (const auto& r : e->rules_->rules())
      for (const auto& t : r.tags) host_tags |= t.type == detect::keywords::TagSpec::Type::kHost;
  e->tags_.share(shared.detect_state.get(), turn, host_tags);
  e->raw_stream_ = e->detection_enabled_ && e->detector_->has_stream_rules();
  e->app_->set_raw_stream(e->raw_stream_);
  e->raw_chunk_[0] = shared.raw_chunk[0];
  e->raw_chunk_[1] = shared.raw_chunk[1];

  // Outputs: copies of the shared writers that log into the worker's sink.
  if (shared.outputs) {
    for (size_t i = 0; i < shared.eves.size(); ++i) {
      auto w = std::make_unique<output::EveWriter>(shared.eves[i]->options());
      if (sink) w->attach(sink, uint8_t(i));
      e->name_variables(*w);
      if (i == 0) e->eve_ = std::move(w);
      else e->extra_eves_.push_back(std::move(w));
    }
    e->file_log_ = std::make_unique<output::FileLog>(shared.file_store, e->setup_.log_dir, e->counters_);
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
    if (shared.fast) {
      e->fast_ = std::make_unique<output::FastLog>();
      if (sink) e->fast_->attach(sink, shared.fast_stream());
    }
  }
  Engine* raw = e.get();
  e->flows_->set_end_callback([raw](flow::Flow& f, flow::EndReason why) { raw->end_flow(f, why); });
  return e;
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
  // Flows ended by the clock or the end of input are logged in origin
  // order; a flow a packet ends (port reuse, memcap) is part of its records.
  const output::RecordKey cause = sink_ ? sink_->cause() : output::RecordKey{};
  if (sink_ && cause.phase == output::RecordKey::kTimeouts)
    sink_->set_cause(cause.packet, output::RecordKey::kTimeouts, f.origin);
  // A flow dropped inline is not parsed, inspected or logged at its end:
  // Suricata drops its end-of-flow pseudo packets like its other packets.
  const bool dropped = ips_ && f.drop;
  if (!dropped) app_->end_flow(f, f.last);
  if (!dropped && detection_enabled_ && app::AppLayer::state_of(&f)) {
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
  if (file_log_ && !dropped) file_log_->run(f, f.last, true);
  if (eve_) {
    auto name = f.app_proto ? app::app_proto_name(app::AppProto(f.app_proto)) : std::string_view{};
    eve_->flow(f, why, name);
    for (auto& x : extra_eves_) x->flow(f, why, name);
  }
  if (sink_) sink_->set_cause(cause.packet, output::RecordKey::Phase(cause.phase), cause.origin);
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

void Engine::swap_rules(const LoadedRules& next) {
  if (!next.rules || !detector_) return;
  const std::vector<uint32_t> old_to_new =
      detector_->swap_rules(next.rules, next.thresholds.get());
  flows_->for_each([&](flow::Flow& f) { detect::eval::remap_flow_rule_state(f, old_to_new); });
  rules_ = next.rules;
  if (eve_) name_variables(*eve_);
  for (auto& x : extra_eves_) name_variables(*x);
  raw_stream_ = detection_enabled_ && detector_->has_stream_rules();
  app_->set_raw_stream(raw_stream_);
}

void Engine::sweep(core::Timestamp ts, uint64_t pcap_cnt) {
  if (sink_) sink_->set_cause(pcap_cnt, output::RecordKey::kTimeouts);
  flows_->expire(ts);
}

void Engine::end_open_flow(flow::Flow* f) {
  if (sink_) sink_->set_cause(output::RecordKey::kAfterInput, output::RecordKey::kTimeouts);
  flows_->end_flow(f, flow::EndReason::kShutdown);
}

void Engine::set_pcap_filename(const std::string& file) {
  if (eve_) eve_->set_pcap_filename(file);
  for (auto& x : extra_eves_) x->set_pcap_filename(file);
}

PacketVerdict Engine::process(int linktype, core::Timestamp ts, core::Bytes frame,
                              uint64_t pcap_cnt, bool sweep_first) {
  frame_dropped_ = frame_rejected_ = false;
  ++packets_;
  if (pcap_cnt == 0) pcap_cnt = packets_;
  if (sweep_first) sweep(ts, pcap_cnt);
  if (sink_) sink_->set_cause(pcap_cnt, output::RecordKey::kPacket);
  decode::Packet& p = packet_;
  p = decode::Packet{};
  p.ts = ts;
  p.pcap_cnt = live_ ? 0 : pcap_cnt;  // Suricata logs pcap_cnt for files only
  bytes_ += frame.size();
  if (!seen_packet_) {
    first_ts_ = ts;
    seen_packet_ = true;
  }
  last_ts_ = ts;
  decoder_->decode(linktype, frame, p);
  if (setup_.checksum == ChecksumMode::kNone || frame_csum_unverifiable_) {
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
  if (!ips_) return PacketVerdict::kAccept;
  if (!frame_dropped_) {
    counters_.add(c_ips_accepted_);
    return PacketVerdict::kAccept;
  }
  counters_.add(c_ips_blocked_);
  if (frame_rejected_) {
    counters_.add(c_ips_rejected_);
    return PacketVerdict::kReject;
  }
  return PacketVerdict::kDrop;
}

PacketVerdict Engine::process_live(const capture::LivePacket& lp, uint64_t number,
                                   bool sweep_first) {
  live_ = true;
  frame_csum_unverifiable_ = lp.checksum_unverifiable;
  return process(lp.linktype, lp.ts, lp.data, number, sweep_first);
}

void Engine::answer_reject(const capture::LivePacket& lp, capture::RejectSender& reject) {
  if (!packet_.ip_version) return;
  // The answer is built from the outermost IP header on.
  const uint8_t* ip = packet_.ip_header.data();
  const size_t len = size_t(lp.data.data() + lp.data.size() - ip);
  reject.reject(core::Bytes(ip, len), reject_direction(detector_->verdict().reject),
                packet_.ether_header);
}

void Engine::record_capture_stats(capture::Source& src) {
  const capture::SourceStats st = src.stats();
  counters_.set(counters_.id("capture.kernel_packets"), st.kernel_packets);
  counters_.set(counters_.id("capture.kernel_drops"), st.kernel_drops);
  counters_.set(counters_.id("capture.errors"), st.errors);
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

}  // namespace pasban::runtime
