// The parser driver: per worker, it gives each flow its stream reassembler
// and, once the protocol is known, its parser; it feeds parsers in-order
// bytes (TCP) or datagrams (UDP) and hands finished transactions to the
// logger. Protocol detection uses each protocol's content probe first and
// its ports second, as Suricata's probing parsers do.
#pragma once
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "app/parser.h"
#include "core/counters.h"
#include "decode/packet.h"
#include "flow/flow.h"
#include "stream/raw_stream.h"
#include "stream/tcp_reassembly.h"

namespace pasban::app {

struct AppLayerConfig {
  std::vector<const ProtocolSpec*> protocols;  // enabled ones
  stream::StreamConfig stream;
  // Bytes a direction may carry without a protocol being recognised
  // before detection gives up (app_proto "failed").
  uint32_t max_probe_bytes = 4096;
  // Keep each TCP direction's reassembled bytes for raw stream rules
  // (AppFlowState::raw); off when no loaded rule inspects the raw stream.
  bool raw_stream = false;
};

// Per-flow state of this stage, kept in Flow::app_state.
class AppFlowState : public flow::FlowExtension {
 public:
  AppProto proto = AppProto::kUnknown;
  std::unique_ptr<Parser> parser;
  std::unique_ptr<stream::TcpReassembler> tcp;
  std::string probe_buffer[2];  // first bytes per direction while undecided
  bool probe_gave_up[2] = {false, false};
  size_t logged_up_to = 0;      // transactions before this index are logged
  // Transactions before this index have every file logged and stored
  // (output/file_log.cc).
  size_t files_done_up_to = 0;
  // The parser's txs_removed when the two indices above were last valid.
  uint64_t txs_removed_seen = 0;
  uint64_t txs_capped_seen = 0;  // the parser's txs_capped already counted
  // Restarts both indices from 0 when the parser removed transactions.
  void sync_tx_indices() {
    if (!parser || parser->txs_removed == txs_removed_seen) return;
    txs_removed_seen = parser->txs_removed;
    logged_up_to = 0;
    files_done_up_to = 0;
  }
  // Raw stream pending detection, [0] to server, [1] to client.
  stream::RawStream raw[2];
  // App-layer and stream anomalies raised while handling the current
  // packet (names such as "http.request_header_invalid",
  // "stream.reassembly_overlap_different_data"), for app-layer-event and
  // stream-event rules. Cleared when the flow's next packet arrives.
  std::vector<std::string_view> packet_events;
  // TCP: a direction whose first data came after the protocol was known
  // from the other direction is probed once on its own, as Suricata
  // detects each direction (a different protocol there raises
  // applayer_mismatch_protocol_both_directions).
  bool dir_probed[2] = {false, false};
};

class AppLayer {
 public:
  // pcap_cnt: the packet whose data completed the transaction; 0 when
  // the flow's end logs it.
  using TxLogger = std::function<void(const flow::Flow&, AppProto, Transaction&, uint64_t pcap_cnt)>;
  using EventSink = std::function<void(const decode::Packet&, std::string_view event)>;

  AppLayer(AppLayerConfig config, core::Counters& counters);
  ~AppLayer();

  // After the flow stage: reassemble, detect the protocol, parse.
  void handle(decode::Packet& p);
  // The flow ended: flush reassembly, close the parser, log what is left.
  void end_flow(flow::Flow& f, core::Timestamp now);
  void set_tx_logger(TxLogger l) { log_tx_ = std::move(l); }
  void set_event_sink(EventSink s) { on_event_ = std::move(s); }
  void set_raw_stream(bool on) { config_.raw_stream = on; }

  static AppFlowState* state_of(const flow::Flow* f);

 private:
  class Sink;
  void deliver(flow::Flow& f, AppFlowState& st, bool to_server, core::Bytes data,
               core::Timestamp ts, const decode::Packet* p);
  void detect_protocol(flow::Flow& f, AppFlowState& st, bool to_server, core::Bytes data);
  void log_ready(const flow::Flow& f, AppFlowState& st, bool flow_end, uint64_t pcap_cnt = 0);
  void drain_events(AppFlowState& st, const decode::Packet* p);
  void after_feed(const flow::Flow& f, AppFlowState& st, const decode::Packet* p);
  void probe_other_direction(flow::Flow& f, AppFlowState& st, bool to_server, core::Bytes data);

  AppLayerConfig config_;
  core::Counters& counters_;
  stream::ReassemblyContext stream_ctx_;
  TxLogger log_tx_;
  EventSink on_event_;
  // app_layer.flow.<proto> and app_layer.tx.<proto>, [0] TCP, [1] UDP.
  std::vector<core::Counters::Id> flow_counter_[2];
  std::vector<core::Counters::Id> tx_counter_[2];
  std::vector<core::Counters::Id> capped_counter_[2];
};

}  // namespace pasban::app
