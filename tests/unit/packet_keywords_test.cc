// Packet keywords (ttl, tos, id, dsize, itype, icode, icmp_id, icmp_seq, seq,
// ack, window, tcp.mss, icmpv6.mtu, flags, fragbits, ipopts, ip_proto,
// sameip, decode-event, *-csum) on hand-built packets. Expected results
// follow Suricata's documented semantics (integer keywords: "Comparisons are
// strict by default. Ranges are thus exclusive", for both N-M and N<>M).
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "decode/packet.h"
#include "detect/keywords/packet_match.h"

namespace pasban::detect::keywords {
namespace {

using decode::Packet;

core::Result<PacketMatch> parse(std::string_view kw, std::string_view value) {
  if (is_field_keyword(kw)) return parse_field_keyword(kw, value);
  if (kw == "flags") return parse_tcp_flags(value);
  if (kw == "fragbits") return parse_fragbits(value);
  if (kw == "ipopts") return parse_ipopts(value);
  if (kw == "ip_proto") return parse_ip_proto(value);
  if (kw == "decode-event") return parse_decode_event(value);
  if (kw.ends_with("-csum")) return parse_csum(kw, value);
  if (kw == "sameip") return PacketMatch(SameIp{});
  return core::make_error("test: no parser for " + std::string(kw));
}

const uint8_t kA4[4] = {10, 0, 0, 1};
const uint8_t kB4[4] = {10, 0, 0, 2};
const uint8_t kA6[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
const uint8_t kB6[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2};

// A 10-byte payload kept alive for the packets' views.
const std::string kPayload = "0123456789";

Packet ipv4_base(uint8_t proto) {
  Packet p;
  p.ip_version = 4;
  p.src = core::IpAddress::v4(kA4);
  p.dst = core::IpAddress::v4(kB4);
  p.ip_proto = proto;
  p.ttl = 64;
  p.tos = 0x10;
  p.ip_id = 0x1234;
  p.payload = core::as_bytes(kPayload);
  return p;
}

Packet tcp4(uint8_t flags = decode::kTcpAck) {
  Packet p = ipv4_base(6);
  p.has_tcp = true;
  p.sp = 1234;
  p.dp = 80;
  p.tcp_flags = flags;
  p.tcp_seq = 1000;
  p.tcp_ack = 2000;
  p.tcp_window = 512;
  p.tcp_has_mss = true;
  p.tcp_mss = 1460;
  return p;
}

Packet icmp4_echo() {
  Packet p = ipv4_base(1);
  p.has_icmpv4 = true;
  p.icmp_type = 8;
  p.icmp_code = 0;
  p.icmp_has_id = true;
  p.icmp_id = 0x1234;
  p.icmp_seq = 7;
  return p;
}

Packet icmp6_too_big() {
  Packet p;
  p.ip_version = 6;
  p.src = core::IpAddress::v6(kA6);
  p.dst = core::IpAddress::v6(kB6);
  p.ip_proto = 58;
  p.ttl = 255;
  p.has_icmpv6 = true;
  p.icmp_type = 2;
  p.icmp_code = 0;
  p.icmpv6_has_mtu = true;
  p.icmpv6_mtu = 1280;
  p.payload = core::as_bytes(kPayload);
  return p;
}

struct Case {
  const char* kw;
  const char* value;
  bool expect;
};

void run_cases(const Packet& p, const std::vector<Case>& cases, const char* what) {
  for (const auto& c : cases) {
    auto m = parse(c.kw, c.value);
    ASSERT_TRUE(m.ok()) << what << ": " << c.kw << ":" << c.value << " -> " << m.error().message;
    EXPECT_EQ(match_packet(*m, p), c.expect) << what << ": " << c.kw << ":" << c.value;
  }
}

// ------------------------------------------------------- numeric fields

TEST(PacketKeywords, TtlComparisonForms) {
  // ttl 64.
  run_cases(tcp4(), {
      {"ttl", "64", true},   {"ttl", "63", false},  {"ttl", "=64", true},
      {"ttl", "!64", false}, {"ttl", "!63", true},  {"ttl", "!=63", true},
      {"ttl", "<65", true},  {"ttl", "<64", false}, {"ttl", ">63", true},
      {"ttl", ">64", false}, {"ttl", "<=64", true}, {"ttl", "<=63", false},
      {"ttl", ">=64", true}, {"ttl", ">=65", false},
      {"ttl", "60<>70", true}, {"ttl", "64<>70", false}, {"ttl", "50<>64", false},
      {"ttl", " 64 ", true},
  }, "ttl");
}

TEST(PacketKeywords, DashRangeIsExclusiveLikeSuricata) {
  // Suricata's integer keywords: "bsize:19-22; # range between value1 and
  // value2", and "a range between 1 and 4 will match 2 and 3, but neither 1
  // nor 4". N-M and N<>M are the same range.
  run_cases(tcp4(), {
      {"ttl", "63-65", true},
      {"ttl", "64-70", false},
      {"ttl", "50-64", false},
      {"dsize", "9-11", true},
      {"dsize", "10-20", false},
      {"dsize", "1-10", false},
      {"dsize", "0-11", true},
  }, "N-M");
}

TEST(PacketKeywords, NegatedRange) {
  // "Negated range !1-4 will match for 1 or below and for 4 or above."
  run_cases(tcp4(), {
      {"ttl", "!63-65", false},
      {"ttl", "!64-70", true},
      {"ttl", "!50-64", true},
      {"dsize", "!10<>20", true},
      {"dsize", "!5<>20", false},
  }, "!N-M");
}

TEST(PacketKeywords, DsizeCountsPayloadBytes) {
  Packet p = tcp4();  // 10 payload bytes
  run_cases(p, {
      {"dsize", "10", true}, {"dsize", "!10", false}, {"dsize", "<11", true},
      {"dsize", ">9", true}, {"dsize", ">10", false}, {"dsize", "<=10", true},
      {"dsize", ">=11", false}, {"dsize", "5<>11", true}, {"dsize", "10<>20", false},
  }, "dsize");
  Packet empty = tcp4();
  empty.payload = {};
  run_cases(empty, {{"dsize", "0", true}, {"dsize", ">0", false}}, "dsize empty");
}

TEST(PacketKeywords, TosIdSeqAckWindow) {
  run_cases(tcp4(), {
      {"tos", "16", true}, {"tos", "!16", false}, {"tos", "8", false}, {"tos", "!8", true},
      {"id", "4660", true}, {"id", "!4660", false}, {"id", "4661", false},
      {"seq", "1000", true}, {"seq", "1001", false},
      {"ack", "2000", true}, {"ack", "!2000", false},
      {"window", "512", true}, {"window", "!512", false},
  }, "tcp4");
}

TEST(PacketKeywords, TcpMss) {
  run_cases(tcp4(), {
      {"tcp.mss", "1460", true}, {"tcp.mss", "<1500", true}, {"tcp.mss", ">=1461", false},
      {"tcp.mss", "1400<>1500", true}, {"tcp.mss", "!1460", false},
  }, "mss");
  Packet no_mss = tcp4();
  no_mss.tcp_has_mss = false;
  // Without the option there is nothing to compare, whatever the operator.
  run_cases(no_mss, {{"tcp.mss", "0", false}, {"tcp.mss", "!1460", false}, {"tcp.mss", "<2000", false}},
            "no mss");
}

TEST(PacketKeywords, IcmpFields) {
  run_cases(icmp4_echo(), {
      {"itype", "8", true}, {"itype", "!8", false}, {"itype", ">7", true}, {"itype", "<8", false},
      {"itype", "7<>9", true}, {"itype", "8<>20", false}, {"itype", "7-9", true},
      {"icode", "0", true}, {"icode", "!0", false}, {"icode", ">0", false},
      {"icmp_id", "4660", true}, {"icmp_id", "!4660", false},
      {"icmp_seq", "7", true}, {"icmp_seq", "8", false},
  }, "icmp echo");
  Packet unreachable = icmp4_echo();
  unreachable.icmp_type = 3;
  unreachable.icmp_code = 1;
  unreachable.icmp_has_id = false;
  run_cases(unreachable, {{"icode", "1", true}, {"icmp_id", "0", false}, {"icmp_seq", "0", false}},
            "unreachable");
}

TEST(PacketKeywords, Icmpv6Mtu) {
  run_cases(icmp6_too_big(), {
      {"icmpv6.mtu", "1280", true}, {"icmpv6.mtu", ">1000", true}, {"icmpv6.mtu", "<1280", false},
      {"icmpv6.mtu", ">=1280", true}, {"itype", "2", true}, {"ttl", "255", true},
  }, "icmpv6");
  Packet echo6 = icmp6_too_big();
  echo6.icmp_type = 128;
  echo6.icmpv6_has_mtu = false;
  run_cases(echo6, {{"icmpv6.mtu", "0", false}}, "no mtu");
}

TEST(PacketKeywords, FieldsAbsentOnOtherProtocols) {
  // A keyword about a layer the packet does not have never matches, even
  // negated.
  run_cases(icmp4_echo(), {
      {"seq", "0", false}, {"ack", "!1", false}, {"window", "!1", false},
      {"tcp.mss", "!1", false}, {"flags", "0", false}, {"flags", "!S", false},
  }, "tcp keywords on icmp");
  run_cases(tcp4(), {
      {"itype", "!8", false}, {"icode", "!0", false}, {"icmp_id", "!0", false},
      {"icmpv6.mtu", "!0", false},
  }, "icmp keywords on tcp");
  Packet none;  // no IP layer
  run_cases(none, {{"ttl", "!1", false}, {"tos", "!1", false}, {"dsize", "!1", false},
                   {"ip_proto", "!6", false}, {"sameip", "", false}},
            "no ip");
  Packet v6 = icmp6_too_big();
  run_cases(v6, {{"id", "!1", false}, {"fragbits", "!D", false}, {"ipopts", "any", false}},
            "ipv4 keywords on ipv6");
}

// ------------------------------------------------------------------ flags

TEST(PacketKeywords, TcpFlags) {
  using namespace decode;
  struct F {
    const char* value;
    uint8_t flags;
    bool expect;
  };
  const F cases[] = {
      {"S", kTcpSyn, true},
      {"S", kTcpSyn | kTcpAck, false},            // exact
      {"SA", kTcpSyn | kTcpAck, true},
      {"AS", kTcpSyn | kTcpAck, true},            // order does not matter
      {"sa", kTcpSyn | kTcpAck, true},            // nor case
      {"+S", kTcpSyn | kTcpAck, true},            // these and any others
      {"S+", kTcpSyn | kTcpAck, true},            // modifier may trail
      {"+SA", kTcpSyn, false},
      {"*SA", kTcpSyn, true},                     // any of
      {"*SA", kTcpFin, false},
      {"!S", kTcpAck, true},                      // not (all of) these
      {"!S", kTcpSyn | kTcpAck, false},
      {"!SA", kTcpSyn, true},
      {"0", 0, true},                             // no flags at all
      {"0", kTcpAck, false},
      {"FPU", kTcpFin | kTcpPsh | kTcpUrg, true}, // xmas
      {"R", kTcpRst, true},
      {"S,CE", kTcpSyn | kTcpCwr | kTcpEce, true},  // ECN bits ignored
      {"S,CE", kTcpSyn | kTcpCwr, true},
      {"S,CE", kTcpSyn | kTcpAck, false},           // only C and E are ignored
      {"S", kTcpSyn | kTcpEce, false},              // ... and only when asked
      {"S,12", kTcpSyn | kTcpCwr | kTcpEce, true},
      {"SE", kTcpSyn | kTcpEce, true},
      {"SC", kTcpSyn | kTcpCwr, true},
      // Suricata's numeric aliases: 1 is CWR (the top bit, Snort's
      // "reserved bit 1"), 2 is ECE.
      {"S1", kTcpSyn | kTcpCwr, true},
      {"S1", kTcpSyn | kTcpEce, false},
      {"S2", kTcpSyn | kTcpEce, true},
      {"S2", kTcpSyn | kTcpCwr, false},
  };
  for (const auto& c : cases) {
    auto m = parse_tcp_flags(c.value);
    ASSERT_TRUE(m.ok()) << c.value << ": " << m.error().message;
    Packet p = tcp4(c.flags);
    EXPECT_EQ(match_packet(*m, p), c.expect) << "flags:" << c.value << " on 0x" << std::hex << int(c.flags);
  }
}

// --------------------------------------------------------------- fragbits

TEST(PacketKeywords, Fragbits) {
  struct F {
    const char* value;
    uint8_t bits;  // 0x4 RB, 0x2 DF, 0x1 MF
    bool expect;
  };
  const F cases[] = {
      {"D", 0x2, true},  {"D", 0x3, false}, {"M", 0x1, true},   {"R", 0x4, true},
      {"DM", 0x3, true}, {"MD", 0x3, true}, {"*DM", 0x1, true}, {"*DM", 0x4, false},
      {"!D", 0x1, true}, {"!D", 0x2, false}, {"!D", 0x3, false}, {"!DM", 0x2, true},
      // Suricata's + means "these bits and at least one more"
      // (FragBitsMatch: (pbits & dbits) == dbits && pbits - dbits > 0).
      {"+D", 0x3, true}, {"+D", 0x6, true}, {"+D", 0x2, false}, {"+D", 0x1, false},
  };
  for (const auto& c : cases) {
    auto m = parse_fragbits(c.value);
    ASSERT_TRUE(m.ok()) << c.value << ": " << m.error().message;
    Packet p = tcp4();
    p.frag_bits = c.bits;
    EXPECT_EQ(match_packet(*m, p), c.expect) << "fragbits:" << c.value << " on " << int(c.bits);
  }
}

// ----------------------------------------------------------------- ipopts

TEST(PacketKeywords, Ipopts) {
  Packet rr = tcp4();
  rr.ipopts = decode::kIpOptRR | decode::kIpOptNOP;
  run_cases(rr, {{"ipopts", "rr", true}, {"ipopts", "nop", true}, {"ipopts", "ts", false},
                 {"ipopts", "any", true}, {"ipopts", "lsrr", false}},
            "rr+nop");
  Packet none = tcp4();
  run_cases(none, {{"ipopts", "any", false}, {"ipopts", "rr", false}}, "no options");
  Packet lsrr = tcp4();
  lsrr.ipopts = decode::kIpOptLSRR;
  run_cases(lsrr, {{"ipopts", "lsrr", true}, {"ipopts", "ssrr", false}}, "lsrr");
}

// --------------------------------------------------------------- ip_proto

TEST(PacketKeywords, IpProtoNamesAndNumbers) {
  run_cases(tcp4(), {
      {"ip_proto", "6", true}, {"ip_proto", "tcp", true}, {"ip_proto", "udp", false},
      {"ip_proto", "!6", false}, {"ip_proto", "!tcp", false}, {"ip_proto", "!17", true},
      {"ip_proto", ">5", true}, {"ip_proto", "<6", false}, {"ip_proto", "<7", true},
  }, "tcp");
  Packet p = icmp4_echo();
  run_cases(p, {{"ip_proto", "icmp", true}, {"ip_proto", "1", true}}, "icmp");
  run_cases(icmp6_too_big(), {{"ip_proto", "ipv6-icmp", true}, {"ip_proto", "58", true},
                              {"ip_proto", "icmp", false}},
            "icmpv6");
  Packet gre = ipv4_base(47);
  run_cases(gre, {{"ip_proto", "gre", true}, {"ip_proto", "47", true}}, "gre");
}

// ----------------------------------------------------------------- sameip

TEST(PacketKeywords, SameIp) {
  Packet diff = tcp4();
  EXPECT_FALSE(match_packet(PacketMatch(SameIp{}), diff));
  Packet same = tcp4();
  same.dst = same.src;
  EXPECT_TRUE(match_packet(PacketMatch(SameIp{}), same));
  // IPv6 addresses that share the first four bytes are not the same.
  Packet v6 = icmp6_too_big();
  EXPECT_FALSE(match_packet(PacketMatch(SameIp{}), v6));
  v6.dst = v6.src;
  EXPECT_TRUE(match_packet(PacketMatch(SameIp{}), v6));
}

// ----------------------------------------------------------- decode-event

TEST(PacketKeywords, DecodeEvent) {
  Packet p = tcp4();
  p.add_event(decode::Event::kIpv4OptInvalid);
  run_cases(p, {
      {"decode-event", "ipv4.opt_invalid", true},
      {"decode-event", "decoder.ipv4.opt_invalid", true},
      {"decode-event", "ipv4.trunc_pkt", false},
  }, "event");
  Packet clean = tcp4();
  run_cases(clean, {{"decode-event", "ipv4.opt_invalid", false}}, "no event");
}

// ------------------------------------------------------------------- csum

// A valid 20-byte IPv4 header (checksum computed here, RFC 1071).
std::vector<uint8_t> ipv4_header(bool corrupt) {
  std::vector<uint8_t> h = {0x45, 0, 0, 30, 0x12, 0x34, 0x40, 0, 64, 6, 0, 0,
                            10, 0, 0, 1, 10, 0, 0, 2};
  uint32_t sum = 0;
  for (size_t i = 0; i < h.size(); i += 2) sum += uint32_t(h[i] << 8 | h[i + 1]);
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  uint16_t c = uint16_t(~sum);
  h[10] = uint8_t(c >> 8);
  h[11] = uint8_t(c);
  if (corrupt) h[11] ^= 0x01;
  return h;
}

TEST(PacketKeywords, ChecksumKeywords) {
  using decode::CsumState;
  Packet good = tcp4();
  good.ip_csum = CsumState::kValid;
  good.l4_csum = CsumState::kValid;
  run_cases(good, {
      {"ipv4-csum", "valid", true}, {"ipv4-csum", "invalid", false},
      {"tcpv4-csum", "valid", true}, {"tcpv4-csum", "\"invalid\"", false},
      {"tcpv6-csum", "valid", false},  // not an IPv6 packet
      {"udpv4-csum", "valid", false},  // not UDP
      {"icmpv4-csum", "valid", false},
  }, "valid sums");
  Packet bad = tcp4();
  bad.ip_csum = CsumState::kInvalid;
  bad.l4_csum = CsumState::kInvalid;
  run_cases(bad, {
      {"ipv4-csum", "valid", false}, {"ipv4-csum", "invalid", true},
      {"tcpv4-csum", "valid", false}, {"tcpv4-csum", "invalid", true},
  }, "bad sums");
  // -k none (Suricata's PKT_IGNORE_CHECKSUM): every sum counts as valid.
  Packet ignored = bad;
  ignored.ignore_checksum = true;
  run_cases(ignored, {
      {"ipv4-csum", "valid", true}, {"ipv4-csum", "invalid", false},
      {"tcpv4-csum", "valid", true}, {"tcpv4-csum", "invalid", false},
  }, "ignored");
  Packet v6 = icmp6_too_big();
  v6.l4_csum = CsumState::kInvalid;
  run_cases(v6, {{"icmpv6-csum", "invalid", true}, {"icmpv6-csum", "valid", false},
                 {"ipv4-csum", "valid", false}, {"ipv4-csum", "invalid", false}},
            "icmpv6");
}

TEST(PacketKeywords, Ipv4ChecksumComputedWhenNotVerified) {
  auto hdr = ipv4_header(false);
  Packet p = tcp4();
  p.ip_header = {hdr.data(), hdr.size()};
  p.ip_csum = decode::CsumState::kNotChecked;
  run_cases(p, {{"ipv4-csum", "valid", true}, {"ipv4-csum", "invalid", false}}, "on demand ok");
  auto bad = ipv4_header(true);
  p.ip_header = {bad.data(), bad.size()};
  run_cases(p, {{"ipv4-csum", "valid", false}, {"ipv4-csum", "invalid", true}}, "on demand bad");
}

// ---------------------------------------------------------- parse errors

TEST(PacketKeywords, ParseErrors) {
  struct E {
    const char* kw;
    const char* value;
    const char* error;
  };
  const E cases[] = {
      {"ttl", "abc", "ttl: invalid number 'abc'"},
      {"ttl", "256", "ttl: value 256 out of range (max 255)"},
      {"ttl", "", "ttl: empty value"},
      {"ttl", "<", "ttl: invalid number ''"},
      {"dsize", "10<>5", "dsize: invalid range '10<>5'"},
      {"dsize", "70000", "dsize: value 70000 out of range (max 65535)"},
      {"tos", "<5", "tos: comparison operators are not allowed"},
      {"window", ">5", "window: comparison operators are not allowed"},
      {"flags", "", "flags: no flags given"},
      {"flags", "SX", "flags: invalid flag 'X'"},
      {"flags", "S,X", "flags: invalid ignore flag 'X'"},
      {"flags", "+!S", "flags: more than one modifier"},
      {"fragbits", "X", "fragbits: invalid bit 'X'"},
      {"fragbits", "", "fragbits: no bits given"},
      {"fragbits", "+*D", "fragbits: more than one modifier"},
      {"ipopts", "foo", "ipopts: unknown option 'foo'"},
      {"ip_proto", "nosuchproto", "ip_proto: invalid number 'nosuchproto'"},
      {"ip_proto", "256", "ip_proto: value 256 out of range (max 255)"},
      {"decode-event", "ipv4.nope", "decode-event: unknown event 'ipv4.nope'"},
      {"ipv4-csum", "maybe", "ipv4-csum: expected 'valid' or 'invalid'"},
      {"tcpv4-csum", "", "tcpv4-csum: expected 'valid' or 'invalid'"},
  };
  for (const auto& c : cases) {
    auto m = parse(c.kw, c.value);
    ASSERT_FALSE(m.ok()) << c.kw << ":" << c.value;
    EXPECT_EQ(m.error().message, c.error) << c.kw << ":" << c.value;
  }
}

TEST(PacketKeywords, EmptyRangesAreRejected) {
  // Suricata requires the upper bound to exceed the lower by more than one
  // (an exclusive range with nothing inside can never match).
  for (const char* v : {"5<>5", "5<>6", "5-6", "6-5"}) {
    auto m = parse_field_keyword("ttl", v);
    EXPECT_FALSE(m.ok()) << "ttl:" << v;
  }
  auto ok = parse_field_keyword("ttl", "5-7");
  ASSERT_TRUE(ok.ok());
  Packet p = tcp4();
  p.ttl = 6;
  EXPECT_TRUE(match_packet(*ok, p));
}

TEST(PacketKeywords, IsFieldKeyword) {
  for (const char* k : {"ttl", "tos", "id", "fragoffset", "seq", "ack", "window", "tcp.mss", "dsize",
                        "itype", "icode", "icmp_id", "icmp_seq", "icmpv6.mtu"})
    EXPECT_TRUE(is_field_keyword(k)) << k;
  for (const char* k : {"flags", "ip_proto", "content", "TTL", ""}) EXPECT_FALSE(is_field_keyword(k)) << k;
}

}  // namespace
}  // namespace pasban::detect::keywords
