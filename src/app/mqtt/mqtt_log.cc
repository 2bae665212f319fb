// The EVE "mqtt" object (eve-schema "mqtt"): one object per message of the
// transaction, named after its type, each with the fixed header's qos,
// retain and dup, then the type's fields in Suricata 8's order. Strings are
// cut at string-log-limit bytes with a "[truncated N additional bytes]"
// note; the topics of one (UN)SUBSCRIBE share one such budget, so more
// topics cannot log more than longer ones.
#include "app/http/http_parser.h"  // eve_string_from_bytes
#include "app/mqtt/mqtt_parser.h"

namespace pasban::app::mqtt {
namespace {

void key(JsonWriter& w, std::string_view k) { w.Key(k.data(), rapidjson::SizeType(k.size())); }

void string_value(JsonWriter& w, std::string_view bytes) {
  const std::string s = http::eve_string_from_bytes(bytes);
  w.String(s.data(), rapidjson::SizeType(s.size()));
}

// The share of string-log-limit left for what is still to be written.
class Budget {
 public:
  explicit Budget(uint64_t limit) : limited_(limit != 0), left_(limit) {}
  // Writes value, cut to what is left of the budget, and spends it.
  void write(JsonWriter& w, std::string_view value) {
    if (!limited_ || value.size() <= left_) {
      if (limited_) left_ -= value.size();
      string_value(w, value);
      return;
    }
    const size_t keep = size_t(left_);
    std::string cut(value.substr(0, keep));
    cut += "[truncated " + std::to_string(value.size() - keep) + " additional bytes]";
    left_ = 0;
    // The note is ASCII; only the kept bytes need escaping.
    std::string s = http::eve_string_from_bytes(cut.substr(0, keep)) + cut.substr(keep);
    w.String(s.data(), rapidjson::SizeType(s.size()));
  }

 private:
  bool limited_;
  uint64_t left_;
};

void put(JsonWriter& w, std::string_view k, std::string_view value, uint64_t limit) {
  key(w, k);
  Budget(limit).write(w, value);
}

void put_uint(JsonWriter& w, std::string_view k, uint64_t v) {
  key(w, k);
  w.Uint64(v);
}

void put_bool(JsonWriter& w, std::string_view k, bool v) {
  key(w, k);
  w.Bool(v);
}

void put_header(JsonWriter& w, const FixedHeader& h) {
  put_uint(w, "qos", h.qos);
  put_bool(w, "retain", h.retain);
  put_bool(w, "dup", h.dup);
}

// "properties": {name: value, ...}; a user property is its own key.
void put_properties(JsonWriter& w, const std::optional<std::vector<Property>>& props,
                    uint64_t limit) {
  if (!props) return;
  key(w, "properties");
  w.StartObject();
  for (const Property& p : *props) {
    if (p.id == 38) {
      put(w, p.key, p.value, limit);
    } else if (property_is_string(p.id)) {
      put(w, property_name(p.id), p.value, limit);
    } else {
      put_uint(w, property_name(p.id), p.number);
    }
  }
  w.EndObject();
}

void put_connect(JsonWriter& w, const Message& m, const MqttLogOptions& o) {
  const uint64_t lim = o.string_log_limit;
  put(w, "protocol_string", m.protocol_string, lim);
  put_uint(w, "protocol_version", m.protocol_version);
  put(w, "client_id", m.client_id, lim);
  key(w, "flags");
  w.StartObject();
  put_bool(w, "username", m.connect_flags & kFlagUsername);
  put_bool(w, "password", m.connect_flags & kFlagPassword);
  put_bool(w, "will_retain", m.connect_flags & kFlagWillRetain);
  put_bool(w, "will", m.connect_flags & kFlagWill);
  put_bool(w, "clean_session", m.connect_flags & kFlagCleanSession);
  w.EndObject();
  if (m.username) put(w, "username", *m.username, lim);
  if (m.password && o.passwords) put(w, "password", *m.password, lim);
  if (m.connect_flags & kFlagWill) {
    key(w, "will");
    w.StartObject();
    if (m.will_topic) put(w, "topic", *m.will_topic, lim);
    if (m.will_message) put(w, "message", *m.will_message, lim);
    put_properties(w, m.will_properties, lim);
    w.EndObject();
  }
}

void put_codes(JsonWriter& w, std::string_view k, const std::vector<uint8_t>& codes) {
  key(w, k);
  w.StartArray();
  for (uint8_t c : codes) w.Uint(c);
  w.EndArray();
}

void put_topics(JsonWriter& w, const Message& m, uint64_t limit) {
  Budget budget(limit);
  key(w, "topics");
  w.StartArray();
  if (m.header.type == MsgType::kSubscribe) {
    for (const SubscribeTopic& t : m.subscribe_topics) {
      w.StartObject();
      key(w, "topic");
      budget.write(w, t.topic);
      put_uint(w, "qos", t.qos);
      w.EndObject();
    }
  } else {
    for (const std::string& t : m.unsubscribe_topics) budget.write(w, t);
  }
  w.EndArray();
}

// The fields after the fixed header's, by type.
void put_body(JsonWriter& w, const Message& m, const MqttLogOptions& o) {
  const uint64_t lim = o.string_log_limit;
  switch (m.header.type) {
    case MsgType::kConnect:
      put_connect(w, m, o);
      break;
    case MsgType::kConnack:
      put_bool(w, "session_present", m.session_present);
      put_uint(w, "return_code", m.return_code);
      break;
    case MsgType::kPublish:
      put(w, "topic", m.topic, lim);
      if (m.message_id) put_uint(w, "message_id", *m.message_id);
      put(w, "message", m.payload, lim);
      break;
    case MsgType::kPuback:
    case MsgType::kPubrec:
    case MsgType::kPubrel:
    case MsgType::kPubcomp:
      put_uint(w, "message_id", m.message_id.value_or(0));
      if (m.reason_code) put_uint(w, "reason_code", *m.reason_code);
      break;
    case MsgType::kSubscribe:
    case MsgType::kUnsubscribe:
      put_uint(w, "message_id", m.message_id.value_or(0));
      put_topics(w, m, lim);
      break;
    case MsgType::kSuback:
      put_uint(w, "message_id", m.message_id.value_or(0));
      put_codes(w, "qos_granted", m.codes);
      break;
    case MsgType::kUnsuback:
      put_uint(w, "message_id", m.message_id.value_or(0));
      if (!m.codes.empty()) put_codes(w, "reason_codes", m.codes);
      break;
    case MsgType::kDisconnect:
    case MsgType::kAuth:
      if (m.reason_code) put_uint(w, "reason_code", *m.reason_code);
      break;
    case MsgType::kPingreq:
    case MsgType::kPingresp:
    case MsgType::kReserved:
      break;
  }
  // Suricata logs the properties of these types only (eve-schema).
  const MsgType t = m.header.type;
  if (t == MsgType::kConnect || t == MsgType::kConnack || t == MsgType::kPublish ||
      t == MsgType::kDisconnect || t == MsgType::kAuth)
    put_properties(w, m.properties, lim);
}

}  // namespace

void MqttTx::log_with_options(JsonWriter& w, const MqttLogOptions& o) const {
  key(w, "mqtt");
  w.StartObject();
  for (const Message& m : msgs) {
    // An unassigned type has no name and nothing to log.
    if (m.header.type == MsgType::kReserved) continue;
    key(w, msg_type_name(m.header.type));
    w.StartObject();
    put_header(w, m.header);
    if (m.truncated) {
      put_bool(w, "truncated", true);
      put_uint(w, "skipped_length", m.skipped_length);
    } else {
      put_body(w, m, o);
    }
    w.EndObject();
  }
  w.EndObject();
}

}  // namespace pasban::app::mqtt
