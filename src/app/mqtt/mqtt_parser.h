// MQTT per-flow state, Suricata 8 semantics. Each direction's stream is cut
// into control packets by their fixed header (packets split or coalesced
// anywhere by TCP); a packet longer than max_msg_len is not buffered: its
// header is kept as a truncated message and its bytes are skipped.
// Transactions pair requests with their answers: CONNECT with CONNACK,
// PUBLISH (QoS 1/2) with PUBACK or PUBREC/PUBREL/PUBCOMP by packet
// identifier, SUBSCRIBE with SUBACK, UNSUBSCRIBE with UNSUBACK; every other
// packet is a transaction of its own.
#pragma once
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "app/mqtt/mqtt_wire.h"
#include "app/parser.h"

namespace pasban::app::mqtt {

struct MqttConfig {
  // app-layer.protocols.mqtt.max-msg-length: longer packets are skipped.
  uint64_t max_msg_len = 1 << 20;
  // app-layer.protocols.mqtt.max-tx: live transactions per flow; past it
  // the oldest open one is closed with mqtt.too_many_transactions.
  uint32_t max_tx = 4096;
  // app-layer.protocols.mqtt.max-messages: messages one transaction keeps.
  uint32_t max_messages = 1024;
  // subscribe-topic-match-limit / unsubscribe-topic-match-limit: topics of
  // one transaction that mqtt.subscribe.topic / mqtt.unsubscribe.topic
  // inspect.
  uint32_t subscribe_topic_limit = 100;
  uint32_t unsubscribe_topic_limit = 100;
};
// Set once at load time, before flows exist; parsers copy it when created.
void set_mqtt_config(const MqttConfig& config);
const MqttConfig& mqtt_config();

// The eve-log `mqtt` type's options (output-json-mqtt): `passwords`
// (default yes) and `string-log-limit` (bytes, default 1 KiB, 0: none).
struct MqttLogOptions {
  bool passwords = true;
  uint64_t string_log_limit = 1024;
};

class MqttTx : public Transaction {
 public:
  bool buffer(AppBuffer b, uint32_t index, core::Bytes& out) const override;
  // A transaction opened by one side is complete on that side at once and
  // on the other once its answer arrived (Suricata's tx progress).
  bool complete(bool to_server) const override {
    return done || (to_server ? !to_client : to_client);
  }
  void log(JsonWriter& w) const override { log_with_options(w, MqttLogOptions{}); }
  void log_with_options(JsonWriter& w, const MqttLogOptions& o) const;
  bool loggable() const override { return !msgs.empty(); }

  std::vector<Message> msgs;
  bool to_client = false;  // the first message went to the client
  bool done = false;
  // The packet identifier an answer must carry (CONNECT uses kConnectId).
  std::optional<uint32_t> pkt_id;
  // The connection's protocol level when the transaction was opened.
  uint8_t protocol_version = 0;
  std::vector<std::string_view> events;
  // mqtt.subscribe.topic / mqtt.unsubscribe.topic values, copied from
  // the parser's configuration.
  uint32_t subscribe_topic_limit = 100;
  uint32_t unsubscribe_topic_limit = 100;
};

class MqttParser : public Parser {
 public:
  MqttParser() : MqttParser(mqtt_config()) {}
  explicit MqttParser(const MqttConfig& config) : config_(config) {}

  void feed(bool to_server, core::Bytes data, core::Timestamp ts) override;
  void on_gap(bool to_server) override;
  void on_close() override;
  size_t tx_count() const override { return base_ + txs_.size(); }
  Transaction* tx(size_t i) override {
    return i >= base_ && i - base_ < txs_.size() ? txs_[i - base_].get() : nullptr;
  }
  // Drops transactions logged and complete in both directions.
  void trim() override;

  uint8_t protocol_version() const { return version_; }
  // Packets skipped for exceeding max_msg_len, in both directions.
  uint64_t oversize_count() const { return oversize_; }

 private:
  struct Side {
    std::vector<uint8_t> buf;  // one packet split across feeds
    uint64_t skip = 0;         // bytes left of an oversize packet
  };
  size_t consume(bool to_server, core::Bytes data);
  void resume(bool to_server, core::Bytes& data);
  // Frames one packet starting at data (complete or oversize); returns
  // the bytes it used, 0 when more are needed.
  size_t frame(bool to_server, core::Bytes data);
  void on_packet(bool to_server, const FixedHeader& h, core::Bytes body);
  void on_oversize(bool to_server, const FixedHeader& h);
  void handle(bool to_server, Message m);
  void answer(bool to_server, Message m, std::string_view missing_event);
  MqttTx& new_tx(bool to_server, Message m);
  MqttTx* open_tx(uint32_t pkt_id);
  void raise(MqttTx& tx, std::string_view event);
  void malformed(bool to_server);
  void drop_finished();

  MqttConfig config_;
  Side sides_[2];  // [0] to server, [1] to client
  // Transactions keep their index for the driver (tx(i)) after the ones
  // before them are dropped: index i is txs_[i - base_].
  std::deque<std::unique_ptr<MqttTx>> txs_;
  size_t base_ = 0;  // transactions dropped from the front
  uint64_t next_tx_id_ = 0;
  uint8_t version_ = 0;
  bool connected_ = false;
  bool failed_ = false;
  uint64_t oversize_ = 0;
};

}  // namespace pasban::app::mqtt
