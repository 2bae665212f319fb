// The state keywords: flowint, hostbits / xbits (and their host table),
// stream_size, pcre captures into flowvars / pktvars, absent, and the EVE
// "metadata" / "traffic" objects built from those variables. Expected
// results follow Suricata's documented semantics for each keyword.
#include <gtest/gtest.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <map>
#include <string>

#include "core/counters.h"
#include "decode/packet.h"
#include "detect/build/rule_builder.h"
#include "detect/keywords/flowint.h"
#include "detect/keywords/pcre.h"
#include "detect/keywords/stream_size.h"
#include "detect/keywords/xbits.h"
#include "detect/rules/rule_text.h"
#include "detect/var_names.h"
#include "flow/host_table.h"
#include "output/eve_metadata.h"

namespace pasban::detect {
namespace {

using keywords::Flowint;
using keywords::StreamSize;
using keywords::Xbits;

const uint8_t kA[4] = {10, 0, 0, 1};
const uint8_t kB[4] = {10, 0, 0, 2};
const uint8_t kC[4] = {10, 0, 0, 3};

struct Names {
  VarNames names;
  Flowint::Interner flowint() {
    return [this](std::string_view n) { return names.intern(VarKind::kFlowint, n); };
  }
  Xbits::Interner bits() {
    return [this](bool pair, std::string_view n) {
      return names.intern(pair ? VarKind::kIpPairbit : VarKind::kHostbit, n);
    };
  }
};

decode::Packet packet(const uint8_t* src, const uint8_t* dst, int64_t sec) {
  decode::Packet p;
  p.ip_version = 4;
  p.ip_proto = 6;
  p.has_tcp = true;
  p.src = core::IpAddress::v4(src);
  p.dst = core::IpAddress::v4(dst);
  p.ts.sec = sec;
  return p;
}

// ---------------------------------------------------------------- flowint

TEST(Flowint, ParsesOperatorsAndOperands) {
  Names n;
  auto a = Flowint::parse("tls.anomaly.count,+,1", n.flowint());
  ASSERT_TRUE(a) << a.error().message;
  EXPECT_EQ(a->op, Flowint::kAdd);
  EXPECT_TRUE(a->is_action());
  EXPECT_EQ(a->value, 1u);
  auto b = Flowint::parse(" x , >= , other ", n.flowint());
  ASSERT_TRUE(b) << b.error().message;
  EXPECT_EQ(b->op, Flowint::kGe);
  EXPECT_TRUE(b->target_is_var);
  auto c = Flowint::parse("x,isnotset", n.flowint());
  ASSERT_TRUE(c);
  EXPECT_EQ(c->op, Flowint::kNotSet);
  EXPECT_EQ(Flowint::parse("x,notset", n.flowint())->op, Flowint::kNotSet);
  EXPECT_EQ(Flowint::parse("x,=,4294967295", n.flowint())->value, 4294967295u);
}

TEST(Flowint, RejectsBadValues) {
  Names n;
  for (const char* bad : {"x", "x,+", "x,~,1", "1x,+,1", "x,+,4294967296", "x,+,12345678901",
                          "x,+,1,2", "x,+,a-b"})
    EXPECT_FALSE(Flowint::parse(bad, n.flowint())) << bad;
}

TEST(Flowint, ActionsAndConditionsOnAFlow) {
  Names n;
  flow::Flow f;
  auto isset = *Flowint::parse("cnt,isset", n.flowint());
  auto notset = *Flowint::parse("cnt,notset", n.flowint());
  auto add = *Flowint::parse("cnt,+,2", n.flowint());
  auto sub = *Flowint::parse("cnt,-,5", n.flowint());
  auto eq4 = *Flowint::parse("cnt,==,4", n.flowint());
  auto lt_other = *Flowint::parse("cnt,<,other", n.flowint());
  auto set_other = *Flowint::parse("other,=,10", n.flowint());
  EXPECT_FALSE(isset.check(&f));
  EXPECT_TRUE(notset.check(&f));
  EXPECT_FALSE(eq4.check(&f));  // comparing an unset variable never matches
  sub.apply(&f);                // subtracting from an unset variable does nothing
  EXPECT_TRUE(notset.check(&f));
  add.apply(&f);  // an unset variable starts from 0
  add.apply(&f);
  EXPECT_TRUE(isset.check(&f));
  EXPECT_TRUE(eq4.check(&f));
  EXPECT_FALSE(lt_other.check(&f));  // an unset operand reads as 0
  set_other.apply(&f);
  EXPECT_TRUE(lt_other.check(&f));
  sub.apply(&f);  // 4 - 5 wraps as an unsigned 32-bit value
  EXPECT_EQ(f.flowint(add.id)->value, 0xffffffffu);
  EXPECT_FALSE(isset.check(nullptr));
  EXPECT_FALSE(notset.check(nullptr));
}

// ---------------------------------------------------------------- xbits / hostbits

TEST(Xbits, ParsesTrackAndExpire) {
  Names n;
  auto x = Xbits::parse_xbits("set,scan, track ip_pair, expire 60", n.bits());
  ASSERT_TRUE(x) << x.error().message;
  EXPECT_EQ(x->track, Xbits::kIpPair);
  EXPECT_EQ(x->expire_s, 60u);
  auto d = Xbits::parse_xbits("isset,scan,track ip_dst", n.bits());
  ASSERT_TRUE(d);
  EXPECT_EQ(d->expire_s, Xbits::kXbitsDefaultExpire);
  EXPECT_EQ(Xbits::parse_xbits("noalert", n.bits())->op, Xbits::kNoAlert);
  for (const char* bad : {"set,scan", "set,scan,ip_src", "set,scan,track ip_both", "flip,a,track ip_src",
                          "set,a,track ip_src,expire 0", "set,a,track ip_src,ttl 5", "noalert,x"})
    EXPECT_FALSE(Xbits::parse_xbits(bad, n.bits())) << bad;
}

TEST(Hostbits, ParsesDirection) {
  Names n;
  auto h = Xbits::parse_hostbits("isset, abc ,dst", n.bits());
  ASSERT_TRUE(h) << h.error().message;
  EXPECT_EQ(h->track, Xbits::kIpDst);
  EXPECT_EQ(Xbits::parse_hostbits("set,abc", n.bits())->track, Xbits::kIpSrc);
  EXPECT_EQ(Xbits::parse_hostbits("set,abc", n.bits())->expire_s, Xbits::kHostbitsDefaultExpire);
  // hostbits and host-tracked xbits share names.
  EXPECT_EQ(Xbits::parse_hostbits("set,abc", n.bits())->id,
            Xbits::parse_xbits("isset,abc,track ip_src", n.bits())->id);
  for (const char* bad : {"set", "set,abc,both", "set,abc,up", "noalert,abc", "set,a,src,1"})
    EXPECT_FALSE(Xbits::parse_hostbits(bad, n.bits())) << bad;
}

TEST(Xbits, BitsCrossFlowsAndExpire) {
  Names n;
  core::Counters counters;
  flow::HostBitTable hosts({}, counters);
  auto set_dst = *Xbits::parse_xbits("set,seen,track ip_dst,expire 10", n.bits());
  auto isset_src = *Xbits::parse_xbits("isset,seen,track ip_src", n.bits());
  auto pair_set = *Xbits::parse_xbits("set,talk,track ip_pair", n.bits());
  auto pair_isset = *Xbits::parse_xbits("isset,talk,track ip_pair", n.bits());
  auto toggle = *Xbits::parse_xbits("toggle,seen,track ip_src", n.bits());
  // A -> B marks B; later B -> C (another flow) finds it on its source.
  set_dst.apply(packet(kA, kB, 100), hosts);
  EXPECT_TRUE(isset_src.check(packet(kB, kC, 105), hosts));
  EXPECT_FALSE(isset_src.check(packet(kA, kC, 105), hosts));
  EXPECT_TRUE(isset_src.check(packet(kB, kC, 110), hosts));   // expires after 10 s
  EXPECT_FALSE(isset_src.check(packet(kB, kC, 111), hosts));
  // Pairs are unordered.
  pair_set.apply(packet(kA, kB, 100), hosts);
  EXPECT_TRUE(pair_isset.check(packet(kB, kA, 101), hosts));
  EXPECT_FALSE(pair_isset.check(packet(kA, kC, 101), hosts));
  toggle.apply(packet(kC, kA, 200), hosts);
  EXPECT_TRUE(isset_src.check(packet(kC, kB, 200), hosts));
  toggle.apply(packet(kC, kA, 201), hosts);
  EXPECT_FALSE(isset_src.check(packet(kC, kB, 201), hosts));
}

TEST(HostBitTable, MemcapRefusesThenSweepsExpired) {
  core::Counters counters;
  flow::HostTableConfig cfg;
  cfg.host_memcap = 2 * 128;  // two entries
  flow::HostBitTable hosts(cfg, counters);
  const auto a = flow::HostKey::host(core::IpAddress::v4(kA));
  const auto b = flow::HostKey::host(core::IpAddress::v4(kB));
  const auto c = flow::HostKey::host(core::IpAddress::v4(kC));
  hosts.set(a, 0, {100, 0}, 5);
  hosts.set(b, 0, {100, 0}, 50);
  hosts.set(c, 0, {101, 0}, 50);  // at the cap, nothing expired: refused
  EXPECT_FALSE(hosts.isset(c, 0, {101, 0}));
  EXPECT_EQ(counters.get("pasban.hostbits.memcap_refused"), 1u);
  hosts.set(c, 0, {110, 0}, 50);  // a's bit expired: swept, c fits
  EXPECT_TRUE(hosts.isset(c, 0, {110, 0}));
  EXPECT_TRUE(hosts.isset(b, 0, {110, 0}));
  EXPECT_EQ(hosts.size(), 2u);
}

// ---------------------------------------------------------------- stream_size

TEST(StreamSize, ParsesSidesAndOperators) {
  auto s = StreamSize::parse("server,<,1111");
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(s->side, StreamSize::kServer);
  EXPECT_EQ(s->cmp.op, keywords::NumCmp::kLt);
  EXPECT_EQ(StreamSize::parse(" either , != , 5 ")->cmp.op, keywords::NumCmp::kNe);
  for (const char* bad : {"server,<", "sever,<,1", "both,<>,1", "client,<,x", "client,<,-1",
                          "client,<,4294967296", "both,<,1,2"})
    EXPECT_FALSE(StreamSize::parse(bad)) << bad;
}

TEST(StreamSize, ComparesSequenceProgress) {
  flow::Flow f;
  f.tcp_seq[0] = {1000, 1101, true};  // client: SYN + 100 bytes
  f.tcp_seq[1] = {5000, 5001, true};  // server: SYN/ACK only
  decode::Packet p = packet(kA, kB, 0);
  p.flow = &f;
  EXPECT_TRUE(StreamSize::parse("client,=,101")->match(p));
  EXPECT_TRUE(StreamSize::parse("server,<=,1")->match(p));
  EXPECT_FALSE(StreamSize::parse("both,>,1")->match(p));
  EXPECT_TRUE(StreamSize::parse("either,>,1")->match(p));
  f.tcp_seq[1] = {0xfffffff0u, 0x10u, true};  // wrapped sequence space
  EXPECT_TRUE(StreamSize::parse("server,=,32")->match(p));
  p.has_tcp = false;
  EXPECT_FALSE(StreamSize::parse("client,=,101")->match(p));
}

// ---------------------------------------------------------------- pcre captures

TEST(PcreCapture, ListAndNamedGroups) {
  keywords::PcreLimits limits;
  auto p = keywords::Pcre::parse(R"("/^(.*)\/(\d+)/G, flow:key,pkt:value")", limits);
  ASSERT_TRUE(p) << p.error().message;
  EXPECT_EQ(p->source, R"(/^(.*)\/(\d+)/G)");
  ASSERT_EQ(p->captures.size(), 2u);
  EXPECT_FALSE(p->captures[0].pkt);
  EXPECT_EQ(p->captures[0].name, "key");
  EXPECT_EQ(p->captures[1].group, 2u);
  EXPECT_TRUE(p->captures[1].pkt);
  auto named = keywords::Pcre::parse(R"("/(?P<x>a)(?P<flow_ua>b)(?P<pkt_v>c)/")", limits);
  ASSERT_TRUE(named) << named.error().message;
  ASSERT_EQ(named->captures.size(), 2u);
  EXPECT_EQ(named->captures[0].name, "ua");
  EXPECT_EQ(named->captures[0].group, 2u);
  EXPECT_EQ(named->captures[1].name, "v");
  EXPECT_FALSE(keywords::Pcre::parse(R"("/(a)/, flow:x,flow:y")", limits));  // more vars than groups
  EXPECT_FALSE(keywords::Pcre::parse(R"("/(a)/, host:x")", limits));
}

// ---------------------------------------------------------------- rule building

struct Builder {
  VarNames names;
  std::map<std::string, uint32_t, std::less<>> flowbits;
  build::BuildContext ctx;
  Builder() {
    ctx.vars = [](std::string_view) -> std::optional<std::string> { return std::nullopt; };
    ctx.var_names = &names;
    ctx.intern_flowbit = [this](std::string_view name) {
      return flowbits.emplace(std::string(name), uint32_t(flowbits.size())).first->second;
    };
  }
  core::Result<Rule> build(std::string_view text) {
    auto raw = rules::parse_rule_text(text);
    if (!raw) return raw.error();
    build::BuildResult outcome;
    return build::build_rule(*raw, ctx, outcome);
  }
};

TEST(StateRules, SplitsActionsAndConditions) {
  Builder b;
  auto r = b.build(
      "alert ip any any -> any any (flowint:c,isnotset; flowint:c,+,1; hostbits:set,h; "
      "xbits:isset,x,track ip_pair; xbits:noalert; sid:1;)");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->flowint_conditions.size(), 1u);
  EXPECT_EQ(r->flowint_actions.size(), 1u);
  EXPECT_EQ(r->xbit_actions.size(), 1u);
  EXPECT_EQ(r->xbit_conditions.size(), 1u);
  EXPECT_TRUE(r->noalert);
  EXPECT_FALSE(r->ip_only);  // flowint needs the flow
  auto ip_only = b.build("alert ip any any -> any any (hostbits:isset,h; sid:2;)");
  ASSERT_TRUE(ip_only);
  EXPECT_TRUE(ip_only->ip_only);  // hostbits are IP-only compatible in Suricata
  auto flags = b.build("alert tcp any any -> any any (tcp.flags:S,CE; tcp.ack:0; sid:3;)");
  ASSERT_TRUE(flags) << flags.error().message;
  EXPECT_EQ(flags->packet.size(), 2u);
  auto ss = b.build("alert tcp any any -> any any (stream_size:client,>,10; sid:4;)");
  ASSERT_TRUE(ss) << ss.error().message;
  EXPECT_EQ(ss->flow_keywords.size(), 1u);
  auto cap = b.build(R"(alert tcp any any -> any any (pcre:"/(a)/, flow:v"; sid:5;))");
  ASSERT_TRUE(cap) << cap.error().message;
  EXPECT_TRUE(cap->captures_flowvar);
}

TEST(StateRules, Absent) {
  Builder b;
  auto only = b.build("alert http any any -> any any (http.referer; absent; sid:1;)");
  ASSERT_TRUE(only) << only.error().message;
  EXPECT_EQ(only->buffers.at(0).absent, BufferList::Absent::kOnly);
  auto or_else = b.build(
      R"(alert http any any -> any any (http.referer; absent: or_else; content:"example"; sid:2;))");
  ASSERT_TRUE(or_else) << or_else.error().message;
  EXPECT_EQ(or_else->buffers.at(0).absent, BufferList::Absent::kOrElse);
  EXPECT_EQ(or_else->fast_pattern(), nullptr);  // it can match without the content
  for (const char* bad : {
           R"(alert http any any -> any any (http.referer; absent; content:"x"; sid:3;))",
           R"(alert http any any -> any any (http.referer; absent: or_else; sid:4;))",
           R"(alert http any any -> any any (absent; sid:5;))",
           R"(alert http any any -> any any (http.referer; content:"x"; absent; sid:6;))",
           R"(alert http any any -> any any (http.referer; absent: maybe; content:"x"; sid:7;))"})
    EXPECT_FALSE(b.build(bad)) << bad;
}

// ---------------------------------------------------------------- EVE

std::string metadata_json(const flow::Flow* f, const std::vector<PktVar>* pkt, const VarNames& names) {
  rapidjson::StringBuffer sb;
  rapidjson::Writer<rapidjson::StringBuffer> w(sb);
  w.StartObject();
  output::write_var_metadata(w, f, pkt, names);
  w.EndObject();
  return sb.GetString();
}

TEST(EveMetadata, TrafficAndVariablesInFirstSetOrder) {
  VarNames names;
  flow::Flow f;
  EXPECT_EQ(metadata_json(&f, nullptr, names), "{}");
  f.set_flowbit(names.intern(VarKind::kFlowbit, "zz"));
  f.set_flowbit(names.intern(VarKind::kFlowbit, "traffic/id/mozilla"));
  f.set_flowbit(names.intern(VarKind::kFlowbit, "aa"));
  f.set_flowbit(names.intern(VarKind::kFlowbit, "traffic/label/web"));
  f.set_flowint(names.intern(VarKind::kFlowint, "n"), 7);
  f.set_flowvar(names.intern(VarKind::kFlowvar, "ua"), std::string("a\x01" "b", 3));
  std::vector<PktVar> pkt = {{names.intern(VarKind::kPktvar, "v"), "5.0"}};
  EXPECT_EQ(metadata_json(&f, &pkt, names),
            R"({"traffic":{"id":["mozilla"],"label":["web"]},"metadata":{"flowbits":["zz","aa"],)"
            R"("flowints":{"n":7},"flowvars":[{"ua":"a.b"}],"pktvars":[{"v":"5.0"}]}})");
  flow::Flow only_traffic;
  only_traffic.set_flowbit(names.intern(VarKind::kFlowbit, "traffic/id/mozilla"));
  EXPECT_EQ(metadata_json(&only_traffic, nullptr, names),
            R"({"traffic":{"id":["mozilla"]},"metadata":{}})");
}

}  // namespace
}  // namespace pasban::detect
