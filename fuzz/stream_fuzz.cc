// libFuzzer target for TCP stream reassembly: random segments (sequence
// offsets, lengths, flags, ACKs, both directions) under a random config.
// Checked beyond "no crash": memory returns to zero, the depth holds, and in
// "consistent" mode, where every packet carries the bytes of one fixed
// stream (byte = f(seq)), the output must be that stream with gaps skipped.
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "stream/tcp_reassembly.h"

namespace {

using pasban::stream::OverlapPolicy;

uint8_t stream_byte(uint32_t seq) { return uint8_t((seq * 2654435761u) >> 24); }

struct CheckingSink : pasban::stream::StreamSink {
  bool consistent = false;
  uint32_t depth = 0;
  bool base_known[2] = {false, false};
  uint32_t pos[2] = {0, 0};         // sequence number of the next byte expected
  uint64_t delivered[2] = {0, 0};   // data + gaps, per direction

  void on_data(bool to_server, pasban::core::Bytes data) override {
    if (data.empty()) std::abort();
    if (consistent) {
      if (!base_known[to_server]) std::abort();
      for (size_t i = 0; i < data.size(); ++i)
        if (data[i] != stream_byte(pos[to_server] + uint32_t(i))) std::abort();
    }
    pos[to_server] += uint32_t(data.size());
    delivered[to_server] += data.size();
    if (depth && delivered[to_server] > depth) std::abort();
  }
  void on_gap(bool to_server, uint32_t length) override {
    if (length == 0) std::abort();
    pos[to_server] += length;
    delivered[to_server] += length;
    if (depth && delivered[to_server] > depth) std::abort();
  }
};

uint32_t load32(const uint8_t* p) {
  return uint32_t(p[0]) << 24 | uint32_t(p[1]) << 16 | uint32_t(p[2]) << 8 | p[3];
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  constexpr size_t kHeader = 12, kRecord = 8;
  if (size < kHeader) return 0;
  const uint8_t cfg_bits = data[0];
  pasban::stream::StreamConfig cfg;
  cfg.midstream = cfg_bits & 1;
  cfg.check_overlap_different_data = cfg_bits & 2;
  const bool consistent = cfg_bits & 4;
  static constexpr uint32_t kDepths[] = {0, 16, 300, 1 << 20};
  cfg.depth = kDepths[(cfg_bits >> 3) & 3];
  cfg.memcap = (cfg_bits & 0x20) ? 2000 : 0;
  cfg.max_queued_segments = (cfg_bits & 0x40) ? 4 : 65535;
  cfg.policy = OverlapPolicy(data[1] % 13);
  const uint32_t isn[2] = {load32(data + 4), load32(data + 8)};  // [0] server, [1] client

  pasban::core::Counters counters;
  pasban::stream::ReassemblyContext ctx(cfg, counters);
  CheckingSink sink;
  sink.consistent = consistent;
  sink.depth = cfg.depth;
  {
    pasban::stream::TcpReassembler r(ctx);
    std::vector<uint8_t> payload;
    for (size_t at = kHeader; at + kRecord <= size; at += kRecord) {
      const uint8_t* rec = data + at;
      const bool to_server = rec[0] & 0x80;
      pasban::decode::Packet p;
      p.has_tcp = true;
      p.tcp_flags = rec[0] & 0x3f;
      const int16_t seq_delta = int16_t(uint16_t(rec[1] << 8 | rec[2]));
      const int16_t ack_delta = int16_t(uint16_t(rec[4] << 8 | rec[5]));
      p.tcp_seq = isn[to_server] + uint32_t(int32_t(seq_delta) * ((rec[7] & 0x80) ? 1000 : 1));
      p.tcp_ack = isn[!to_server] + uint32_t(int32_t(ack_delta));
      p.tcp_window = uint16_t(rec[6] << 4);
      p.tcp_has_wscale = rec[7] & 0x40;
      p.tcp_wscale = rec[7] & 0x0f;
      const bool syn = p.tcp_flags & pasban::decode::kTcpSyn;
      const bool rst = p.tcp_flags & pasban::decode::kTcpRst;
      const uint32_t data_seq = syn ? p.tcp_seq + 1 : p.tcp_seq;
      payload.resize(rec[3]);
      for (size_t i = 0; i < payload.size(); ++i)
        payload[i] = consistent ? stream_byte(data_seq + uint32_t(i))
                                : uint8_t(rec[6] + i * rec[7]);
      p.payload = payload;
      // The same start rule as the reassembler: SYN, else midstream pick-up.
      if (!sink.base_known[to_server]) {
        if (syn || (cfg.midstream && !rst)) {
          sink.base_known[to_server] = true;
          sink.pos[to_server] = syn ? p.tcp_seq + 1 : p.tcp_seq;
        }
      }
      r.on_packet(p, to_server, sink);
      r.events.clear();
    }
    r.flush(sink);
    if (ctx.memuse() > (cfg.memcap ? cfg.memcap : ~0ull)) std::abort();
  }
  if (ctx.memuse() != 0) std::abort();  // every byte returned to the memcap
  return 0;
}
