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
#include "stream/tcp_reassembly.h"

namespace pasban::app {

struct AppLayerConfig {
  std::vector<const ProtocolSpec*> protocols;  // enabled ones
  stream::StreamConfig stream;
  // Bytes a direction may carry without a protocol being recognised
  // before detection gives up (app_proto "failed").
  uint32_t max_probe_bytes = 4096;
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
  // App-layer and stream anomalies raised while handling the current
  // packet (names such as "http.request_header_invalid",
  // "stream.reassembly_overlap_different_data"), for app-layer-event and
  // stream-event rules. Cleared when the flow's next packet arrives.
  std::vector<std::string_view> packet_events;
};

class AppLayer {
 public:
  using TxLogger = std::function<void(const flow::Flow&, AppProto, Transaction&)>;
  using EventSink = std::function<void(const decode::Packet&, std::string_view event)>;

  AppLayer(AppLayerConfig config, core::Counters& counters);
  ~AppLayer();

  // After the flow stage: reassemble, detect the protocol, parse.
  void handle(decode::Packet& p);
  // The flow ended: flush reassembly, close the parser, log what is left.
  void end_flow(flow::Flow& f, core::Timestamp now);
  void set_tx_logger(TxLogger l) { log_tx_ = std::move(l); }
  void set_event_sink(EventSink s) { on_event_ = std::move(s); }

  static AppFlowState* state_of(const flow::Flow* f);

 private:
  class Sink;
  void deliver(flow::Flow& f, AppFlowState& st, bool to_server, core::Bytes data,
               core::Timestamp ts, const decode::Packet* p);
  void detect_protocol(flow::Flow& f, AppFlowState& st, bool to_server, core::Bytes data);
  void log_ready(const flow::Flow& f, AppFlowState& st, bool flow_end);
  void drain_events(AppFlowState& st, const decode::Packet* p);

  AppLayerConfig config_;
  core::Counters& counters_;
  stream::ReassemblyContext stream_ctx_;
  TxLogger log_tx_;
  EventSink on_event_;
  // app_layer.flow.<proto> and app_layer.tx.<proto>, [0] TCP, [1] UDP.
  std::vector<core::Counters::Id> flow_counter_[2];
  std::vector<core::Counters::Id> tx_counter_[2];
};

}  // namespace pasban::app
