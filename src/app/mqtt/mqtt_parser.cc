#include "app/mqtt/mqtt_parser.h"

#include <algorithm>

namespace pasban::app::mqtt {
namespace {

MqttConfig g_config;

// CONNECT waits for CONNACK under an identifier no 16-bit packet
// identifier can take.
constexpr uint32_t kConnectId = 0x10000;

// Suricata's MQTT event names (rules/mqtt-events.rules).
constexpr std::string_view kMissingConnect = "mqtt.missing_connect";
constexpr std::string_view kMissingPublish = "mqtt.missing_publish";
constexpr std::string_view kMissingSubscribe = "mqtt.missing_subscribe";
constexpr std::string_view kMissingUnsubscribe = "mqtt.missing_unsubscribe";
constexpr std::string_view kDoubleConnect = "mqtt.double_connect";
constexpr std::string_view kUnintroduced = "mqtt.unintroduced_message";
constexpr std::string_view kInvalidQos = "mqtt.invalid_qos_level";
constexpr std::string_view kUnassigned = "mqtt.unassigned_msg_type";
constexpr std::string_view kTooManyTx = "mqtt.too_many_transactions";
constexpr std::string_view kMalformed = "mqtt.malformed_traffic";

}  // namespace

void set_mqtt_config(const MqttConfig& config) { g_config = config; }
const MqttConfig& mqtt_config() { return g_config; }

void MqttParser::feed(bool to_server, core::Bytes data, core::Timestamp) {
  drop_finished();
  Side& s = sides_[to_server ? 0 : 1];
  while (!data.empty() && !failed_) {
    if (s.skip > 0) {
      const size_t n = size_t(std::min<uint64_t>(s.skip, data.size()));
      s.skip -= n;
      data = data.subspan(n);
      continue;
    }
    if (!s.buf.empty()) {
      resume(to_server, data);
      continue;
    }
    data = data.subspan(consume(to_server, data));
    // What is left is the start of a packet no longer than max_msg_len
    // plus its header: frame() skips longer ones.
    if (!data.empty() && s.skip == 0 && !failed_) {
      s.buf.assign(data.begin(), data.end());
      data = {};
    }
  }
}

size_t MqttParser::consume(bool to_server, core::Bytes data) {
  size_t used = 0;
  while (used < data.size() && !failed_) {
    const size_t n = frame(to_server, data.subspan(used));
    if (n == 0) break;
    used += n;
  }
  return used;
}

// Completes the packet kept from earlier feeds: the fixed header one byte
// at a time (no byte of the next packet is taken), then the body.
void MqttParser::resume(bool to_server, core::Bytes& data) {
  Side& s = sides_[to_server ? 0 : 1];
  FixedHeader h;
  HeaderStatus st;
  while ((st = parse_fixed_header(s.buf, h)) == HeaderStatus::kNeedMore && !data.empty()) {
    s.buf.push_back(data[0]);
    data = data.subspan(1);
  }
  if (st == HeaderStatus::kNeedMore) return;
  std::vector<uint8_t> packet;
  if (st == HeaderStatus::kOk && h.remaining <= config_.max_msg_len) {
    const size_t total = size_t(h.header_len) + h.remaining;
    const size_t take = std::min(total - s.buf.size(), data.size());
    s.buf.insert(s.buf.end(), data.begin(), data.begin() + long(take));
    data = data.subspan(take);
    if (s.buf.size() < total) return;
  }
  packet.swap(s.buf);
  frame(to_server, packet);
}

size_t MqttParser::frame(bool to_server, core::Bytes data) {
  FixedHeader h;
  switch (parse_fixed_header(data, h)) {
    case HeaderStatus::kNeedMore: return 0;
    case HeaderStatus::kInvalid: malformed(to_server); return data.size();
    case HeaderStatus::kOk: break;
  }
  const uint64_t total = uint64_t(h.header_len) + h.remaining;
  if (h.remaining > config_.max_msg_len) {
    // Never buffered: logged as truncated, its bytes passed over.
    on_oversize(to_server, h);
    const uint64_t have = std::min<uint64_t>(total, data.size());
    sides_[to_server ? 0 : 1].skip = total - have;
    return size_t(have);
  }
  if (data.size() < total) return 0;
  on_packet(to_server, h, data.subspan(h.header_len, h.remaining));
  return size_t(total);
}

void MqttParser::on_packet(bool to_server, const FixedHeader& h, core::Bytes body) {
  Message m;
  // A CONNECT brings its own protocol level; the others are read with
  // the connection's.
  if (!parse_body(h, body, version_, m)) {
    malformed(to_server);
    return;
  }
  if (h.type == MsgType::kConnect) version_ = m.protocol_version;
  handle(to_server, std::move(m));
}

void MqttParser::on_oversize(bool to_server, const FixedHeader& h) {
  ++oversize_;
  Message m;
  m.header = h;
  m.truncated = true;
  m.skipped_length = uint64_t(h.header_len) + h.remaining;
  MqttTx& tx = new_tx(to_server, std::move(m));
  tx.done = true;
}

void MqttParser::handle(bool to_server, Message m) {
  const MsgType type = m.header.type;
  // Everything but the handshake and unassigned types needs a CONNACK
  // first (MQTT 3.1.1 section 3.1: CONNECT is the first packet).
  const bool needs_session = type != MsgType::kConnect && type != MsgType::kConnack &&
                             type != MsgType::kReserved;
  if (needs_session && !connected_) {
    MqttTx& tx = new_tx(to_server, std::move(m));
    tx.done = true;
    raise(tx, kUnintroduced);
    return;
  }
  switch (type) {
    case MsgType::kReserved: {
      MqttTx& tx = new_tx(to_server, std::move(m));
      tx.done = true;
      raise(tx, kUnassigned);
      return;
    }
    case MsgType::kConnect: {
      const bool twice = connected_;
      MqttTx& tx = new_tx(to_server, std::move(m));
      if (twice) {
        tx.done = true;
        raise(tx, kDoubleConnect);
      } else {
        tx.pkt_id = kConnectId;
      }
      return;
    }
    case MsgType::kConnack:
      if (open_tx(kConnectId)) connected_ = true;
      answer(to_server, std::move(m), kMissingConnect);
      return;
    case MsgType::kPublish:
    case MsgType::kSubscribe:
    case MsgType::kUnsubscribe: {
      const uint8_t qos = m.header.qos;
      const std::optional<uint16_t> id = m.message_id;
      MqttTx& tx = new_tx(to_server, std::move(m));
      if (qos == 3) {
        tx.done = true;
        raise(tx, kInvalidQos);
        return;
      }
      if (id) tx.pkt_id = *id;
      // QoS 0 expects no answer (SUBSCRIBE and UNSUBSCRIBE should be 1).
      tx.done = qos == 0;
      return;
    }
    case MsgType::kPuback:
    case MsgType::kPubrec:
    case MsgType::kPubrel:
    case MsgType::kPubcomp:
      answer(to_server, std::move(m), kMissingPublish);
      return;
    case MsgType::kSuback:
      answer(to_server, std::move(m), kMissingSubscribe);
      return;
    case MsgType::kUnsuback:
      answer(to_server, std::move(m), kMissingUnsubscribe);
      return;
    case MsgType::kPingreq:
    case MsgType::kPingresp:
    case MsgType::kDisconnect:
    case MsgType::kAuth: {
      MqttTx& tx = new_tx(to_server, std::move(m));
      tx.done = true;
      return;
    }
  }
}

// An answer joins the open transaction with its packet identifier; PUBREC
// and PUBREL leave a QoS 2 exchange open for its PUBCOMP.
void MqttParser::answer(bool to_server, Message m, std::string_view missing_event) {
  const MsgType type = m.header.type;
  const uint32_t id = type == MsgType::kConnack ? kConnectId : m.message_id.value_or(0);
  MqttTx* tx = open_tx(id);
  if (!tx) {
    MqttTx& t = new_tx(to_server, std::move(m));
    t.done = true;
    raise(t, missing_event);
    return;
  }
  if (tx->msgs.size() < config_.max_messages) tx->msgs.push_back(std::move(m));
  if (type != MsgType::kPubrec && type != MsgType::kPubrel) {
    tx->done = true;
    tx->pkt_id.reset();
  }
}

MqttTx* MqttParser::open_tx(uint32_t pkt_id) {
  for (auto& t : txs_)
    if (!t->done && t->pkt_id == pkt_id) return t.get();
  return nullptr;
}

MqttTx& MqttParser::new_tx(bool to_server, Message m) {
  if (txs_.size() >= config_.max_tx) {
    // max-tx: the oldest open transaction gives way.
    for (auto& t : txs_) {
      if (t->done) continue;
      t->done = true;
      raise(*t, kTooManyTx);
      break;
    }
  }
  auto tx = std::make_unique<MqttTx>();
  tx->tx_id = next_tx_id_++;
  tx->to_client = !to_server;
  tx->protocol_version = version_;
  tx->subscribe_topic_limit = config_.subscribe_topic_limit;
  tx->unsubscribe_topic_limit = config_.unsubscribe_topic_limit;
  tx->msgs.push_back(std::move(m));
  txs_.push_back(std::move(tx));
  return *txs_.back();
}

void MqttParser::raise(MqttTx& tx, std::string_view event) {
  tx.events.push_back(event);
  events.push_back(event);
}

// Suricata gives the flow up after a packet it cannot decode: an empty
// transaction carries the event and nothing more is parsed.
void MqttParser::malformed(bool to_server) {
  auto tx = std::make_unique<MqttTx>();
  tx->tx_id = next_tx_id_++;
  tx->to_client = !to_server;
  tx->protocol_version = version_;
  tx->done = true;
  raise(*tx, kMalformed);
  txs_.push_back(std::move(tx));
  failed_ = true;
  for (Side& s : sides_) {
    s.buf.clear();
    s.buf.shrink_to_fit();
    s.skip = 0;
  }
}

// Bytes lost: the packet boundaries of that direction are lost with them.
void MqttParser::on_gap(bool to_server) {
  Side& s = sides_[to_server ? 0 : 1];
  s.buf.clear();
  s.skip = 0;
  failed_ = true;
}

void MqttParser::on_close() {
  for (auto& t : txs_) t->done = true;
}

void MqttParser::trim() {
  while (!txs_.empty() && txs_.front()->logged && txs_.front()->done) {
    txs_.pop_front();
    ++base_;
  }
}

// Indices stay absolute (base_), so removals never shift tx(i). Before
// each feed, besides the app layer's trim(), the ones already logged and
// inspected in both directions go (detection runs after the app layer on
// the packet that completed them); past max-tx, logged ones go even if
// detection has not seen both sides.
void MqttParser::drop_finished() {
  while (!txs_.empty()) {
    const MqttTx& t = *txs_.front();
    const bool inspected = t.detect_progress == 3 || txs_.size() > config_.max_tx;
    if (!t.logged || !inspected) break;
    txs_.pop_front();
    ++base_;
  }
}

}  // namespace pasban::app::mqtt
