// MQTT transaction keywords (mqtt.type, mqtt.flags, mqtt.qos,
// mqtt.protocol_version, mqtt.reason_code, mqtt.connack.*,
// mqtt.connect.flags) and app-layer-event:mqtt.* on hand-built
// transactions: match / no match and parse errors.
#include <gtest/gtest.h>

#include <initializer_list>
#include <string>

#include "app/mqtt/mqtt_parser.h"
#include "decode/packet.h"
#include "detect/keywords/tx_keyword.h"

namespace pasban::detect::keywords {
namespace {

using app::mqtt::Message;
using app::mqtt::MqttTx;
using app::mqtt::MsgType;

Message msg(MsgType type, uint8_t qos = 0, bool dup = false, bool retain = false) {
  Message m;
  m.header.type = type;
  m.header.raw_type = uint8_t(type);
  m.header.qos = qos;
  m.header.dup = dup;
  m.header.retain = retain;
  return m;
}

// Parses name:value and matches it against tx; a parse error fails the test.
bool matches(std::string_view name, std::string_view value, const MqttTx& tx) {
  core::Error err;
  TxKeywordPtr k = make_tx_keyword(name, value, err);
  EXPECT_TRUE(k) << name << ":" << value << " -> " << err.message;
  decode::Packet p;
  return k && k->match(tx, p);
}

std::string error_of(std::string_view name, std::string_view value) {
  core::Error err;
  return make_tx_keyword(name, value, err) ? "<parsed>" : err.message;
}

MqttTx connect_tx() {
  MqttTx tx;
  tx.protocol_version = 5;
  Message c = msg(MsgType::kConnect);
  c.protocol_version = 5;
  c.connect_flags = app::mqtt::kFlagUsername | app::mqtt::kFlagCleanSession;
  tx.msgs.push_back(c);
  Message a = msg(MsgType::kConnack);
  a.session_present = true;
  a.return_code = 134;
  tx.msgs.push_back(a);
  return tx;
}

struct Case {
  std::string_view name, value;
  bool match;
};

// Table-driven: each keyword value against one transaction.
void expect_cases(const MqttTx& tx, std::initializer_list<Case> cases) {
  for (const Case& c : cases)
    EXPECT_EQ(matches(c.name, c.value, tx), c.match) << c.name << ":" << c.value;
}

TEST(MqttKeywords, TypeByNameAndNumber) {
  expect_cases(connect_tx(), {{"mqtt.type", "CONNACK", true},
                              {"mqtt.type", "connect", true},
                              {"mqtt.type", "2", true},
                              {"mqtt.type", "PUBLISH", false},
                              {"mqtt.type", "!PUBLISH", true}});
  EXPECT_EQ(error_of("mqtt.type", "HELLO"), "mqtt.type: invalid value 'HELLO'");
}

TEST(MqttKeywords, FlagsAndQos) {
  MqttTx tx;
  tx.msgs.push_back(msg(MsgType::kPublish, 1, true, false));
  tx.msgs.push_back(msg(MsgType::kPuback));
  expect_cases(tx, {{"mqtt.flags", "dup", true},
                    {"mqtt.flags", "dup,!retain", true},
                    {"mqtt.flags", "!dup,!retain", true},  // the PUBACK
                    {"mqtt.flags", "retain", false},
                    {"mqtt.qos", "1", true},
                    {"mqtt.qos", "0", true},
                    {"mqtt.qos", "2", false}});
  EXPECT_EQ(error_of("mqtt.flags", "urgent"), "mqtt.flags: invalid flag 'urgent'");
  EXPECT_EQ(error_of("mqtt.flags", "dup,!dup"), "mqtt.flags: repeated flag 'dup'");
  EXPECT_NE(error_of("mqtt.qos", "3").find("mqtt.qos"), std::string::npos);
}

TEST(MqttKeywords, ConnectAndConnack) {
  expect_cases(connect_tx(), {{"mqtt.protocol_version", "5", true},
                              {"mqtt.protocol_version", ">3", true},
                              {"mqtt.protocol_version", "4", false},
                              {"mqtt.connect.flags", "username,clean_session", true},
                              {"mqtt.connect.flags", "username,!password,!will", true},
                              {"mqtt.connect.flags", "password", false},
                              {"mqtt.connack.session_present", "true", true},
                              {"mqtt.connack.session_present", "no", false},
                              {"mqtt.reason_code", "134", true},
                              {"mqtt.connack.return_code", ">128", true},
                              {"mqtt.reason_code", "0", false}});
  EXPECT_EQ(error_of("mqtt.connack.session_present", "maybe"),
            "mqtt.connack.session_present: invalid value 'maybe'");
}

TEST(MqttKeywords, ReasonCodeOfAcks) {
  MqttTx unsub;
  unsub.msgs.push_back(msg(MsgType::kUnsubscribe, 1));
  Message ack = msg(MsgType::kUnsuback);
  ack.codes = {17};
  unsub.msgs.push_back(ack);
  EXPECT_TRUE(matches("mqtt.reason_code", "17", unsub));
  MqttTx ping;
  ping.msgs.push_back(msg(MsgType::kPingreq));
  EXPECT_FALSE(matches("mqtt.reason_code", "0", ping));  // no code at all
}

TEST(MqttKeywords, AppLayerEvent) {
  MqttTx tx;
  tx.events.push_back("mqtt.invalid_qos_level");
  EXPECT_TRUE(matches("app-layer-event", "mqtt.invalid_qos_level", tx));
  EXPECT_FALSE(matches("app-layer-event", "mqtt.double_connect", tx));
  // A name MQTT does not have loads and never matches (as Suricata warns).
  EXPECT_FALSE(matches("app-layer-event", "mqtt.no_such_event", tx));
}

}  // namespace
}  // namespace pasban::detect::keywords
