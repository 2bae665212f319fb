// The contract between the parser driver and one protocol's parser.
// A Parser lives in its flow and owns its transactions; a Transaction
// publishes buffers for detection and writes its EVE object.
#pragma once
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "app/app_proto.h"
#include "app/buffers.h"
#include "app/files/file.h"
#include "core/bytes.h"
#include "core/timestamp.h"

namespace pasban::app {

using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;

class Transaction {
 public:
  Transaction() = default;
  Transaction(Transaction&&) = default;
  Transaction& operator=(Transaction&&) = default;
  virtual ~Transaction() = default;
  // The bytes of buffer b; index selects one value of a multi-value buffer
  // (dns.answer.name, tls.certs, ...). False when absent.
  virtual bool buffer(AppBuffer b, uint32_t index, core::Bytes& out) const = 0;
  // True when the given side of the transaction is complete (request
  // fully parsed / response fully parsed, or the flow ended).
  virtual bool complete(bool to_server) const = 0;
  // Writes the protocol's EVE object as a key and value, e.g.
  // "dns": {...}. Called once per transaction by the logger.
  virtual void log(JsonWriter& w) const = 0;
  // False when the protocol has nothing to log for this transaction yet
  // (TLS without a certificate, ...); the logger then skips it.
  virtual bool loggable() const { return true; }
  // Files opened by this transaction, in order (app/files/file.h).
  files::FileList file_list;

  uint64_t tx_id = 0;
  bool logged = false;
  // A config rule matched ("config: logging disable, type tx, scope tx"):
  // the transaction is never written to EVE.
  bool log_disabled = false;
  // Sides (bit 0 request, bit 1 response) detection has inspected.
  uint8_t detect_progress = 0;
  // Rules (by index) that already alerted on this transaction: an app-layer
  // rule fires once per transaction, as in Suricata.
  std::vector<uint32_t> matched_rules;
};

class Parser {
 public:
  virtual ~Parser() = default;
  // In-order stream bytes (TCP) or one datagram (UDP) from one side.
  virtual void feed(bool to_server, core::Bytes data, core::Timestamp ts) = 0;
  // Bytes of that side were lost; the parser resynchronises or gives up.
  virtual void on_gap(bool to_server) {}
  // The same, when the reassembler knows how many bytes were lost (HTTP
  // can skip a hole inside a body and carry on).
  virtual void on_gap_bytes(bool to_server, size_t len) { on_gap(to_server); }
  // The flow ended: unfinished transactions are closed.
  virtual void on_close() {}
  virtual size_t tx_count() const = 0;
  virtual Transaction* tx(size_t i) = 0;
  // Drops transactions that are logged and complete in both directions.
  // The app layer calls it before each new piece of data, when detection
  // and the file logger have had every finished transaction.
  virtual void trim() {}
  // App-layer anomalies (Suricata's names, e.g. "dns.malformed_data")
  // raised since the driver last cleared this list.
  std::vector<std::string_view> events;
  // Transactions removed so far (trim, or a cap on their number): after a
  // removal, tx(i) indices shift and the driver re-reads from the start.
  uint64_t txs_removed = 0;
  // Of those, the ones dropped unlogged because the parser's cap on open
  // transactions was reached (counted as pasban.app_layer.tx_capped.*).
  uint64_t txs_capped = 0;

 protected:
  // A parser at its transaction cap dropped its oldest one.
  void note_capped_drop() {
    ++txs_removed;
    ++txs_capped;
  }
};

// Static description of a protocol, one per app/<proto>/ folder.
struct ProtocolSpec {
  AppProto proto = AppProto::kUnknown;
  bool tcp = false, udp = false;
  std::vector<uint16_t> default_ports;
  // Content probe on the first bytes of a direction: 1 = this protocol,
  // 0 = need more bytes, -1 = not this protocol.
  int (*probe)(core::Bytes data, bool to_server) = nullptr;
  std::unique_ptr<Parser> (*create)() = nullptr;
  // For a protocol on both transports whose framing differs (DNS: a 2-byte
  // length before each message on TCP): used on TCP flows instead of
  // probe/create when set.
  int (*probe_tcp)(core::Bytes data, bool to_server) = nullptr;
  // A weaker probe asked only when no content probe claimed the bytes and
  // the flow's server port is one of default_ports, even while another
  // content probe waits for more bytes (Suricata's port-based probing
  // parsers, e.g. MQTT on 1883).
  int (*port_probe)(core::Bytes data, bool to_server) = nullptr;
  std::unique_ptr<Parser> (*create_tcp)() = nullptr;
};

}  // namespace pasban::app
