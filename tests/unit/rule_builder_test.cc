// build_rule: rule text -> Rule. A table of valid rules with the fields
// they must produce (Suricata's meaning of each keyword), and a table of
// invalid rules with the exact error each must give.
#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "detect/build/rule_builder.h"
#include "detect/rules/rule_text.h"

namespace pasban::detect::build {
namespace {

using keywords::Content;

// One build context for every case: two classtypes, a variable lookup and a
// flowbit interner that hands out ids in first-seen order.
struct Fixture {
  std::map<std::string, uint32_t, std::less<>> flowbits;
  BuildContext ctx;
  Fixture() {
    ctx.classtypes["trojan-activity"] = {"A Network Trojan was detected", 1};
    ctx.classtypes["misc-activity"] = {"Misc activity", 3};
    ctx.vars = [](std::string_view name) -> std::optional<std::string> {
      if (name == "HOME_NET") return std::string("[10.0.0.0/8,192.168.0.0/16]");
      if (name == "HTTP_PORTS") return std::string("[80,8080]");
      return std::nullopt;
    };
    ctx.intern_flowbit = [this](std::string_view name) {
      auto it = flowbits.find(name);
      if (it != flowbits.end()) return it->second;
      uint32_t id = uint32_t(flowbits.size());
      flowbits.emplace(std::string(name), id);
      return id;
    };
  }
  core::Result<Rule> build(std::string_view text, BuildResult* outcome = nullptr) {
    auto raw = rules::parse_rule_text(text);
    if (!raw) return core::make_error("grammar: " + raw.error().message);
    BuildResult local;
    return build_rule(*raw, ctx, outcome ? *outcome : local);
  }
};

const Content& content_at(const Rule& r, size_t buffer, size_t item) {
  return std::get<Content>(r.buffers.at(buffer).items.at(item));
}

struct ValidCase {
  const char* name;
  const char* text;
  std::function<void(const Rule&)> check;
};

// ---------------------------------------------------------------- valid

std::vector<ValidCase> valid_cases() {
  return {
      {"HeaderIdentityAndMessage",
       R"(alert tcp any any -> any 80 (msg:"hello world"; sid:1001; rev:3; gid:5;))",
       [](const Rule& r) {
         EXPECT_EQ(r.action, Action::kAlert);
         EXPECT_EQ(r.proto, Proto::kTcp);
         EXPECT_EQ(r.sid, 1001u);
         EXPECT_EQ(r.rev, 3u);
         EXPECT_EQ(r.gid, 5u);
         EXPECT_EQ(r.msg, "hello world");
         EXPECT_FALSE(r.bidirectional);
         EXPECT_TRUE(r.src_port_any);
         EXPECT_FALSE(r.dst_port_any);
         EXPECT_TRUE(r.buffers.empty());
         EXPECT_TRUE(r.packet.empty());
         EXPECT_EQ(r.fp_buffer, -1);
         EXPECT_EQ(r.fast_pattern(), nullptr);
         // Suricata's defaults: gid 1 unless given, priority 3, no category.
         EXPECT_EQ(r.priority, 3);
         EXPECT_EQ(r.category, "");
         EXPECT_FALSE(r.ip_only);  // a port is given
       }},
      {"DefaultsWithoutRevGid", R"(alert udp any any -> any any (sid:7;))",
       [](const Rule& r) {
         EXPECT_EQ(r.gid, 1u);
         EXPECT_EQ(r.rev, 0u);
         EXPECT_EQ(r.msg, "");
         EXPECT_EQ(r.proto, Proto::kUdp);
       }},
      {"DropAction", R"(drop udp any any -> any any (sid:1;))",
       [](const Rule& r) { EXPECT_EQ(r.action, Action::kDrop); EXPECT_TRUE(r.is_drop()); }},
      {"PassAction", R"(pass ip any any -> any any (sid:1;))",
       [](const Rule& r) { EXPECT_EQ(r.action, Action::kPass); EXPECT_EQ(r.proto, Proto::kIp); }},
      {"RejectBoth", R"(rejectboth tcp any any -> any any (sid:1;))",
       [](const Rule& r) { EXPECT_EQ(r.action, Action::kRejectBoth); EXPECT_TRUE(r.is_reject()); }},
      {"ProtocolNamesAreCaseInsensitive", R"(alert TCP any any -> any any (sid:1;))",
       [](const Rule& r) { EXPECT_EQ(r.proto, Proto::kTcp); }},
      {"Ip6Alias", R"(alert ip6 any any -> any any (sid:1;))",
       [](const Rule& r) { EXPECT_EQ(r.proto, Proto::kIpv6); }},
      {"TcpPkt", R"(alert tcp-pkt any any -> any any (sid:1;))",
       [](const Rule& r) { EXPECT_EQ(r.proto, Proto::kTcpPkt); }},
      {"Icmpv6", R"(alert icmpv6 any any -> any any (sid:1;))",
       [](const Rule& r) { EXPECT_EQ(r.proto, Proto::kIcmpv6); }},
      {"Bidirectional", R"(alert tcp any any <> any any (sid:1;))",
       [](const Rule& r) { EXPECT_TRUE(r.bidirectional); }},
      {"VariablesInHeader", R"(alert tcp $HOME_NET any -> any $HTTP_PORTS (sid:1;))",
       [](const Rule& r) {
         EXPECT_TRUE(r.src_addr.match(*core::IpAddress::parse("192.168.1.1")));
         EXPECT_FALSE(r.src_addr.match(*core::IpAddress::parse("8.8.8.8")));
         EXPECT_TRUE(r.dst_port.match(8080));
         EXPECT_FALSE(r.dst_port.match(81));
       }},
      {"MessageEscapes", R"(alert tcp any any -> any any (msg:"a \"quoted\" \; semi\\"; sid:1;))",
       [](const Rule& r) { EXPECT_EQ(r.msg, "a \"quoted\" ; semi\\"); }},

      // classtype fills category and priority; `priority` wins in either order.
      {"Classtype", R"(alert tcp any any -> any any (classtype:trojan-activity; sid:1;))",
       [](const Rule& r) {
         EXPECT_EQ(r.classtype, "trojan-activity");
         EXPECT_EQ(r.category, "A Network Trojan was detected");
         EXPECT_EQ(r.priority, 1);
         EXPECT_FALSE(r.priority_set);
       }},
      {"PriorityAfterClasstype",
       R"(alert tcp any any -> any any (classtype:trojan-activity; priority:4; sid:1;))",
       [](const Rule& r) { EXPECT_EQ(r.priority, 4); EXPECT_EQ(r.category, "A Network Trojan was detected"); }},
      {"PriorityBeforeClasstype",
       R"(alert tcp any any -> any any (priority:2; classtype:misc-activity; sid:1;))",
       [](const Rule& r) { EXPECT_EQ(r.priority, 2); EXPECT_EQ(r.category, "Misc activity"); }},

      {"MetadataPairsInOrder",
       R"(alert tcp any any -> any any (metadata: created_at 2020_01_01, former_category MALWARE, tag one; metadata:tag two; sid:1;))",
       [](const Rule& r) {
         using P = std::pair<std::string, std::string>;
         EXPECT_EQ(r.metadata, (std::vector<P>{{"created_at", "2020_01_01"},
                                               {"former_category", "MALWARE"},
                                               {"tag", "one"},
                                               {"tag", "two"}}));
       }},
      {"References",
       R"(alert tcp any any -> any any (reference:url,www.example.com/a?b=c; reference: cve, 2020-1234; sid:1;))",
       [](const Rule& r) {
         using P = std::pair<std::string, std::string>;
         EXPECT_EQ(r.references,
                   (std::vector<P>{{"url", "www.example.com/a?b=c"}, {"cve", "2020-1234"}}));
       }},
      {"TargetDest", R"(alert tcp any any -> any any (target:dest_ip; sid:1;))",
       [](const Rule& r) { EXPECT_EQ(r.target, Rule::Target::kDst); }},

      // flow
      {"FlowEstablishedToServer",
       R"(alert tcp any any -> any any (flow:established,to_server; sid:1;))",
       [](const Rule& r) {
         ASSERT_TRUE(r.flow.has_value());
         EXPECT_TRUE(r.flow->established);
         EXPECT_TRUE(r.flow->to_server);
         EXPECT_FALSE(r.flow->to_client);
         EXPECT_FALSE(r.ip_only);
       }},
      {"FlowAliases", R"(alert tcp any any -> any any (flow: from_server , not_established; sid:1;))",
       [](const Rule& r) {
         ASSERT_TRUE(r.flow.has_value());
         EXPECT_TRUE(r.flow->to_client);
         EXPECT_TRUE(r.flow->not_established);
         EXPECT_FALSE(r.flow->to_server);
       }},
      {"FlowStatelessNoStream", R"(alert tcp any any -> any any (flow:stateless,no_stream; sid:1;))",
       [](const Rule& r) {
         ASSERT_TRUE(r.flow.has_value());
         EXPECT_TRUE(r.flow->stateless);
         EXPECT_TRUE(r.flow->no_stream);
       }},

      // packet keywords: one PacketMatch each, in rule order.
      {"PacketMatches",
       R"(alert tcp any any -> any any (ttl:64; dsize:>10; flags:S; sameip; fragbits:D; sid:1;))",
       [](const Rule& r) {
         ASSERT_EQ(r.packet.size(), 5u);
         EXPECT_TRUE(std::holds_alternative<keywords::FieldCmp>(r.packet[0]));
         EXPECT_EQ(std::get<keywords::FieldCmp>(r.packet[0]).field, keywords::Field::kTtl);
         EXPECT_EQ(std::get<keywords::FieldCmp>(r.packet[1]).field, keywords::Field::kDsize);
         EXPECT_EQ(std::get<keywords::FieldCmp>(r.packet[1]).cmp.op, keywords::NumCmp::kGt);
         EXPECT_TRUE(std::holds_alternative<keywords::TcpFlags>(r.packet[2]));
         EXPECT_TRUE(std::holds_alternative<keywords::SameIp>(r.packet[3]));
         EXPECT_TRUE(std::holds_alternative<keywords::Fragbits>(r.packet[4]));
         EXPECT_TRUE(r.buffers.empty());
         EXPECT_FALSE(r.ip_only);
       }},
      {"NoEffectKeywordsAccepted",
       R"(alert tcp any any -> any any (content:"abc"; rawbytes; prefilter; sid:1;))",
       [](const Rule& r) { ASSERT_EQ(r.buffers.size(), 1u); EXPECT_EQ(r.buffers[0].items.size(), 1u); }},

      // content and modifiers
      {"ContentAbsoluteModifiers",
       R"(alert tcp any any -> any any (content:"abc"; nocase; depth:10; offset:2; sid:1;))",
       [](const Rule& r) {
         ASSERT_EQ(r.buffers.size(), 1u);
         EXPECT_EQ(r.buffers[0].id, BufferId::kPayload);
         ASSERT_EQ(r.buffers[0].items.size(), 1u);
         const Content& c = content_at(r, 0, 0);
         EXPECT_EQ(c.bytes, "abc");
         EXPECT_TRUE(c.nocase);
         EXPECT_TRUE(c.has_depth);
         EXPECT_EQ(c.depth, 10);
         EXPECT_TRUE(c.has_offset);
         EXPECT_EQ(c.offset, 2);
         EXPECT_FALSE(c.relative());
         EXPECT_EQ(r.fp_buffer, 0);
         EXPECT_EQ(r.fp_item, 0);
       }},
      {"ContentHexAndEscapes", R"(alert tcp any any -> any any (content:"a|00 FF|b\;c"; sid:1;))",
       [](const Rule& r) { EXPECT_EQ(content_at(r, 0, 0).bytes, std::string("a\x00\xff" "b;c", 6)); }},
      {"ContentRelative",
       R"(alert tcp any any -> any any (content:"x"; content:"yz"; distance:1; within:5; sid:1;))",
       [](const Rule& r) {
         ASSERT_EQ(r.buffers[0].items.size(), 2u);
         EXPECT_FALSE(content_at(r, 0, 0).relative());
         const Content& c = content_at(r, 0, 1);
         EXPECT_TRUE(c.relative());
         EXPECT_EQ(c.distance, 1);
         EXPECT_EQ(c.within, 5);
         EXPECT_EQ(r.fp_item, 1);  // the longer literal is the fast pattern
       }},
      {"NegativeDistance",
       R"(alert tcp any any -> any any (content:"a"; content:"b"; distance:-5; sid:1;))",
       [](const Rule& r) {
         EXPECT_TRUE(content_at(r, 0, 1).has_distance);
         EXPECT_EQ(content_at(r, 0, 1).distance, -5);
       }},
      {"StartsAndEndsWith",
       R"(alert tcp any any -> any any (content:"GET"; startswith; content:"HTTP"; endswith; sid:1;))",
       [](const Rule& r) {
         EXPECT_TRUE(content_at(r, 0, 0).startswith);
         EXPECT_FALSE(content_at(r, 0, 0).endswith);
         EXPECT_TRUE(content_at(r, 0, 1).endswith);
       }},
      {"NegatedContent", R"(alert tcp any any -> any any (content:!"evil"; content:"ok"; sid:1;))",
       [](const Rule& r) {
         EXPECT_TRUE(content_at(r, 0, 0).negated);
         EXPECT_FALSE(content_at(r, 0, 1).negated);
         // A negated literal can't prefilter: the positive one is chosen.
         EXPECT_EQ(r.fp_item, 1);
       }},
      {"OnlyNegatedContentHasNoFastPattern",
       R"(alert tcp any any -> any any (content:!"evil"; sid:1;))",
       [](const Rule& r) { EXPECT_EQ(r.fp_buffer, -1); EXPECT_EQ(r.fast_pattern(), nullptr); }},
      {"ExplicitFastPatternWinsOverLonger",
       R"(alert tcp any any -> any any (content:"abcd"; fast_pattern; content:"abcdefgh"; sid:1;))",
       [](const Rule& r) {
         EXPECT_TRUE(content_at(r, 0, 0).fast_pattern);
         EXPECT_EQ(r.fp_item, 0);
         ASSERT_NE(r.fast_pattern(), nullptr);
         EXPECT_EQ(r.fast_pattern()->bytes, "abcd");
       }},
      {"LongestContentIsFastPattern",
       R"(alert tcp any any -> any any (content:"ab"; content:"abcdef"; content:"xyz"; sid:1;))",
       [](const Rule& r) { EXPECT_EQ(r.fp_item, 1); }},
      {"FastPatternOnly",
       R"(alert tcp any any -> any any (content:"abcdefgh"; fast_pattern:only; sid:1;))",
       [](const Rule& r) {
         EXPECT_TRUE(content_at(r, 0, 0).fast_pattern);
         EXPECT_TRUE(content_at(r, 0, 0).fast_pattern_only);
         EXPECT_FALSE(content_at(r, 0, 0).fast_pattern_chop);
       }},
      {"FastPatternChop",
       R"(alert tcp any any -> any any (content:"abcdefgh"; fast_pattern:2,3; sid:1;))",
       [](const Rule& r) {
         const Content& c = content_at(r, 0, 0);
         EXPECT_TRUE(c.fast_pattern_chop);
         EXPECT_EQ(c.fp_offset, 2);
         EXPECT_EQ(c.fp_length, 3);
         EXPECT_EQ(c.fast_pattern_bytes(), "cde");
         EXPECT_EQ(c.bytes, "abcdefgh");  // matching still uses the whole literal
       }},

      // byte_extract variables as positions
      {"ByteExtractFeedsDepth",
       R"(alert tcp any any -> any any (byte_extract:1,0,len; content:"abc"; depth:len; sid:1;))",
       [](const Rule& r) {
         ASSERT_EQ(r.buffers[0].items.size(), 2u);
         EXPECT_TRUE(std::holds_alternative<keywords::ByteExtract>(r.buffers[0].items[0]));
         const Content& c = content_at(r, 0, 1);
         EXPECT_TRUE(c.has_depth);
         EXPECT_EQ(c.depth_var, 0);
         EXPECT_EQ(r.n_vars, 1);
       }},
      {"ByteExtractFeedsDistanceAndWithin",
       R"(alert tcp any any -> any any (byte_extract:2,0,a; byte_extract:1,2,b; content:"x"; distance:b; within:a; sid:1;))",
       [](const Rule& r) {
         const Content& c = content_at(r, 0, 2);
         EXPECT_EQ(c.distance_var, 1);
         EXPECT_EQ(c.within_var, 0);
         EXPECT_EQ(r.n_vars, 2);
       }},

      // sticky buffers
      {"TcpHdrThenPktData",
       R"(alert tcp any any -> any any (tcp.hdr; content:"|50 18|"; pkt_data; content:"hello"; sid:1;))",
       [](const Rule& r) {
         ASSERT_EQ(r.buffers.size(), 2u);
         EXPECT_EQ(r.buffers[0].id, BufferId::kTcpHdr);
         EXPECT_EQ(content_at(r, 0, 0).bytes, "\x50\x18");
         EXPECT_EQ(r.buffers[1].id, BufferId::kPayload);
         EXPECT_EQ(content_at(r, 1, 0).bytes, "hello");
         // Only the payload is prefiltered.
         EXPECT_EQ(r.fp_buffer, 1);
       }},
      {"PktDataReturnsToTheSamePayloadList",
       R"(alert tcp any any -> any any (content:"a"; tcp.hdr; content:"bbbbbbbb"; pkt_data; content:"c"; sid:1;))",
       [](const Rule& r) {
         ASSERT_EQ(r.buffers.size(), 2u);
         EXPECT_EQ(r.buffers[0].id, BufferId::kPayload);
         ASSERT_EQ(r.buffers[0].items.size(), 2u);
         EXPECT_EQ(content_at(r, 0, 1).bytes, "c");
         EXPECT_EQ(r.buffers[1].id, BufferId::kTcpHdr);
         // The longer tcp.hdr literal is not scanned by the prefilter.
         EXPECT_EQ(r.fp_buffer, 0);
       }},
      {"HeaderOnlyRuleHasNoFastPattern",
       R"(alert tcp any any -> any any (tcp.hdr; content:"|50 18|"; sid:1;))",
       [](const Rule& r) { EXPECT_EQ(r.fp_buffer, -1); EXPECT_FALSE(r.ip_only); }},
      {"EveryHeaderBuffer",
       R"(alert ip any any -> any any (ipv4.hdr; content:"|45|"; udp.hdr; content:"|00 35|"; icmpv4.hdr; content:"|08|"; ipv6.hdr; content:"|60|"; icmpv6.hdr; content:"|80|"; sid:1;))",
       [](const Rule& r) {
         ASSERT_EQ(r.buffers.size(), 5u);
         EXPECT_EQ(r.buffers[0].id, BufferId::kIpv4Hdr);
         EXPECT_EQ(r.buffers[1].id, BufferId::kUdpHdr);
         EXPECT_EQ(r.buffers[2].id, BufferId::kIcmpv4Hdr);
         EXPECT_EQ(r.buffers[3].id, BufferId::kIpv6Hdr);
         EXPECT_EQ(r.buffers[4].id, BufferId::kIcmpv6Hdr);
       }},
      {"StickyBufferReusedWhenNamedAgain",
       R"(alert tcp any any -> any any (tcp.hdr; content:"a"; pkt_data; content:"b"; tcp.hdr; content:"c"; sid:1;))",
       [](const Rule& r) {
         ASSERT_EQ(r.buffers.size(), 2u);
         EXPECT_EQ(r.buffers[0].items.size(), 2u);
       }},
      {"PcreAndIsdataatAndBsizeGoToCurrentBuffer",
       R"(alert tcp any any -> any any (tcp.hdr; pcre:"/^\x00/"; isdataat:4; bsize:>19; sid:1;))",
       [](const Rule& r) {
         ASSERT_EQ(r.buffers.size(), 1u);
         ASSERT_EQ(r.buffers[0].items.size(), 3u);
         EXPECT_TRUE(std::holds_alternative<keywords::Pcre>(r.buffers[0].items[0]));
         EXPECT_TRUE(std::holds_alternative<keywords::IsDataAt>(r.buffers[0].items[1]));
         EXPECT_TRUE(std::holds_alternative<Bsize>(r.buffers[0].items[2]));
       }},

      // flowbits
      {"Flowbits",
       R"(alert tcp any any -> any any (flowbits:set,foo; flowbits:isset,bar; flowbits:noalert; sid:1;))",
       [](const Rule& r) {
         ASSERT_EQ(r.flowbit_actions.size(), 1u);
         EXPECT_EQ(r.flowbit_actions[0].op, keywords::Flowbits::kSet);
         EXPECT_EQ(r.flowbit_actions[0].names, std::vector<std::string>{"foo"});
         ASSERT_EQ(r.flowbit_conditions.size(), 1u);
         EXPECT_EQ(r.flowbit_conditions[0].op, keywords::Flowbits::kIsSet);
         EXPECT_EQ(r.flowbit_conditions[0].names, std::vector<std::string>{"bar"});
         EXPECT_NE(r.flowbit_actions[0].ids, r.flowbit_conditions[0].ids);
         EXPECT_TRUE(r.noalert);
       }},
      {"FlowbitsAnyOf", R"(alert tcp any any -> any any (flowbits:isset,a|b; sid:1;))",
       [](const Rule& r) {
         ASSERT_EQ(r.flowbit_conditions.size(), 1u);
         EXPECT_TRUE(r.flowbit_conditions[0].any_of);
         EXPECT_EQ(r.flowbit_conditions[0].ids.size(), 2u);
       }},
      {"Noalert", R"(alert tcp any any -> any any (noalert; sid:1;))",
       [](const Rule& r) { EXPECT_TRUE(r.noalert); }},

      // thresholds
      {"Threshold",
       R"(alert tcp any any -> any any (threshold: type limit, track by_src, count 1, seconds 60; sid:1;))",
       [](const Rule& r) {
         ASSERT_TRUE(r.threshold.has_value());
         EXPECT_EQ(r.threshold->type, threshold::ThresholdSpec::kLimit);
         EXPECT_EQ(r.threshold->track, threshold::ThresholdSpec::kBySrc);
         EXPECT_EQ(r.threshold->count, 1u);
         EXPECT_EQ(r.threshold->seconds, 60u);
         EXPECT_FALSE(r.detection_filter.has_value());
       }},
      {"DetectionFilter",
       R"(alert tcp any any -> any any (detection_filter: track by_dst, count 5, seconds 30; sid:1;))",
       [](const Rule& r) {
         ASSERT_TRUE(r.detection_filter.has_value());
         EXPECT_EQ(r.detection_filter->type, threshold::ThresholdSpec::kDetectionFilter);
         EXPECT_EQ(r.detection_filter->track, threshold::ThresholdSpec::kByDst);
         EXPECT_EQ(r.detection_filter->count, 5u);
         EXPECT_EQ(r.detection_filter->seconds, 30u);
       }},

      // IP-only: Suricata's class of rules that look at addresses alone.
      {"IpOnlyAddressesOnly",
       R"(alert ip 10.0.0.0/8 any -> any any (msg:"x"; classtype:misc-activity; sid:1;))",
       [](const Rule& r) { EXPECT_TRUE(r.ip_only); }},
      {"IpOnlyTcpWithAnyPorts", R"(alert tcp 1.2.3.4 any -> any any (sid:1;))",
       [](const Rule& r) { EXPECT_TRUE(r.ip_only); }},
      {"IpOnlyWithFlowbitsSet",  // Suricata: a "set" flowbit is IP-only compatible
       R"(alert ip 1.2.3.4 any -> any any (flowbits:set,x; sid:1;))",
       [](const Rule& r) { EXPECT_TRUE(r.ip_only); }},
      {"NotIpOnlyWithFlowbitsIsset", R"(alert ip any any -> any any (flowbits:isset,x; sid:1;))",
       [](const Rule& r) { EXPECT_FALSE(r.ip_only); }},
      {"NotIpOnlyWithContent", R"(alert ip any any -> any any (content:"x"; sid:1;))",
       [](const Rule& r) { EXPECT_FALSE(r.ip_only); }},
      {"NotIpOnlyWithPacketKeyword", R"(alert ip any any -> any any (ttl:1; sid:1;))",
       [](const Rule& r) { EXPECT_FALSE(r.ip_only); }},
      {"NotIpOnlyWithSourcePort", R"(alert tcp any 1024 -> any any (sid:1;))",
       [](const Rule& r) { EXPECT_FALSE(r.ip_only); }},

      // requires that is met
      {"RequiresVersionMet", R"(alert tcp any any -> any any (requires: version >= 7; sid:1;))",
       [](const Rule& r) { EXPECT_EQ(r.sid, 1u); }},
      {"RequiresVersionRangeMet",
       R"(alert tcp any any -> any any (requires: version >= 8 < 9; sid:1;))",
       [](const Rule& r) { EXPECT_EQ(r.sid, 1u); }},
  };
}

class ValidRule : public ::testing::TestWithParam<ValidCase> {};

TEST_P(ValidRule, Builds) {
  Fixture fx;
  BuildResult outcome;
  auto r = fx.build(GetParam().text, &outcome);
  ASSERT_TRUE(r.ok()) << GetParam().text << "\n  error: " << r.error().message;
  EXPECT_FALSE(outcome.skipped) << outcome.skip_reason;
  GetParam().check(*r);
}

INSTANTIATE_TEST_SUITE_P(Table, ValidRule, ::testing::ValuesIn(valid_cases()),
                         [](const auto& info) { return std::string(info.param.name); });

// ---------------------------------------------------------------- invalid

struct InvalidCase {
  const char* name;
  const char* text;
  const char* error;
};

const InvalidCase kInvalid[] = {
    {"UnknownKeyword", R"(alert tcp any any -> any any (frobnicate:1; sid:1;))",
     "unknown keyword 'frobnicate'"},
    {"MissingSid", R"(alert tcp any any -> any any (msg:"x";))", "rule has no sid"},
    {"SidZero", R"(alert tcp any any -> any any (sid:0;))", "sid: sid must be greater than 0"},
    {"UnknownAction", R"(log tcp any any -> any any (sid:1;))", "unknown action 'log'"},
    {"DepthSmallerThanContent", R"(alert tcp any any -> any any (content:"abcd"; depth:3; sid:1;))",
     "depth: depth 3 is smaller than the content length 4"},
    {"DepthZero", R"(alert tcp any any -> any any (content:"a"; depth:0; sid:1;))",
     "depth: must be greater than 0"},
    {"WithinSmallerThanContent",
     R"(alert tcp any any -> any any (content:"a"; content:"bcd"; within:2; sid:1;))",
     "within: within 2 is smaller than the content length 3"},
    {"RelativeAfterAbsolute",
     R"(alert tcp any any -> any any (content:"a"; offset:1; distance:0; sid:1;))",
     "distance: can't mix a relative keyword with offset/depth on one content"},
    {"AbsoluteAfterRelative",
     R"(alert tcp any any -> any any (content:"a"; content:"b"; within:5; depth:5; sid:1;))",
     "depth: can't mix offset/depth with a relative keyword on one content"},
    {"DepthGivenTwice", R"(alert tcp any any -> any any (content:"a"; depth:5; depth:6; sid:1;))",
     "depth: given twice"},
    {"ModifierWithoutContent", R"(alert tcp any any -> any any (nocase; sid:1;))",
     "nocase: needs a preceding content"},
    {"StartswithWithDepth",
     R"(alert tcp any any -> any any (content:"a"; depth:4; startswith; sid:1;))",
     "startswith: can't be combined with offset, depth, distance or within"},
    {"DistanceAfterStartswith",
     R"(alert tcp any any -> any any (content:"a"; startswith; distance:1; sid:1;))",
     "distance: can't be combined with startswith"},
    {"UnknownByteVariable", R"(alert tcp any any -> any any (content:"a"; depth:nope; sid:1;))",
     "depth: unknown variable 'nope'"},
    {"FastPatternChopTooLong",
     R"(alert tcp any any -> any any (content:"abc"; fast_pattern:1,3; sid:1;))",
     "fast_pattern: chop exceeds the content length"},
    {"UnknownClasstype", R"(alert tcp any any -> any any (classtype:no-such-class; sid:1;))",
     "classtype: unknown classtype 'no-such-class'"},
    {"PriorityZero", R"(alert tcp any any -> any any (priority:0; sid:1;))",
     "priority: priority must be 1..255"},
    // (Protocols without a parser yet; update when one lands.)
    {"AppLayerProtocol", R"(alert modbus any any -> any any (sid:1;))",
     "app-layer protocol 'modbus' is not supported yet"},
    {"AppLayerProtocolUppercase", R"(alert NFS any any -> any any (sid:1;))",
     "app-layer protocol 'nfs' is not supported yet"},
    {"UnknownProtocol", R"(alert foo any any -> any any (sid:1;))", "unknown protocol 'foo'"},
    {"PortsWithIcmp", R"(alert icmp any 80 -> any any (sid:1;))",
     "ports are not allowed with protocol 'icmp'"},
    {"PortsWithIcmpDest", R"(alert icmpv6 any any -> any [1,2] (sid:1;))",
     "ports are not allowed with protocol 'icmpv6'"},
    {"BadFlowOption", R"(alert tcp any any -> any any (flow:sideways; sid:1;))",
     "flow: unknown option 'sideways'"},
    {"ConflictingFlowDirections", R"(alert tcp any any -> any any (flow:to_server,to_client; sid:1;))",
     "flow: to_server and to_client conflict"},
    {"TwoFlowKeywords", R"(alert tcp any any -> any any (flow:to_server; flow:established; sid:1;))",
     "flow: only one flow keyword per rule"},
    {"BadFlag", R"(alert tcp any any -> any any (flags:SX; sid:1;))", "flags: invalid flag 'X'"},
    {"TwoFlagModifiers", R"(alert tcp any any -> any any (flags:+*S; sid:1;))",
     "flags: more than one modifier"},
    {"StickyBufferWithNothingAfter", R"(alert tcp any any -> any any (content:"a"; tcp.hdr; sid:1;))",
     "sticky buffer 'tcp.hdr' has no keyword after it"},
    {"BadFlowbitsCommand", R"(alert tcp any any -> any any (flowbits:frob,x; sid:1;))",
     "flowbits: unknown command 'frob'"},
    {"SecondThreshold",
     R"(alert tcp any any -> any any (threshold:type limit,track by_src,count 1,seconds 1; threshold:type limit,track by_src,count 1,seconds 1; sid:1;))",
     "threshold: only one threshold per rule"},
    {"ThresholdMissingType",
     R"(alert tcp any any -> any any (threshold: track by_src, count 1, seconds 60; sid:1;))",
     "threshold: missing 'type'"},
    {"BadRequires", R"(alert tcp any any -> any any (requires: colour blue; sid:1;))",
     "requires: unknown requirement 'colour blue'"},
    {"BadSourceAddress", R"(alert tcp $NOPE any -> any any (sid:1;))",
     "source address: unknown variable '$NOPE'"},
};

class InvalidRule : public ::testing::TestWithParam<InvalidCase> {};

TEST_P(InvalidRule, FailsWithExactError) {
  Fixture fx;
  BuildResult outcome;
  auto r = fx.build(GetParam().text, &outcome);
  ASSERT_FALSE(r.ok()) << GetParam().text;
  EXPECT_EQ(r.error().message, GetParam().error) << GetParam().text;
  EXPECT_FALSE(outcome.skipped);
}

INSTANTIATE_TEST_SUITE_P(Table, InvalidRule, ::testing::ValuesIn(kInvalid),
                         [](const auto& info) { return std::string(info.param.name); });

// ---------------------------------------------------------------- requires

TEST(RuleBuilderRequires, UnmetVersionSkipsTheRule) {
  Fixture fx;
  for (const char* text : {
           R"(alert tcp any any -> any any (requires: version >= 9; sid:1;))",
           R"(alert tcp any any -> any any (requires: version >= 9.0.0; content:"x"; sid:1;))",
           // A range that ends below 8.x: "7.0.3 <= v < 8".
           R"(alert tcp any any -> any any (requires: version >= 7.0.3 < 8; sid:1;))",
           R"(alert tcp any any -> any any (requires: version < 7; sid:1;))",
       }) {
    BuildResult outcome;
    auto r = fx.build(text, &outcome);
    ASSERT_TRUE(r.ok()) << text << ": " << r.error().message;
    EXPECT_TRUE(outcome.skipped) << text;
    EXPECT_NE(outcome.skip_reason.find("requires version"), std::string::npos) << outcome.skip_reason;
  }
}

TEST(RuleBuilderRequires, UnmetRequirementSkipsBeforeLaterKeywordsAreChecked) {
  // Suricata pre-scans `requires`: a rule written for a newer engine is
  // skipped quietly even though later options would not load here.
  Fixture fx;
  BuildResult outcome;
  auto r = fx.build(R"(alert tcp any any -> any any (requires: version >= 9; dcerpc.opnum:>3; sid:3;))",
                    &outcome);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_TRUE(outcome.skipped);
}

TEST(RuleBuilderRequires, MetVersionLoads) {
  Fixture fx;
  for (const char* text : {
           R"(alert tcp any any -> any any (requires: version >= 7; sid:1;))",
           R"(alert tcp any any -> any any (requires: version >= 8.0.0; sid:1;))",
           R"(alert tcp any any -> any any (requires: version >= 7.0.3 < 9; sid:1;))",
       }) {
    BuildResult outcome;
    auto r = fx.build(text, &outcome);
    ASSERT_TRUE(r.ok()) << text << ": " << r.error().message;
    EXPECT_FALSE(outcome.skipped) << text << ": " << outcome.skip_reason;
  }
}

TEST(RuleBuilder, FindSidText) {
  auto raw = rules::parse_rule_text(R"(alert tcp any any -> any any (msg:"x"; sid: 42 ;))");
  ASSERT_TRUE(raw.ok());
  EXPECT_EQ(find_sid_text(*raw), "42");
  auto none = rules::parse_rule_text(R"(alert tcp any any -> any any (msg:"x";))");
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(find_sid_text(*none), "?");
}

TEST(RuleBuilder, ContentOptionsAreOrderIndependentForOffsetAndDepth) {
  // Suricata's depth counts from offset whichever comes first.
  Fixture fx;
  auto a = fx.build(R"(alert tcp any any -> any any (content:"abc"; offset:3; depth:3; sid:1;))");
  auto b = fx.build(R"(alert tcp any any -> any any (content:"abc"; depth:3; offset:3; sid:1;))");
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(content_at(*a, 0, 0), content_at(*b, 0, 0));
}

}  // namespace
}  // namespace pasban::detect::build
