// The MQTT protocol's registration: name, port, probes and factory.
#pragma once
#include "app/parser.h"

namespace pasban::app::mqtt {

const ProtocolSpec& mqtt_protocol();
// On any port: a client CONNECT naming MQTT 3.1 ("MQIsdp", level 3),
// 3.1.1 or 5.0 ("MQTT", level 4 or 5).
int mqtt_probe(core::Bytes data, bool to_server);
// On port 1883, either direction: any fixed header of an assigned type
// with a valid QoS (Suricata's probing parser).
int mqtt_port_probe(core::Bytes data, bool to_server);

}  // namespace pasban::app::mqtt
