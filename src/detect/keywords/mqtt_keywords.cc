// MQTT transaction keywords (Suricata 8 semantics); each matches when any
// message of the transaction does, once per transaction.
//   mqtt.type:[!]NAME | N | N-M ...       message type (CONNECT, PUBLISH, ...)
//   mqtt.flags:[!]dup,[!]retain           fixed-header flags; a plain name
//       must be set, a negated one clear, on the same message
//   mqtt.qos:0|1|2                        fixed-header QoS
//   mqtt.protocol_version:N | <N | ...    the connection's protocol level
//       when the transaction began (3: 3.1, 4: 3.1.1, 5: 5.0)
//   mqtt.reason_code / mqtt.connack.return_code:N | ...   the first code
//       of the transaction: CONNACK's return code, the v5 reason code of
//       PUBACK/PUBREC/PUBREL/PUBCOMP/DISCONNECT/AUTH, or the first code of
//       SUBACK / UNSUBACK
//   mqtt.connack.session_present:true|false|yes|no
//   mqtt.connect.flags:[!]username,[!]password,[!]will,[!]will_retain,
//       [!]clean_session                  CONNECT flags, as mqtt.flags
#include <optional>

#include "app/mqtt/mqtt_parser.h"
#include "detect/keywords/numeric.h"
#include "detect/keywords/tx_keyword_impl.h"

namespace pasban::detect::keywords {
namespace {

using app::mqtt::Message;
using app::mqtt::MqttTx;
using app::mqtt::MsgType;

const MqttTx* as_mqtt(const app::Transaction& tx) { return dynamic_cast<const MqttTx*>(&tx); }

class MqttKeyword : public TxKeyword {
 public:
  app::AppProto proto() const override { return app::AppProto::kMqtt; }
  uint8_t sides() const override { return 3; }
  bool match(const app::Transaction& tx, const decode::Packet&) const override {
    const MqttTx* t = as_mqtt(tx);
    if (!t) return false;
    if (per_tx()) return match_tx(*t);
    for (const Message& m : t->msgs)
      if (match_msg(m)) return true;
    return false;
  }

 protected:
  virtual bool per_tx() const { return false; }
  virtual bool match_tx(const MqttTx&) const { return false; }
  virtual bool match_msg(const Message&) const { return false; }
};

// ------------------------------------------------------------ numbers

enum class Field : uint8_t { kType, kQos, kVersion, kReasonCode };

std::optional<uint8_t> reason_code(const MqttTx& t) {
  for (const Message& m : t.msgs) {
    if (m.truncated) continue;
    switch (m.header.type) {
      case MsgType::kConnack: return m.return_code;
      case MsgType::kSuback:
      case MsgType::kUnsuback:
        if (!m.codes.empty()) return m.codes[0];
        break;
      default:
        if (m.reason_code) return *m.reason_code;
        break;
    }
  }
  return std::nullopt;
}

class MqttNumber final : public MqttKeyword {
 public:
  MqttNumber(Field f, NumCmp c) : f_(f), c_(c) {}

 protected:
  bool per_tx() const override { return f_ == Field::kVersion || f_ == Field::kReasonCode; }
  bool match_tx(const MqttTx& t) const override {
    if (f_ == Field::kVersion) return c_.match(t.protocol_version);
    auto rc = reason_code(t);
    return rc && c_.match(*rc);
  }
  bool match_msg(const Message& m) const override {
    return c_.match(f_ == Field::kType ? m.header.raw_type : m.header.qos);
  }

 private:
  Field f_;
  NumCmp c_;
};

TxKeywordPtr number_keyword(Field f, std::string_view name, std::string_view value,
                            uint64_t max, core::Error& err) {
  auto c = parse_num_cmp(name, unquote(value), max);
  if (!c) {
    err = c.error();
    return nullptr;
  }
  return std::make_shared<MqttNumber>(f, *c);
}

TxKeywordPtr make_mqtt_type(std::string_view name, std::string_view value, core::Error& err) {
  std::string_view v = unquote(value);
  bool neg = false;
  if (v.starts_with('!')) {
    neg = true;
    v = trim(v.substr(1));
  }
  if (!v.empty() && !(v[0] >= '0' && v[0] <= '9') && v[0] != '<' && v[0] != '>') {
    auto t = app::mqtt::msg_type_by_name(v);
    if (!t) {
      err = kw_error(name, "invalid value", v);
      return nullptr;
    }
    NumCmp c;
    c.op = neg ? NumCmp::kNe : NumCmp::kEq;
    c.a = uint8_t(*t);
    return std::make_shared<MqttNumber>(Field::kType, c);
  }
  return number_keyword(Field::kType, name, value, 15, err);
}

TxKeywordPtr make_mqtt_qos(std::string_view name, std::string_view value, core::Error& err) {
  return number_keyword(Field::kQos, name, value, 2, err);
}

TxKeywordPtr make_mqtt_protocol_version(std::string_view name, std::string_view value,
                                        core::Error& err) {
  return number_keyword(Field::kVersion, name, value, 255, err);
}

TxKeywordPtr make_mqtt_reason_code(std::string_view name, std::string_view value,
                                   core::Error& err) {
  return number_keyword(Field::kReasonCode, name, value, 255, err);
}

// ------------------------------------------------------------ flag lists

struct FlagName {
  std::string_view name;
  uint8_t bit;
};

// Fixed-header flag bits as sent (MQTT 3.1.1 section 2.2.2).
constexpr FlagName kHeaderFlags[] = {{"dup", 0x08}, {"retain", 0x01}};
constexpr FlagName kConnectFlags[] = {
    {"username", app::mqtt::kFlagUsername},    {"password", app::mqtt::kFlagPassword},
    {"will", app::mqtt::kFlagWill},            {"will_retain", app::mqtt::kFlagWillRetain},
    {"clean_session", app::mqtt::kFlagCleanSession},
};

uint8_t header_flags(const Message& m) {
  return uint8_t((m.header.dup ? 0x08 : 0) | (m.header.retain ? 0x01 : 0));
}

class MqttFlags final : public MqttKeyword {
 public:
  MqttFlags(bool connect, uint8_t set, uint8_t clear) : connect_(connect), set_(set), clear_(clear) {}

 protected:
  bool match_msg(const Message& m) const override {
    if (connect_ && (m.header.type != MsgType::kConnect || m.truncated)) return false;
    const uint8_t f = connect_ ? m.connect_flags : header_flags(m);
    return (f & set_) == set_ && (f & clear_) == 0;
  }

 private:
  bool connect_;
  uint8_t set_, clear_;
};

template <size_t N>
TxKeywordPtr flag_keyword(bool connect, const FlagName (&names)[N], std::string_view name,
                          std::string_view value, core::Error& err) {
  uint8_t set = 0, clear = 0;
  std::string_view rest = unquote(value);
  if (rest.empty()) {
    err = kw_error(name, "invalid value", value);
    return nullptr;
  }
  while (!rest.empty()) {
    const size_t comma = rest.find(',');
    std::string_view item = trim(rest.substr(0, comma));
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    bool neg = false;
    if (item.starts_with('!')) {
      neg = true;
      item = trim(item.substr(1));
    }
    const std::string l = lower(item);
    uint8_t bit = 0;
    for (const auto& f : names)
      if (f.name == l) bit = f.bit;
    if (bit == 0 || ((set | clear) & bit)) {
      err = kw_error(name, bit ? "repeated flag" : "invalid flag", item);
      return nullptr;
    }
    (neg ? clear : set) |= bit;
  }
  return std::make_shared<MqttFlags>(connect, set, clear);
}

TxKeywordPtr make_mqtt_flags(std::string_view name, std::string_view value, core::Error& err) {
  return flag_keyword(false, kHeaderFlags, name, value, err);
}

TxKeywordPtr make_mqtt_connect_flags(std::string_view name, std::string_view value,
                                     core::Error& err) {
  return flag_keyword(true, kConnectFlags, name, value, err);
}

// ------------------------------------------------------------ session_present

class MqttSessionPresent final : public MqttKeyword {
 public:
  explicit MqttSessionPresent(bool v) : v_(v) {}

 protected:
  bool match_msg(const Message& m) const override {
    return m.header.type == MsgType::kConnack && !m.truncated && m.session_present == v_;
  }

 private:
  bool v_;
};

TxKeywordPtr make_mqtt_session_present(std::string_view name, std::string_view value,
                                       core::Error& err) {
  const std::string v = lower(unquote(value));
  if (v == "true" || v == "yes" || v == "1") return std::make_shared<MqttSessionPresent>(true);
  if (v == "false" || v == "no" || v == "0") return std::make_shared<MqttSessionPresent>(false);
  err = kw_error(name, "invalid value", value);
  return nullptr;
}

}  // namespace

TxKeywordPtr make_mqtt_keyword(std::string_view name, std::string_view value, core::Error& err) {
  if (name == "mqtt.type") return make_mqtt_type(name, value, err);
  if (name == "mqtt.flags") return make_mqtt_flags(name, value, err);
  if (name == "mqtt.qos") return make_mqtt_qos(name, value, err);
  if (name == "mqtt.protocol_version") return make_mqtt_protocol_version(name, value, err);
  if (name == "mqtt.reason_code" || name == "mqtt.connack.return_code")
    return make_mqtt_reason_code(name, value, err);
  if (name == "mqtt.connack.session_present") return make_mqtt_session_present(name, value, err);
  if (name == "mqtt.connect.flags") return make_mqtt_connect_flags(name, value, err);
  return nullptr;
}

}  // namespace pasban::detect::keywords
