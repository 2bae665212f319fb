// TLS wire parsing and fingerprints: hand-built hellos, JA3 against the
// published JA3 example, JA4 structure and Suricata's reference values,
// GREASE handling, and every truncation of a hello.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "app/tls/tls_fingerprint.h"
#include "app/tls/tls_wire.h"

namespace pasban::app::tls {
namespace {

class Out {
 public:
  void u8(unsigned v) { b_.push_back(uint8_t(v)); }
  void u16(unsigned v) { u8(v >> 8), u8(v); }
  void u24(unsigned v) { u8(v >> 16), u8(v >> 8), u8(v); }
  void raw(const std::vector<uint8_t>& v) { b_.insert(b_.end(), v.begin(), v.end()); }
  void str(const std::string& s) { b_.insert(b_.end(), s.begin(), s.end()); }
  // Opens a length-prefixed vector of `width` bytes; close() fills it in.
  size_t open(int width) {
    size_t at = b_.size();
    for (int i = 0; i < width; ++i) u8(0);
    marks_.push_back({at, width});
    return at;
  }
  void close() {
    auto [at, width] = marks_.back();
    marks_.pop_back();
    size_t len = b_.size() - at - width;
    for (int i = 0; i < width; ++i) b_[at + i] = uint8_t(len >> (8 * (width - 1 - i)));
  }
  std::vector<uint8_t> take() { return std::move(b_); }

 private:
  std::vector<uint8_t> b_;
  std::vector<std::pair<size_t, int>> marks_;
};

struct HelloSpec {
  uint16_t version = 0x0303;
  std::vector<uint16_t> ciphers;
  // Extensions in wire order; the bodies of known types are generated.
  std::vector<uint16_t> extensions;
  std::string sni;
  std::vector<uint16_t> groups, sig_algs, versions;
  std::vector<uint8_t> point_formats;
  std::vector<std::string> alpns;
};

std::vector<uint8_t> client_hello_body(const HelloSpec& h) {
  Out o;
  o.u16(h.version);
  for (int i = 0; i < 32; ++i) o.u8(i);
  o.u8(0);  // session id
  o.open(2);
  for (uint16_t c : h.ciphers) o.u16(c);
  o.close();
  o.u8(1), o.u8(0);  // null compression
  o.open(2);
  for (uint16_t e : h.extensions) {
    o.u16(e);
    o.open(2);
    switch (e) {
      case kExtServerName:
        o.open(2), o.u8(0), o.open(2), o.str(h.sni), o.close(), o.close();
        break;
      case kExtSupportedGroups:
        o.open(2);
        for (uint16_t g : h.groups) o.u16(g);
        o.close();
        break;
      case kExtEcPointFormats:
        o.open(1);
        for (uint8_t p : h.point_formats) o.u8(p);
        o.close();
        break;
      case kExtSignatureAlgorithms:
        o.open(2);
        for (uint16_t s : h.sig_algs) o.u16(s);
        o.close();
        break;
      case kExtAlpn:
        o.open(2);
        for (const auto& a : h.alpns) o.open(1), o.str(a), o.close();
        o.close();
        break;
      case kExtSupportedVersions:
        o.open(1);
        for (uint16_t v : h.versions) o.u16(v);
        o.close();
        break;
      default:
        break;  // empty body
    }
    o.close();
  }
  o.close();
  return o.take();
}

// The JA3 README's worked example (github.com/salesforce/ja3):
// "769,47-53-5-10-49161-49162-49171-49172-50-56-19-4,0-10-11,23-24-25,0"
// hashes to ada70206e40642a3e4461f35503241d5.
HelloSpec ja3_readme_hello() {
  HelloSpec h;
  h.version = 769;
  h.ciphers = {47, 53, 5, 10, 49161, 49162, 49171, 49172, 50, 56, 19, 4};
  h.extensions = {0, 10, 11};
  h.sni = "example.com";
  h.groups = {23, 24, 25};
  h.point_formats = {0};
  return h;
}

TEST(TlsWire, RecordHeader) {
  const uint8_t rec[] = {22, 3, 1, 0x01, 0x02};
  auto h = parse_record_header(rec);
  ASSERT_TRUE(h);
  EXPECT_EQ(h->type, 22);
  EXPECT_EQ(h->version, 0x0301);
  EXPECT_EQ(h->length, 0x0102);
  EXPECT_FALSE(parse_record_header(core::Bytes(rec, 4)));
  EXPECT_TRUE(is_known_content_type(20));
  EXPECT_FALSE(is_known_content_type(25));
  EXPECT_TRUE(is_valid_record_version(0x0300));
  EXPECT_TRUE(is_valid_record_version(0x0304));
  EXPECT_FALSE(is_valid_record_version(0x0305));
  EXPECT_FALSE(is_valid_record_version(0x0200));
}

TEST(TlsWire, VersionStrings) {
  EXPECT_EQ(version_string(0x0000), "UNDETERMINED");
  EXPECT_EQ(version_string(0x0200), "SSLv2");
  EXPECT_EQ(version_string(0x0300), "SSLv3");
  EXPECT_EQ(version_string(0x0301), "TLSv1");
  EXPECT_EQ(version_string(0x0302), "TLS 1.1");
  EXPECT_EQ(version_string(0x0303), "TLS 1.2");
  EXPECT_EQ(version_string(0x0304), "TLS 1.3");
  EXPECT_EQ(version_string(0x7f1c), "TLS 1.3 draft-28");
  EXPECT_EQ(version_string(0x7f10), "TLS 1.3 draft-16");
  EXPECT_EQ(version_string(0x7f01), "TLS 1.3 draft-<16");
  EXPECT_EQ(version_string(0xfb1a), "TLS 1.3 draft-26-fb");
  EXPECT_EQ(version_string(0x1234), "4660");  // Suricata 8 prints unknowns in decimal
}

TEST(TlsWire, Grease) {
  for (unsigned hi = 0; hi < 16; ++hi) {
    uint16_t g = uint16_t((hi << 4 | 0xa) << 8 | (hi << 4 | 0xa));
    EXPECT_TRUE(is_grease(g)) << g;
  }
  EXPECT_FALSE(is_grease(0x0a1a));
  EXPECT_FALSE(is_grease(0x1301));
  EXPECT_FALSE(is_grease(0x0000));
}

TEST(TlsWire, ClientHelloFields) {
  HelloSpec h;
  h.ciphers = {0x1301, 0x1302};
  h.extensions = {kExtServerName, kExtSupportedGroups, kExtEcPointFormats, kExtSignatureAlgorithms,
                  kExtAlpn, kExtSupportedVersions};
  h.sni = "www.example.org";
  h.groups = {29, 23};
  h.point_formats = {0};
  h.sig_algs = {0x0403, 0x0804};
  h.alpns = {"h2", "http/1.1"};
  h.versions = {0x0304, 0x0303};
  ClientHello ch;
  ASSERT_EQ(parse_client_hello(client_hello_body(h), ch), WireError::kNone);
  EXPECT_EQ(ch.version, 0x0303);
  EXPECT_EQ(ch.random[31], 31);
  EXPECT_TRUE(ch.has_sni);
  EXPECT_EQ(ch.sni, "www.example.org");
  EXPECT_EQ(ch.ciphers, h.ciphers);
  EXPECT_EQ(ch.extensions, h.extensions);
  EXPECT_EQ(ch.groups, h.groups);
  EXPECT_EQ(ch.ec_point_formats, h.point_formats);
  EXPECT_EQ(ch.sig_algs, h.sig_algs);
  EXPECT_EQ(ch.alpns, h.alpns);
  EXPECT_EQ(ch.supported_versions, h.versions);
}

TEST(TlsWire, ClientHelloWithoutExtensions) {
  HelloSpec h;
  h.ciphers = {0x002f};
  auto body = client_hello_body(h);
  body.erase(body.end() - 2, body.end());  // no extensions block at all
  ClientHello ch;
  EXPECT_EQ(parse_client_hello(body, ch), WireError::kNone);
  EXPECT_EQ(ja3_string(ch), "771,47,,,");
}

TEST(TlsWire, SniAnomalies) {
  HelloSpec h;
  h.extensions = {kExtServerName};
  h.sni = std::string(256, 'a');
  ClientHello ch;
  EXPECT_EQ(parse_client_hello(client_hello_body(h), ch), WireError::kInvalidSniLength);

  h.sni = "a.example";
  h.extensions = {kExtServerName, kExtServerName};
  ClientHello twice;
  EXPECT_EQ(parse_client_hello(client_hello_body(h), twice), WireError::kNone);
  EXPECT_TRUE(twice.multiple_sni);
  EXPECT_EQ(twice.sni, "a.example");

  auto body = client_hello_body(h);
  // The first name's type byte: after the fixed part and ext headers.
  size_t type_at = 2 + 32 + 1 + 2 + 0 + 2 + 2 + 4 + 2;
  ASSERT_EQ(body[type_at], 0);
  body[type_at] = 7;
  ClientHello bad_type;
  EXPECT_EQ(parse_client_hello(body, bad_type), WireError::kInvalidSniType);
}

TEST(TlsWire, Ja3ReadmeExample) {
  ClientHello ch;
  ASSERT_EQ(parse_client_hello(client_hello_body(ja3_readme_hello()), ch), WireError::kNone);
  std::string s = ja3_string(ch);
  EXPECT_EQ(s, "769,47-53-5-10-49161-49162-49171-49172-50-56-19-4,0-10-11,23-24-25,0");
  EXPECT_EQ(md5_hex(s), "ada70206e40642a3e4461f35503241d5");
}

TEST(TlsWire, Ja3SkipsGrease) {
  HelloSpec h = ja3_readme_hello();
  h.ciphers.insert(h.ciphers.begin(), 0x2a2a);
  h.extensions.insert(h.extensions.begin(), 0xdada);
  h.groups.insert(h.groups.begin(), 0x8a8a);
  ClientHello ch;
  ASSERT_EQ(parse_client_hello(client_hello_body(h), ch), WireError::kNone);
  EXPECT_EQ(ja3_string(ch), "769,47-53-5-10-49161-49162-49171-49172-50-56-19-4,0-10-11,23-24-25,0");
}

TEST(TlsWire, Ja3s) {
  ServerHello sh;
  sh.version = 0x0303;
  sh.cipher = 0x1301;
  sh.extensions = {43, 51};
  EXPECT_EQ(ja3s_string(sh), "771,4865,43-51");
}

// Suricata's ja4.rs unit test: a hello with nothing in it.
TEST(TlsWire, Ja4EmptyMatchesSuricata) {
  ClientHello ch;
  EXPECT_EQ(ja4(ch), "t00i000000_e3b0c44298fc_d2e2adf7177b");
  ch.version = 0x0303;
  EXPECT_EQ(ja4(ch), "t12i000000_e3b0c44298fc_d2e2adf7177b");
  EXPECT_EQ(ja4(ch, true), "q12i000000_e3b0c44298fc_d2e2adf7177b");
}

// Suricata's ja4.rs: SNI and ALPN count but are not hashed; ciphers sorted.
TEST(TlsWire, Ja4MatchesSuricataReference) {
  ClientHello ch;
  ch.version = 0x0303;
  ch.extensions = {0x0a0a, 0x0000, 0x0010};
  ch.alpns = {"h3-16"};
  ch.ciphers = {0x1111, 0x0a20, 0xbada};
  EXPECT_EQ(ja4(ch, true), "q12d0302h6_f500716053f9_d2e2adf7177b");
  ch.extensions.insert(ch.extensions.end(), {0xface, 0x0121, 0x1234});
  ch.sig_algs = {0x6666};
  EXPECT_EQ(ja4(ch, true), "q12d0305h6_f500716053f9_2debc8880bae");
}

TEST(TlsWire, Ja4Structure) {
  HelloSpec h;
  h.version = 0x0303;
  h.ciphers = {0x1a1a, 0x1301, 0x1302, 0x1303};
  h.extensions = {0x2a2a, kExtServerName, kExtAlpn, kExtSupportedVersions, kExtSignatureAlgorithms};
  h.sni = "example.net";
  h.alpns = {"h2"};
  h.versions = {0x3a3a, 0x0304, 0x0303};
  h.sig_algs = {0x0403};
  ClientHello ch;
  ASSERT_EQ(parse_client_hello(client_hello_body(h), ch), WireError::kNone);
  std::string j = ja4(ch);
  ASSERT_EQ(j.size(), 36u);
  EXPECT_EQ(j.substr(0, 10), "t13d0304h2");  // GREASE neither counted nor a version
  EXPECT_EQ(j[10], '_');
  EXPECT_EQ(j[23], '_');
  for (size_t i : {11u, 22u, 24u, 35u}) EXPECT_TRUE(isxdigit(uint8_t(j[i])));
  // A single-byte ALPN or none gives "00"; no SNI gives 'i'.
  ch.alpns = {"x"};
  ch.extensions = {kExtAlpn};
  EXPECT_EQ(ja4(ch).substr(0, 10), "t13i030100");
}

TEST(TlsWire, ServerHello) {
  Out o;
  o.u16(0x0303);
  for (int i = 0; i < 32; ++i) o.u8(0xee);
  o.u8(2), o.u8(0xaa), o.u8(0xbb);
  o.u16(0x1301);
  o.u8(0);
  o.open(2);
  o.u16(kExtSupportedVersions), o.open(2), o.u16(0x0304), o.close();
  o.u16(kExtAlpn), o.open(2), o.open(2), o.open(1), o.str("h2"), o.close(), o.close(), o.close();
  o.close();
  ServerHello sh;
  ASSERT_EQ(parse_server_hello(o.take(), sh), WireError::kNone);
  EXPECT_EQ(sh.cipher, 0x1301);
  EXPECT_EQ(sh.session_id, (std::vector<uint8_t>{0xaa, 0xbb}));
  ASSERT_TRUE(sh.selected_version);
  EXPECT_EQ(*sh.selected_version, 0x0304);
  EXPECT_EQ(sh.alpns, std::vector<std::string>{"h2"});
  EXPECT_EQ(sh.extensions, (std::vector<uint16_t>{43, 16}));
}

TEST(TlsWire, CertificateList) {
  Out o;
  o.open(3);
  o.open(3), o.str("AAAA"), o.close();
  o.open(3), o.str("BB"), o.close();
  o.close();
  auto body = o.take();
  std::vector<core::Bytes> certs;
  ASSERT_EQ(parse_certificate_list(body, false, certs), WireError::kNone);
  ASSERT_EQ(certs.size(), 2u);
  EXPECT_EQ(core::as_chars(certs[0]), "AAAA");
  EXPECT_EQ(core::as_chars(certs[1]), "BB");
  body[5] = 0x40;  // first certificate claims more than the list holds
  certs.clear();
  EXPECT_NE(parse_certificate_list(body, false, certs), WireError::kNone);
}

TEST(TlsWire, Sslv2ClientHello) {
  Out o;
  o.u8(1), o.u16(0x0301), o.u16(6), o.u16(0), o.u16(16);
  o.u24(0x010080), o.u24(0x00002f);
  for (int i = 0; i < 16; ++i) o.u8(i);
  auto msg = o.take();
  std::vector<uint8_t> rec = {uint8_t(0x80 | msg.size() >> 8), uint8_t(msg.size())};
  rec.insert(rec.end(), msg.begin(), msg.end());
  Sslv2ClientHello h;
  ASSERT_EQ(parse_sslv2_client_hello(rec, h), 1);
  EXPECT_EQ(h.version, 0x0301);
  EXPECT_EQ(h.cipher_specs, (std::vector<uint32_t>{0x010080, 0x00002f}));
  EXPECT_EQ(h.record_len, rec.size());
  EXPECT_EQ(parse_sslv2_client_hello(core::Bytes(rec).first(10), h), 0);
  rec[0] = 0x16;
  EXPECT_EQ(parse_sslv2_client_hello(rec, h), -1);
}

// Every prefix of a hello is rejected or parsed without reading past it
// (AddressSanitizer checks the reads).
TEST(TlsWire, EveryTruncation) {
  HelloSpec h = ja3_readme_hello();
  h.extensions.insert(h.extensions.end(), {kExtAlpn, kExtSignatureAlgorithms, kExtSupportedVersions});
  h.alpns = {"h2", "http/1.1"};
  h.sig_algs = {0x0403};
  h.versions = {0x0304};
  auto body = client_hello_body(h);
  // Cut right after the compression methods, the hello is whole without
  // extensions (RFC 5246 7.4.1.2).
  const size_t no_extensions = 2 + 32 + 1 + 2 + 2 * h.ciphers.size() + 2;
  for (size_t n = 0; n <= body.size(); ++n) {
    std::vector<uint8_t> cut(body.begin(), body.begin() + n);
    ClientHello ch;
    ServerHello sh;
    std::vector<core::Bytes> certs;
    WireError e = parse_client_hello(cut, ch);
    if (n < body.size() && n != no_extensions) EXPECT_NE(e, WireError::kNone) << n;
    parse_server_hello(cut, sh);
    parse_certificate_list(cut, n % 2 == 0, certs);
    Sslv2ClientHello v2;
    parse_sslv2_client_hello(cut, v2);
    ja3_string(ch);
    ja4(ch);
  }
}

}  // namespace
}  // namespace pasban::app::tls
