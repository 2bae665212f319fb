// app-layer.protocols.mqtt -> app::mqtt::MqttConfig, and the eve-log
// `mqtt` type's options.
#pragma once
#include "app/mqtt/mqtt_parser.h"
#include "core/result.h"
#include "runtime/config.h"

namespace pasban::runtime {

// Reads max-msg-length, max-tx, max-messages and the topic match limits and
// installs them (app::mqtt::set_mqtt_config); call once at load time,
// before any flow exists. An unreadable size is a load error.
core::Status configure_mqtt(const Config& config);

// The mqtt entry of an eve-log output: `passwords` (default yes) and
// `string-log-limit` (a size, default 1 KiB, 0 for no limit). Defaults for
// an invalid view or a bare `- mqtt`.
app::mqtt::MqttLogOptions mqtt_log_options(const ConfigView& mqtt);

}  // namespace pasban::runtime
