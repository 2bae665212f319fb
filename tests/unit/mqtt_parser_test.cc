// MqttParser and the MQTT wire format: a 3.1.1 session through every
// packet type (transactions and EVE), the split test (every split point,
// one byte at a time and everything coalesced give the same records), v5
// properties, string-log-limit truncation, oversize packets skipped
// without buffering, the anomaly events, max-tx, buffers and the probes.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "app/mqtt/mqtt_parser.h"
#include "app/mqtt/mqtt_register.h"

namespace pasban::app::mqtt {
namespace {

using Step = std::pair<bool, std::string>;  // to_server, bytes

// Remaining Length as a Variable Byte Integer (MQTT 3.1.1 section 2.2.3).
std::string varint(size_t n) {
  std::string out;
  do {
    uint8_t b = n & 0x7f;
    n >>= 7;
    if (n) b |= 0x80;
    out.push_back(char(b));
  } while (n);
  return out;
}

std::string packet(uint8_t first, const std::string& body) {
  return std::string(1, char(first)) + varint(body.size()) + body;
}

std::string str(const std::string& s) {
  return std::string{char(s.size() >> 8), char(s.size() & 0xff)} + s;
}

std::string u16(uint16_t v) { return std::string{char(v >> 8), char(v & 0xff)}; }

std::string connect311() {
  return packet(0x10, str("MQTT") + "\x04" + "\xc2" + u16(60) + str("client1") + str("user") +
                          str("pass"));
}

std::vector<Step> session311() {
  return {
      {true, connect311()},
      {false, packet(0x20, std::string("\x00\x00", 2))},
      {true, packet(0x32, str("topicX") + u16(7) + "hello")},
      {false, packet(0x40, u16(7))},
      {true, packet(0x82, u16(8) + str("a/b") + "\x01" + str("c/d") + std::string(1, '\0'))},
      {false, packet(0x90, u16(8) + std::string("\x01\x00", 2))},
      {true, packet(0xa2, u16(9) + str("a/b"))},
      {false, packet(0xb0, u16(9))},
      {true, packet(0xc0, "")},
      {false, packet(0xd0, "")},
      {true, packet(0xe0, "")},
  };
}

std::string to_json(Transaction& tx, const MqttLogOptions& o = {}) {
  rapidjson::StringBuffer sb;
  JsonWriter w(sb);
  w.StartObject();
  static_cast<MqttTx&>(tx).log_with_options(w, o);
  w.EndObject();
  return sb.GetString();
}

struct Result {
  std::vector<std::string> json;
  std::vector<std::string_view> events;
};

Result collect(MqttParser& p, const MqttLogOptions& o = {}) {
  p.on_close();
  Result r;
  for (size_t i = 0; i < p.tx_count(); ++i)
    if (Transaction* tx = p.tx(i)) r.json.push_back(to_json(*tx, o));
  r.events = p.events;
  return r;
}

// Each step cut into pieces of at most `chunk` bytes (0: whole), or once
// at `split` when it falls inside the step.
Result run(const std::vector<Step>& steps, size_t chunk = 0, size_t split = 0,
           const MqttConfig& config = MqttConfig{}) {
  MqttParser p(config);
  for (const auto& [to_server, bytes] : steps) {
    const core::Bytes b = core::as_bytes(bytes);
    if (chunk) {
      for (size_t i = 0; i < b.size(); i += chunk)
        p.feed(to_server, b.subspan(i, std::min(chunk, b.size() - i)), {});
    } else if (split && split < b.size()) {
      p.feed(to_server, b.first(split), {});
      p.feed(to_server, b.subspan(split), {});
    } else {
      p.feed(to_server, b, {});
    }
  }
  return collect(p);
}

TEST(MqttParser, Session311Transactions) {
  const Result r = run(session311());
  ASSERT_EQ(r.json.size(), 7u);
  EXPECT_EQ(r.json[0],
            R"({"mqtt":{"connect":{"qos":0,"retain":false,"dup":false,"protocol_string":"MQTT",)"
            R"("protocol_version":4,"client_id":"client1","flags":{"username":true,"password":true,)"
            R"("will_retain":false,"will":false,"clean_session":true},"username":"user",)"
            R"("password":"pass"},"connack":{"qos":0,"retain":false,"dup":false,)"
            R"("session_present":false,"return_code":0}}})");
  EXPECT_EQ(r.json[1],
            R"({"mqtt":{"publish":{"qos":1,"retain":false,"dup":false,"topic":"topicX",)"
            R"("message_id":7,"message":"hello"},"puback":{"qos":0,"retain":false,"dup":false,)"
            R"("message_id":7}}})");
  EXPECT_EQ(r.json[2],
            R"({"mqtt":{"subscribe":{"qos":1,"retain":false,"dup":false,"message_id":8,)"
            R"("topics":[{"topic":"a/b","qos":1},{"topic":"c/d","qos":0}]},)"
            R"("suback":{"qos":0,"retain":false,"dup":false,"message_id":8,"qos_granted":[1,0]}}})");
  EXPECT_EQ(r.json[3],
            R"({"mqtt":{"unsubscribe":{"qos":1,"retain":false,"dup":false,"message_id":9,)"
            R"("topics":["a/b"]},"unsuback":{"qos":0,"retain":false,"dup":false,"message_id":9}}})");
  EXPECT_EQ(r.json[4], R"({"mqtt":{"pingreq":{"qos":0,"retain":false,"dup":false}}})");
  EXPECT_EQ(r.json[5], R"({"mqtt":{"pingresp":{"qos":0,"retain":false,"dup":false}}})");
  EXPECT_EQ(r.json[6], R"({"mqtt":{"disconnect":{"qos":0,"retain":false,"dup":false}}})");
  EXPECT_TRUE(r.events.empty());
}

TEST(MqttParser, TransactionProgress) {
  MqttParser p;
  const auto s = session311();
  p.feed(true, core::as_bytes(s[0].second), {});
  ASSERT_EQ(p.tx_count(), 1u);
  EXPECT_TRUE(p.tx(0)->complete(true));    // opened by the client
  EXPECT_FALSE(p.tx(0)->complete(false));  // CONNACK still to come
  p.feed(false, core::as_bytes(s[1].second), {});
  EXPECT_TRUE(p.tx(0)->complete(false));
  EXPECT_EQ(p.protocol_version(), 4);
}

TEST(MqttParser, SplitAnywhereGivesSameRecords) {
  const auto steps = session311();
  const Result whole = run(steps);
  for (size_t split = 1; split < 40; ++split)
    EXPECT_EQ(run(steps, 0, split).json, whole.json) << "split at " << split;
  EXPECT_EQ(run(steps, 1).json, whole.json);
  EXPECT_EQ(run(steps, 3).json, whole.json);
  // After the handshake, every packet of a direction coalesced into one
  // feed: the server's answers still pair with the client's packets by
  // identifier (only PINGRESP, a transaction of its own, moves).
  std::string client, server;
  for (size_t i = 2; i < steps.size(); ++i) (steps[i].first ? client : server) += steps[i].second;
  Result coalesced = run({steps[0], steps[1], {true, client}, {false, server}});
  Result expected = whole;
  std::sort(coalesced.json.begin(), coalesced.json.end());
  std::sort(expected.json.begin(), expected.json.end());
  EXPECT_EQ(coalesced.json, expected.json);
}

TEST(MqttParser, Version5Properties) {
  const std::string props = "\x11" + std::string("\x00\x00\x02\x2b", 4) +  // session expiry 555
                            "\x21" + u16(20) +                           // receive maximum
                            "\x26" + str("k1") + str("v1");              // user property
  const std::string will_props = "\x03" + str("text/plain");            // content type
  const std::string connect =
      packet(0x10, str("MQTT") + "\x05" + "\xc6" + u16(30) + varint(props.size()) + props +
                       str("cid") + varint(will_props.size()) + will_props + str("wt") +
                       str("wm") + str("u") + str("p"));
  const std::string connack = packet(0x20, std::string("\x01\x86", 2) + "\x03" + "\x22" + u16(10));
  const std::string puback = packet(0x40, u16(3));  // reason code left out: 0
  const std::string publish = packet(0x32, str("t") + u16(3) + std::string(1, '\0') + "body");
  const Result r = run({{true, connect}, {false, connack}, {true, publish}, {false, puback}});
  ASSERT_EQ(r.json.size(), 2u);
  EXPECT_NE(r.json[0].find(R"("protocol_version":5)"), std::string::npos);
  EXPECT_NE(r.json[0].find(R"("will":{"topic":"wt","message":"wm","properties":{"content_type":"text/plain"}})"),
            std::string::npos);
  EXPECT_NE(r.json[0].find(
                R"("properties":{"session_expiry_interval":555,"receive_maximum":20,"k1":"v1"})"),
            std::string::npos);
  EXPECT_NE(r.json[0].find(R"("session_present":true,"return_code":134,"properties":{"topic_alias_maximum":10})"),
            std::string::npos);
  EXPECT_NE(r.json[1].find(R"("message":"body","properties":{})"), std::string::npos);
  EXPECT_NE(r.json[1].find(R"("puback":{"qos":0,"retain":false,"dup":false,"message_id":3,"reason_code":0})"),
            std::string::npos);
}

TEST(MqttParser, StringLogLimitSharedByTopics) {
  MqttParser p;
  for (const auto& [ts, b] : session311()) p.feed(ts, core::as_bytes(b), {});
  MqttLogOptions o;
  o.string_log_limit = 4;
  o.passwords = false;
  p.on_close();
  const std::string connect = to_json(*p.tx(0), o);
  EXPECT_NE(connect.find(R"("client_id":"clie[truncated 3 additional bytes]")"), std::string::npos);
  EXPECT_EQ(connect.find("password\":\""), std::string::npos);
  const std::string sub = to_json(*p.tx(2), o);
  EXPECT_NE(sub.find(R"([{"topic":"a/b","qos":1},{"topic":"c[truncated 2 additional bytes]","qos":0}])"),
            std::string::npos);
}

TEST(MqttParser, OversizePacketSkippedNotBuffered) {
  MqttConfig c;
  c.max_msg_len = 64;  // the CONNECT (31 bytes) fits, the PUBLISH does not
  const std::string big = packet(0x30, str("t") + std::string(200, 'x'));
  const std::string ping = packet(0xc0, "");
  std::vector<Step> steps = {{true, connect311()},
                             {false, packet(0x20, std::string("\x00\x00", 2))},
                             {true, big + ping}};
  for (size_t chunk : {0, 1, 7}) {
    const Result r = run(steps, chunk, 0, c);
    ASSERT_EQ(r.json.size(), 3u) << chunk;
    EXPECT_EQ(r.json[1], R"({"mqtt":{"publish":{"qos":0,"retain":false,"dup":false,)"
                         R"("truncated":true,"skipped_length":206}}})")
        << chunk;
    EXPECT_EQ(r.json[2], R"({"mqtt":{"pingreq":{"qos":0,"retain":false,"dup":false}}})");
  }
  MqttParser p(c);
  p.feed(true, core::as_bytes(connect311()), {});
  p.feed(true, core::as_bytes(big).first(100), {});
  EXPECT_EQ(p.oversize_count(), 1u);
}

TEST(MqttParser, Events) {
  // PINGREQ before any CONNECT/CONNACK.
  EXPECT_EQ(run({{true, packet(0xc0, "")}}).events,
            std::vector<std::string_view>{"mqtt.unintroduced_message"});
  // CONNACK without CONNECT.
  EXPECT_EQ(run({{false, packet(0x20, std::string("\x00\x00", 2))}}).events,
            std::vector<std::string_view>{"mqtt.missing_connect"});
  // Type 0 is unassigned.
  EXPECT_EQ(run({{true, packet(0x00, "")}}).events,
            std::vector<std::string_view>{"mqtt.unassigned_msg_type"});
  const std::vector<Step> intro = {{true, connect311()},
                                   {false, packet(0x20, std::string("\x00\x00", 2))}};
  auto with = [&](Step s) {
    auto v = intro;
    v.push_back(std::move(s));
    return run(v).events;
  };
  EXPECT_EQ(with({true, packet(0x36, str("t") + u16(1))}),
            std::vector<std::string_view>{"mqtt.invalid_qos_level"});
  EXPECT_EQ(with({false, packet(0x40, u16(99))}),
            std::vector<std::string_view>{"mqtt.missing_publish"});
  EXPECT_EQ(with({true, connect311()}), std::vector<std::string_view>{"mqtt.double_connect"});
  // A topic length past the end of the packet: malformed, parsing stops.
  MqttParser p;
  p.feed(true, core::as_bytes(packet(0x30, std::string("\x00\x09", 2) + "ab") + packet(0xc0, "")),
         {});
  EXPECT_EQ(p.events, std::vector<std::string_view>{"mqtt.malformed_traffic"});
  EXPECT_EQ(p.tx_count(), 1u);
  EXPECT_FALSE(p.tx(0)->loggable());
}

TEST(MqttParser, ExcessivePropertyLengthIsMalformed) {
  const std::string connect =
      packet(0x10, str("MQTT") + "\x05" + "\x02" + u16(30) + varint(500) + "\x21" + u16(20));
  EXPECT_EQ(run({{true, connect}}).events,
            std::vector<std::string_view>{"mqtt.malformed_traffic"});
}

TEST(MqttParser, MaxTransactionsClosesOldest) {
  MqttConfig c;
  c.max_tx = 3;
  MqttParser p(c);
  p.feed(true, core::as_bytes(connect311()), {});
  p.feed(false, core::as_bytes(packet(0x20, std::string("\x00\x00", 2))), {});
  for (uint16_t id = 1; id <= 4; ++id)
    p.feed(true, core::as_bytes(packet(0x32, str("t") + u16(id))), {});
  EXPECT_EQ(p.events, (std::vector<std::string_view>{"mqtt.too_many_transactions",
                                                     "mqtt.too_many_transactions"}));
}

TEST(MqttParser, Buffers) {
  MqttParser p;
  for (const auto& [ts, b] : session311()) p.feed(ts, core::as_bytes(b), {});
  core::Bytes out;
  ASSERT_TRUE(p.tx(0)->buffer(AppBuffer::kMqttConnectClientId, 0, out));
  EXPECT_EQ(core::as_chars(out), "client1");
  ASSERT_TRUE(p.tx(0)->buffer(AppBuffer::kMqttConnectProtocolString, 0, out));
  EXPECT_EQ(core::as_chars(out), "MQTT");
  EXPECT_FALSE(p.tx(0)->buffer(AppBuffer::kMqttConnectWillTopic, 0, out));
  ASSERT_TRUE(p.tx(1)->buffer(AppBuffer::kMqttPublishMessage, 0, out));
  EXPECT_EQ(core::as_chars(out), "hello");
  ASSERT_TRUE(p.tx(2)->buffer(AppBuffer::kMqttSubscribeTopic, 1, out));
  EXPECT_EQ(core::as_chars(out), "c/d");
  EXPECT_FALSE(p.tx(2)->buffer(AppBuffer::kMqttSubscribeTopic, 2, out));
  ASSERT_TRUE(p.tx(3)->buffer(AppBuffer::kMqttUnsubscribeTopic, 0, out));
  EXPECT_EQ(core::as_chars(out), "a/b");
}

TEST(MqttProbe, ContentAndPort) {
  const std::string c = connect311();
  EXPECT_EQ(mqtt_probe(core::as_bytes(c), true), 1);
  EXPECT_EQ(mqtt_probe(core::as_bytes(c).first(5), true), 0);
  EXPECT_EQ(mqtt_probe(core::as_bytes(c), false), -1);
  const std::string v31 = packet(0x10, str("MQIsdp") + "\x03" + "\x02" + u16(60) + str("x"));
  EXPECT_EQ(mqtt_probe(core::as_bytes(v31), true), 1);
  EXPECT_EQ(mqtt_probe(core::as_bytes(std::string("GET / HTTP/1.1\r\n")), true), -1);
  // Port 1883: any assigned type with a valid QoS, either direction.
  EXPECT_EQ(mqtt_port_probe(core::as_bytes(packet(0xc0, "")), true), 1);
  EXPECT_EQ(mqtt_port_probe(core::as_bytes(packet(0xd0, "")), false), 1);
  EXPECT_EQ(mqtt_port_probe(core::as_bytes(packet(0x00, "")), true), -1);
  EXPECT_EQ(mqtt_port_probe(core::as_bytes(packet(0x36, "")), true), -1);
  EXPECT_EQ(mqtt_port_probe(core::as_bytes(std::string("\xc0", 1)), true), 0);
}

TEST(MqttWire, FixedHeader) {
  FixedHeader h;
  const std::string four = std::string("\x30\xff\xff\xff\x7f", 5);
  ASSERT_EQ(parse_fixed_header(core::as_bytes(four), h), HeaderStatus::kOk);
  EXPECT_EQ(h.remaining, kMaxRemainingLength);
  EXPECT_EQ(h.header_len, 5);
  EXPECT_EQ(parse_fixed_header(core::as_bytes(std::string("\x30\xff\xff\xff\xff\x01", 6)), h),
            HeaderStatus::kInvalid);
  EXPECT_EQ(parse_fixed_header(core::as_bytes(std::string("\x3b\x80", 2)), h),
            HeaderStatus::kNeedMore);
  ASSERT_EQ(parse_fixed_header(core::as_bytes(std::string("\x3b\x00", 2)), h), HeaderStatus::kOk);
  EXPECT_TRUE(h.dup);
  EXPECT_TRUE(h.retain);
  EXPECT_EQ(h.qos, 1);
  EXPECT_EQ(msg_type_by_name("UNSUBACK"), MsgType::kUnsuback);
  EXPECT_EQ(msg_type_by_name("nope"), std::nullopt);
}

}  // namespace
}  // namespace pasban::app::mqtt
