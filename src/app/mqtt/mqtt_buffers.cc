// The MQTT sticky buffers (Suricata 8's mqtt.connect.*, mqtt.publish.*,
// mqtt.subscribe.topic, mqtt.unsubscribe.topic): each reads the first
// message of its type in the transaction; the topic buffers have one value
// per topic, up to the configured match limit.
#include "app/mqtt/mqtt_parser.h"

namespace pasban::app::mqtt {
namespace {

const Message* first_of(const std::vector<Message>& msgs, MsgType type) {
  for (const Message& m : msgs)
    if (m.header.type == type && !m.truncated) return &m;
  return nullptr;
}

bool set(const std::string& s, core::Bytes& out) {
  out = core::as_bytes(s);
  return true;
}

bool set_opt(const std::optional<std::string>& s, core::Bytes& out) {
  return s && set(*s, out);
}

}  // namespace

bool MqttTx::buffer(AppBuffer b, uint32_t index, core::Bytes& out) const {
  if (b == AppBuffer::kMqttSubscribeTopic || b == AppBuffer::kMqttUnsubscribeTopic) {
    // Topics of every (UN)SUBSCRIBE of the transaction, in order.
    const bool sub = b == AppBuffer::kMqttSubscribeTopic;
    if (index >= (sub ? subscribe_topic_limit : unsubscribe_topic_limit)) return false;
    uint32_t n = index;
    for (const Message& m : msgs) {
      const size_t count = sub ? m.subscribe_topics.size() : m.unsubscribe_topics.size();
      if (n < count) return set(sub ? m.subscribe_topics[n].topic : m.unsubscribe_topics[n], out);
      n -= uint32_t(count);
    }
    return false;
  }
  if (index != 0) return false;
  const Message* c = first_of(msgs, MsgType::kConnect);
  switch (b) {
    case AppBuffer::kMqttConnectClientId: return c && set(c->client_id, out);
    case AppBuffer::kMqttConnectUsername: return c && set_opt(c->username, out);
    case AppBuffer::kMqttConnectPassword: return c && set_opt(c->password, out);
    case AppBuffer::kMqttConnectWillTopic: return c && set_opt(c->will_topic, out);
    case AppBuffer::kMqttConnectWillMessage: return c && set_opt(c->will_message, out);
    case AppBuffer::kMqttConnectProtocolString: return c && set(c->protocol_string, out);
    case AppBuffer::kMqttPublishTopic: {
      const Message* p = first_of(msgs, MsgType::kPublish);
      return p && set(p->topic, out);
    }
    case AppBuffer::kMqttPublishMessage: {
      const Message* p = first_of(msgs, MsgType::kPublish);
      return p && set(p->payload, out);
    }
    default: return false;
  }
}

}  // namespace pasban::app::mqtt
