// The EVE "tls" object, field for field in Suricata 8's order
// (output-json-tls.c JsonTlsLogFields) and names (eve-schema "tls").
#include <algorithm>

#include "app/tls/tls_fingerprint.h"
#include "app/tls/tls_parser.h"

namespace pasban::app::tls {
namespace {

struct FieldName {
  std::string_view name;
  uint32_t flag;
};
constexpr FieldName kFieldNames[] = {
    {"version", kLogVersion},
    {"subject", kLogSubject},
    {"issuer", kLogIssuer},
    {"serial", kLogSerial},
    {"fingerprint", kLogFingerprint},
    {"not_before", kLogNotBefore},
    {"not_after", kLogNotAfter},
    {"sni", kLogSni},
    {"certificate", kLogCertificate},
    {"chain", kLogChain},
    {"session_resumed", kLogSessionResumed},
    {"ja3", kLogJa3},
    {"ja3s", kLogJa3s},
    {"client", kLogClient},
    {"client_certificate", kLogClientCertificate},
    {"client_chain", kLogClientChain},
    {"ja4", kLogJa4},
    {"subjectaltname", kLogSubjectAltName},
    {"client_alpns", kLogClientAlpns},
    {"server_alpns", kLogServerAlpns},
    {"client_handshake", kLogClientHandshake},
    {"server_handshake", kLogServerHandshake},
};

// Strings keep embedded NULs (rapidjson escapes them as \u0000).
void put(JsonWriter& w, std::string_view key, std::string_view value) {
  w.Key(key.data(), rapidjson::SizeType(key.size()));
  w.String(value.data(), rapidjson::SizeType(value.size()));
}

void put_time(JsonWriter& w, std::string_view key, int64_t epoch) {
  if (epoch != 0) put(w, key, format_cert_time(epoch));
}

void put_strings(JsonWriter& w, std::string_view key, const std::vector<std::string>& values) {
  if (values.empty()) return;
  w.Key(key.data(), rapidjson::SizeType(key.size()));
  w.StartArray();
  for (const auto& v : values) w.String(v.data(), rapidjson::SizeType(v.size()));
  w.EndArray();
}

void put_u16s(JsonWriter& w, std::string_view key, const std::vector<uint16_t>& values) {
  bool any = std::any_of(values.begin(), values.end(), [](uint16_t v) { return !is_grease(v); });
  if (!any) return;  // schema: minItems 1
  w.Key(key.data(), rapidjson::SizeType(key.size()));
  w.StartArray();
  for (uint16_t v : values)
    if (!is_grease(v)) w.Uint(v);
  w.EndArray();
}

void put_chain(JsonWriter& w, std::string_view key, const std::vector<std::vector<uint8_t>>& chain) {
  if (chain.empty()) return;
  w.Key(key.data(), rapidjson::SizeType(key.size()));
  w.StartArray();
  for (const auto& c : chain) {
    std::string b = base64(c);
    w.String(b.data(), rapidjson::SizeType(b.size()));
  }
  w.EndArray();
}

// The highest offered version, as the client_handshake "version" string.
uint16_t client_max_version(const ClientHello& ch) {
  uint16_t best = is_grease(ch.version) ? 0 : ch.version;
  for (uint16_t v : ch.supported_versions)
    if (!is_grease(v) && v > best) best = v;
  return best;
}

}  // namespace

std::optional<uint32_t> tls_log_field_by_name(std::string_view name) {
  for (const auto& f : kFieldNames) {
    if (f.name.size() != name.size()) continue;
    bool same = std::equal(f.name.begin(), f.name.end(), name.begin(), [](char a, char b) {
      return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
    });
    if (same) return f.flag;
  }
  return std::nullopt;
}

void TlsTx::log(JsonWriter& w) const { log_with_fields(w, config_.log_fields); }

void TlsTx::log_with_fields(JsonWriter& w, uint32_t fields) const {
  w.Key("tls");
  w.StartObject();
  log_fields(w, fields);
  w.EndObject();
}

void TlsTx::log_fields(JsonWriter& w, uint32_t fields) const {
  const CertInfo* cert = server_cert ? &*server_cert : nullptr;
  if ((fields & kLogSubject) && cert) put(w, "subject", cert->subject);
  if ((fields & kLogIssuer) && cert) put(w, "issuerdn", cert->issuer);
  if ((fields & kLogSubjectAltName) && cert) put_strings(w, "subjectaltname", cert->sans);
  // Resumed: no certificate seen, a ServerHello, and not TLS 1.3.
  if ((fields & kLogSessionResumed) && session_resumed && !cert && server_hello_seen &&
      !log_without_cert) {
    w.Key("session_resumed");
    w.Bool(true);
  }
  if ((fields & kLogSerial) && cert) put(w, "serial", cert->serial);
  if ((fields & kLogFingerprint) && cert) put(w, "fingerprint", cert->fingerprint);
  if ((fields & kLogSni) && has_sni) put(w, "sni", sni);
  if (fields & kLogVersion) {
    bool unanswered = version == kVersionUnknown && !server_hello_seen && client_hello_seen;
    put(w, "version", version_string(unanswered ? client_version() : version));
  }
  if ((fields & kLogNotBefore) && cert) put_time(w, "notbefore", cert->not_before);
  if ((fields & kLogNotAfter) && cert) put_time(w, "notafter", cert->not_after);
  if ((fields & kLogCertificate) && !server_chain.empty()) put(w, "certificate", base64(server_chain[0]));
  if (fields & kLogChain) put_chain(w, "chain", server_chain);
  if ((fields & kLogJa3) && !ja3_hash.empty()) {
    w.Key("ja3");
    w.StartObject();
    put(w, "hash", ja3_hash);
    put(w, "string", ja3_string);
    w.EndObject();
  }
  if ((fields & kLogJa3s) && !ja3s_hash.empty()) {
    w.Key("ja3s");
    w.StartObject();
    put(w, "hash", ja3s_hash);
    put(w, "string", ja3s_string);
    w.EndObject();
  }
  if ((fields & kLogJa4) && !ja4_hash.empty()) put(w, "ja4", ja4_hash);
  if (fields & kLogClientAlpns) put_strings(w, "client_alpns", client_hello.alpns);
  if (fields & kLogServerAlpns) put_strings(w, "server_alpns", server_hello.alpns);
  if ((fields & kLogClientHandshake) && client_hello_seen && !sslv2_client_hello) {
    w.Key("client_handshake");
    w.StartObject();
    put(w, "version", version_string(client_max_version(client_hello)));
    put_u16s(w, "ciphers", client_hello.ciphers);
    put_u16s(w, "exts", client_hello.extensions);
    put_u16s(w, "sig_algs", client_hello.sig_algs);
    w.EndObject();
  }
  if ((fields & kLogServerHandshake) && server_hello_seen) {
    w.Key("server_handshake");
    w.StartObject();
    put(w, "version", version_string(server_hello.selected_version.value_or(server_hello.version)));
    w.Key("cipher");
    w.Uint(server_hello.cipher);
    put_u16s(w, "exts", server_hello.extensions);
    w.EndObject();
  }
  if ((fields & kLogClient) && client_cert) {
    const CertInfo& c = *client_cert;
    w.Key("client");
    w.StartObject();
    put(w, "subject", c.subject);
    put(w, "issuerdn", c.issuer);
    put(w, "fingerprint", c.fingerprint);
    put(w, "serial", c.serial);
    put_time(w, "notbefore", c.not_before);
    put_time(w, "notafter", c.not_after);
    if ((fields & kLogClientCertificate) && !client_chain.empty())
      put(w, "certificate", base64(client_chain[0]));
    if (fields & kLogClientChain) put_chain(w, "chain", client_chain);
    w.EndObject();
  }
}

}  // namespace pasban::app::tls
