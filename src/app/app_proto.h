// Application protocols Pasban parses, with Suricata's names (app_proto in
// EVE, the app-layer-protocol keyword, rule protocols such as `alert http`).
#pragma once
#include <cstdint>
#include <optional>
#include <string_view>

namespace pasban::app {

enum class AppProto : uint8_t { kUnknown, kHttp, kDns, kTls, kSmtp, kMqtt, kSip, kFailed, kCount };

std::string_view app_proto_name(AppProto p);
// "http", "http1", "dns", "tls", "ssl", "smtp", "mqtt", "sip", "failed"; nullopt otherwise.
std::optional<AppProto> app_proto_by_name(std::string_view name);
// Protocols parsed on UDP as well as TCP (a rule `alert dns` or `alert sip`
// covers both transports; Suricata counts their flows per transport).
bool app_proto_on_udp(AppProto p);

}  // namespace pasban::app
