// DNS parser: transactions, events, buffers, TCP framing and the EVE
// record, checked field by field against what Suricata 8 writes (version 3,
// rust/src/dns/log.rs) and what suricata-verify's dns tests expect.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <functional>
#include <string>
#include <vector>

#include "app/dns/dns_parser.h"

namespace pasban::app::dns {
namespace {

struct Builder {
  std::vector<uint8_t> b;
  Builder& u8(uint8_t v) { b.push_back(v); return *this; }
  Builder& u16(uint16_t v) { b.push_back(uint8_t(v >> 8)); b.push_back(uint8_t(v)); return *this; }
  Builder& u32(uint32_t v) { u16(uint16_t(v >> 16)); return u16(uint16_t(v)); }
  Builder& raw(std::string_view s) { b.insert(b.end(), s.begin(), s.end()); return *this; }
  Builder& bytes(std::initializer_list<uint8_t> v) { b.insert(b.end(), v); return *this; }
  Builder& name(std::string_view n) {
    while (!n.empty()) {
      size_t dot = n.find('.');
      std::string_view label = n.substr(0, dot);
      u8(uint8_t(label.size())).raw(label);
      n = dot == std::string_view::npos ? std::string_view{} : n.substr(dot + 1);
    }
    return u8(0);
  }
  Builder& ptr(uint16_t off) { return u16(uint16_t(0xc000 | off)); }
  Builder& header(uint16_t id, uint16_t flags, uint16_t qd, uint16_t an, uint16_t ns = 0,
                  uint16_t ar = 0) {
    return u16(id).u16(flags).u16(qd).u16(an).u16(ns).u16(ar);
  }
  Builder& question(std::string_view n, uint16_t type) { return name(n).u16(type).u16(1); }
  // A record owned by the name at `owner`, rdata written by `fill`.
  Builder& rr(uint16_t owner, uint16_t type, uint32_t ttl, const std::function<void(Builder&)>& fill) {
    ptr(owner).u16(type).u16(1).u32(ttl).u16(0);
    const size_t start = b.size();
    fill(*this);
    const size_t len = b.size() - start;
    b[start - 2] = uint8_t(len >> 8);
    b[start - 1] = uint8_t(len);
    return *this;
  }
  core::Bytes view() const { return core::Bytes(b); }
  std::vector<uint8_t> tcp() const {  // with the 2-byte length prefix
    std::vector<uint8_t> out{uint8_t(b.size() >> 8), uint8_t(b.size())};
    out.insert(out.end(), b.begin(), b.end());
    return out;
  }
};

Builder request(uint16_t id, std::string_view qname, uint16_t type = kTypeA) {
  Builder m;
  m.header(id, 0x0100, 1, 0).question(qname, type);
  return m;
}

// The EVE dns record's object (both answer formats); `alert` gives the
// object alerts carry instead.
std::string log_json(const Transaction& t, bool alert = false) {
  rapidjson::StringBuffer sb;
  JsonWriter w(sb);
  w.StartObject();
  if (alert) t.log(w);
  else static_cast<const DnsTransaction&>(t).log_with(w, LogFormat{});
  w.EndObject();
  return sb.GetString();
}

// The "dns" object of a transaction's log, parsed back.
rapidjson::Document logged(const Transaction& t, bool alert = false) {
  rapidjson::Document d;
  d.Parse(log_json(t, alert).c_str());
  EXPECT_FALSE(d.HasParseError());
  EXPECT_TRUE(d.IsObject() && d.HasMember("dns"));
  rapidjson::Document dns;
  dns.CopyFrom(d["dns"], dns.GetAllocator());
  return dns;
}

std::string str(const rapidjson::Value& v) { return std::string(v.GetString(), v.GetStringLength()); }

std::vector<std::string> keys(const rapidjson::Value& obj) {
  std::vector<std::string> out;
  for (auto it = obj.MemberBegin(); it != obj.MemberEnd(); ++it) out.push_back(it->name.GetString());
  return out;
}

DnsTransaction* feed_one(DnsParser& p, bool to_server, const Builder& m) {
  const size_t before = p.tx_count();
  p.feed(to_server, m.view(), {});
  if (p.tx_count() != before + 1) return nullptr;
  return static_cast<DnsTransaction*>(p.tx(p.tx_count() - 1));
}

TEST(DnsParser, UdpRequestLog) {
  DnsParser p(false);
  DnsTransaction* tx = feed_one(p, true, request(28390, "code.msdn.microsoft.com"));
  ASSERT_NE(tx, nullptr);
  EXPECT_FALSE(tx->is_response);
  EXPECT_TRUE(tx->complete(true) && tx->complete(false));
  rapidjson::Document d = logged(*tx);
  // Field order as Suricata's log_json; absent flags are not written.
  EXPECT_EQ(keys(d), (std::vector<std::string>{"version", "type", "tx_id", "id", "flags", "rd",
                                               "opcode", "rcode", "queries"}));
  EXPECT_EQ(d["version"].GetInt(), 3);
  EXPECT_EQ(str(d["type"]), "request");
  EXPECT_EQ(d["tx_id"].GetUint64(), 0u);
  EXPECT_EQ(d["id"].GetUint(), 28390u);
  EXPECT_EQ(str(d["flags"]), "100");  // format!("{:x}"): no leading zero
  EXPECT_TRUE(d["rd"].GetBool());
  EXPECT_EQ(d["opcode"].GetUint(), 0u);
  EXPECT_EQ(str(d["rcode"]), "NOERROR");
  ASSERT_EQ(d["queries"].Size(), 1u);
  EXPECT_EQ(keys(d["queries"][0]), (std::vector<std::string>{"rrname", "rrtype"}));
  EXPECT_EQ(str(d["queries"][0]["rrname"]), "code.msdn.microsoft.com");
  EXPECT_EQ(str(d["queries"][0]["rrtype"]), "A");
}

// dns-z-bit's response: www.google.com A 142.251.32.68 ttl 58, flags 8180.
TEST(DnsParser, UdpResponseLog) {
  DnsParser p(false);
  ASSERT_NE(feed_one(p, true, request(1, "www.google.com")), nullptr);
  Builder m;
  m.header(1, 0x8180, 1, 1).question("www.google.com", kTypeA);
  m.rr(12, kTypeA, 58, [](Builder& b) { b.bytes({142, 251, 32, 68}); });
  DnsTransaction* tx = feed_one(p, false, m);
  ASSERT_NE(tx, nullptr);
  EXPECT_TRUE(tx->is_response);
  rapidjson::Document d = logged(*tx);
  EXPECT_EQ(keys(d), (std::vector<std::string>{"version", "type", "tx_id", "id", "flags", "qr",
                                               "rd", "ra", "opcode", "rcode", "queries",
                                               "answers", "grouped"}));
  EXPECT_EQ(str(d["type"]), "response");
  EXPECT_EQ(d["tx_id"].GetUint64(), 1u);  // request was tx 0
  EXPECT_EQ(d["id"].GetUint(), 1u);
  EXPECT_EQ(str(d["flags"]), "8180");
  EXPECT_TRUE(d["qr"].GetBool() && d["rd"].GetBool() && d["ra"].GetBool());
  EXPECT_EQ(str(d["queries"][0]["rrname"]), "www.google.com");
  const auto& a = d["answers"][0];
  EXPECT_EQ(keys(a), (std::vector<std::string>{"rrname", "rrtype", "ttl", "rdata"}));
  EXPECT_EQ(str(a["rrname"]), "www.google.com");
  EXPECT_EQ(str(a["rrtype"]), "A");
  EXPECT_EQ(a["ttl"].GetUint(), 58u);
  EXPECT_EQ(str(a["rdata"]), "142.251.32.68");
  EXPECT_EQ(str(d["grouped"]["A"][0]), "142.251.32.68");
}

// dns-udp-nxdomain-soa: NXDOMAIN with an SOA authority.
TEST(DnsParser, NxdomainSoaAuthority) {
  Builder m;
  m.header(9, 0x8183, 1, 0, 1, 0).question("dne.oisf.net", kTypeA);
  m.rr(16, kTypeSoa, 899, [](Builder& b) {
    b.name("ns-110.awsdns-13.com").name("awsdns-hostmaster.amazon.com");
    b.u32(1).u32(7200).u32(900).u32(1209600).u32(86400);
  });
  DnsParser p(false);
  DnsTransaction* tx = feed_one(p, false, m);
  ASSERT_NE(tx, nullptr);
  EXPECT_EQ(tx->rcode, 3);
  rapidjson::Document d = logged(*tx);
  EXPECT_EQ(str(d["rcode"]), "NXDOMAIN");
  EXPECT_FALSE(d.HasMember("answers"));
  EXPECT_FALSE(d.HasMember("grouped"));
  const auto& a = d["authorities"][0];
  EXPECT_EQ(str(a["rrname"]), "oisf.net");
  EXPECT_EQ(str(a["rrtype"]), "SOA");
  EXPECT_EQ(a["ttl"].GetUint(), 899u);
  EXPECT_FALSE(a.HasMember("rdata"));
  const auto& soa = a["soa"];
  EXPECT_EQ(keys(soa), (std::vector<std::string>{"mname", "rname", "serial", "refresh", "retry",
                                                 "expire", "minimum"}));
  EXPECT_EQ(str(soa["mname"]), "ns-110.awsdns-13.com");
  EXPECT_EQ(str(soa["rname"]), "awsdns-hostmaster.amazon.com");
  EXPECT_EQ(soa["serial"].GetUint(), 1u);
  EXPECT_EQ(soa["refresh"].GetUint(), 7200u);
  EXPECT_EQ(soa["retry"].GetUint(), 900u);
  EXPECT_EQ(soa["expire"].GetUint(), 1209600u);
  EXPECT_EQ(soa["minimum"].GetUint(), 86400u);
  // dns.response.rrname covers the query name and the SOA mname.
  core::Bytes out;
  std::vector<std::string> names;
  for (uint32_t i = 0; tx->buffer(AppBuffer::kDnsResponseRrname, i, out); ++i)
    names.emplace_back(core::as_chars(out));
  EXPECT_EQ(names, (std::vector<std::string>{"dne.oisf.net", "oisf.net", "ns-110.awsdns-13.com"}));
}

// dns-udp-eve-log-srv.
TEST(DnsParser, SrvMxTxtAaaaNull) {
  Builder m;
  m.header(2, 0x8180, 1, 7).question("_sip._udp.sip.voice.google.com", kTypeSrv);
  m.rr(12, kTypeSrv, 300, [](Builder& b) { b.u16(20).u16(1).u16(5060).name("sip-anycast-2.voice.google.com"); });
  m.rr(12, kTypeSrv, 300, [](Builder& b) { b.u16(10).u16(1).u16(5060).name("sip-anycast-1.voice.google.com"); });
  m.rr(12, kTypeMx, 60, [](Builder& b) { b.u16(10).name("aspmx.l.google.com"); });
  m.rr(12, kTypeTxt, 60, [](Builder& b) { b.u8(6).raw("v=spf1").u8(4).raw("~all"); });
  m.rr(12, kTypeAaaa, 60, [](Builder& b) {
    b.bytes({0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1});
  });
  // dns-udp-null: NULL rdata with bytes that are not UTF-8.
  m.rr(12, kTypeNull, 0, [](Builder& b) { b.raw("VACKD").bytes({3, 0xc5, 0xe9, 1}); });
  m.rr(12, 999, 0, [](Builder& b) { b.bytes({1, 2}); });
  DnsParser p(false);
  DnsTransaction* tx = feed_one(p, false, m);
  ASSERT_NE(tx, nullptr);
  rapidjson::Document d = logged(*tx);
  const auto& ans = d["answers"];
  ASSERT_EQ(ans.Size(), 8u);  // the TXT record is two entries
  EXPECT_EQ(keys(ans[0]), (std::vector<std::string>{"rrname", "rrtype", "ttl", "srv"}));
  EXPECT_EQ(ans[0]["srv"]["priority"].GetUint(), 20u);
  EXPECT_EQ(ans[0]["srv"]["weight"].GetUint(), 1u);
  EXPECT_EQ(ans[0]["srv"]["port"].GetUint(), 5060u);
  EXPECT_EQ(str(ans[0]["srv"]["name"]), "sip-anycast-2.voice.google.com");
  EXPECT_EQ(ans[1]["srv"]["priority"].GetUint(), 10u);
  EXPECT_EQ(str(ans[2]["rrtype"]), "MX");
  EXPECT_EQ(str(ans[2]["rdata"]), "aspmx.l.google.com");  // exchange only
  EXPECT_EQ(str(ans[3]["rdata"]), "v=spf1");
  EXPECT_EQ(str(ans[4]["rdata"]), "~all");
  EXPECT_EQ(str(ans[4]["rrtype"]), "TXT");
  EXPECT_EQ(str(ans[5]["rdata"]), "2001:0db8:0000:0000:0000:0000:0000:0001");
  EXPECT_EQ(str(ans[6]["rrtype"]), "NULL");
  EXPECT_EQ(str(ans[6]["rdata"]), std::string("VACKD\x03\\xc5\\xe9\x01"));
  EXPECT_EQ(str(ans[7]["rrtype"]), "999");
  EXPECT_FALSE(ans[7].HasMember("rdata"));
  const auto& g = d["grouped"];
  EXPECT_EQ(keys(g), (std::vector<std::string>{"SRV", "MX", "TXT", "AAAA", "NULL"}));
  EXPECT_EQ(g["SRV"].Size(), 2u);
  EXPECT_EQ(str(g["SRV"][1]["name"]), "sip-anycast-1.voice.google.com");
  EXPECT_EQ(str(g["MX"][0]), "aspmx.l.google.com");
  EXPECT_EQ(g["TXT"].Size(), 2u);
  EXPECT_EQ(str(g["AAAA"][0]), "2001:0db8:0000:0000:0000:0000:0000:0001");
  EXPECT_EQ(tx->answer_types,
            (std::vector<uint16_t>{kTypeSrv, kTypeSrv, kTypeMx, kTypeTxt, kTypeAaaa, kTypeNull, 999}));
  EXPECT_EQ(tx->query_types, (std::vector<uint16_t>{kTypeSrv}));
}

TEST(DnsParser, AdditionalsSkipEmptyOpt) {
  Builder empty_opt;
  empty_opt.header(3, 0x0120, 1, 0, 0, 1).question("suricata.io", kTypeA);
  empty_opt.u8(0).u16(kTypeOpt).u16(4096).u32(0).u16(0);
  Builder cookie;
  cookie.header(4, 0x0120, 1, 0, 0, 1).question("suricata.io", kTypeA);
  cookie.u8(0).u16(kTypeOpt).u16(4096).u32(0).u16(12).u16(10).u16(8);
  cookie.bytes({0x51, 0x67, 0xb8, 0x38, 0x13, 0x98, 0x82, 0x4f});
  DnsParser p(false);
  DnsTransaction* a = feed_one(p, true, empty_opt);
  DnsTransaction* b = feed_one(p, true, cookie);
  ASSERT_TRUE(a && b);
  EXPECT_FALSE(logged(*a).HasMember("additionals"));
  rapidjson::Document d = logged(*b);
  const auto& add = d["additionals"][0];
  EXPECT_EQ(str(add["rrname"]), "");
  EXPECT_EQ(str(add["rrtype"]), "OPT");
  EXPECT_EQ(add["ttl"].GetUint(), 0u);
  EXPECT_EQ(add["opt"][0]["code"].GetUint(), 10u);
  EXPECT_EQ(str(add["opt"][0]["data"]), "5167b8381398824f");
  EXPECT_EQ(str(d["flags"]), "120");
}

TEST(DnsParser, ZFlagAndOpcodeEvents) {
  DnsParser p(false);
  Builder z;
  z.header(1, 0x0140, 1, 0).question("www.google.com", kTypeA);
  DnsTransaction* tx = feed_one(p, true, z);
  ASSERT_NE(tx, nullptr);
  EXPECT_TRUE(logged(*tx)["z"].GetBool());
  EXPECT_EQ(p.events, (std::vector<std::string_view>{"dns.z_flag_set"}));
  EXPECT_EQ(tx->events, (std::vector<std::string_view>{"dns.z_flag_set"}));
  p.events.clear();

  Builder notify;  // opcode 4 (NOTIFY) is valid
  notify.header(2, 4 << 11, 1, 0).question("example.com", kTypeSoa);
  tx = feed_one(p, true, notify);
  ASSERT_NE(tx, nullptr);
  EXPECT_EQ(tx->opcode, 4);
  EXPECT_EQ(logged(*tx)["opcode"].GetUint(), 4u);
  EXPECT_TRUE(p.events.empty());

  Builder bad;
  bad.header(3, 7 << 11, 1, 0).question("example.com", kTypeA);
  tx = feed_one(p, true, bad);
  ASSERT_NE(tx, nullptr);
  EXPECT_EQ(p.events, (std::vector<std::string_view>{"dns.invalid_opcode"}));
  EXPECT_EQ(p.event_count(DnsEvent::kInvalidOpcode), 1u);
}

TEST(DnsParser, DirectionEvents) {
  DnsParser p(false);
  Builder resp;
  resp.header(5, 0x8180, 1, 0).question("a.example", kTypeA);
  // A response sent to the server, with no transaction yet: rejected, the
  // event has no transaction to sit on (Suricata drops it) but is counted.
  EXPECT_EQ(feed_one(p, true, resp), nullptr);
  EXPECT_TRUE(p.events.empty());
  EXPECT_EQ(p.event_count(DnsEvent::kNotRequest), 1u);

  DnsTransaction* first = feed_one(p, true, request(6, "b.example"));
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(feed_one(p, true, resp), nullptr);
  EXPECT_EQ(p.events, (std::vector<std::string_view>{"dns.not_request"}));
  EXPECT_EQ(first->events, (std::vector<std::string_view>{"dns.not_request"}));
  p.events.clear();

  // A query sent to the client still makes a response transaction.
  DnsTransaction* tx = feed_one(p, false, request(7, "c.example"));
  ASSERT_NE(tx, nullptr);
  EXPECT_TRUE(tx->is_response);
  EXPECT_EQ(str(logged(*tx)["type"]), "response");
  EXPECT_EQ(p.events, (std::vector<std::string_view>{"dns.not_response"}));
}

TEST(DnsParser, MalformedAndBadHeaderOnUdp) {
  DnsParser p(false);
  ASSERT_NE(feed_one(p, true, request(1, "ok.example")), nullptr);
  Builder cut = request(2, "cut.example");
  cut.b.resize(cut.b.size() - 3);  // type/class cut
  EXPECT_EQ(feed_one(p, true, cut), nullptr);
  EXPECT_EQ(p.events, (std::vector<std::string_view>{"dns.malformed_data"}));
  p.events.clear();
  Builder junk;  // a request without questions fails the header check: ignored
  junk.header(3, 0x0100, 0, 0);
  EXPECT_EQ(feed_one(p, true, junk), nullptr);
  EXPECT_TRUE(p.events.empty());
  EXPECT_FALSE(p.failed());
  // UDP carries on after errors.
  EXPECT_NE(feed_one(p, true, request(4, "again.example")), nullptr);
}

TEST(DnsParser, LongNameEventAndTruncatedField) {
  std::string longname;
  for (int i = 0; i < 20; ++i) longname += std::string(60, 'a' + i) + ".";
  longname += "com";
  DnsParser p(false);
  DnsTransaction* tx = feed_one(p, true, request(1, longname));
  ASSERT_NE(tx, nullptr);
  EXPECT_EQ(p.events, (std::vector<std::string_view>{"dns.name_too_long"}));
  rapidjson::Document d = logged(*tx);
  EXPECT_EQ(keys(d["queries"][0]), (std::vector<std::string>{"rrname", "rrtype", "rrname_truncated"}));
  EXPECT_EQ(d["queries"][0]["rrname"].GetStringLength(), 1025u);
  EXPECT_TRUE(d["queries"][0]["rrname_truncated"].GetBool());
}

TEST(DnsParser, InfiniteLoopAndLabelLimitEvents) {
  Builder self;  // "abc" + pointer to a self-pointer
  self.header(1, 0x0100, 1, 0).raw("\x03" "abc").ptr(22).u16(1).u16(1).ptr(22);
  Builder cycle;  // two pointers pointing at each other
  cycle.header(2, 0x0100, 1, 0).ptr(18).u16(1).u16(1).ptr(20).ptr(18);
  DnsParser p(false);
  ASSERT_NE(feed_one(p, true, self), nullptr);
  EXPECT_EQ(p.events, (std::vector<std::string_view>{"dns.infinite_loop"}));
  p.events.clear();
  ASSERT_NE(feed_one(p, true, cycle), nullptr);
  EXPECT_EQ(p.events, (std::vector<std::string_view>{"dns.too_many_labels"}));
}

TEST(DnsParser, InvalidSectionsEvents) {
  Builder m;  // dns-corrupt-additionals: answers fine, additional cut
  m.header(60246, 0x8180, 1, 1, 0, 1).question("_sip._udp.sip.voice.google.com", kTypeSrv);
  m.rr(12, kTypeSrv, 300, [](Builder& b) { b.u16(20).u16(1).u16(5060).name("sip.google.com"); });
  m.u8(0).u16(kTypeOpt).u16(512).u32(0).u16(30).u16(10);
  DnsParser p(false);
  DnsTransaction* tx = feed_one(p, false, m);
  ASSERT_NE(tx, nullptr);
  EXPECT_EQ(p.events, (std::vector<std::string_view>{"dns.invalid_additionals"}));
  rapidjson::Document d = logged(*tx);
  EXPECT_EQ(str(d["answers"][0]["rrname"]), "_sip._udp.sip.voice.google.com");
  EXPECT_FALSE(d.HasMember("additionals"));
}

TEST(DnsParser, Buffers) {
  Builder q;
  q.header(1, 0x0100, 2, 0).question("first.example", kTypeA).question("second.example", kTypeAaaa);
  Builder r;
  r.header(1, 0x8180, 1, 2, 0, 1).question("www.example.com", kTypeA);
  r.rr(12, kTypeCname, 5, [](Builder& b) { b.name("cdn.example.net"); });
  r.rr(12, kTypeA, 5, [](Builder& b) { b.bytes({1, 2, 3, 4}); });
  r.rr(16, kTypeA, 5, [](Builder& b) { b.bytes({5, 6, 7, 8}); });
  DnsParser p(false);
  DnsTransaction* req = feed_one(p, true, q);
  DnsTransaction* resp = feed_one(p, false, r);
  ASSERT_TRUE(req && resp);
  core::Bytes out;
  auto get = [&](DnsTransaction* t, AppBuffer b, uint32_t i) -> std::string {
    return t->buffer(b, i, out) ? std::string(core::as_chars(out)) : "<none>";
  };
  EXPECT_EQ(get(req, AppBuffer::kDnsQuery, 0), "first.example");
  EXPECT_EQ(get(req, AppBuffer::kDnsQuery, 1), "second.example");
  EXPECT_EQ(get(req, AppBuffer::kDnsQuery, 2), "<none>");
  EXPECT_EQ(get(req, AppBuffer::kDnsQueriesRrname, 1), "second.example");
  EXPECT_EQ(get(resp, AppBuffer::kDnsQuery, 0), "<none>");  // to_server only
  EXPECT_EQ(get(resp, AppBuffer::kDnsQueriesRrname, 0), "www.example.com");
  EXPECT_EQ(get(resp, AppBuffer::kDnsAnswerName, 1), "www.example.com");
  EXPECT_EQ(get(resp, AppBuffer::kDnsAnswersRrname, 2), "<none>");
  EXPECT_EQ(get(resp, AppBuffer::kDnsAdditionalsRrname, 0), "example.com");
  EXPECT_EQ(get(resp, AppBuffer::kDnsAuthoritiesRrname, 0), "<none>");
  EXPECT_EQ(get(req, AppBuffer::kDnsResponseRrname, 0), "<none>");
  std::vector<std::string> names;
  for (uint32_t i = 0; resp->buffer(AppBuffer::kDnsResponseRrname, i, out); ++i)
    names.emplace_back(core::as_chars(out));
  EXPECT_EQ(names, (std::vector<std::string>{"www.example.com", "www.example.com",
                                             "cdn.example.net", "www.example.com",
                                             "example.com"}));
  EXPECT_EQ(get(req, AppBuffer::kHttpUri, 0), "<none>");
  EXPECT_EQ(req->query_types, (std::vector<uint16_t>{kTypeA, kTypeAaaa}));
  EXPECT_FALSE(req->is_response);
  EXPECT_EQ(resp->rcode, 0);
}

// --- TCP ------------------------------------------------------------------

std::vector<std::string> all_logs(DnsParser& p) {
  std::vector<std::string> out;
  for (size_t i = 0; i < p.tx_count(); ++i) out.push_back(log_json(*p.tx(i)));
  return out;
}

// Two length-prefixed messages and a zero-length frame between them.
std::vector<uint8_t> two_message_stream(bool responses) {
  std::vector<uint8_t> s;
  Builder a = request(0x0101, "suricata.io");
  Builder b;
  if (responses) {
    b.header(0x0102, 0x8180, 1, 1).question("oisf.net", kTypeA);
    b.rr(12, kTypeA, 490, [](Builder& x) { x.bytes({35, 212, 0, 44}); });
    a.b[2] |= 0x80;  // make it a response too
  } else {
    b = request(0x0102, "oisf.net", kTypeMx);
  }
  auto ta = a.tcp(), tb = b.tcp();
  s.insert(s.end(), ta.begin(), ta.end());
  s.insert(s.end(), {0, 0});
  s.insert(s.end(), tb.begin(), tb.end());
  return s;
}

TEST(DnsParser, TcpSplitAtEveryPointAndByteByByte) {
  for (bool to_server : {true, false}) {
    SCOPED_TRACE(to_server);
    const std::vector<uint8_t> stream = two_message_stream(!to_server);
    DnsParser whole(true);
    whole.feed(to_server, core::Bytes(stream), {});
    const std::vector<std::string> expected = all_logs(whole);
    ASSERT_EQ(expected.size(), 2u);
    EXPECT_TRUE(whole.events.empty());

    for (size_t cut = 0; cut <= stream.size(); ++cut) {
      SCOPED_TRACE(cut);
      DnsParser p(true);
      p.feed(to_server, core::Bytes(stream).first(cut), {});
      p.feed(to_server, core::Bytes(stream).subspan(cut), {});
      EXPECT_EQ(all_logs(p), expected);
    }
    DnsParser bytewise(true);
    for (size_t i = 0; i < stream.size(); ++i)
      bytewise.feed(to_server, core::Bytes(stream).subspan(i, 1), {});
    EXPECT_EQ(all_logs(bytewise), expected);
  }
}

TEST(DnsParser, TcpBothDirectionsInterleaved) {
  // dns-tcp-www-google-com: request then response on one connection; the
  // response arrives in two segments with the request's direction between.
  Builder q = request(0x1234, "www.google.com");
  Builder r;
  r.header(0x1234, 0x8180, 1, 1).question("www.google.com", kTypeA);
  r.rr(12, kTypeA, 100, [](Builder& b) { b.bytes({142, 250, 1, 1}); });
  const auto tq = q.tcp(), tr = r.tcp();
  DnsParser p(true);
  p.feed(false, core::Bytes(tr).first(5), {});
  p.feed(true, core::Bytes(tq), {});
  p.feed(false, core::Bytes(tr).subspan(5), {});
  ASSERT_EQ(p.tx_count(), 2u);
  EXPECT_EQ(str(logged(*p.tx(0))["type"]), "request");
  EXPECT_EQ(str(logged(*p.tx(1))["type"]), "response");
  EXPECT_EQ(logged(*p.tx(1))["tx_id"].GetUint64(), 1u);
}

TEST(DnsParser, TcpMalformedGivesTheFlowUp) {
  Builder cut = request(1, "cut.example");
  cut.b.resize(cut.b.size() - 2);
  std::vector<uint8_t> s = request(0, "ok.example").tcp();
  auto tc = cut.tcp(), tn = request(2, "next.example").tcp();
  s.insert(s.end(), tc.begin(), tc.end());
  s.insert(s.end(), tn.begin(), tn.end());
  DnsParser p(true);
  p.feed(true, core::Bytes(s), {});
  EXPECT_EQ(p.tx_count(), 1u);
  EXPECT_TRUE(p.failed());
  EXPECT_EQ(p.events, (std::vector<std::string_view>{"dns.malformed_data"}));
  p.feed(true, core::Bytes(request(3, "later.example").tcp()), {});
  EXPECT_EQ(p.tx_count(), 1u);
}

TEST(DnsParser, TcpGapResynchronises) {
  DnsParser p(true);
  auto a = request(1, "a.example").tcp();
  p.feed(true, core::Bytes(a).first(7), {});
  p.on_gap(true);
  // Not a DNS frame: dropped while the gap flag is up.
  const uint8_t junk[] = {0xff, 0xff, 'G', 'E', 'T', ' ', '/', ' ', 'H', 'T', 'T', 'P', '/', '1', '.', '1'};
  p.feed(true, core::Bytes(junk), {});
  EXPECT_EQ(p.tx_count(), 0u);
  EXPECT_FALSE(p.failed());
  p.feed(true, core::Bytes(request(2, "b.example").tcp()), {});
  ASSERT_EQ(p.tx_count(), 1u);
  EXPECT_EQ(logged(*p.tx(0))["id"].GetUint(), 2u);
}

TEST(DnsParser, TrimDropsLoggedTransactions) {
  DnsParser p(false);
  for (uint16_t i = 0; i < 3; ++i) ASSERT_NE(feed_one(p, true, request(i, "x.example")), nullptr);
  p.tx(0)->logged = true;
  p.tx(1)->logged = true;
  p.trim();
  ASSERT_EQ(p.tx_count(), 1u);
  EXPECT_EQ(p.tx(0)->tx_id, 2u);
  EXPECT_EQ(p.tx(1), nullptr);
  ASSERT_NE(feed_one(p, true, request(9, "y.example")), nullptr);
  EXPECT_EQ(p.tx(1)->tx_id, 3u);  // ids keep counting
}

TEST(DnsParser, TransactionCap) {
  DnsParser p(false);
  const Builder q = request(1, "cap.example");
  for (size_t i = 0; i < DnsParser::kMaxTransactions + 3; ++i) p.feed(true, q.view(), {});
  EXPECT_EQ(p.tx_count(), DnsParser::kMaxTransactions);
  EXPECT_EQ(p.dropped_transactions(), 3u);
  EXPECT_EQ(p.tx(0)->tx_id, 3u);
}

TEST(DnsParser, Probe) {
  const Builder q = request(1, "probe.example");
  ProbeResult r = dns_probe(q.view(), false);
  EXPECT_EQ(r.verdict, 1);
  EXPECT_TRUE(r.is_request);
  Builder resp;
  resp.header(1, 0x8180, 1, 0).question("probe.example", kTypeA);
  r = dns_probe(resp.view(), false);
  EXPECT_EQ(r.verdict, 1);
  EXPECT_FALSE(r.is_request);
  const std::string http = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
  EXPECT_EQ(dns_probe(core::as_bytes(http), false).verdict, -1);
  EXPECT_EQ(dns_probe(core::as_bytes(http), true).verdict, -1);
  EXPECT_EQ(dns_probe(q.view().first(5), false).verdict, -1);
  const auto t = q.tcp();
  EXPECT_EQ(dns_probe(core::Bytes(t), true).verdict, 1);
  EXPECT_EQ(dns_probe(core::Bytes(t).first(10), true).verdict, 0);  // need a header
  EXPECT_EQ(dns_probe(core::Bytes(t).first(16), true).verdict, 1);  // header is plausible
  Builder cut = q;
  cut.b.pop_back();
  EXPECT_EQ(dns_probe(cut.view(), false).verdict, -1);

  const ProtocolSpec& spec = dns_protocol();
  EXPECT_EQ(spec.proto, AppProto::kDns);
  EXPECT_TRUE(spec.tcp && spec.udp);
  EXPECT_EQ(spec.default_ports, std::vector<uint16_t>{53});
  EXPECT_EQ(spec.probe(q.view(), true), 1);
  EXPECT_EQ(spec.probe_tcp(core::Bytes(t), true), 1);
  auto udp = spec.create();
  auto tcp = spec.create_tcp();
  EXPECT_FALSE(static_cast<DnsParser*>(udp.get())->tcp());
  EXPECT_TRUE(static_cast<DnsParser*>(tcp.get())->tcp());
}

TEST(DnsParser, LogFormatOptions) {
  Builder r;
  r.header(1, 0x8180, 1, 1).question("a.example", kTypeA);
  r.rr(12, kTypeA, 5, [](Builder& b) { b.bytes({1, 2, 3, 4}); });
  DnsParser p(false);
  DnsTransaction* tx = feed_one(p, false, r);
  ASSERT_NE(tx, nullptr);
  for (auto [detailed, grouped] : {std::pair{true, false}, std::pair{false, true}}) {
    rapidjson::StringBuffer sb;
    JsonWriter w(sb);
    w.StartObject();
    tx->log_with(w, LogFormat{detailed, grouped});
    w.EndObject();
    rapidjson::Document d;
    d.Parse(sb.GetString());
    EXPECT_EQ(d["dns"].HasMember("answers"), detailed);
    EXPECT_EQ(d["dns"].HasMember("grouped"), grouped);
  }
}

// The dns object of record i under an eve-log output's options.
rapidjson::Document record_json(const DnsTransaction& tx, const DnsLogOptions& o, size_t i) {
  rapidjson::StringBuffer sb;
  JsonWriter w(sb);
  w.StartObject();
  tx.log_record(w, o, i);
  w.EndObject();
  rapidjson::Document d;
  d.Parse(sb.GetString());
  EXPECT_FALSE(d.HasParseError());
  rapidjson::Document dns;
  dns.CopyFrom(d["dns"], dns.GetAllocator());
  return dns;
}

TEST(DnsLog, RrtypeNamesAndFilter) {
  EXPECT_EQ(rrtype_by_name("a"), kTypeA);
  EXPECT_EQ(rrtype_by_name("AAAA"), kTypeAaaa);
  EXPECT_EQ(rrtype_by_name("mx"), kTypeMx);
  EXPECT_EQ(rrtype_by_name("uri"), uint16_t(256));
  EXPECT_EQ(rrtype_by_name("https"), uint16_t(65));
  EXPECT_FALSE(rrtype_by_name("bogus"));
  DnsLogOptions all;
  EXPECT_TRUE(all.type_enabled(999));  // every option default: every type
  DnsLogOptions no_requests;
  no_requests.requests = false;
  EXPECT_TRUE(no_requests.type_enabled(kTypeA));
  EXPECT_FALSE(no_requests.type_enabled(999));  // only types with a flag
  DnsLogOptions only_mx;
  only_mx.type_filter = true;
  only_mx.types = {kTypeMx};
  EXPECT_TRUE(only_mx.type_enabled(kTypeMx));
  EXPECT_FALSE(only_mx.type_enabled(kTypeA));
}

TEST(DnsLog, Version3Filters) {
  DnsParser p(false);
  DnsTransaction* q = feed_one(p, true, request(7, "mail.example", kTypeMx));
  ASSERT_NE(q, nullptr);
  DnsLogOptions o;
  EXPECT_EQ(q->eve_record_count(o), 1u);
  o.requests = false;
  EXPECT_EQ(q->eve_record_count(o), 0u);
  o.requests = true;
  o.type_filter = true;
  o.types = {kTypeA};
  EXPECT_EQ(q->eve_record_count(o), 0u);
  o.types = {kTypeMx};
  EXPECT_EQ(q->eve_record_count(o), 1u);
  rapidjson::Document d = record_json(*q, o, 0);
  EXPECT_EQ(d["version"].GetInt(), 3);
  EXPECT_EQ(str(d["type"]), "request");
  EXPECT_EQ(str(d["queries"][0]["rrtype"]), "MX");
}

TEST(DnsLog, Version2QueryAndAnswerRecords) {
  DnsParser p(false);
  Builder two;
  two.header(9, 0x0140, 2, 0).question("a.example", kTypeA).question("b.example", kTypeAaaa);
  DnsTransaction* q = feed_one(p, true, two);
  ASSERT_NE(q, nullptr);
  DnsLogOptions o;
  o.version = 2;
  ASSERT_EQ(q->eve_record_count(o), 2u);
  rapidjson::Document d0 = record_json(*q, o, 0), d1 = record_json(*q, o, 1);
  EXPECT_EQ(keys(d0), (std::vector<std::string>{"version", "type", "id", "rrname", "rrtype", "tx_id",
                                                 "z", "opcode"}));
  EXPECT_EQ(str(d0["type"]), "query");
  EXPECT_EQ(str(d0["rrname"]), "a.example");
  EXPECT_EQ(str(d1["rrtype"]), "AAAA");
  // The query loop stops at the first question filtered out.
  o.type_filter = true;
  o.types = {kTypeAaaa};
  EXPECT_EQ(q->eve_record_count(o), 0u);

  Builder r;
  r.header(9, 0x8180, 1, 1).question("a.example", kTypeA);
  r.rr(12, kTypeA, 60, [](Builder& b) { b.bytes({10, 0, 0, 1}); });
  DnsTransaction* a = feed_one(p, false, r);
  ASSERT_NE(a, nullptr);
  DnsLogOptions v2;
  v2.version = 2;
  ASSERT_EQ(a->eve_record_count(v2), 1u);
  rapidjson::Document ad = record_json(*a, v2, 0);
  EXPECT_EQ(str(ad["type"]), "answer");
  EXPECT_EQ(str(ad["flags"]), "8180");
  EXPECT_EQ(str(ad["rrname"]), "a.example");
  EXPECT_EQ(str(ad["rcode"]), "NOERROR");
  EXPECT_EQ(str(ad["answers"][0]["rdata"]), "10.0.0.1");
  EXPECT_EQ(str(ad["grouped"]["A"][0]), "10.0.0.1");
  v2.responses = false;
  EXPECT_EQ(a->eve_record_count(v2), 0u);
}

TEST(DnsLog, AlertObjectHasNoGroupedAnswers) {
  DnsParser p(false);
  Builder r;
  r.header(3, 0x8180, 1, 1).question("a.example", kTypeA);
  r.rr(12, kTypeA, 60, [](Builder& b) { b.bytes({10, 0, 0, 2}); });
  DnsTransaction* a = feed_one(p, false, r);
  ASSERT_NE(a, nullptr);
  rapidjson::Document d = logged(*a, true);
  EXPECT_TRUE(d.HasMember("answers"));
  EXPECT_FALSE(d.HasMember("grouped"));
}

}  // namespace
}  // namespace pasban::app::dns
