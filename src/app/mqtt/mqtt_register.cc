// Registration of MQTT: proto kMqtt over TCP, port 1883, content probes.
#include "app/mqtt/mqtt_register.h"

#include <algorithm>

#include "app/mqtt/mqtt_parser.h"

namespace pasban::app::mqtt {
namespace {

std::unique_ptr<Parser> create_mqtt() { return std::make_unique<MqttParser>(); }

// The protocol name and level of a CONNECT (MQTT 3.1.1 section 3.1.2.1).
bool known_protocol(core::Bytes name, uint8_t level) {
  const std::string_view n = core::as_chars(name);
  return (n == "MQTT" && (level == 4 || level == 5)) || (n == "MQIsdp" && level == 3);
}

}  // namespace

int mqtt_probe(core::Bytes data, bool to_server) {
  if (data.empty()) return 0;
  if (!to_server || data[0] != 0x10) return -1;  // CONNECT, flags 0
  FixedHeader h;
  const HeaderStatus st = parse_fixed_header(data, h);
  if (st == HeaderStatus::kInvalid) return -1;
  if (st == HeaderStatus::kNeedMore) return 0;
  // Protocol name length, name, level.
  const core::Bytes v = data.subspan(h.header_len);
  if (v.size() < 2) return 0;
  const size_t name_len = core::load_be16(v.data());
  if (name_len != 4 && name_len != 6) return -1;
  if (v.size() < 2 + name_len + 1) return 0;
  return known_protocol(v.subspan(2, name_len), v[2 + name_len]) ? 1 : -1;
}

int mqtt_port_probe(core::Bytes data, bool) {
  FixedHeader h;
  switch (parse_fixed_header(data, h)) {
    case HeaderStatus::kNeedMore: return 0;
    case HeaderStatus::kInvalid: return -1;
    case HeaderStatus::kOk: break;
  }
  return h.type == MsgType::kReserved || h.qos > 2 ? -1 : 1;
}

const ProtocolSpec& mqtt_protocol() {
  static const ProtocolSpec spec = [] {
    ProtocolSpec s;
    s.proto = AppProto::kMqtt;
    s.tcp = true;
    s.default_ports = {1883};
    s.probe = &mqtt_probe;
    s.port_probe = &mqtt_port_probe;
    s.create = &create_mqtt;
    return s;
  }();
  return spec;
}

}  // namespace pasban::app::mqtt
