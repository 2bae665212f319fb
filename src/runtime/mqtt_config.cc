#include "runtime/mqtt_config.h"

#include <algorithm>
#include <cstdint>

namespace pasban::runtime {

core::Status configure_mqtt(const Config& config) {
  app::mqtt::MqttConfig c;
  ConfigView v = config.view("app-layer.protocols.mqtt");
  auto max_len = v.get_size("max-msg-length", c.max_msg_len);
  if (!max_len) return max_len.error();
  c.max_msg_len = *max_len;
  auto limit = [&](const char* key, uint32_t def) {
    const int64_t n = v.get_int(key, def);
    return n < 0 ? def : uint32_t(std::min<int64_t>(n, UINT32_MAX));
  };
  c.max_tx = std::max<uint32_t>(limit("max-tx", c.max_tx), 1);
  c.max_messages = std::max<uint32_t>(limit("max-messages", c.max_messages), 1);
  c.subscribe_topic_limit = limit("subscribe-topic-match-limit", c.subscribe_topic_limit);
  c.unsubscribe_topic_limit = limit("unsubscribe-topic-match-limit", c.unsubscribe_topic_limit);
  app::mqtt::set_mqtt_config(c);
  return {};
}

app::mqtt::MqttLogOptions mqtt_log_options(const ConfigView& mqtt) {
  app::mqtt::MqttLogOptions o;
  if (!mqtt.node().IsMap()) return o;
  o.passwords = mqtt.get_bool("passwords", o.passwords);
  // An unreadable limit keeps the default (Suricata warns and goes on).
  if (auto n = mqtt.get_size("string-log-limit", o.string_log_limit)) o.string_log_limit = *n;
  return o;
}

}  // namespace pasban::runtime
