#include "app/app_layer.h"

#include <algorithm>

#include "app/detect_only.h"

namespace pasban::app {

class AppLayer::Sink : public stream::StreamSink {
 public:
  Sink(AppLayer& al, flow::Flow& f, AppFlowState& st, const decode::Packet* p, core::Timestamp ts)
      : al_(al), f_(f), st_(st), p_(p), ts_(ts) {}
  void on_data(bool to_server, core::Bytes data) override {
    if (al_.config_.raw_stream) st_.raw[to_server ? 0 : 1].append(data);
    al_.deliver(f_, st_, to_server, data, ts_, p_);
  }
  void on_gap(bool to_server, uint32_t len) override {
    if (al_.config_.raw_stream) st_.raw[to_server ? 0 : 1].gap(len);
    if (st_.parser) st_.parser->on_gap_bytes(to_server, len);
  }

 private:
  AppLayer& al_;
  flow::Flow& f_;
  AppFlowState& st_;
  const decode::Packet* p_;
  core::Timestamp ts_;
};

AppLayer::AppLayer(AppLayerConfig config, core::Counters& counters)
    : config_(std::move(config)), counters_(counters), stream_ctx_(config_.stream, counters) {
  // Suricata names protocols that run on both transports per transport
  // (dns_udp, dns_tcp, failed_udp, ...).
  for (int udp = 0; udp < 2; ++udp) {
    flow_counter_[udp].resize(size_t(AppProto::kCount));
    tx_counter_[udp].resize(size_t(AppProto::kCount));
    capped_counter_[udp].resize(size_t(AppProto::kCount));
    for (size_t i = 1; i < size_t(AppProto::kCount); ++i) {
      const AppProto ap = AppProto(i);
      std::string name(app_proto_name(ap));
      const bool both = app_proto_on_udp(ap) || ap == AppProto::kFailed;
      if (!both && udp) continue;
      if (both) name += udp ? "_udp" : "_tcp";
      flow_counter_[udp][i] = counters_.id("app_layer.flow." + name);
      if (ap != AppProto::kFailed) {
        tx_counter_[udp][i] = counters_.id("app_layer.tx." + name);
        capped_counter_[udp][i] = counters_.id("pasban.app_layer.tx_capped." + name);
      }
    }
  }
}

AppLayer::~AppLayer() = default;

AppFlowState* AppLayer::state_of(const flow::Flow* f) {
  return f ? static_cast<AppFlowState*>(f->app_state.get()) : nullptr;
}

void AppLayer::detect_protocol(flow::Flow& f, AppFlowState& st, bool to_server,
                               core::Bytes data) {
  const int dir = to_server ? 0 : 1;
  // A direction that gave up keeps nothing more: the probe buffer is
  // bounded by max_probe_bytes.
  if (st.probe_gave_up[dir]) return;
  std::string& buf = st.probe_buffer[dir];
  const bool tcp = f.proto == 6;
  if (tcp) buf.append(reinterpret_cast<const char*>(data.data()), data.size());
  core::Bytes probe = tcp ? core::as_bytes(buf) : data;
  bool undecided = false;
  for (const ProtocolSpec* spec : config_.protocols) {
    if ((tcp && !spec->tcp) || (!tcp && !spec->udp)) continue;
    auto probe_fn = (tcp && spec->probe_tcp) ? spec->probe_tcp : spec->probe;
    if (!probe_fn) continue;
    int r = probe_fn(probe, to_server);
    if (r > 0) {
      st.proto = spec->proto;
      break;
    }
    if (r == 0) undecided = true;
  }
  if (st.proto == AppProto::kUnknown) {
    // Port-based probing parsers decide on their ports even while a
    // content probe still waits for more bytes.
    for (const ProtocolSpec* spec : config_.protocols) {
      if (!spec->port_probe || (tcp && !spec->tcp) || (!tcp && !spec->udp)) continue;
      const auto& ports = spec->default_ports;
      if (std::find(ports.begin(), ports.end(), f.server_port) == ports.end()) continue;
      if (spec->port_probe(probe, to_server) > 0) {
        st.proto = spec->proto;
        break;
      }
    }
  }
  if (st.proto == AppProto::kUnknown && !undecided) {
    // No probe claims the bytes: fall back to the protocol of the server port.
    for (const ProtocolSpec* spec : config_.protocols) {
      if ((tcp && !spec->tcp) || (!tcp && !spec->udp)) continue;
      if (std::find(spec->default_ports.begin(), spec->default_ports.end(), f.server_port) !=
          spec->default_ports.end()) {
        auto probe_fn = (tcp && spec->probe_tcp) ? spec->probe_tcp : spec->probe;
        int r = probe_fn ? probe_fn(probe, to_server) : 1;
        if (r >= 0) st.proto = spec->proto;
        break;
      }
    }
  }
  if (st.proto == AppProto::kUnknown) {
    if (!undecided || probe.size() >= config_.max_probe_bytes) {
      st.probe_gave_up[dir] = true;
      buf.clear();
      buf.shrink_to_fit();
    }
    if (st.probe_gave_up[0] && st.probe_gave_up[1]) {
      st.proto = AppProto::kFailed;
      f.app_proto = uint8_t(st.proto);
      counters_.add(flow_counter_[f.proto == 17][size_t(AppProto::kFailed)]);
    }
    return;
  }
  f.app_proto = uint8_t(st.proto);
  counters_.add(flow_counter_[f.proto == 17][size_t(st.proto)]);
  // The bytes of both directions seen so far took part in detection.
  for (int d = 0; d < 2; ++d)
    if (d == dir || !st.probe_buffer[d].empty() || st.probe_gave_up[d]) st.dir_probed[d] = true;
  for (const ProtocolSpec* spec : config_.protocols)
    if (spec->proto == st.proto)
      st.parser = (tcp && spec->create_tcp) ? spec->create_tcp() : spec->create();
}

void AppLayer::deliver(flow::Flow& f, AppFlowState& st, bool to_server, core::Bytes data,
                       core::Timestamp ts, const decode::Packet* p) {
  if (data.empty()) return;
  if (st.proto == AppProto::kUnknown) {
    detect_protocol(f, st, to_server, data);
    if (!st.parser) return;
    // TCP: the bytes kept while probing go to the parser first.
    if (f.proto == 6) {
      for (int dir = 0; dir < 2; ++dir) {
        std::string pending = std::move(st.probe_buffer[dir]);
        st.probe_buffer[dir].clear();
        if (!pending.empty()) st.parser->feed(dir == 0, core::as_bytes(pending), ts);
      }
      after_feed(f, st, p);
      return;
    }
  }
  if (!st.parser) return;
  if (f.proto == 6 && !st.dir_probed[to_server ? 0 : 1])
    probe_other_direction(f, st, to_server, data);
  // Finished transactions had detection and the file logger at the packet
  // that finished them: a long flow keeps only its open ones in memory.
  st.parser->trim();
  st.parser->feed(to_server, data, ts);
  after_feed(f, st, p);
}

// What a feed produced: its events, transactions dropped at the parser's
// cap, and the transactions now ready to log.
void AppLayer::after_feed(const flow::Flow& f, AppFlowState& st, const decode::Packet* p) {
  drain_events(st, p);
  if (st.parser->txs_capped != st.txs_capped_seen) {
    counters_.add(capped_counter_[f.proto == 17][size_t(st.proto)],
                  st.parser->txs_capped - st.txs_capped_seen);
    st.txs_capped_seen = st.parser->txs_capped;
  }
  log_ready(f, st, false, p ? p->pcap_cnt : 0);
}

// The first bytes of a direction that did not take part in detection.
// Only a positive match counts (a probe that needs more bytes is not asked
// again): the flow keeps the protocol found first and goes on parsing.
void AppLayer::probe_other_direction(flow::Flow& f, AppFlowState& st, bool to_server,
                                     core::Bytes data) {
  st.dir_probed[to_server ? 0 : 1] = true;
  std::string_view found;
  for (const ProtocolSpec* spec : config_.protocols) {
    if (!spec->tcp) continue;
    auto probe_fn = spec->probe_tcp ? spec->probe_tcp : spec->probe;
    if (probe_fn && probe_fn(data, to_server) > 0) {
      if (spec->proto != st.proto) found = app_proto_name(spec->proto);
      break;
    }
  }
  if (found.empty()) found = detect_only_protocol(data);
  if (found.empty() || found == app_proto_name(st.proto)) return;
  f.app_proto_dir[to_server ? 0 : 1] = found;
  st.packet_events.push_back("applayer_mismatch_protocol_both_directions");
}

void AppLayer::drain_events(AppFlowState& st, const decode::Packet* p) {
  if (!st.parser || st.parser->events.empty()) return;
  for (auto e : st.parser->events) {
    st.packet_events.push_back(e);
    if (on_event_ && p) on_event_(*p, e);
  }
  st.parser->events.clear();
}

void AppLayer::log_ready(const flow::Flow& f, AppFlowState& st, bool flow_end, uint64_t pcap_cnt) {
  if (!st.parser) return;
  st.sync_tx_indices();
  const size_t n = st.parser->tx_count();
  // Transactions before logged_up_to are all logged: each packet only
  // looks at the ones still open, not the flow's whole history.
  bool prefix = true;
  for (size_t i = st.logged_up_to; i < n; ++i) {
    Transaction* tx = st.parser->tx(i);
    if (tx && !tx->logged && (flow_end || (tx->complete(true) && tx->complete(false)))) {
      tx->logged = true;
      counters_.add(tx_counter_[f.proto == 17][size_t(st.proto)]);
      if (log_tx_ && tx->loggable() && !tx->log_disabled) log_tx_(f, st.proto, *tx, pcap_cnt);
    }
    if (prefix && (!tx || tx->logged)) st.logged_up_to = i + 1;
    else prefix = false;
  }
}

void AppLayer::handle(decode::Packet& p) {
  flow::Flow* f = p.flow;
  if (!f || (f->proto != 6 && f->proto != 17)) return;
  if (!f->app_state) f->app_state = std::make_unique<AppFlowState>();
  auto& st = *static_cast<AppFlowState*>(f->app_state.get());
  st.packet_events.clear();
  if (f->proto == 17) {
    if (!p.has_udp || p.payload.empty()) return;
    deliver(*f, st, p.to_server, p.payload, p.ts, &p);
    return;
  }
  if (!p.has_tcp) return;
  if (!st.tcp) {
    // stream.memcap: past it a new session is not tracked (as Suricata
    // refuses a TcpSession), so neither reassembled nor parsed.
    if (!stream_ctx_.session_room(stream::TcpReassembler::session_cost())) return;
    st.tcp = std::make_unique<stream::TcpReassembler>(stream_ctx_);
    // Each direction's data is reassembled as its receiving host would.
    const stream::StreamConfig& sc = stream_ctx_.config();
    st.tcp->set_policy(true, sc.policy_for(p.to_server ? p.dst : p.src));
    st.tcp->set_policy(false, sc.policy_for(p.to_server ? p.src : p.dst));
  }
  Sink sink(*this, *f, st, &p, p.ts);
  st.tcp->on_packet(p, p.to_server, sink);
  p.stream_added = st.tcp->added();
  for (auto e : st.tcp->events) st.packet_events.push_back(e);
  st.tcp->events.clear();
}

void AppLayer::end_flow(flow::Flow& f, core::Timestamp now) {
  AppFlowState* st = state_of(&f);
  if (!st) return;
  if (st->tcp) {
    Sink sink(*this, f, *st, nullptr, now);
    st->tcp->flush(sink);
  }
  if (st->parser) {
    st->parser->on_close();
    st->parser->events.clear();
  }
  log_ready(f, *st, true);
}

}  // namespace pasban::app
