// Shared by the protocol targets: the fuzzer's bytes become a two-way
// conversation fed to one app-layer parser the way the stream engine feeds
// it, split at points and in directions the input itself chooses.
//
// Input format (after any option bytes a target takes first): a sequence
// of records, each a control byte and its data.
//   bit 7 of the control byte: 0 to server, 1 to client
//   n = control & 0x7f:
//     1..126  n bytes of data follow
//     127     a 2-byte big-endian length follows, then that many bytes
//     0       a gap: the next byte is the number of bytes lost (0: a gap
//             of unknown size, Parser::on_gap)
// A record longer than what is left is cut short. fuzz/make_seeds.py
// writes seeds in this format from plain protocol messages.
//
// After every record the transactions complete in both directions are
// inspected and logged and the parser trimmed, as the app layer does
// mid-stream; at the end the flow closes and everything left is logged.
// Every buffer's bytes are read, so a view into freed or foreign memory is
// an ASan report.
#pragma once
#include <rapidjson/stringbuffer.h>

#include <cstddef>
#include <cstdint>

#include "app/parser.h"

namespace pasban::fuzz {

// Reads every value of every buffer of tx and writes its EVE object;
// returns a sum of the bytes so the reads cannot be optimised away.
inline size_t touch_transaction(app::Transaction& tx) {
  size_t sum = 0;
  for (uint16_t b = 0; b < uint16_t(app::AppBuffer::kCount); ++b) {
    core::Bytes out;
    // Multi-value buffers (dns.answer.name, tls.certs) have few values in
    // any real message; 64 bounds the work of a hostile one.
    for (uint32_t idx = 0; idx < 64 && tx.buffer(app::AppBuffer(b), idx, out); ++idx)
      for (uint8_t c : out) sum += c;
  }
  (void)tx.complete(true);
  (void)tx.complete(false);
  if (tx.loggable()) {
    rapidjson::StringBuffer sb;
    app::JsonWriter w(sb);
    w.StartObject();
    tx.log(w);
    w.EndObject();
    sum += sb.GetSize();
  }
  // Files the transaction opened: their names and kept bytes, and the
  // magic lookup the file logger and filemagic rules run.
  for (const auto& f : tx.file_list) {
    sum += f->name().size() + f->head().size() + f->content().size() + f->extension().size();
    if (!f->open()) sum += f->magic().size();
  }
  return sum;
}

// One record of the conversation.
struct Record {
  bool to_server = true;
  bool gap = false;
  size_t gap_len = 0;  // 0: unknown
  core::Bytes data;
};

// Reads the record at data[i] into r and moves i past it; false at the end.
inline bool next_record(const uint8_t* data, size_t size, size_t& i, Record& r) {
  if (i >= size) return false;
  const uint8_t ctl = data[i++];
  r.to_server = (ctl & 0x80) == 0;
  size_t n = ctl & 0x7f;
  r.gap = n == 0;
  r.gap_len = 0;
  r.data = {};
  if (r.gap) {
    if (i < size) r.gap_len = data[i++];
    return true;
  }
  if (n == 127) {
    n = i + 2 <= size ? size_t(data[i]) << 8 | data[i + 1] : 0;
    i = i + 2 <= size ? i + 2 : size;
  }
  n = n < size - i ? n : size - i;
  r.data = core::Bytes(data + i, n);
  i += n;
  return true;
}

// A target's own checks of one transaction, run before it is trimmed.
using TxHook = size_t (*)(app::Transaction& tx, uint8_t mode);

// Logs what the app layer would log now (all when `all`, else only the
// transactions complete in both directions), then trims.
inline size_t drain(app::Parser& p, bool all, TxHook hook = nullptr, uint8_t mode = 0) {
  size_t sum = 0;
  for (size_t i = 0; i < p.tx_count(); ++i) {
    app::Transaction* tx = p.tx(i);
    if (!tx || tx->logged) continue;
    if (!all && !(tx->complete(true) && tx->complete(false))) continue;
    sum += touch_transaction(*tx);
    if (hook) sum += hook(*tx, mode);
    tx->logged = true;
  }
  p.trim();
  p.events.clear();
  return sum;
}

// Feeds the conversation in `data` to p (see the format above) and closes
// the flow. Timestamps advance by one millisecond per record. hook, when
// given, sees every transaction once with the target's mode byte.
inline size_t feed_conversation(app::Parser& p, const uint8_t* data, size_t size,
                                TxHook hook = nullptr, uint8_t mode = 0) {
  size_t sum = 0, i = 0;
  core::Timestamp ts{1767225600, 0};
  Record r;
  while (next_record(data, size, i, r)) {
    if (r.gap) {
      if (r.gap_len == 0) p.on_gap(r.to_server);
      else p.on_gap_bytes(r.to_server, r.gap_len);
    } else if (!r.data.empty()) {  // the stream never hands over nothing
      p.feed(r.to_server, r.data, ts);
    }
    if ((ts.usec += 1000) >= 1000000) {
      ts.usec = 0;
      ++ts.sec;
    }
    sum += drain(p, false, hook, mode);
  }
  p.on_close();
  sum += drain(p, true, hook, mode);
  return sum;
}

}  // namespace pasban::fuzz
