// TlsParser: a hand-built TLS 1.2 handshake with a certificate made here by
// OpenSSL; fields and formats as Suricata logs them; the split test (every
// split point and byte by byte give the same transaction and EVE JSON);
// every truncation; anomalies; the probe.
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <cstdint>
#include <string>
#include <vector>

#include "app/tls/tls_fingerprint.h"
#include "app/tls/tls_parser.h"
#include "app/tls/tls_register.h"
#include "parser_feed.h"

namespace pasban::app::tls {
namespace {

using Buf = std::vector<uint8_t>;

void put16(Buf& b, size_t v) { b.push_back(uint8_t(v >> 8)), b.push_back(uint8_t(v)); }
void put24(Buf& b, size_t v) { b.push_back(uint8_t(v >> 16)), put16(b, v); }
void append(Buf& b, const Buf& v) { b.insert(b.end(), v.begin(), v.end()); }

Buf handshake(uint8_t type, const Buf& body) {
  Buf m = {type};
  put24(m, body.size());
  append(m, body);
  return m;
}

Buf record(uint8_t type, const Buf& body, uint16_t version = 0x0303) {
  Buf r = {type};
  put16(r, version);
  put16(r, body.size());
  append(r, body);
  return r;
}

Buf ext(uint16_t type, const Buf& body) {
  Buf e;
  put16(e, type);
  put16(e, body.size());
  append(e, body);
  return e;
}

Buf client_hello(const std::string& sni) {
  Buf b;
  put16(b, 0x0303);
  b.insert(b.end(), 32, 0x11);
  b.push_back(0);  // no session id
  Buf ciphers = {0x2a, 0x2a, 0xc0, 0x2f, 0xc0, 0x30, 0x00, 0x9e};
  put16(b, ciphers.size());
  append(b, ciphers);
  b.push_back(1), b.push_back(0);
  Buf exts;
  append(exts, ext(0x3a3a, {}));  // GREASE
  Buf name = {0};
  put16(name, sni.size());
  name.insert(name.end(), sni.begin(), sni.end());
  Buf list;
  put16(list, name.size());
  append(list, name);
  append(exts, ext(kExtServerName, list));
  append(exts, ext(kExtSupportedGroups, {0x00, 0x04, 0x00, 0x1d, 0x00, 0x17}));
  append(exts, ext(kExtEcPointFormats, {0x01, 0x00}));
  append(exts, ext(kExtSignatureAlgorithms, {0x00, 0x04, 0x04, 0x03, 0x08, 0x04}));
  append(exts, ext(kExtAlpn, {0x00, 0x0c, 0x02, 'h', '2', 0x08, 'h', 't', 't', 'p', '/', '1', '.', '1'}));
  put16(b, exts.size());
  append(b, exts);
  return handshake(1, b);
}

Buf server_hello(const Buf& session_id = {}) {
  Buf b;
  put16(b, 0x0303);
  b.insert(b.end(), 32, 0x22);
  b.push_back(uint8_t(session_id.size()));
  append(b, session_id);
  put16(b, 0xc02f);
  b.push_back(0);
  Buf exts;
  append(exts, ext(0xff01, {0x00}));
  append(exts, ext(kExtAlpn, {0x00, 0x03, 0x02, 'h', '2'}));
  put16(b, exts.size());
  append(b, exts);
  return handshake(2, b);
}

// A self-signed certificate with a serial whose top bit is set (DER adds a
// 0x00 sign byte that Suricata prints) and a fixed validity.
Buf make_certificate() {
  EVP_PKEY* key = EVP_EC_gen("P-256");
  X509* x = X509_new();
  X509_set_version(x, 2);
  ASN1_INTEGER* serial = ASN1_INTEGER_new();
  BIGNUM* bn = nullptr;
  BN_hex2bn(&bn, "97E647098EEAC9B4");
  BN_to_ASN1_INTEGER(bn, serial);
  X509_set_serialNumber(x, serial);
  ASN1_TIME_set(X509_getm_notBefore(x), 1423764447);  // 2015-02-12T18:07:27
  ASN1_TIME_set(X509_getm_notAfter(x), 1739124447);   // 2025-02-09T18:07:27
  X509_NAME* name = X509_NAME_new();
  auto add = [&](const char* f, const char* v) {
    X509_NAME_add_entry_by_txt(name, f, MBSTRING_ASC, reinterpret_cast<const uint8_t*>(v), -1, -1, 0);
  };
  add("C", "FR"), add("ST", "IDF"), add("L", "Paris"), add("O", "Stamus"), add("CN", "SELKS");
  add("emailAddress", "a@b.c");
  X509_set_subject_name(x, name);
  X509_set_issuer_name(x, name);
  X509_set_pubkey(x, key);
  X509_sign(x, key, EVP_sha256());
  unsigned char* der = nullptr;
  int len = i2d_X509(x, &der);
  Buf out(der, der + len);
  OPENSSL_free(der);
  X509_NAME_free(name);
  BN_free(bn);
  ASN1_INTEGER_free(serial);
  X509_free(x);
  EVP_PKEY_free(key);
  return out;
}

const Buf& certificate() {
  static const Buf cert = make_certificate();
  return cert;
}

Buf certificate_message() {
  Buf list;
  put24(list, certificate().size());
  append(list, certificate());
  put24(list, 3);
  list.insert(list.end(), {'x', 'y', 'z'});  // a second (bogus) chain entry
  Buf b;
  put24(b, list.size());
  append(b, list);
  return handshake(11, b);
}

struct Streams {
  Buf client, server;
};

// TLS 1.2 full handshake. The server's flight spans records mid-message:
// ServerHello + the first half of Certificate, then the rest + Done.
Streams full_handshake() {
  Streams s;
  append(s.client, record(22, client_hello("www.example.com"), 0x0301));
  Buf flight = server_hello();
  append(flight, certificate_message());
  append(flight, handshake(14, {}));
  size_t half = flight.size() / 2;
  append(s.server, record(22, Buf(flight.begin(), flight.begin() + half)));
  append(s.server, record(22, Buf(flight.begin() + half, flight.end())));
  append(s.client, record(22, handshake(16, {0x00, 0x01, 0x02})));
  append(s.client, record(20, {0x01}));
  append(s.client, record(22, Buf(40, 0xab)));  // encrypted Finished
  append(s.server, record(20, {0x01}));
  append(s.server, record(22, Buf(40, 0xcd)));
  return s;
}

std::string log_json(const TlsTx& tx) { return test_util::tx_json(tx); }

std::string buf(const TlsTx& tx, AppBuffer b, uint32_t i = 0) {
  core::Bytes out;
  if (!tx.buffer(b, i, out)) return "<absent>";
  return std::string(core::as_chars(out));
}

// Feeds the client stream then the server stream, each cut at the given
// points, and returns the log JSON plus events.
std::string run(const Streams& s, const std::vector<size_t>& client_cuts,
                const std::vector<size_t>& server_cuts, std::vector<std::string_view>* events = nullptr) {
  TlsParser p;
  auto feed = [&](bool to_server, const Buf& data, const std::vector<size_t>& cuts) {
    size_t prev = 0;
    for (size_t c : cuts) {
      p.feed(to_server, core::Bytes(data).subspan(prev, c - prev), {});
      prev = c;
    }
    p.feed(to_server, core::Bytes(data).subspan(prev), {});
  };
  feed(true, s.client, client_cuts);
  feed(false, s.server, server_cuts);
  if (events) *events = p.events;
  if (p.tx_count() != 1) return "<no tx>";
  const TlsTx& tx = *p.tls_tx();
  return log_json(tx) + (tx.complete(true) ? " C" : " c") + (tx.complete(false) ? "S" : "s");
}

TEST(TlsParser, FullHandshakeFields) {
  Streams s = full_handshake();
  TlsParser p;
  p.feed(true, s.client, {});
  p.feed(false, s.server, {});
  EXPECT_TRUE(p.events.empty());
  ASSERT_EQ(p.tx_count(), 1u);
  const TlsTx& tx = *p.tls_tx();
  EXPECT_EQ(tx.version, 0x0303);
  EXPECT_EQ(buf(tx, AppBuffer::kTlsSni), "www.example.com");
  EXPECT_EQ(buf(tx, AppBuffer::kTlsCertSubject), "C=FR, ST=IDF, L=Paris, O=Stamus, CN=SELKS, Email=a@b.c");
  EXPECT_EQ(buf(tx, AppBuffer::kTlsCertIssuer), "C=FR, ST=IDF, L=Paris, O=Stamus, CN=SELKS, Email=a@b.c");
  EXPECT_EQ(buf(tx, AppBuffer::kTlsCertSerial), "00:97:E6:47:09:8E:EA:C9:B4");
  std::string fp = buf(tx, AppBuffer::kTlsCertFingerprint);
  EXPECT_EQ(fp.size(), 59u);  // 20 bytes, lowercase hex with colons
  EXPECT_EQ(fp.find_first_of("ABCDEF"), std::string::npos);
  EXPECT_EQ(tx.not_before, 1423764447);
  EXPECT_EQ(tx.not_after, 1739124447);
  EXPECT_EQ(buf(tx, AppBuffer::kTlsCerts, 0), std::string(certificate().begin(), certificate().end()));
  EXPECT_EQ(buf(tx, AppBuffer::kTlsCerts, 1), "xyz");
  EXPECT_EQ(buf(tx, AppBuffer::kTlsCerts, 2), "<absent>");
  // GREASE 0x2a2a / 0x3a3a are not in JA3.
  EXPECT_EQ(buf(tx, AppBuffer::kJa3String), "771,49199-49200-158,0-10-11-13-16,29-23,0");
  EXPECT_EQ(buf(tx, AppBuffer::kJa3Hash), md5_hex("771,49199-49200-158,0-10-11-13-16,29-23,0"));
  EXPECT_EQ(buf(tx, AppBuffer::kJa3sString), "771,49199,65281-16");
  EXPECT_EQ(buf(tx, AppBuffer::kJa4Hash).substr(0, 10), "t12d0305h2");
  EXPECT_TRUE(tx.complete(true));
  EXPECT_TRUE(tx.complete(false));
  EXPECT_TRUE(tx.loggable());

  std::string json = log_json(tx);
  std::string expected_prefix =
      "{\"tls\":{\"subject\":\"C=FR, ST=IDF, L=Paris, O=Stamus, CN=SELKS, Email=a@b.c\","
      "\"issuerdn\":\"C=FR, ST=IDF, L=Paris, O=Stamus, CN=SELKS, Email=a@b.c\","
      "\"serial\":\"00:97:E6:47:09:8E:EA:C9:B4\",\"fingerprint\":\"" + fp + "\","
      "\"sni\":\"www.example.com\",\"version\":\"TLS 1.2\","
      "\"notbefore\":\"2015-02-12T18:07:27\",\"notafter\":\"2025-02-09T18:07:27\","
      "\"ja3\":{\"hash\":\"";
  EXPECT_EQ(json.substr(0, expected_prefix.size()), expected_prefix);
  EXPECT_NE(json.find("\"ja3s\":{\"hash\":\""), std::string::npos);
  EXPECT_NE(json.find("\"client_alpns\":[\"h2\",\"http/1.1\"],\"server_alpns\":[\"h2\"]}}"),
            std::string::npos);
}

TEST(TlsParser, Ja3AndJa4CanBeOff) {
  TlsConfig cfg;
  cfg.ja3 = false;
  cfg.ja4 = false;
  TlsParser p(cfg);
  Streams s = full_handshake();
  p.feed(true, s.client, {});
  p.feed(false, s.server, {});
  const TlsTx& tx = *p.tls_tx();
  EXPECT_EQ(buf(tx, AppBuffer::kJa3Hash), "<absent>");
  EXPECT_EQ(buf(tx, AppBuffer::kJa4Hash), "<absent>");
  std::string json = log_json(tx);
  EXPECT_EQ(json.find("ja3"), std::string::npos);
  EXPECT_EQ(json.find("ja4"), std::string::npos);
}

// The same bytes cut anywhere give the same transaction.
TEST(TlsParser, SplitAtEveryPoint) {
  Streams s = full_handshake();
  std::vector<std::string_view> events;
  const std::string whole = run(s, {}, {}, &events);
  EXPECT_TRUE(events.empty());
  ASSERT_NE(whole.find("SELKS"), std::string::npos);
  for (size_t i = 1; i < s.client.size(); ++i) ASSERT_EQ(run(s, {i}, {}), whole) << "client " << i;
  for (size_t i = 1; i < s.server.size(); ++i) ASSERT_EQ(run(s, {}, {i}), whole) << "server " << i;
  std::vector<size_t> every_c, every_s;
  for (size_t i = 1; i < s.client.size(); ++i) every_c.push_back(i);
  for (size_t i = 1; i < s.server.size(); ++i) every_s.push_back(i);
  EXPECT_EQ(run(s, every_c, every_s, &events), whole);
  EXPECT_TRUE(events.empty());
}

// Every prefix of either stream, then close: no crash, no overread.
TEST(TlsParser, EveryTruncation) {
  Streams s = full_handshake();
  for (int dir = 0; dir < 2; ++dir) {
    const Buf& data = dir == 0 ? s.client : s.server;
    for (size_t n = 0; n <= data.size(); ++n) {
      TlsParser p;
      if (dir == 1) p.feed(true, s.client, {});
      p.feed(dir == 0, core::Bytes(data).first(n), {});
      p.on_close();
      if (p.tx_count()) {
        log_json(*p.tls_tx());
        EXPECT_TRUE(p.tls_tx()->complete(true));
        EXPECT_TRUE(p.tls_tx()->complete(false));
      }
    }
  }
}

TEST(TlsParser, Tls13SelectedVersionLogsWithoutCertificate) {
  Buf b;
  put16(b, 0x0303);
  b.insert(b.end(), 32, 0x33);
  b.push_back(0);
  put16(b, 0x1301);
  b.push_back(0);
  Buf exts = ext(kExtSupportedVersions, {0x03, 0x04});
  put16(b, exts.size());
  append(b, exts);
  // A client that offers supported_versions.
  Buf ch;
  put16(ch, 0x0303);
  ch.insert(ch.end(), 32, 0);
  ch.push_back(0);
  put16(ch, 2), put16(ch, 0x1301);
  ch.push_back(1), ch.push_back(0);
  Buf cexts = ext(kExtSupportedVersions, {0x04, 0x0a, 0x0a, 0x03, 0x04});
  put16(ch, cexts.size());
  append(ch, cexts);
  TlsParser p;
  p.feed(true, record(22, handshake(1, ch), 0x0301), {});
  Buf server = record(22, handshake(2, b));
  append(server, record(20, {1}));
  append(server, record(23, Buf(30, 0x77)));
  p.feed(false, server, {});
  const TlsTx& tx = *p.tls_tx();
  EXPECT_EQ(tx.version, 0x0304);
  EXPECT_TRUE(tx.log_without_cert);
  EXPECT_TRUE(tx.loggable());
  EXPECT_TRUE(tx.complete(false));
  EXPECT_FALSE(tx.complete(true));
  EXPECT_NE(log_json(tx).find("\"version\":\"TLS 1.3\""), std::string::npos);
  EXPECT_EQ(buf(tx, AppBuffer::kJa4Hash).substr(0, 10), "t13i010100");
}

TEST(TlsParser, SessionResumption) {
  Buf sid(32, 0x5a);
  Buf ch = client_hello("r.example");
  // Put a session id into the client hello: rebuild with one.
  Buf body(ch.begin() + 4, ch.end());
  body.erase(body.begin() + 34);  // the zero session-id length
  body.insert(body.begin() + 34, sid.begin(), sid.end());
  body.insert(body.begin() + 34, uint8_t(sid.size()));
  TlsParser p;
  p.feed(true, record(22, handshake(1, body)), {});
  Buf server = record(22, server_hello(sid));
  append(server, record(20, {1}));
  p.feed(false, server, {});
  const TlsTx& tx = *p.tls_tx();
  EXPECT_TRUE(tx.session_resumed);
  EXPECT_TRUE(tx.loggable());
  EXPECT_NE(log_json(tx).find("\"session_resumed\":true"), std::string::npos);
}

TEST(TlsParser, UnansweredClientHelloIsLoggedAtClose) {
  TlsParser p;
  p.feed(true, record(22, client_hello("x.example"), 0x0301), {});
  EXPECT_FALSE(p.tls_tx()->loggable());
  p.on_close();
  EXPECT_TRUE(p.tls_tx()->loggable());
  EXPECT_NE(log_json(*p.tls_tx()).find("\"version\":\"TLS 1.2\""), std::string::npos);
}

TEST(TlsParser, Anomalies) {
  {
    TlsParser p;
    p.feed(true, Buf{0x42, 3, 3, 0, 1, 0}, {});
    ASSERT_EQ(p.events.size(), 1u);
    EXPECT_EQ(p.events[0], "tls.invalid_record_type");
    EXPECT_TRUE(p.tls_tx()->complete(true));
  }
  {
    TlsParser p;
    p.feed(true, Buf{22, 9, 9, 0, 1, 0}, {});
    ASSERT_EQ(p.events.size(), 1u);
    EXPECT_EQ(p.events[0], "tls.invalid_record_version");
  }
  {
    TlsParser p;  // a ClientHello whose cipher list runs past the message
    Buf body = {3, 3};
    body.insert(body.end(), 32, 0);
    body.push_back(0);
    put16(body, 200);
    p.feed(true, record(22, handshake(1, body)), {});
    ASSERT_EQ(p.events.size(), 1u);
    EXPECT_EQ(p.events[0], "tls.handshake_invalid_length");
  }
  {
    TlsParser p;  // Heartbleed: payload_length far beyond the record
    p.feed(true, record(24, {1, 0x40, 0x00, 'x'}), {});
    ASSERT_EQ(p.events.size(), 2u);
    EXPECT_EQ(p.events[0], "tls.heartbeat_message");
    EXPECT_EQ(p.events[1], "tls.overflow_heartbeat_message");
  }
  {
    TlsParser p;  // a certificate that is not DER
    p.feed(true, record(22, client_hello("a")), {});
    Buf list;
    put24(list, 4);
    list.insert(list.end(), {1, 2, 3, 4});
    Buf b;
    put24(b, list.size());
    append(b, list);
    Buf server = record(22, server_hello());
    append(server, record(22, handshake(11, b)));
    p.feed(false, server, {});
    ASSERT_EQ(p.events.size(), 1u);
    EXPECT_EQ(p.events[0], "tls.certificate_invalid_der");
    EXPECT_EQ(buf(*p.tls_tx(), AppBuffer::kTlsCerts, 0), std::string("\x01\x02\x03\x04"));
    EXPECT_EQ(buf(*p.tls_tx(), AppBuffer::kTlsCertSubject), "<absent>");
  }
}

TEST(TlsParser, Sslv2CompatibleHelloThenTls) {
  Buf msg = {1, 0x03, 0x01, 0, 3, 0, 0, 0, 16, 0x00, 0x00, 0x2f};
  msg.insert(msg.end(), 16, 0x44);
  Buf client = {uint8_t(0x80 | msg.size() >> 8), uint8_t(msg.size())};
  append(client, msg);
  EXPECT_EQ(tls_probe(client, true), 1);
  TlsParser p;
  for (uint8_t c : client) p.feed(true, Buf{c}, {});  // byte by byte
  Buf server = record(22, server_hello(), 0x0301);
  Buf list;
  put24(list, certificate().size());
  append(list, certificate());
  Buf cert_body;
  put24(cert_body, list.size());
  append(cert_body, list);
  append(server, record(22, handshake(11, cert_body), 0x0301));
  p.feed(false, server, {});
  EXPECT_TRUE(p.events.empty());
  const TlsTx& tx = *p.tls_tx();
  EXPECT_TRUE(tx.sslv2_client_hello);
  EXPECT_EQ(tx.client_hello.version, 0x0301);
  EXPECT_TRUE(tx.server_cert.has_value());
  EXPECT_EQ(buf(tx, AppBuffer::kJa3Hash), "<absent>");
}

TEST(TlsParser, ProbeAndRegistration) {
  Streams s = full_handshake();
  EXPECT_EQ(tls_probe(s.client, true), 1);
  EXPECT_EQ(tls_probe(s.server, false), 1);
  EXPECT_EQ(tls_probe(s.client, false), -1);
  EXPECT_EQ(tls_probe(s.server, true), -1);
  EXPECT_EQ(tls_probe(core::Bytes(s.client).first(3), true), 0);
  EXPECT_EQ(tls_probe(core::as_bytes("GET / HTTP/1.1\r\n"), true), -1);
  const ProtocolSpec& spec = tls_protocol();
  EXPECT_EQ(spec.proto, AppProto::kTls);
  EXPECT_TRUE(spec.tcp);
  EXPECT_EQ(spec.default_ports, std::vector<uint16_t>{443});
  auto parser = spec.create();
  ASSERT_TRUE(parser);
  parser->feed(true, s.client, {});
  EXPECT_EQ(parser->tx_count(), 1u);
}

// A TLS flow has one transaction for its life: trimming keeps it, so the
// records after the handshake are still parsed (and raise their events).
TEST(TlsParser, TrimKeepsTheSessionTransaction) {
  Streams s = full_handshake();
  TlsParser p;
  p.feed(true, s.client, {});
  p.feed(false, s.server, {});
  p.tx(0)->logged = true;
  p.trim();
  EXPECT_EQ(p.tx_count(), 1u);
  EXPECT_EQ(p.txs_removed, 0u);
}

TEST(TlsParser, LogFieldNames) {
  EXPECT_EQ(tls_log_field_by_name("subject"), kLogSubject);
  EXPECT_EQ(tls_log_field_by_name("JA4"), kLogJa4);
  EXPECT_EQ(tls_log_field_by_name("client_handshake"), kLogClientHandshake);
  EXPECT_FALSE(tls_log_field_by_name("nope"));
}

TEST(TlsParser, AlpnAndCertificateBuffers) {
  Streams s = full_handshake();
  TlsParser p;
  p.feed(true, s.client, {});
  p.feed(false, s.server, {});
  const TlsTx& tx = *p.tls_tx();
  // tls.alpn: the client's list, then the server's choice.
  EXPECT_EQ(buf(tx, AppBuffer::kTlsAlpn, 0), "h2");
  EXPECT_EQ(buf(tx, AppBuffer::kTlsAlpn, 1), "http/1.1");
  EXPECT_EQ(buf(tx, AppBuffer::kTlsAlpn, 2), "h2");
  EXPECT_EQ(buf(tx, AppBuffer::kTlsAlpn, 3), "<absent>");
  // No subjectAltName in the test certificate; no client certificate, so
  // tls.cert_subject has the server's value only.
  EXPECT_EQ(buf(tx, AppBuffer::kTlsSubjectAltName, 0), "<absent>");
  EXPECT_EQ(buf(tx, AppBuffer::kTlsCertSubject, 1), "<absent>");
}

TEST(TlsParser, ClientCertificateIsSecondCertValue) {
  Streams s = full_handshake();
  // The client sends its certificate after the server's flight.
  Buf client = record(22, client_hello("www.example.com"), 0x0301);
  append(client, record(22, certificate_message()));
  TlsParser p;
  p.feed(true, client, {});
  p.feed(false, s.server, {});
  const TlsTx& tx = *p.tls_tx();
  ASSERT_TRUE(tx.client_cert.has_value());
  EXPECT_EQ(buf(tx, AppBuffer::kTlsCertSerial, 0), "00:97:E6:47:09:8E:EA:C9:B4");
  EXPECT_EQ(buf(tx, AppBuffer::kTlsCertSerial, 1), "00:97:E6:47:09:8E:EA:C9:B4");
  EXPECT_EQ(buf(tx, AppBuffer::kTlsCertSerial, 2), "<absent>");
}

TEST(TlsParser, CertificateLengthOverflowAndUnknownHandshakeType) {
  // bug 1450: a DER element claiming 0xfffffffa bytes, then a handshake
  // message of type 0x84 (unknown) with length 0xffffff.
  TlsParser p;
  p.feed(true, record(22, client_hello("a")), {});
  Buf cert = {0x30, 0x05, 0x30, 0x84, 0xff, 0xff, 0xff, 0xfa, 0x04};
  Buf list;
  put24(list, cert.size());
  append(list, cert);
  Buf b;
  put24(b, list.size());
  append(b, list);
  Buf flight = server_hello();
  append(flight, handshake(11, b));
  flight.insert(flight.end(), {0x84, 0xff, 0xff, 0xff, 0x41, 0x41});
  p.feed(false, record(22, flight), {});
  ASSERT_EQ(p.events.size(), 2u);
  EXPECT_EQ(p.events[0], "tls.certificate_invalid_length");
  EXPECT_EQ(p.events[1], "tls.invalid_handshake_message");
  EXPECT_TRUE(p.tls_tx()->complete(false));
}

}  // namespace
}  // namespace pasban::app::tls
