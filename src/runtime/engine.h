// The pipeline of one worker: decode -> defrag -> flow -> app layer ->
// detect -> outputs. Built from the run's shared part (engine_shared.h);
// it owns its flows and everything on its packet path.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "app/app_layer.h"
#include "core/counters.h"
#include "decode/decoder.h"
#include "defrag/defrag.h"
#include "detect/build/rule_set.h"
#include "detect/eval/detector.h"
#include "detect/eval/tagging.h"
#include "detect/threshold/threshold_config.h"
#include "flow/flow_table.h"
#include "output/eve.h"
#include "output/fast_log.h"
#include "output/file_log.h"
#include "capture/reject.h"
#include "capture/source.h"
#include "output/ordered_sink.h"
#include "runtime/engine_shared.h"

namespace pasban::runtime {

// One worker's packet verdict. The seam for IPS: the worker loop hands it
// to an inline source after processing the packet.
enum class PacketVerdict : uint8_t { kAccept, kDrop, kReject };

class Engine {
 public:
  // A worker's view of the shared run: it logs into `sink` and waits for
  // its turn (TurnWait) before touching the shared detection state.
  static core::Result<std::unique_ptr<Engine>> create(EngineShared& shared, output::RecordBuffer* sink,
                                                      detect::eval::TurnWait* turn);
  // Processes one frame. pcap_cnt is the global packet number (0: the
  // engine numbers packets itself); sweep ends idle flows first (the pool's
  // clock decides, so that every worker sweeps at the same packets).
  PacketVerdict process(int linktype, core::Timestamp ts, core::Bytes frame, uint64_t pcap_cnt,
                        bool sweep);
  // A live frame: numbered across workers (number), no pcap_cnt logged.
  PacketVerdict process_live(const capture::LivePacket& lp, uint64_t number, bool sweep);
  // After process_live said kReject: sends the answer the rule asks for.
  void answer_reject(const capture::LivePacket& lp, capture::RejectSender& reject);
  uint64_t active_flows() const { return flows_ ? flows_->size() : 0; }
  // Publishes a live source's counters (capture.kernel_*) for the stats.
  void record_capture_stats(capture::Source& src);
  // For the benchmark and single runs: numbers packets and sweeps itself.
  void process(int linktype, core::Timestamp ts, core::Bytes frame) {
    process(linktype, ts, frame, 0, flows_->sweep_due(ts));
  }
  // Packet time passed on another worker's packet pcap_cnt: ends this
  // worker's idle flows as the single-threaded engine would there.
  void sweep(core::Timestamp ts, uint64_t pcap_cnt);
  bool sweep_due(core::Timestamp ts) const { return flows_->sweep_due(ts); }
  // The flows still open (end of input), to be ended in origin order.
  std::vector<flow::Flow*> open_flows() const { return flows_->flows_by_origin(); }
  void end_open_flow(flow::Flow* f);
  void set_pcap_filename(const std::string& file);

  core::Counters& counters() { return counters_; }
  // Rule reload, on this worker's thread between two packets: `next`
  // inspects every packet from the next one on; per-flow rule state is
  // carried over (detect/eval/rule_swap.cc).
  void swap_rules(const LoadedRules& next);
  uint64_t packets() const { return packets_; }
  uint64_t bytes() const { return bytes_; }
  uint64_t alerts() const { return alerts_; }
  core::Timestamp first_ts() const { return first_ts_; }
  core::Timestamp last_ts() const { return last_ts_; }
  bool seen_packet() const { return seen_packet_; }

 private:
  explicit Engine(EngineShared& shared) : shared_(shared) {}
  void emit_alerts(const decode::Packet& p, const detect::eval::PacketVerdict* v);
  void log_drop(const decode::Packet& p, const detect::eval::Alert* cause);
  // EVE flowbit and variable names of the rule set in force.
  void name_variables(output::EveWriter& w) const;
  // EVE anomaly records for what the packet raised (decode, stream, app layer).
  void log_anomalies(const decode::Packet& p);
  // Flow, app-layer and detection for one decoded packet.
  void run_stages(decode::Packet& p);
  // Decodes and runs parent's inner packet (and theirs, recursively).
  void process_inner(decode::Packet& parent);
  // Hands a fragment to defrag and runs the datagram it completes, before
  // the fragment itself (as Suricata runs its defrag pseudo packet).
  void defragment(decode::Packet& fragment);
  // A flow ends: flush its stream and parser, inspect and log what is left
  // (from pseudo packets, as Suricata does at flow timeout), then log the flow.
  void end_flow(flow::Flow& f, flow::EndReason why);

  EngineShared& shared_;
  output::RecordBuffer* sink_ = nullptr;
  core::Counters counters_;
  EngineSetup setup_;
  std::shared_ptr<detect::build::RuleSet> rules_;
  std::unique_ptr<decode::Decoder> decoder_;
  std::unique_ptr<flow::FlowTable> flows_;
  std::unique_ptr<app::AppLayer> app_;
  std::unique_ptr<detect::eval::Detector> detector_;
  std::unique_ptr<output::EveWriter> eve_;
  std::vector<std::unique_ptr<output::EveWriter>> extra_eves_;  // 2nd.. eve-log outputs
  std::unique_ptr<output::FastLog> fast_;
  std::unique_ptr<output::FileLog> file_log_;  // file-store and fileinfo records
  bool detection_enabled_ = true;
  bool ips_ = false;
  // -k auto: checksums are checked until kAutoSample packets say offload.
  uint64_t csum_sampled_ = 0, csum_bad_ = 0;
  bool csum_decided_ = false;
  core::Timestamp first_ts_, last_ts_;
  bool seen_packet_ = false;
  uint64_t packets_ = 0, bytes_ = 0, alerts_ = 0;
  decode::Packet packet_;
  // Inner packets of tunnels, one per nesting level (decoder.max-layers).
  std::vector<decode::Packet> tunnel_packets_;
  detect::eval::TagTracker tags_{counters_};
  std::unique_ptr<defrag::Defragmenter> defrag_;
  // Datagrams rebuilt by defrag, one per nesting level, with their bytes.
  struct RebuiltSlot {
    decode::Packet packet;
    std::vector<uint8_t> bytes;
  };
  std::vector<RebuiltSlot> rebuilt_;
  std::vector<detect::eval::Alert> alert_buf_;
  core::Counters::Id c_csum_bad_ = 0;
  // Inline verdict of the frame being processed, and the ips.* counters.
  bool frame_dropped_ = false, frame_rejected_ = false;
  core::Counters::Id c_ips_accepted_ = 0, c_ips_blocked_ = 0, c_ips_rejected_ = 0,
                     c_ips_replaced_ = 0;
  core::Counters::Id c_drop_reason_[size_t(decode::DropReason::kCount)] = {};
  // Live capture: no pcap_cnt, and the kernel may say a frame's checksums
  // cannot be checked (offload).
  bool live_ = false;
  bool frame_csum_unverifiable_ = false;
  // Raw stream inspection: on when rules need it; chunk sizes per
  // direction (stream.reassembly.to{server,client}-chunk-size).
  bool raw_stream_ = false;
  uint64_t raw_chunk_[2] = {2560, 2560};
  void inspect_raw_stream(decode::Packet& p, bool flow_end);
};

}  // namespace pasban::runtime
