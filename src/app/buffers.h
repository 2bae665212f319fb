// Named buffers that protocol parsers publish per transaction and rule
// keywords inspect. app/ and detect/ meet only here: a parser fills
// `http.uri`, a sticky-buffer keyword asks for it by id.
#pragma once
#include <cstdint>
#include <optional>
#include <string_view>

namespace pasban::app {

// X(id, sticky-buffer keyword, direction: true = to_server side of the tx)
#define PASBAN_APP_BUFFERS(X)                                  \
  X(kHttpMethod, "http.method", true)                          \
  X(kHttpUri, "http.uri", true)                                \
  X(kHttpUriRaw, "http.uri.raw", true)                         \
  X(kHttpProtocol, "http.protocol", true)                      \
  X(kHttpRequestLine, "http.request_line", true)               \
  X(kHttpHeader, "http.header", true)                          \
  X(kHttpHeaderRaw, "http.header.raw", true)                   \
  X(kHttpHeaderNames, "http.header_names", true)               \
  X(kHttpHost, "http.host", true)                              \
  X(kHttpHostRaw, "http.host.raw", true)                       \
  X(kHttpUserAgent, "http.user_agent", true)                   \
  X(kHttpCookie, "http.cookie", true)                          \
  X(kHttpReferer, "http.referer", true)                        \
  X(kHttpContentType, "http.content_type", true)               \
  X(kHttpContentLen, "http.content_len", true)                 \
  X(kHttpAccept, "http.accept", true)                          \
  X(kHttpAcceptEnc, "http.accept_enc", true)                   \
  X(kHttpAcceptLang, "http.accept_lang", true)                 \
  X(kHttpConnection, "http.connection", true)                  \
  X(kHttpStart, "http.start", true)                            \
  X(kHttpRequestBody, "http.request_body", true)               \
  X(kHttpResponseHeader, "http.response_header", false)        \
  X(kHttpResponseHeaderRaw, "http.response_header.raw", false) \
  X(kHttpResponseContentType, "http.response_content_type", false) \
  X(kHttpResponseContentLen, "http.response_content_len", false) \
  X(kHttpStatCode, "http.stat_code", false)                    \
  X(kHttpStatMsg, "http.stat_msg", false)                      \
  X(kHttpResponseLine, "http.response_line", false)            \
  X(kHttpServer, "http.server", false)                         \
  X(kHttpLocation, "http.location", false)                     \
  X(kHttpResponseBody, "http.response_body", false)            \
  /* Response-side twins of bidirectional HTTP buffers: a rule with      */ \
  /* flow:to_client reads these for http.header, http.cookie, ...        */ \
  X(kHttpResponseHeaders, "http.header(response)", false)      \
  X(kHttpResponseHeaderNames, "http.header_names(response)", false) \
  X(kHttpResponseStart, "http.start(response)", false)         \
  X(kHttpSetCookie, "http.cookie(response)", false)            \
  X(kHttpRequestHeader, "http.request_header", true)           \
  X(kHttpResponseProtocol, "http.protocol(response)", false)   \
  X(kFileData, "file.data", false)                             \
  X(kFileName, "file.name", false)                             \
  X(kFileMagic, "file.magic", false)                           \
  X(kDnsQuery, "dns.query", true)                              \
  X(kDnsQueriesRrname, "dns.queries.rrname", true)             \
  X(kDnsAnswerName, "dns.answer.name", false)                  \
  X(kDnsAnswersRrname, "dns.answers.rrname", false)            \
  X(kDnsAuthoritiesRrname, "dns.authorities.rrname", false)    \
  X(kDnsAdditionalsRrname, "dns.additionals.rrname", false)    \
  X(kDnsResponseRrname, "dns.response.rrname", false)          \
  X(kTlsSni, "tls.sni", true)                                  \
  X(kTlsCertSubject, "tls.cert_subject", false)                \
  X(kTlsCertIssuer, "tls.cert_issuer", false)                  \
  X(kTlsCertSerial, "tls.cert_serial", false)                  \
  X(kTlsCertFingerprint, "tls.cert_fingerprint", false)        \
  X(kTlsCerts, "tls.certs", false)                             \
  X(kJa3Hash, "ja3.hash", true)                                \
  X(kJa3String, "ja3.string", true)                            \
  X(kJa3sHash, "ja3s.hash", false)                             \
  X(kJa3sString, "ja3s.string", false)                         \
  X(kJa4Hash, "ja4.hash", true)                                \
  X(kTlsSubjectAltName, "tls.subjectaltname", false)           \
  X(kTlsAlpn, "tls.alpn", true)                                \
  X(kSmtpHelo, "smtp.helo", true)                              \
  X(kSmtpMailFrom, "smtp.mail_from", true)                     \
  X(kSmtpRcptTo, "smtp.rcpt_to", true)                        \
  X(kEmailFrom, "email.from", true)                            \
  X(kEmailSubject, "email.subject", true)                      \
  X(kEmailTo, "email.to", true)                                \
  X(kEmailCc, "email.cc", true)                                \
  X(kEmailDate, "email.date", true)                            \
  X(kEmailMessageId, "email.message_id", true)                 \
  X(kEmailXMailer, "email.x_mailer", true)                     \
  X(kEmailUrl, "email.url", true)                              \
  X(kEmailReceived, "email.received", true)                    \
  X(kMqttConnectClientId, "mqtt.connect.clientid", true)       \
  X(kMqttConnectUsername, "mqtt.connect.username", true)       \
  X(kMqttConnectPassword, "mqtt.connect.password", true)       \
  X(kMqttConnectWillTopic, "mqtt.connect.willtopic", true)     \
  X(kMqttConnectWillMessage, "mqtt.connect.willmessage", true) \
  X(kMqttConnectProtocolString, "mqtt.connect.protocol_string", true) \
  X(kMqttPublishTopic, "mqtt.publish.topic", true)             \
  X(kMqttPublishMessage, "mqtt.publish.message", true)         \
  X(kMqttSubscribeTopic, "mqtt.subscribe.topic", true)         \
  X(kMqttUnsubscribeTopic, "mqtt.unsubscribe.topic", true)     \
  /* SIP: each transaction is one message, so these return the values of */ \
  /* whichever message it holds; the direction only orders inspection.    */ \
  X(kSipMethod, "sip.method", true)                            \
  X(kSipUri, "sip.uri", true)                                  \
  X(kSipRequestLine, "sip.request_line", true)                 \
  X(kSipProtocol, "sip.protocol", true)                        \
  X(kSipStatCode, "sip.stat_code", false)                      \
  X(kSipStatMsg, "sip.stat_msg", false)                        \
  X(kSipResponseLine, "sip.response_line", false)              \
  X(kSipFrom, "sip.from", true)                                \
  X(kSipTo, "sip.to", true)                                    \
  X(kSipVia, "sip.via", true)                                  \
  X(kSipUserAgent, "sip.user_agent", true)                     \
  X(kSipContentType, "sip.content_type", true)                 \
  X(kSipContentLength, "sip.content_length", true)

enum class AppBuffer : uint16_t {
#define PASBAN_X(id, name, ts) id,
  PASBAN_APP_BUFFERS(PASBAN_X)
#undef PASBAN_X
  kCount
};

std::string_view app_buffer_name(AppBuffer b);
bool app_buffer_to_server(AppBuffer b);
std::optional<AppBuffer> app_buffer_by_keyword(std::string_view keyword);

}  // namespace pasban::app
