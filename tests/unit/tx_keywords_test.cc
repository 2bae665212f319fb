// Transaction and flow keywords (dns.*, tls.*, ssl_*, urilen,
// app-layer-event, app-layer-protocol, stream-event) on hand-built
// transactions and packets: match / no match and parse errors.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "app/app_layer.h"
#include "app/dns/dns_parser.h"
#include "app/http/http_parser.h"
#include "app/tls/tls_parser.h"
#include "decode/packet.h"
#include "detect/keywords/tx_keyword.h"
#include "flow/flow.h"

namespace pasban::detect::keywords {
namespace {

TxKeywordPtr tx_kw(std::string_view name, std::string_view value) {
  core::Error err;
  auto k = make_tx_keyword(name, value, err);
  EXPECT_TRUE(k) << name << ":" << value << " -> " << err.message;
  return k;
}

// The error message of a keyword that must fail (tx or flow table).
std::string parse_error(std::string_view name, std::string_view value) {
  core::Error err;
  if (make_tx_keyword(name, value, err)) return "<parsed as tx keyword>";
  if (!err.message.empty()) return err.message;
  if (make_flow_keyword(name, value, err)) return "<parsed as flow keyword>";
  return err.message.empty() ? "<not a keyword>" : err.message;
}

FlowKeywordPtr flow_kw(std::string_view name, std::string_view value) {
  core::Error err;
  EXPECT_FALSE(make_tx_keyword(name, value, err)) << name;
  EXPECT_TRUE(err.message.empty()) << err.message;
  auto k = make_flow_keyword(name, value, err);
  EXPECT_TRUE(k) << name << ":" << value << " -> " << err.message;
  return k;
}

struct FlowPacket {
  flow::Flow flow;
  decode::Packet packet;
  app::AppFlowState* state;
  FlowPacket() {
    auto st = std::make_unique<app::AppFlowState>();
    state = st.get();
    flow.app_state = std::move(st);
    packet.flow = &flow;
    packet.ts.sec = 1'600'000'000;  // 2020-09-13
  }
};

// ------------------------------------------------------------------ DNS

app::dns::DnsTransaction dns_tx(uint8_t opcode, uint16_t rcode, std::vector<uint16_t> qtypes) {
  app::dns::DnsTransaction t;
  t.opcode = opcode;
  t.rcode = rcode;
  t.query_types = std::move(qtypes);
  return t;
}

TEST(DnsKeywords, Opcode) {
  FlowPacket fp;
  auto t4 = dns_tx(4, 0, {1});
  auto t0 = dns_tx(0, 0, {1});
  auto k = tx_kw("dns.opcode", "4");
  EXPECT_EQ(k->proto(), app::AppProto::kDns);
  EXPECT_TRUE(k->match(t4, fp.packet));
  EXPECT_FALSE(k->match(t0, fp.packet));
  auto neg = tx_kw("dns.opcode", "!0");
  EXPECT_TRUE(neg->match(t4, fp.packet));
  EXPECT_FALSE(neg->match(t0, fp.packet));
  auto range = tx_kw("dns.opcode", "3-5");  // exclusive
  EXPECT_TRUE(range->match(t4, fp.packet));
  EXPECT_FALSE(range->match(dns_tx(5, 0, {}), fp.packet));
  auto nrange = tx_kw("dns.opcode", "!3-5");
  EXPECT_FALSE(nrange->match(t4, fp.packet));
  EXPECT_TRUE(nrange->match(dns_tx(5, 0, {}), fp.packet));
  EXPECT_TRUE(tx_kw("dns.opcode", ">3")->match(t4, fp.packet));
  EXPECT_EQ(parse_error("dns.opcode", "x"), "dns.opcode: invalid value 'x'");
  EXPECT_NE(parse_error("dns.opcode", "256").find("dns.opcode"), std::string::npos);
}

TEST(DnsKeywords, Rcode) {
  FlowPacket fp;
  auto nx = dns_tx(0, 3, {1});
  auto ok = dns_tx(0, 0, {1});
  EXPECT_TRUE(tx_kw("dns.rcode", "3")->match(nx, fp.packet));
  EXPECT_TRUE(tx_kw("dns.rcode", "nxdomain")->match(nx, fp.packet));
  EXPECT_TRUE(tx_kw("dns.rcode", "NXDOMAIN")->match(nx, fp.packet));
  EXPECT_FALSE(tx_kw("dns.rcode", "nxdomain")->match(ok, fp.packet));
  EXPECT_TRUE(tx_kw("dns.rcode", "!noerror")->match(nx, fp.packet));
  EXPECT_FALSE(tx_kw("dns.rcode", "!0")->match(ok, fp.packet));
  EXPECT_EQ(parse_error("dns.rcode", "bogus"), "dns.rcode: invalid value 'bogus'");
}

TEST(DnsKeywords, Rrtype) {
  FlowPacket fp;
  auto t = dns_tx(0, 0, {1, 28});
  EXPECT_TRUE(tx_kw("dns.rrtype", "28")->match(t, fp.packet));
  EXPECT_TRUE(tx_kw("dns.rrtype", "aaaa")->match(t, fp.packet));
  EXPECT_TRUE(tx_kw("dns.rrtype", "A")->match(t, fp.packet));
  EXPECT_FALSE(tx_kw("dns.rrtype", "mx")->match(t, fp.packet));
  EXPECT_TRUE(tx_kw("dns.rrtype", "!1")->match(t, fp.packet));  // any question
  EXPECT_FALSE(tx_kw("dns.rrtype", "!1")->match(dns_tx(0, 0, {1}), fp.packet));
  EXPECT_FALSE(tx_kw("dns.rrtype", "1")->match(dns_tx(0, 0, {}), fp.packet));
  EXPECT_EQ(parse_error("dns.rrtype", "nope"), "dns.rrtype: invalid value 'nope'");
  EXPECT_NE(parse_error("dns.rrtype", "70000").find("dns.rrtype"), std::string::npos);
}

TEST(DnsKeywords, WrongTransactionType) {
  FlowPacket fp;
  app::http::HttpTx h;
  EXPECT_FALSE(tx_kw("dns.opcode", "0")->match(h, fp.packet));
}

// ------------------------------------------------------------------ TLS

app::tls::TlsTx tls_tx(uint16_t client, uint16_t server) {
  app::tls::TlsTx t{app::tls::TlsConfig{}};
  if (client) {
    t.client_hello_seen = true;
    t.client_hello.version = client;
  }
  if (server) {
    t.server_hello_seen = true;
    t.version = server;
  }
  return t;
}

app::tls::TlsTx tls_with_cert() {
  auto t = tls_tx(0x0303, 0x0303);
  app::tls::CertInfo c;
  c.subject = "C=FR, ST=IDF, L=Paris, O=Stamus, CN=SELKS";
  c.issuer = "C=US, O=Let's Encrypt, CN=R3";
  c.fingerprint = "90:86:a4:3b:f5:cf:1b:2e:4e:f7:97:96:f9:de:ba:b9:66:35:86:3f";
  c.not_before = 1'445'472'000;  // 2015-10-22T00:00:00Z
  c.not_after = 1'700'000'000;   // 2023-11-14
  t.server_cert = c;
  t.not_before = c.not_before;
  t.not_after = c.not_after;
  return t;
}

TEST(TlsKeywords, Version) {
  FlowPacket fp;
  auto k = tx_kw("tls.version", "1.2");
  EXPECT_EQ(k->proto(), app::AppProto::kTls);
  EXPECT_TRUE(k->match(tls_tx(0x0303, 0x0303), fp.packet));
  EXPECT_FALSE(k->match(tls_tx(0x0301, 0x0301), fp.packet));
  EXPECT_FALSE(k->match(tls_tx(0, 0), fp.packet));
  EXPECT_TRUE(tx_kw("tls.version", "1.3")->match(tls_tx(0x0303, 0x0304), fp.packet));
  // Drafts count as 1.3 unless the raw form is used.
  EXPECT_TRUE(tx_kw("tls.version", "1.3")->match(tls_tx(0x0303, 0x7f1c), fp.packet));
  EXPECT_FALSE(tx_kw("tls.version", "0x0304")->match(tls_tx(0x0303, 0x7f1c), fp.packet));
  EXPECT_TRUE(tx_kw("tls.version", "0x7f1c")->match(tls_tx(0x0303, 0x7f1c), fp.packet));
  EXPECT_TRUE(tx_kw("tls.version", "\"1.0\"")->match(tls_tx(0x0301, 0x0301), fp.packet));
  EXPECT_EQ(parse_error("tls.version", "2.0"), "tls.version: invalid value '2.0'");
}

TEST(TlsKeywords, SslVersion) {
  FlowPacket fp;
  auto t10 = tls_tx(0x0301, 0x0301);
  auto t12 = tls_tx(0x0303, 0x0303);
  EXPECT_TRUE(tx_kw("ssl_version", "tls1.0")->match(t10, fp.packet));
  EXPECT_FALSE(tx_kw("ssl_version", "tls1.0")->match(t12, fp.packet));
  EXPECT_TRUE(tx_kw("ssl_version", "tls1.0,tls1.1")->match(t10, fp.packet));
  EXPECT_TRUE(tx_kw("ssl_version", "!sslv3")->match(t10, fp.packet));
  EXPECT_FALSE(tx_kw("ssl_version", "!tls1.0")->match(t10, fp.packet));
  EXPECT_TRUE(tx_kw("ssl_version", "!tls1.3,tls1.2")->match(t10, fp.packet));
  EXPECT_FALSE(tx_kw("ssl_version", "!tls1.3,tls1.2")->match(tls_tx(0x0304, 0x0304),
                                                             fp.packet));
  app::tls::TlsTx v2{app::tls::TlsConfig{}};
  v2.client_hello_seen = v2.sslv2_client_hello = true;
  EXPECT_TRUE(tx_kw("ssl_version", "sslv2")->match(v2, fp.packet));
  EXPECT_EQ(parse_error("ssl_version", "tls2.0"), "ssl_version: invalid value 'tls2.0'");
}

TEST(TlsKeywords, SslState) {
  FlowPacket fp;
  auto ch = tls_tx(0x0303, 0);
  auto both = tls_tx(0x0303, 0x0303);
  EXPECT_TRUE(tx_kw("ssl_state", "client_hello")->match(ch, fp.packet));
  EXPECT_FALSE(tx_kw("ssl_state", "server_hello")->match(ch, fp.packet));
  EXPECT_TRUE(tx_kw("ssl_state", "client_hello|server_hello")->match(ch, fp.packet));
  EXPECT_TRUE(tx_kw("ssl_state", "!server_hello")->match(ch, fp.packet));
  EXPECT_FALSE(tx_kw("ssl_state", "!server_hello")->match(both, fp.packet));
  EXPECT_FALSE(tx_kw("ssl_state", "client_keyx")->match(both, fp.packet));
  EXPECT_EQ(parse_error("ssl_state", "client_hello|bogus"), "ssl_state: invalid value 'bogus'");
}

TEST(TlsKeywords, CertDates) {
  FlowPacket fp;
  auto t = tls_with_cert();
  EXPECT_TRUE(tx_kw("tls.cert_notbefore", "2015-10-22")->match(t, fp.packet));
  EXPECT_FALSE(tx_kw("tls.cert_notbefore", "2015-10-23")->match(t, fp.packet));
  EXPECT_TRUE(tx_kw("tls.cert_notbefore", "<2015-10-23")->match(t, fp.packet));
  EXPECT_TRUE(tx_kw("tls.cert_notbefore", ">2015")->match(t, fp.packet));
  EXPECT_TRUE(tx_kw("tls_cert_notbefore", "2015-01-01<>2016-01-01")->match(t, fp.packet));
  EXPECT_FALSE(tx_kw("tls.cert_notafter", "<2020")->match(t, fp.packet));
  EXPECT_TRUE(tx_kw("tls.cert_notafter", ">2023-11-14T22:13")->match(t, fp.packet));
  EXPECT_TRUE(tx_kw("tls.cert_notafter", "1700000000")->match(t, fp.packet));
  EXPECT_TRUE(tx_kw("tls.cert_notafter", "2023-11-14T22:13:20")->match(t, fp.packet));
  // No certificate: no match.
  EXPECT_FALSE(tx_kw("tls.cert_notbefore", ">2000")->match(tls_tx(0x0303, 0x0303), fp.packet));
  EXPECT_EQ(parse_error("tls.cert_notbefore", "2015-13-01"),
            "tls.cert_notbefore: invalid date '2015-13-01'");
  EXPECT_EQ(parse_error("tls.cert_notafter", "x<>2016"), "tls.cert_notafter: invalid date 'x'");
  EXPECT_NE(parse_error("tls.cert_notafter", "2016<>2015").find("invalid range"),
            std::string::npos);
}

TEST(TlsKeywords, ExpiredValid) {
  FlowPacket fp;  // 2020-09-13
  auto t = tls_with_cert();
  EXPECT_FALSE(tx_kw("tls.cert_expired", "")->match(t, fp.packet));
  EXPECT_TRUE(tx_kw("tls.cert_valid", "")->match(t, fp.packet));
  fp.packet.ts.sec = 1'800'000'000;
  EXPECT_TRUE(tx_kw("tls_cert_expired", "")->match(t, fp.packet));
  EXPECT_FALSE(tx_kw("tls_cert_valid", "")->match(t, fp.packet));
  EXPECT_FALSE(tx_kw("tls.cert_expired", "")->match(tls_tx(0x0303, 0x0303), fp.packet));
  EXPECT_EQ(parse_error("tls.cert_expired", "yes"), "tls.cert_expired: takes no value, got 'yes'");
}

TEST(TlsKeywords, SubjectIssuerFingerprint) {
  FlowPacket fp;
  auto t = tls_with_cert();
  auto none = tls_tx(0x0303, 0x0303);
  EXPECT_TRUE(tx_kw("tls.subject", "\"CN=SELKS\"")->match(t, fp.packet));
  EXPECT_FALSE(tx_kw("tls.subject", "\"CN=selks\"")->match(t, fp.packet));
  EXPECT_TRUE(tx_kw("tls.subject", "!\"CN=other\"")->match(t, fp.packet));
  EXPECT_FALSE(tx_kw("tls.subject", "!\"CN=SELKS\"")->match(t, fp.packet));
  EXPECT_FALSE(tx_kw("tls.subject", "!\"CN=other\"")->match(none, fp.packet));
  EXPECT_TRUE(tx_kw("tls.issuerdn", "\"O=Let's Encrypt\"")->match(t, fp.packet));
  EXPECT_FALSE(tx_kw("tls.issuerdn", "\"CN=SELKS\"")->match(t, fp.packet));
  EXPECT_TRUE(tx_kw("tls.fingerprint",
                    "\"90:86:A4:3B:F5:CF:1B:2E:4E:F7:97:96:f9:DE:BA:B9:66:35:86:3F\"")
                  ->match(t, fp.packet));
  EXPECT_FALSE(tx_kw("tls.fingerprint",
                     "\"90:86:A4:3B:F5:CF:1B:2E:4E:F7:97:96:f9:DE:BA:B9:66:35:86:3E\"")
                   ->match(t, fp.packet));
  EXPECT_EQ(parse_error("tls.fingerprint", "\"zz:11\""), "tls.fingerprint: invalid value 'zz:11'");
  EXPECT_EQ(parse_error("tls.subject", "\"\""), "tls.subject: invalid value '\"\"'");
}

TEST(TlsKeywords, Store) {
  FlowPacket fp;
  auto k = tx_kw("tls.store", "");
  EXPECT_EQ(k->proto(), app::AppProto::kTls);
  EXPECT_TRUE(k->match(tls_with_cert(), fp.packet));
}

// ------------------------------------------------------------------ HTTP

TEST(HttpKeywords, Urilen) {
  FlowPacket fp;
  app::http::HttpTx h;
  h.has_uri = true;
  h.uri_raw = "/a%20b";        // 6
  h.uri_normalized = "/a b";   // 4
  auto k = tx_kw("urilen", "4");
  EXPECT_EQ(k->proto(), app::AppProto::kHttp);
  EXPECT_EQ(k->sides(), 1);
  EXPECT_TRUE(k->match(h, fp.packet));
  EXPECT_TRUE(tx_kw("urilen", "4,norm")->match(h, fp.packet));
  EXPECT_FALSE(tx_kw("urilen", "4,raw")->match(h, fp.packet));
  EXPECT_TRUE(tx_kw("urilen", "6, raw")->match(h, fp.packet));
  EXPECT_TRUE(tx_kw("urilen", ">3")->match(h, fp.packet));
  EXPECT_FALSE(tx_kw("urilen", "<4")->match(h, fp.packet));
  EXPECT_TRUE(tx_kw("urilen", "3<>5")->match(h, fp.packet));
  EXPECT_FALSE(tx_kw("urilen", "4<>6")->match(h, fp.packet));
  app::http::HttpTx empty;
  EXPECT_FALSE(tx_kw("urilen", "<100")->match(empty, fp.packet));
  EXPECT_EQ(parse_error("urilen", "abc"), "urilen: invalid value 'abc'");
  EXPECT_EQ(parse_error("urilen", "5,foo"), "urilen: invalid modifier 'foo'");
}

// ------------------------------------------------------------ app-layer-event

TEST(AppLayerEvent, TransactionEvents) {
  FlowPacket fp;
  app::http::HttpTx h;
  h.events.push_back("http.request_field_too_long");
  auto k = tx_kw("app-layer-event", "http.request_field_too_long");
  EXPECT_EQ(k->proto(), app::AppProto::kHttp);
  EXPECT_EQ(k->sides(), 1);  // raised while parsing the request
  EXPECT_TRUE(k->match(h, fp.packet));
  EXPECT_EQ(tx_kw("app-layer-event", "http.response_field_too_long")->sides(), 2);
  EXPECT_EQ(tx_kw("app-layer-event", "http.too_many_warnings")->sides(), 3);
  EXPECT_FALSE(tx_kw("app-layer-event", "http.missing_host_header")->match(h, fp.packet));

  app::dns::DnsTransaction d;
  d.events.push_back("dns.z_flag_set");
  auto dk = tx_kw("app-layer-event", "dns.z_flag_set");
  EXPECT_EQ(dk->proto(), app::AppProto::kDns);
  EXPECT_EQ(dk->sides(), 3);
  EXPECT_TRUE(dk->match(d, fp.packet));
  EXPECT_FALSE(tx_kw("app-layer-event", "dns.malformed_data")->match(d, fp.packet));
}

TEST(AppLayerEvent, TlsUsesPacketEvents) {
  FlowPacket fp;
  auto t = tls_tx(0x0303, 0);
  auto k = tx_kw("app-layer-event", "tls.invalid_record_type");
  EXPECT_EQ(k->proto(), app::AppProto::kTls);
  EXPECT_FALSE(k->match(t, fp.packet));
  fp.state->packet_events.push_back("tls.invalid_record_type");
  EXPECT_TRUE(k->match(t, fp.packet));
}

TEST(AppLayerEvent, ParseErrorsAndFlowLevel) {
  // An event the protocol does not have: Suricata warns and leaves the
  // rule out; here it loads and never matches.
  {
    FlowPacket fp;
    app::dns::DnsTransaction d;
    d.events.push_back("dns.not_request");
    auto k = tx_kw("app-layer-event", "dns.not_a_request");
    EXPECT_EQ(k->proto(), app::AppProto::kDns);
    EXPECT_FALSE(k->match(d, fp.packet));
  }
  EXPECT_EQ(parse_error("app-layer-event", "bogus.thing"),
            "app-layer-event: unknown protocol 'bogus'");
  EXPECT_EQ(parse_error("app-layer-event", "applayer_nonsense"),
            "app-layer-event: unknown event 'applayer_nonsense'");
  FlowPacket fp;
  auto k = flow_kw("app-layer-event", "applayer_mismatch_protocol_both_directions");
  EXPECT_FALSE(k->match(fp.packet));
  fp.state->packet_events.push_back("applayer_mismatch_protocol_both_directions");
  EXPECT_TRUE(k->match(fp.packet));
  // A protocol Pasban does not parse: accepted, never matches.
  auto ftp = flow_kw("app-layer-event", "ftp.response_command_too_long");
  EXPECT_FALSE(ftp->match(fp.packet));
}

// ------------------------------------------------------- app-layer-protocol

TEST(AppLayerProtocol, Match) {
  FlowPacket fp;
  fp.flow.app_proto = uint8_t(app::AppProto::kHttp);
  EXPECT_TRUE(flow_kw("app-layer-protocol", "http")->match(fp.packet));
  EXPECT_TRUE(flow_kw("app-layer-protocol", "http,final")->match(fp.packet));
  EXPECT_FALSE(flow_kw("app-layer-protocol", "tls")->match(fp.packet));
  EXPECT_TRUE(flow_kw("app-layer-protocol", "!tls")->match(fp.packet));
  EXPECT_FALSE(flow_kw("app-layer-protocol", "!http,to_server")->match(fp.packet));
  EXPECT_FALSE(flow_kw("app-layer-protocol", "smb")->match(fp.packet));
  EXPECT_TRUE(flow_kw("app-layer-protocol", "!smb")->match(fp.packet));
  fp.flow.app_proto = uint8_t(app::AppProto::kFailed);
  EXPECT_TRUE(flow_kw("app-layer-protocol", "failed")->match(fp.packet));
  fp.flow.app_proto = uint8_t(app::AppProto::kUnknown);
  EXPECT_FALSE(flow_kw("app-layer-protocol", "!tls")->match(fp.packet));
  EXPECT_EQ(parse_error("app-layer-protocol", "nosuch"),
            "app-layer-protocol: unknown protocol 'nosuch'");
  EXPECT_EQ(parse_error("app-layer-protocol", "http,sideways"),
            "app-layer-protocol: invalid mode 'sideways'");
}

// ------------------------------------------------------------- stream-event

TEST(StreamEvent, Match) {
  FlowPacket fp;
  auto k = flow_kw("stream-event", "reassembly_overlap_different_data");
  EXPECT_FALSE(k->match(fp.packet));
  fp.state->packet_events.push_back("stream.reassembly_overlap_different_data");
  EXPECT_TRUE(k->match(fp.packet));
  EXPECT_FALSE(flow_kw("stream-event", "pkt_retransmission")->match(fp.packet));
  EXPECT_EQ(parse_error("stream-event", "no_such_event"),
            "stream-event: unknown event 'no_such_event'");
  decode::Packet no_flow;
  EXPECT_FALSE(k->match(no_flow));
}

}  // namespace
}  // namespace pasban::detect::keywords
