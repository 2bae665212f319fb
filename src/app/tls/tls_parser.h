// TLS per-flow state, Suricata semantics: one transaction per TLS session,
// both directions reassembled record by record (records split across feeds,
// several per feed) and handshake message by message (messages spanning
// records). Parsing of a direction stops at its ChangeCipherSpec or first
// application data record: what follows is encrypted.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/parser.h"
#include "app/tls/tls_wire.h"
#include "app/tls/tls_x509.h"

namespace pasban::app::tls {

// EVE "tls" fields, Suricata's `custom:` names (eve-log.types.tls).
enum TlsLogField : uint32_t {
  kLogVersion = 1u << 0,
  kLogSubject = 1u << 1,
  kLogIssuer = 1u << 2,
  kLogSerial = 1u << 3,
  kLogFingerprint = 1u << 4,
  kLogNotBefore = 1u << 5,
  kLogNotAfter = 1u << 6,
  kLogSni = 1u << 7,
  kLogCertificate = 1u << 8,
  kLogChain = 1u << 9,
  kLogSessionResumed = 1u << 10,
  kLogJa3 = 1u << 11,
  kLogJa3s = 1u << 12,
  kLogClient = 1u << 13,
  kLogClientCertificate = 1u << 14,
  kLogClientChain = 1u << 15,
  kLogJa4 = 1u << 16,
  kLogSubjectAltName = 1u << 17,
  kLogClientAlpns = 1u << 18,
  kLogServerAlpns = 1u << 19,
  kLogClientHandshake = 1u << 20,
  kLogServerHandshake = 1u << 21,
};
// Suricata 8: without `extended` a tls record has subject, issuerdn and
// subjectaltname; `extended: yes` adds the rest below. `session-resumption`
// (default yes) adds session_resumed to either set.
inline constexpr uint32_t kLogBasicFields = kLogSubject | kLogIssuer | kLogSubjectAltName;
inline constexpr uint32_t kLogExtendedFields =
    kLogBasicFields | kLogVersion | kLogSerial | kLogFingerprint | kLogNotBefore | kLogNotAfter |
    kLogJa3 | kLogJa3s | kLogJa4 | kLogClient | kLogClientAlpns | kLogServerAlpns | kLogSni;
// "subject" -> kLogSubject, ...; nullopt for an unknown name.
std::optional<uint32_t> tls_log_field_by_name(std::string_view name);

struct TlsConfig {
  // app-layer.protocols.tls.ja3-fingerprints / ja4-fingerprints.
  bool ja3 = true;
  bool ja4 = true;
  // eve-log tls fields; custom lists replace the set.
  uint32_t log_fields = kLogExtendedFields | kLogSessionResumed;
  // eve-log tls session-resumption: log resumed sessions (no certificate).
  bool log_session_resumption = true;
};
// Set once at load time, before flows exist; parsers copy it when created.
void set_tls_config(const TlsConfig& config);
const TlsConfig& tls_config();

class TlsTx : public Transaction {
 public:
  explicit TlsTx(const TlsConfig& config) : config_(config) {}

  bool buffer(AppBuffer b, uint32_t index, core::Bytes& out) const override;
  bool complete(bool to_server) const override;
  void log(JsonWriter& w) const override;
  // The "tls" object with an eve-log output's own field set.
  void log_with_fields(JsonWriter& w, uint32_t fields) const;
  // Suricata logs a session only when it saw the server certificate, or a
  // resumed session, or a TLS 1.3 handshake (certificate encrypted).
  bool loggable() const override;

  // --- client side (to_server) ---
  bool client_hello_seen = false;
  bool sslv2_client_hello = false;
  ClientHello client_hello;       // the first ClientHello of the session
  bool has_sni = false;
  std::string sni;
  std::string ja3_string, ja3_hash;  // empty when JA3 is off
  std::string ja4_hash;              // empty when JA4 is off
  std::vector<std::vector<uint8_t>> client_chain;  // client certificate DERs
  std::optional<CertInfo> client_cert;             // client_chain[0] decoded

  // --- server side (to_client) ---
  bool server_hello_seen = false;
  ServerHello server_hello;
  // tls.version / ssl_version: Suricata's server version (ServerHello, or
  // supported_versions for TLS 1.3); kVersionUnknown until seen.
  uint16_t version = kVersionUnknown;
  std::string ja3s_string, ja3s_hash;
  std::vector<std::vector<uint8_t>> server_chain;  // tls.certs
  std::optional<CertInfo> server_cert;             // server_chain[0] decoded
  // tls.cert_notbefore / notafter / expired / valid: epoch seconds of the
  // server certificate; 0 when there is none.
  int64_t not_before = 0, not_after = 0;

  bool session_resumed = false;   // server echoed the client's session id
  bool log_without_cert = false;  // TLS 1.3: certificate is encrypted

  // Progress: a side is done at its ChangeCipherSpec / application data,
  // when parsing gave up, or when the flow closed.
  bool client_done = false, server_done = false;
  bool closed = false;  // the flow ended

  // tls.version for a session whose server never answered: Suricata 8.0.3
  // logs the client's version (its first supported_versions entry, else
  // the hello version).
  uint16_t client_version() const;

 private:
  void log_fields(JsonWriter& w, uint32_t fields) const;
  bool cert_value(uint32_t index, std::string CertInfo::*field, core::Bytes& out) const;
  TlsConfig config_;
};

class TlsParser : public Parser {
 public:
  TlsParser() : TlsParser(tls_config()) {}
  explicit TlsParser(const TlsConfig& config) : config_(config) {}

  void feed(bool to_server, core::Bytes data, core::Timestamp ts) override;
  void on_gap(bool to_server) override;
  void on_close() override;
  size_t tx_count() const override { return tx_ ? 1 : 0; }
  Transaction* tx(size_t i) override { return i == 0 ? tx_.get() : nullptr; }

  TlsTx* tls_tx() { return tx_.get(); }

 private:
  struct Side {
    std::vector<uint8_t> record;     // a record split across feeds
    std::vector<uint8_t> handshake;  // a handshake message split across records
    bool stopped = false;            // encrypted from here, or gave up
    bool started = false;            // first byte seen (SSLv2 check)
    bool sslv2 = false;              // reassembling an SSLv2 ClientHello
    bool certificate_seen = false;
  };
  Side& side(bool to_server) { return to_server ? client_ : server_; }
  void stop(bool to_server);
  void fail(bool to_server, std::string_view event);
  size_t feed_sslv2(bool to_server, core::Bytes data);
  bool check_header(bool to_server, const RecordHeader& h);
  void on_record(bool to_server, const RecordHeader& h, core::Bytes body);
  void on_handshake_bytes(bool to_server, core::Bytes body);
  void on_message(bool to_server, uint8_t type, core::Bytes body);
  void on_client_hello(core::Bytes body);
  void on_server_hello(core::Bytes body);
  void on_certificate(bool to_server, core::Bytes body);
  void on_heartbeat(core::Bytes body);

  TlsConfig config_;
  std::unique_ptr<TlsTx> tx_;
  Side client_, server_;
};

}  // namespace pasban::app::tls
