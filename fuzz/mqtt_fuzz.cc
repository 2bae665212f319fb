// libFuzzer target for the MQTT parser: the first byte picks the limits
// (a small max-msg-length so oversize skipping runs, a small max-tx) and
// the EVE options (passwords, string-log-limit), the rest is a two-way
// conversation split at fuzzer-chosen points (fuzz/conversation.h), so
// packet framing across feeds, coalesced packets, v5 properties, request /
// answer pairing and gaps are exercised. Both probes see every record;
// every transaction's buffers and EVE record (with the chosen options) are
// read back. Crashes and sanitizer reports are the findings.
#include <cstddef>
#include <cstdint>

#include "app/mqtt/mqtt_parser.h"
#include "app/mqtt/mqtt_register.h"
#include "conversation.h"

using namespace pasban;

namespace {

size_t log_with_options(app::Transaction& tx, uint8_t mode) {
  auto* m = dynamic_cast<app::mqtt::MqttTx*>(&tx);
  if (!m || !m->loggable()) return 0;
  app::mqtt::MqttLogOptions o;
  o.passwords = mode & 4;
  o.string_log_limit = (mode & 8) ? 5 : 0;
  rapidjson::StringBuffer sb;
  app::JsonWriter w(sb);
  w.StartObject();
  m->log_with_options(w, o);
  w.EndObject();
  return sb.GetSize();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const uint8_t mode = data[0];
  size_t i = 1;
  fuzz::Record r;
  while (fuzz::next_record(data, size, i, r)) {
    (void)app::mqtt::mqtt_probe(r.data, r.to_server);
    (void)app::mqtt::mqtt_port_probe(r.data, r.to_server);
  }
  app::mqtt::MqttConfig config;
  if (mode & 1) config.max_msg_len = 48;
  if (mode & 2) config.max_tx = 4;
  if (mode & 0x10) config.max_messages = 2;
  if (mode & 0x20) config.subscribe_topic_limit = config.unsubscribe_topic_limit = 1;
  app::mqtt::MqttParser p(config);
  const size_t sum = fuzz::feed_conversation(p, data + 1, size - 1, &log_with_options, mode);
  return static_cast<int>(sum & 0);
}
