#include "app/app_proto.h"

namespace pasban::app {

std::string_view app_proto_name(AppProto p) {
  switch (p) {
    case AppProto::kHttp: return "http";
    case AppProto::kDns: return "dns";
    case AppProto::kTls: return "tls";
    case AppProto::kSmtp: return "smtp";
    case AppProto::kMqtt: return "mqtt";
    case AppProto::kSip: return "sip";
    case AppProto::kFailed: return "failed";
    default: return "unknown";
  }
}

std::optional<AppProto> app_proto_by_name(std::string_view n) {
  if (n == "http" || n == "http1") return AppProto::kHttp;
  if (n == "dns") return AppProto::kDns;
  if (n == "tls" || n == "ssl") return AppProto::kTls;
  if (n == "smtp") return AppProto::kSmtp;
  if (n == "mqtt") return AppProto::kMqtt;
  if (n == "sip") return AppProto::kSip;
  if (n == "failed") return AppProto::kFailed;
  return std::nullopt;
}

bool app_proto_on_udp(AppProto p) { return p == AppProto::kDns || p == AppProto::kSip; }

}  // namespace pasban::app
