// DNS wire parsing: messages built by hand, byte by byte.
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "app/dns/dns_wire.h"

namespace pasban::app::dns {
namespace {

// Builds a DNS message; names are written as uncompressed labels.
struct Builder {
  std::vector<uint8_t> b;

  Builder& u8(uint8_t v) { b.push_back(v); return *this; }
  Builder& u16(uint16_t v) { b.push_back(uint8_t(v >> 8)); b.push_back(uint8_t(v)); return *this; }
  Builder& u32(uint32_t v) { u16(uint16_t(v >> 16)); return u16(uint16_t(v)); }
  Builder& raw(std::string_view s) { b.insert(b.end(), s.begin(), s.end()); return *this; }
  Builder& bytes(std::initializer_list<uint8_t> v) { b.insert(b.end(), v); return *this; }
  // "www.example.com" -> 3www7example3com0; "" -> the root.
  Builder& name(std::string_view n) {
    labels(n);
    return u8(0);
  }
  Builder& labels(std::string_view n) {
    while (!n.empty()) {
      size_t dot = n.find('.');
      std::string_view label = n.substr(0, dot);
      u8(uint8_t(label.size())).raw(label);
      n = dot == std::string_view::npos ? std::string_view{} : n.substr(dot + 1);
    }
    return *this;
  }
  Builder& ptr(uint16_t offset) { return u16(uint16_t(0xc000 | offset)); }
  Builder& header(uint16_t id, uint16_t flags, uint16_t qd, uint16_t an, uint16_t ns = 0,
                  uint16_t ar = 0) {
    return u16(id).u16(flags).u16(qd).u16(an).u16(ns).u16(ar);
  }
  Builder& question(std::string_view n, uint16_t type) { return name(n).u16(type).u16(1); }
  // Record header with an owner pointer; rdata appended by the caller with
  // rdlen computed by rr_end().
  size_t rr_begin_ptr(uint16_t owner, uint16_t type, uint32_t ttl) {
    ptr(owner).u16(type).u16(1).u32(ttl).u16(0);
    return b.size();
  }
  void rr_end(size_t rdata_start) {
    const size_t len = b.size() - rdata_start;
    b[rdata_start - 2] = uint8_t(len >> 8);
    b[rdata_start - 1] = uint8_t(len);
  }
  core::Bytes view() const { return core::Bytes(b); }
};

// A response to "example.com" A with one answer of the given type; the
// answer's owner points at the question name (offset 12).
Builder response_with(uint16_t type, const std::function<void(Builder&)>& rdata) {
  Builder m;
  m.header(0x1234, 0x8180, 1, 1).question("example.com", kTypeA);
  size_t s = m.rr_begin_ptr(12, type, 300);
  rdata(m);
  m.rr_end(s);
  return m;
}

TEST(DnsWire, HeaderFields) {
  Builder m;
  m.header(0xabcd, 0x8000 | (4 << 11) | 0x0400 | 0x0200 | 0x0100 | 0x0080 | 0x0040 | 0x20 | 0x10 | 3,
           1, 0)
      .question("a.b", kTypeA);
  Message msg;
  ASSERT_EQ(parse_message(m.view(), msg), ParseStatus::kOk);
  const Header& h = msg.header;
  EXPECT_EQ(h.id, 0xabcd);
  EXPECT_TRUE(h.qr());
  EXPECT_EQ(h.opcode(), 4);
  EXPECT_TRUE(h.aa() && h.tc() && h.rd() && h.ra() && h.z() && h.ad() && h.cd());
  EXPECT_EQ(h.rcode(), 3);
  ASSERT_EQ(msg.questions.size(), 1u);
  EXPECT_EQ(msg.questions[0].name.value, "a.b");
  EXPECT_EQ(msg.questions[0].rrtype, kTypeA);
  EXPECT_EQ(msg.questions[0].rrclass, 1);
}

TEST(DnsWire, RdataByType) {
  struct Case {
    const char* what;
    uint16_t type;
    std::function<void(Builder&)> rdata;
    std::function<void(const Rdata&)> check;
  };
  const std::vector<Case> cases = {
      {"A", kTypeA, [](Builder& b) { b.bytes({1, 2, 3, 4}); },
       [](const Rdata& d) {
         EXPECT_EQ(std::get<Address>(d).bytes, (std::vector<uint8_t>{1, 2, 3, 4}));
       }},
      {"AAAA", kTypeAaaa,
       [](Builder& b) { b.bytes({0x20, 1, 0xd, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}); },
       [](const Rdata& d) { EXPECT_EQ(std::get<Address>(d).bytes.size(), 16u); }},
      {"A with 0 bytes", kTypeA, [](Builder&) {},
       [](const Rdata& d) { EXPECT_TRUE(std::get<Address>(d).bytes.empty()); }},
      {"CNAME compressed", kTypeCname, [](Builder& b) { b.labels("www").ptr(12); },
       [](const Rdata& d) { EXPECT_EQ(std::get<Name>(d).value, "www.example.com"); }},
      {"NS", kTypeNs, [](Builder& b) { b.name("ns1.example.net"); },
       [](const Rdata& d) { EXPECT_EQ(std::get<Name>(d).value, "ns1.example.net"); }},
      {"PTR", kTypePtr, [](Builder& b) { b.name("host.suricata.io"); },
       [](const Rdata& d) { EXPECT_EQ(std::get<Name>(d).value, "host.suricata.io"); }},
      {"MX", kTypeMx, [](Builder& b) { b.u16(10).name("aspmx.l.google.com"); },
       [](const Rdata& d) {
         const Mx& mx = std::get<Mx>(d);
         EXPECT_EQ(mx.preference, 10);
         EXPECT_EQ(mx.exchange.value, "aspmx.l.google.com");
       }},
      {"SOA", kTypeSoa,
       [](Builder& b) {
         b.name("ns-110.awsdns-13.com").name("awsdns-hostmaster.amazon.com");
         b.u32(1).u32(7200).u32(900).u32(1209600).u32(86400);
       },
       [](const Rdata& d) {
         const Soa& s = std::get<Soa>(d);
         EXPECT_EQ(s.mname.value, "ns-110.awsdns-13.com");
         EXPECT_EQ(s.rname.value, "awsdns-hostmaster.amazon.com");
         EXPECT_EQ(s.serial, 1u);
         EXPECT_EQ(s.refresh, 7200u);
         EXPECT_EQ(s.retry, 900u);
         EXPECT_EQ(s.expire, 1209600u);
         EXPECT_EQ(s.minimum, 86400u);
       }},
      {"TXT two strings", kTypeTxt,
       [](Builder& b) { b.u8(5).raw("hello").u8(0).u8(3).raw("abc"); },
       [](const Rdata& d) {
         EXPECT_EQ(std::get<Txt>(d).strings, (std::vector<std::string>{"hello", "", "abc"}));
       }},
      {"TXT empty rdata", kTypeTxt, [](Builder&) {},
       [](const Rdata& d) { EXPECT_TRUE(std::get<Txt>(d).strings.empty()); }},
      {"SRV", kTypeSrv, [](Builder& b) { b.u16(20).u16(1).u16(5060).name("sip.example.com"); },
       [](const Rdata& d) {
         const Srv& s = std::get<Srv>(d);
         EXPECT_EQ(s.priority, 20);
         EXPECT_EQ(s.weight, 1);
         EXPECT_EQ(s.port, 5060);
         EXPECT_EQ(s.target.value, "sip.example.com");
       }},
      {"SSHFP", kTypeSshfp, [](Builder& b) { b.u8(1).u8(2).bytes({0xde, 0xad}); },
       [](const Rdata& d) {
         const Sshfp& s = std::get<Sshfp>(d);
         EXPECT_EQ(s.algo, 1);
         EXPECT_EQ(s.fp_type, 2);
         EXPECT_EQ(s.fingerprint, (std::vector<uint8_t>{0xde, 0xad}));
       }},
      {"OPT", kTypeOpt, [](Builder& b) { b.u16(10).u16(2).bytes({0xab, 0xcd}); },
       [](const Rdata& d) {
         const Opt& o = std::get<Opt>(d);
         ASSERT_EQ(o.options.size(), 1u);
         EXPECT_EQ(o.options[0].code, 10);
         EXPECT_EQ(o.options[0].data, (std::vector<uint8_t>{0xab, 0xcd}));
       }},
      {"NULL", kTypeNull, [](Builder& b) { b.bytes({0, 1, 0xff}); },
       [](const Rdata& d) {
         EXPECT_EQ(std::get<RawData>(d).bytes, (std::vector<uint8_t>{0, 1, 0xff}));
       }},
      {"unknown type", 999, [](Builder& b) { b.bytes({7, 7}); },
       [](const Rdata& d) {
         EXPECT_EQ(std::get<RawData>(d).bytes, (std::vector<uint8_t>{7, 7}));
       }},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.what);
    Builder m = response_with(c.type, c.rdata);
    Message msg;
    ASSERT_EQ(parse_message(m.view(), msg), ParseStatus::kOk);
    ASSERT_EQ(msg.answers.size(), 1u);
    EXPECT_EQ(msg.answers[0].name.value, "example.com");
    EXPECT_EQ(msg.answers[0].rrtype, c.type);
    EXPECT_EQ(msg.answers[0].ttl, 300u);
    c.check(msg.answers[0].data);
  }
}

TEST(DnsWire, MalformedRdata) {
  struct Case {
    const char* what;
    uint16_t type;
    std::function<void(Builder&)> rdata;
  };
  const std::vector<Case> cases = {
      {"MX without name room", kTypeMx, [](Builder& b) { b.u8(1); }},
      {"SOA short numbers", kTypeSoa, [](Builder& b) { b.name("a").name("b").u32(1); }},
      {"TXT length past rdata", kTypeTxt, [](Builder& b) { b.u8(9).raw("abc"); }},
      {"SRV short", kTypeSrv, [](Builder& b) { b.u16(1).u16(2); }},
      {"SSHFP short", kTypeSshfp, [](Builder& b) { b.u8(1); }},
      {"OPT short option", kTypeOpt, [](Builder& b) { b.u16(10).u16(8).u8(1); }},
      {"CNAME label past rdata", kTypeCname, [](Builder& b) { b.u8(10).raw("abc"); }},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.what);
    Builder m = response_with(c.type, c.rdata);
    Message msg;
    EXPECT_EQ(parse_message(m.view(), msg), ParseStatus::kMalformed);
  }
}

TEST(DnsWire, NameEndsAtEndOfRdata) {
  // Suricata accepts a name that runs to the end of its input unterminated.
  Builder m = response_with(kTypeCname, [](Builder& b) { b.labels("abc.def"); });
  Message msg;
  ASSERT_EQ(parse_message(m.view(), msg), ParseStatus::kOk);
  EXPECT_EQ(std::get<Name>(msg.answers[0].data).value, "abc.def");
}

TEST(DnsWire, ForwardPointerAccepted) {
  // Question 1 points forward at question 2's name (dns-forward-pointer).
  Builder m;
  m.header(1, 0x0100, 2, 0);
  m.ptr(18).u16(kTypeA).u16(1);            // offset 12..17
  m.name("codemonkey.net").u16(kTypeA).u16(1);  // name at 18
  Message msg;
  ASSERT_EQ(parse_message(m.view(), msg), ParseStatus::kOk);
  ASSERT_EQ(msg.questions.size(), 2u);
  EXPECT_EQ(msg.questions[0].name.value, "codemonkey.net");
  EXPECT_EQ(msg.questions[1].name.value, "codemonkey.net");
  EXPECT_EQ(msg.name_flags, 0);
}

TEST(DnsWire, SelfPointerBeforeAnyJumpIsMalformed) {
  Builder m;
  m.header(1, 0x0100, 1, 0).ptr(12).u16(1).u16(1);
  Message msg;
  EXPECT_EQ(parse_message(m.view(), msg), ParseStatus::kMalformed);
  EXPECT_TRUE(msg.name_flags == 0 || (msg.name_flags & kNameInfiniteLoop));
}

TEST(DnsWire, SelfPointerAfterJumpIsInfiniteLoop) {
  // Question name: "abc" then a pointer to offset 20, where a pointer
  // points at itself. The name is kept, flagged.
  Builder m;
  m.header(1, 0x0100, 1, 0);
  m.labels("abc").ptr(22);  // 12..17
  m.u16(1).u16(1);          // 18..21 type, class
  m.ptr(22);                // 22: points at itself
  // Header validity wants 2 bytes per record: fine (26 bytes).
  Message msg;
  ASSERT_EQ(parse_message(m.view(), msg), ParseStatus::kOk);
  EXPECT_EQ(msg.questions[0].name.value, "abc");
  EXPECT_TRUE(msg.questions[0].name.flags & kNameInfiniteLoop);
  EXPECT_TRUE(msg.name_flags & kNameInfiniteLoop);
}

TEST(DnsWire, PointerCycleStopsAtSegmentLimit) {
  // 12: ptr->18; 18: ptr->12 after the question fields: a two-pointer loop.
  Builder m;
  m.header(1, 0x0100, 1, 0);
  m.ptr(20);         // 12..13 name: pointer to 20
  m.u16(1).u16(1);   // 14..17
  m.u16(0);          // 18..19 padding
  m.labels("x").ptr(20 + 0);  // 20: "x" then pointer to 20 -> loops via label
  Message msg;
  ASSERT_EQ(parse_message(m.view(), msg), ParseStatus::kOk);
  const Name& n = msg.questions[0].name;
  EXPECT_TRUE(n.flags & kNameLabelLimit);
  EXPECT_LE(n.value.size(), kMaxNameLength);
}

TEST(DnsWire, PointerCycleWithoutLabels) {
  Builder m;
  m.header(1, 0x0100, 1, 0);
  m.ptr(18).u16(1).u16(1);  // 12..17
  m.ptr(20).ptr(18);        // 18 -> 20 -> 18 -> ...
  Message msg;
  ASSERT_EQ(parse_message(m.view(), msg), ParseStatus::kOk);
  EXPECT_TRUE(msg.questions[0].name.flags & kNameLabelLimit);
  EXPECT_EQ(msg.questions[0].name.value, "");
}

TEST(DnsWire, LongNameTruncatedAndParsingContinues) {
  // 20 labels of 63 bytes: 1279 presentation bytes, no pointer.
  std::string longname;
  for (int i = 0; i < 20; ++i) {
    if (i) longname += '.';
    longname += std::string(63, char('a' + i));
  }
  Builder m;
  m.header(7, 0x0100, 2, 0).question(longname, kTypeA).question("next.example", kTypeAaaa);
  Message msg;
  ASSERT_EQ(parse_message(m.view(), msg), ParseStatus::kOk);
  ASSERT_EQ(msg.questions.size(), 2u);
  EXPECT_EQ(msg.questions[0].name.value.size(), kMaxNameLength);
  EXPECT_EQ(msg.questions[0].name.value, longname.substr(0, kMaxNameLength));
  EXPECT_TRUE(msg.questions[0].name.truncated());
  EXPECT_TRUE(msg.name_flags & kNameTruncated);
  EXPECT_EQ(msg.questions[1].name.value, "next.example");
  EXPECT_EQ(msg.questions[1].rrtype, kTypeAaaa);
}

TEST(DnsWire, BadLabelTypesAndPointers) {
  Builder ext;
  ext.header(1, 0x0100, 1, 0).u8(0x41).u8(0).u16(1).u16(1);  // 0x40 label type
  Builder far;
  far.header(1, 0x0100, 1, 0).ptr(0x3000).u16(1).u16(1);  // past the message
  Builder cut_ptr;
  cut_ptr.header(1, 0x0100, 1, 0).u8(0xc0);  // half a pointer
  Message msg;
  EXPECT_EQ(parse_message(ext.view(), msg), ParseStatus::kMalformed);
  EXPECT_EQ(parse_message(far.view(), msg), ParseStatus::kMalformed);
  EXPECT_EQ(parse_message(cut_ptr.view(), msg), ParseStatus::kMalformed);
}

TEST(DnsWire, HeaderValidity) {
  Message msg;
  Builder no_question;  // a request must ask something
  no_question.header(1, 0x0100, 0, 0);
  EXPECT_EQ(parse_message(no_question.view(), msg), ParseStatus::kBadHeader);
  Builder empty_response;  // FORMERR style: just a header is fine
  empty_response.header(1, 0x8181, 0, 0);
  EXPECT_EQ(parse_message(empty_response.view(), msg), ParseStatus::kOk);
  Builder trailing;  // no records but extra bytes
  trailing.header(1, 0x8181, 0, 0).u8(0);
  EXPECT_EQ(parse_message(trailing.view(), msg), ParseStatus::kBadHeader);
  Builder counts;  // 2 bytes per declared record cannot fit
  counts.header(1, 0x0100, 1, 100).question("a", 1);
  EXPECT_EQ(parse_message(counts.view(), msg), ParseStatus::kBadHeader);
  const uint8_t short_msg[] = {0, 1, 2};
  EXPECT_EQ(parse_message(core::Bytes(short_msg), msg), ParseStatus::kBadHeader);
}

// A response with every section: question, CNAME + A answers, an SOA
// authority and an OPT additional.
Builder full_response() {
  Builder m;
  m.header(0x4242, 0x8180, 1, 2, 1, 1).question("www.example.com", kTypeA);
  size_t s = m.rr_begin_ptr(12, kTypeCname, 60);
  m.labels("edge").ptr(16);  // edge.example.com
  m.rr_end(s);
  const uint16_t edge = uint16_t(s);
  s = m.rr_begin_ptr(edge, kTypeA, 60);
  m.bytes({93, 184, 216, 34});
  m.rr_end(s);
  s = m.rr_begin_ptr(16, kTypeSoa, 900);
  m.labels("ns").ptr(16).labels("admin").ptr(16).u32(1).u32(2).u32(3).u32(4).u32(5);
  m.rr_end(s);
  m.u8(0).u16(kTypeOpt).u16(4096).u32(0).u16(0);
  return m;
}

TEST(DnsWire, FullResponse) {
  Builder m = full_response();
  Message msg;
  ASSERT_EQ(parse_message(m.view(), msg), ParseStatus::kOk);
  ASSERT_EQ(msg.answers.size(), 2u);
  EXPECT_EQ(std::get<Name>(msg.answers[0].data).value, "edge.example.com");
  EXPECT_EQ(msg.answers[1].name.value, "edge.example.com");
  ASSERT_EQ(msg.authorities.size(), 1u);
  EXPECT_EQ(std::get<Soa>(msg.authorities[0].data).mname.value, "ns.example.com");
  EXPECT_EQ(std::get<Soa>(msg.authorities[0].data).rname.value, "admin.example.com");
  ASSERT_EQ(msg.additionals.size(), 1u);
  EXPECT_EQ(msg.additionals[0].rrtype, kTypeOpt);
  EXPECT_FALSE(msg.invalid_authorities || msg.invalid_additionals);
}

TEST(DnsWire, TruncationAtEveryByteIsAnErrorNotACrash) {
  const Builder m = full_response();
  for (size_t len = 0; len < m.b.size(); ++len) {
    SCOPED_TRACE(len);
    // A copy of exactly len bytes so ASan sees any read past the end.
    std::vector<uint8_t> cut(m.b.begin(), m.b.begin() + len);
    Message msg;
    ParseStatus st = parse_message(core::Bytes(cut), msg);
    if (st == ParseStatus::kOk) {
      // Only a broken authority/additional section is tolerated.
      EXPECT_TRUE(msg.invalid_authorities || msg.invalid_additionals);
      EXPECT_EQ(msg.answers.size(), 2u);
    }
  }
}

TEST(DnsWire, BrokenAuthoritiesAndAdditionals) {
  // Authority record whose RDATA length runs past the message.
  Builder auth;
  auth.header(1, 0x8180, 1, 0, 1, 1).question("a.io", kTypeA);
  auth.ptr(12).u16(kTypeNs).u16(1).u32(1).u16(50).u8(0);
  Message msg;
  ASSERT_EQ(parse_message(auth.view(), msg), ParseStatus::kOk);
  EXPECT_TRUE(msg.invalid_authorities);
  EXPECT_FALSE(msg.invalid_additionals);  // not attempted
  EXPECT_TRUE(msg.authorities.empty());

  Builder add;
  add.header(1, 0x8180, 1, 0, 0, 2).question("a.io", kTypeA);
  add.u8(0).u16(kTypeOpt).u16(512).u32(0).u16(0);       // fine
  add.u8(0).u16(kTypeOpt).u16(512).u32(0).u16(4).u16(1);  // option cut
  add.u16(9);
  ASSERT_EQ(parse_message(add.view(), msg), ParseStatus::kOk);
  EXPECT_TRUE(msg.invalid_additionals);
  EXPECT_TRUE(msg.additionals.empty());
}

TEST(DnsWire, RecordsPastTheCapAreParsedNotKept) {
  const size_t n = kMaxRecords + 50;
  Builder m;
  m.header(1, 0x0100, uint16_t(n), 0).question("cap.example", kTypeA);
  for (size_t i = 1; i < n; ++i) m.ptr(12).u16(kTypeA).u16(1);
  Message msg;
  ASSERT_EQ(parse_message(m.view(), msg), ParseStatus::kOk);
  EXPECT_EQ(msg.questions.size(), kMaxRecords);
  EXPECT_TRUE(msg.records_capped);
  // Still validated: cut the last question.
  m.b.pop_back();
  EXPECT_EQ(parse_message(m.view(), msg), ParseStatus::kMalformed);
}

TEST(DnsWire, Names) {
  EXPECT_EQ(rrtype_name(1), "A");
  EXPECT_EQ(rrtype_name(28), "AAAA");
  EXPECT_EQ(rrtype_name(65), "HTTPS");
  EXPECT_EQ(rrtype_name(10), "NULL");
  EXPECT_EQ(rrtype_name(23), "NSAPPTR");
  EXPECT_EQ(rrtype_name(1234), "1234");
  EXPECT_EQ(rcode_name(0), "NOERROR");
  EXPECT_EQ(rcode_name(3), "NXDOMAIN");
  EXPECT_EQ(rcode_name(10), "NOTZONE");
  EXPECT_EQ(rcode_name(11), "11");
}

}  // namespace
}  // namespace pasban::app::dns
