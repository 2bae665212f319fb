// Shared pieces of the transaction / flow keyword families (dns_keywords.cc,
// tls_keywords.cc, http_keywords.cc, app_event_keywords.cc); the name ->
// factory table lives in tx_keyword.cc.
#pragma once
#include <string>
#include <string_view>

#include "detect/keywords/tx_keyword.h"

namespace pasban::detect::keywords {

// A factory builds the keyword from its value, or returns nullptr and sets
// err (which names the keyword) when the value is invalid.
using TxFactory = TxKeywordPtr (*)(std::string_view name, std::string_view value,
                                   core::Error& err);
using FlowFactory = FlowKeywordPtr (*)(std::string_view name, std::string_view value,
                                       core::Error& err);

// "<keyword>: <what> '<token>'", e.g. "dns.opcode: invalid value 'x'".
inline core::Error kw_error(std::string_view keyword, std::string_view what,
                            std::string_view token) {
  return core::Error{std::string(keyword) + ": " + std::string(what) + " '" +
                     std::string(token) + "'"};
}

// Removes one pair of surrounding double quotes and blanks around them.
std::string_view unquote(std::string_view v);
// ASCII lower-case copy.
std::string lower(std::string_view s);

// --- dns_keywords.cc ---
TxKeywordPtr make_dns_opcode(std::string_view name, std::string_view value, core::Error& err);
TxKeywordPtr make_dns_rcode(std::string_view name, std::string_view value, core::Error& err);
TxKeywordPtr make_dns_rrtype(std::string_view name, std::string_view value, core::Error& err);

// --- tls_keywords.cc ---
TxKeywordPtr make_tls_version(std::string_view name, std::string_view value, core::Error& err);
TxKeywordPtr make_ssl_version(std::string_view name, std::string_view value, core::Error& err);
TxKeywordPtr make_ssl_state(std::string_view name, std::string_view value, core::Error& err);
TxKeywordPtr make_tls_cert_date(std::string_view name, std::string_view value, core::Error& err);
TxKeywordPtr make_tls_cert_validity(std::string_view name, std::string_view value,
                                    core::Error& err);
TxKeywordPtr make_tls_cert_string(std::string_view name, std::string_view value,
                                  core::Error& err);
TxKeywordPtr make_tls_store(std::string_view name, std::string_view value, core::Error& err);

// --- mqtt_keywords.cc: mqtt.type, mqtt.flags, mqtt.qos, mqtt.protocol_version,
// mqtt.reason_code, mqtt.connack.*, mqtt.connect.flags ---
TxKeywordPtr make_mqtt_keyword(std::string_view name, std::string_view value, core::Error& err);

// --- http_keywords.cc ---
TxKeywordPtr make_urilen(std::string_view name, std::string_view value, core::Error& err);

// --- app_event_keywords.cc ---
TxKeywordPtr make_app_layer_event_tx(std::string_view name, std::string_view value,
                                     core::Error& err);
FlowKeywordPtr make_app_layer_event_flow(std::string_view name, std::string_view value,
                                         core::Error& err);
FlowKeywordPtr make_app_layer_protocol(std::string_view name, std::string_view value,
                                       core::Error& err);
FlowKeywordPtr make_stream_event(std::string_view name, std::string_view value,
                                 core::Error& err);

}  // namespace pasban::detect::keywords
