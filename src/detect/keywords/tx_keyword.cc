// The registration table of transaction and flow keywords: name -> factory.
// Each family lives in its own file (dns_keywords.cc, tls_keywords.cc,
// http_keywords.cc, app_event_keywords.cc).
#include "detect/keywords/tx_keyword.h"

#include <utility>

#include "detect/keywords/stream_size.h"
#include "detect/keywords/file_keywords.h"
#include "detect/keywords/tx_keyword_impl.h"

namespace pasban::detect::keywords {

std::string_view unquote(std::string_view v) {
  auto blank = [](char c) { return c == ' ' || c == '\t'; };
  while (!v.empty() && blank(v.front())) v.remove_prefix(1);
  while (!v.empty() && blank(v.back())) v.remove_suffix(1);
  if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
  return v;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
  return out;
}

namespace {

constexpr std::pair<std::string_view, TxFactory> kTxKeywords[] = {
    {"dns.opcode", make_dns_opcode},
    {"dns.rcode", make_dns_rcode},
    {"dns.rrtype", make_dns_rrtype},
    {"tls.version", make_tls_version},
    {"ssl_version", make_ssl_version},
    {"ssl_state", make_ssl_state},
    {"tls.cert_notbefore", make_tls_cert_date},
    {"tls_cert_notbefore", make_tls_cert_date},
    {"tls.cert_notafter", make_tls_cert_date},
    {"tls_cert_notafter", make_tls_cert_date},
    {"tls.cert_expired", make_tls_cert_validity},
    {"tls_cert_expired", make_tls_cert_validity},
    {"tls.cert_valid", make_tls_cert_validity},
    {"tls_cert_valid", make_tls_cert_validity},
    {"tls.subject", make_tls_cert_string},
    {"tls.issuerdn", make_tls_cert_string},
    {"tls.fingerprint", make_tls_cert_string},
    {"tls.store", make_tls_store},
    {"tls_store", make_tls_store},
    {"urilen", make_urilen},
    {"mqtt.type", make_mqtt_keyword},
    {"mqtt.flags", make_mqtt_keyword},
    {"mqtt.qos", make_mqtt_keyword},
    {"mqtt.protocol_version", make_mqtt_keyword},
    {"mqtt.reason_code", make_mqtt_keyword},
    {"mqtt.connack.return_code", make_mqtt_keyword},
    {"mqtt.connack.session_present", make_mqtt_keyword},
    {"mqtt.connect.flags", make_mqtt_keyword},
    // Protocol events (http.*, dns.*, tls.*, smtp.*) are per transaction;
    // applayer_* ones fall through to the flow table below.
    {"app-layer-event", make_app_layer_event_tx},
    // Files of any protocol (file_keywords.cc).
    {"filesize", make_filesize},
    {"filemd5", make_filehash},
    {"filesha1", make_filehash},
    {"filesha256", make_filehash},
    {"filestore", make_filestore},
};

constexpr std::pair<std::string_view, FlowFactory> kFlowKeywords[] = {
    {"app-layer-protocol", make_app_layer_protocol},
    {"stream-event", make_stream_event},
    {"stream_size", make_stream_size},
    // applayer_* events are packet level in Suricata (no transaction).
    {"app-layer-event", make_app_layer_event_flow},
};

}  // namespace

TxKeywordPtr make_tx_keyword(std::string_view name, std::string_view value, core::Error& err) {
  for (const auto& [n, f] : kTxKeywords)
    if (n == name) return f(name, value, err);
  return nullptr;
}

FlowKeywordPtr make_flow_keyword(std::string_view name, std::string_view value,
                                 core::Error& err) {
  for (const auto& [n, f] : kFlowKeywords)
    if (n == name) return f(name, value, err);
  return nullptr;
}

}  // namespace pasban::detect::keywords
