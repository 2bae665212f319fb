// EVE alert records and fast.log lines for hand-built packets, flows and
// rules: field names, key order, JSON types, the alert object, Suricata's
// timestamp form, IPv6 address form, and the fast.log layout of Suricata's
// alert-fastlog.c.
#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <stdlib.h>
#include <time.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "decode/packet.h"
#include "detect/rule.h"
#include "flow/flow.h"
#include "output/eve.h"
#include "output/fast_log.h"

namespace pasban::output {
namespace {

namespace fs = std::filesystem;

// 2016-03-08T16:43:33.110346Z
constexpr core::Timestamp kTs{1457455413, 110346};

class TempDir {
 public:
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "pasban-eve-XXXXXX").string();
    path_ = mkdtemp(tmpl.data());
  }
  ~TempDir() { fs::remove_all(path_); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

std::vector<std::string> keys_of(const rapidjson::Value& obj) {
  std::vector<std::string> out;
  for (auto it = obj.MemberBegin(); it != obj.MemberEnd(); ++it) out.emplace_back(it->name.GetString());
  return out;
}

class EveTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* tz = getenv("TZ");
    had_tz_ = tz != nullptr;
    if (tz) old_tz_ = tz;
    setenv("TZ", "UTC", 1);
    tzset();
    rule_.sid = 1001;
    rule_.gid = 1;
    rule_.rev = 3;
    rule_.msg = "Test \"quoted\" message";
    rule_.category = "Misc activity";
    rule_.priority = 3;
  }
  void TearDown() override {
    if (had_tz_) setenv("TZ", old_tz_.c_str(), 1);
    else unsetenv("TZ");
    tzset();
  }

  decode::Packet tcp_packet(const char* src, const char* dst) {
    decode::Packet p;
    p.ts = kTs;
    p.pcap_cnt = 7;
    p.ip_version = IpFamily(src);
    p.src = *core::IpAddress::parse(src);
    p.dst = *core::IpAddress::parse(dst);
    p.ip_proto = 6;
    p.has_tcp = true;
    p.sp = 34855;
    p.dp = 80;
    return p;
  }
  static uint8_t IpFamily(const char* text) { return core::IpAddress::parse(text)->family; }

  flow::Flow make_flow(const decode::Packet& p) {
    flow::Flow f;
    f.flow_id = 1234567890123ull;
    f.client = p.src;
    f.server = p.dst;
    f.client_port = p.sp;
    f.server_port = p.dp;
    f.proto = p.ip_proto;
    f.start = {kTs.sec - 2, 5};
    f.last = kTs;
    f.pkts_toserver = 3;
    f.pkts_toclient = 2;
    f.bytes_toserver = 300;
    f.bytes_toclient = 200;
    return f;
  }

  // Writes one alert and returns the parsed record.
  rapidjson::Document write_alert(const decode::Packet& p, EveOptions opts = {}, bool blocked = false) {
    TempDir dir;
    EveWriter w(opts);
    EXPECT_TRUE(w.open(dir.path()));
    detect::eval::Alert a;
    a.rule = &rule_;
    a.action = rule_.action;
    a.blocked = blocked;
    w.alert(p, a);
    w.close();
    EXPECT_TRUE(w.ok()) << w.error();
    raw_ = read_file(dir.path() + "/eve.json");
    auto lines = lines_of(raw_);
    EXPECT_EQ(lines.size(), 1u) << raw_;
    rapidjson::Document d;
    d.Parse(lines.empty() ? "{}" : lines[0].c_str());
    EXPECT_FALSE(d.HasParseError()) << raw_;
    EXPECT_TRUE(d.IsObject());
    return d;
  }

  std::string fast_line(const decode::Packet& p, bool blocked = false) {
    TempDir dir;
    FastLog log;
    EXPECT_TRUE(log.open(dir.path()));
    detect::eval::Alert a;
    a.rule = &rule_;
    a.action = rule_.action;
    a.blocked = blocked;
    log.alert(p, a);
    log.close();
    return read_file(dir.path() + "/fast.log");
  }

  detect::Rule rule_;
  std::string raw_;
  bool had_tz_ = false;
  std::string old_tz_;
};

TEST_F(EveTest, AlertTopLevelKeysInSuricataOrder) {
  auto p = tcp_packet("10.0.0.1", "10.0.0.2");
  auto f = make_flow(p);
  p.flow = &f;
  p.to_server = true;
  auto d = write_alert(p);
  EXPECT_EQ(keys_of(d), (std::vector<std::string>{"timestamp", "flow_id", "pcap_cnt", "event_type",
                                                  "src_ip", "src_port", "dest_ip", "dest_port",
                                                  "proto", "ip_v", "pkt_src", "alert", "direction",
                                                  "flow"}))
      << raw_;
  // One line, newline terminated, no pretty printing.
  ASSERT_FALSE(raw_.empty());
  EXPECT_EQ(raw_.back(), '\n');
  EXPECT_EQ(raw_.find('\n'), raw_.size() - 1);
}

TEST_F(EveTest, AlertFieldValuesAndTypes) {
  auto p = tcp_packet("10.0.0.1", "10.0.0.2");
  auto f = make_flow(p);
  p.flow = &f;
  p.to_server = true;
  auto d = write_alert(p);
  ASSERT_TRUE(d["timestamp"].IsString());
  EXPECT_STREQ(d["timestamp"].GetString(), "2016-03-08T16:43:33.110346+0000");
  ASSERT_TRUE(d["flow_id"].IsUint64());
  EXPECT_EQ(d["flow_id"].GetUint64(), 1234567890123ull);
  ASSERT_TRUE(d["pcap_cnt"].IsUint64());
  EXPECT_EQ(d["pcap_cnt"].GetUint64(), 7u);
  EXPECT_STREQ(d["event_type"].GetString(), "alert");
  EXPECT_STREQ(d["src_ip"].GetString(), "10.0.0.1");
  ASSERT_TRUE(d["src_port"].IsUint());
  EXPECT_EQ(d["src_port"].GetUint(), 34855u);
  EXPECT_STREQ(d["dest_ip"].GetString(), "10.0.0.2");
  EXPECT_EQ(d["dest_port"].GetUint(), 80u);
  EXPECT_STREQ(d["proto"].GetString(), "TCP");
  ASSERT_TRUE(d["ip_v"].IsInt());
  EXPECT_EQ(d["ip_v"].GetInt(), 4);
  EXPECT_STREQ(d["pkt_src"].GetString(), "wire/pcap");
  EXPECT_STREQ(d["direction"].GetString(), "to_server");

  const auto& a = d["alert"];
  ASSERT_TRUE(a.IsObject());
  EXPECT_EQ(keys_of(a), (std::vector<std::string>{"action", "gid", "signature_id", "rev", "signature",
                                                  "category", "severity"}));
  EXPECT_STREQ(a["action"].GetString(), "allowed");
  ASSERT_TRUE(a["gid"].IsInt());
  EXPECT_EQ(a["gid"].GetInt(), 1);
  ASSERT_TRUE(a["signature_id"].IsInt());
  EXPECT_EQ(a["signature_id"].GetInt(), 1001);
  EXPECT_EQ(a["rev"].GetInt(), 3);
  EXPECT_STREQ(a["signature"].GetString(), "Test \"quoted\" message");
  EXPECT_STREQ(a["category"].GetString(), "Misc activity");
  ASSERT_TRUE(a["severity"].IsInt());
  EXPECT_EQ(a["severity"].GetInt(), 3);

  const auto& fl = d["flow"];
  ASSERT_TRUE(fl.IsObject());
  EXPECT_EQ(keys_of(fl), (std::vector<std::string>{"pkts_toserver", "pkts_toclient", "bytes_toserver",
                                                   "bytes_toclient", "start", "src_ip", "dest_ip",
                                                   "src_port", "dest_port"}));
  EXPECT_EQ(fl["pkts_toserver"].GetUint64(), 3u);
  EXPECT_EQ(fl["pkts_toclient"].GetUint64(), 2u);
  EXPECT_EQ(fl["bytes_toserver"].GetUint64(), 300u);
  EXPECT_EQ(fl["bytes_toclient"].GetUint64(), 200u);
  EXPECT_STREQ(fl["start"].GetString(), "2016-03-08T16:43:31.000005+0000");
  EXPECT_STREQ(fl["src_ip"].GetString(), "10.0.0.1");
  EXPECT_EQ(fl["dest_port"].GetUint(), 80u);
}

TEST_F(EveTest, TimestampFormat) {
  auto p = tcp_packet("10.0.0.1", "10.0.0.2");
  const std::regex form(R"(^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}[+-]\d{4}$)");
  for (core::Timestamp ts : {core::Timestamp{0, 0}, core::Timestamp{1457455413, 1},
                             core::Timestamp{1700000000, 999999}}) {
    p.ts = ts;
    auto d = write_alert(p);
    std::string t = d["timestamp"].GetString();
    EXPECT_TRUE(std::regex_match(t, form)) << t;
  }
  p.ts = {0, 0};
  EXPECT_STREQ(write_alert(p)["timestamp"].GetString(), "1970-01-01T00:00:00.000000+0000");
  p.ts = {1457455413, 1};
  EXPECT_STREQ(write_alert(p)["timestamp"].GetString(), "2016-03-08T16:43:33.000001+0000");
  // The local zone and its offset, as Suricata prints them (POSIX TZ: UTC+5:30).
  setenv("TZ", "IST-5:30", 1);
  tzset();
  p.ts = kTs;
  EXPECT_STREQ(write_alert(p)["timestamp"].GetString(), "2016-03-08T22:13:33.110346+0530");
  setenv("TZ", "XST+3", 1);
  tzset();
  EXPECT_STREQ(write_alert(p)["timestamp"].GetString(), "2016-03-08T13:43:33.110346-0300");
}

TEST_F(EveTest, Ipv6AddressesAreFullyWritten) {
  auto p = tcp_packet("2001:db8::1", "fe80::a:bc");
  auto d = write_alert(p);
  EXPECT_STREQ(d["src_ip"].GetString(), "2001:0db8:0000:0000:0000:0000:0000:0001");
  EXPECT_STREQ(d["dest_ip"].GetString(), "fe80:0000:0000:0000:0000:0000:000a:00bc");
  EXPECT_EQ(d["ip_v"].GetInt(), 6);
}

TEST_F(EveTest, NoFlowNoPcapCnt) {
  auto p = tcp_packet("10.0.0.1", "10.0.0.2");
  p.pcap_cnt = 0;
  auto d = write_alert(p);
  EXPECT_FALSE(d.HasMember("flow_id"));
  EXPECT_FALSE(d.HasMember("pcap_cnt"));
  EXPECT_FALSE(d.HasMember("flow"));
  EXPECT_FALSE(d.HasMember("direction"));
  EXPECT_TRUE(d.HasMember("alert"));
}

TEST_F(EveTest, IcmpAlert) {
  decode::Packet p;
  p.ts = kTs;
  p.ip_version = 4;
  p.src = *core::IpAddress::parse("192.168.0.89");
  p.dst = *core::IpAddress::parse("192.168.0.1");
  p.ip_proto = 1;
  p.has_icmpv4 = true;
  p.icmp_type = 8;
  p.icmp_code = 0;
  flow::Flow f = make_flow(p);
  f.client_port = f.server_port = 0;
  p.flow = &f;
  EveOptions opts;
  opts.community_id = true;
  auto d = write_alert(p, opts);
  EXPECT_EQ(keys_of(d), (std::vector<std::string>{"timestamp", "flow_id", "event_type", "src_ip",
                                                  "dest_ip", "proto", "ip_v", "icmp_type", "icmp_code",
                                                  "pkt_src", "community_id", "alert", "direction", "flow"}))
      << raw_;
  EXPECT_STREQ(d["proto"].GetString(), "ICMP");
  EXPECT_EQ(d["icmp_type"].GetInt(), 8);
  EXPECT_EQ(d["icmp_code"].GetInt(), 0);
  // The spec's ICMP echo vector.
  EXPECT_STREQ(d["community_id"].GetString(), "1:X0snYXpgwiv9TZtqg64sgzUn6Dk=");
  EXPECT_FALSE(d["flow"].HasMember("src_port"));
}

TEST_F(EveTest, CommunityIdOnTcp) {
  auto p = tcp_packet("66.35.250.204", "128.232.110.120");
  std::swap(p.sp, p.dp);  // 66.35.250.204:80 -> 128.232.110.120:34855
  EveOptions opts;
  opts.community_id = true;
  auto d = write_alert(p, opts);
  ASSERT_TRUE(d.HasMember("community_id"));
  EXPECT_STREQ(d["community_id"].GetString(), "1:LQU9qZlK+B5F3KDmev6m5PMibrg=");
  opts.community_id = false;
  EXPECT_FALSE(write_alert(p, opts).HasMember("community_id"));
}

TEST_F(EveTest, AlertMetadataTargetAndBlocked) {
  rule_.metadata = {{"tag", "one"}, {"created_at", "2020_01_01"}, {"tag", "two"}};
  rule_.target = detect::Rule::Target::kDst;
  auto p = tcp_packet("10.0.0.1", "10.0.0.2");
  auto d = write_alert(p, {}, /*blocked=*/true);
  const auto& a = d["alert"];
  EXPECT_STREQ(a["action"].GetString(), "blocked");
  EXPECT_EQ(keys_of(a), (std::vector<std::string>{"action", "gid", "signature_id", "rev", "signature",
                                                  "category", "severity", "source", "target",
                                                  "metadata"}));
  EXPECT_STREQ(a["source"]["ip"].GetString(), "10.0.0.1");
  EXPECT_EQ(a["source"]["port"].GetUint(), 34855u);
  EXPECT_STREQ(a["target"]["ip"].GetString(), "10.0.0.2");
  EXPECT_EQ(a["target"]["port"].GetUint(), 80u);
  const auto& m = a["metadata"];
  EXPECT_EQ(keys_of(m), (std::vector<std::string>{"tag", "created_at"}));
  ASSERT_TRUE(m["tag"].IsArray());
  ASSERT_EQ(m["tag"].Size(), 2u);
  EXPECT_STREQ(m["tag"][0].GetString(), "one");
  EXPECT_STREQ(m["tag"][1].GetString(), "two");
  EXPECT_STREQ(m["created_at"][0].GetString(), "2020_01_01");
  EveOptions no_meta;
  no_meta.metadata = false;
  EXPECT_FALSE(write_alert(p, no_meta)["alert"].HasMember("metadata"));
}

TEST_F(EveTest, VlanArray) {
  auto p = tcp_packet("10.0.0.1", "10.0.0.2");
  p.vlan_count = 2;
  p.vlan_id = {100, 200, 0};
  auto d = write_alert(p);
  // Right after event_type, before the addresses.
  EXPECT_EQ(keys_of(d), (std::vector<std::string>{"timestamp", "pcap_cnt", "event_type", "vlan",
                                                  "src_ip", "src_port", "dest_ip", "dest_port",
                                                  "proto", "ip_v", "pkt_src", "alert"}));
  ASSERT_TRUE(d["vlan"].IsArray());
  ASSERT_EQ(d["vlan"].Size(), 2u);
  EXPECT_EQ(d["vlan"][0].GetInt(), 100);
  EXPECT_EQ(d["vlan"][1].GetInt(), 200);
}

TEST_F(EveTest, PayloadOptions) {
  // Suricata's PrintStringsToBuffer keeps isprint() bytes, \n and \r; a tab
  // is not printable there.
  static const std::string payload = "GET /\r\n\x01\t";
  auto p = tcp_packet("10.0.0.1", "10.0.0.2");
  p.payload = core::as_bytes(payload);
  EveOptions opts;
  opts.payload = true;
  opts.payload_printable = true;
  opts.payload_length = true;
  auto d = write_alert(p, opts);
  EXPECT_STREQ(d["payload"].GetString(), "R0VUIC8NCgEJ");
  EXPECT_STREQ(d["payload_printable"].GetString(), "GET /\r\n..");
  EXPECT_EQ(d["payload_length"].GetInt(), 9);
}

// ------------------------------------------------------------- fast.log

TEST_F(EveTest, FastLogIpv4) {
  auto p = tcp_packet("10.0.0.1", "10.0.0.2");
  EXPECT_EQ(fast_line(p),
            "03/08/2016-16:43:33.110346  [**] [1:1001:3] Test \"quoted\" message [**] "
            "[Classification: Misc activity] [Priority: 3] {TCP} 10.0.0.1:34855 -> 10.0.0.2:80\n");
}

TEST_F(EveTest, FastLogNoClasstypeAndDropMarks) {
  rule_.category = "";
  rule_.priority = 2;
  rule_.action = detect::Action::kDrop;
  auto p = tcp_packet("10.0.0.1", "10.0.0.2");
  // A drop rule outside IPS mode is a "would drop".
  EXPECT_EQ(fast_line(p),
            "03/08/2016-16:43:33.110346  [wDrop] [**] [1:1001:3] Test \"quoted\" message [**] "
            "[Classification: (null)] [Priority: 2] {TCP} 10.0.0.1:34855 -> 10.0.0.2:80\n");
  EXPECT_EQ(fast_line(p, /*blocked=*/true),
            "03/08/2016-16:43:33.110346  [Drop] [**] [1:1001:3] Test \"quoted\" message [**] "
            "[Classification: (null)] [Priority: 2] {TCP} 10.0.0.1:34855 -> 10.0.0.2:80\n");
}

TEST_F(EveTest, FastLogIpv6LikeSuricata) {
  // alert-fastlog.c prints PrintInet() text and ":port" for every family,
  // with no brackets around IPv6 addresses.
  auto p = tcp_packet("2001:db8::1", "2001:db8::2");
  EXPECT_EQ(fast_line(p),
            "03/08/2016-16:43:33.110346  [**] [1:1001:3] Test \"quoted\" message [**] "
            "[Classification: Misc activity] [Priority: 3] {TCP} "
            "2001:0db8:0000:0000:0000:0000:0000:0001:34855 -> "
            "2001:0db8:0000:0000:0000:0000:0000:0002:80\n");
}

TEST_F(EveTest, FastLogIcmpShowsTypeAndCode) {
  // alert-fastlog.c: for ICMP the "ports" are icmp type and code.
  decode::Packet p;
  p.ts = kTs;
  p.ip_version = 4;
  p.src = *core::IpAddress::parse("192.168.0.89");
  p.dst = *core::IpAddress::parse("192.168.0.1");
  p.ip_proto = 1;
  p.has_icmpv4 = true;
  p.icmp_type = 3;
  p.icmp_code = 1;
  EXPECT_EQ(fast_line(p),
            "03/08/2016-16:43:33.110346  [**] [1:1001:3] Test \"quoted\" message [**] "
            "[Classification: Misc activity] [Priority: 3] {ICMP} 192.168.0.89:3 -> 192.168.0.1:1\n");
}

TEST_F(EveTest, FastLogUnnamedProtocol) {
  decode::Packet p;
  p.ts = kTs;
  p.ip_version = 4;
  p.src = *core::IpAddress::parse("10.1.12.1");
  p.dst = *core::IpAddress::parse("10.1.12.2");
  p.ip_proto = 253;  // IANA: experimentation, no keyword name
  EXPECT_EQ(fast_line(p),
            "03/08/2016-16:43:33.110346  [**] [1:1001:3] Test \"quoted\" message [**] "
            "[Classification: Misc activity] [Priority: 3] {PROTO:253} 10.1.12.1:0 -> 10.1.12.2:0\n");
}

TEST_F(EveTest, FastLogPortlessProtocolPrintsZeroPorts) {
  // Packets without ports keep Suricata's p->sp/p->dp of 0.
  decode::Packet p;
  p.ts = kTs;
  p.ip_version = 4;
  p.src = *core::IpAddress::parse("10.1.12.1");
  p.dst = *core::IpAddress::parse("10.1.12.2");
  p.ip_proto = 47;
  EXPECT_EQ(fast_line(p),
            "03/08/2016-16:43:33.110346  [**] [1:1001:3] Test \"quoted\" message [**] "
            "[Classification: Misc activity] [Priority: 3] {GRE} 10.1.12.1:0 -> 10.1.12.2:0\n");
}

// The stats record nests dotted names; null-values: false leaves zeros out
// (and so any object that would hold only zeros).
TEST_F(EveTest, StatsNullValuesFalseOmitsZeroCounters) {
  core::Counters c;
  c.add(c.id("decoder.pkts"), 5);
  c.id("decoder.ipv6");
  c.id("tcp.memuse");
  auto stats_of = [&](bool null_values) {
    TempDir dir;
    EveOptions o;
    o.stats_null_values = null_values;
    EveWriter w(o);
    EXPECT_TRUE(w.open(dir.path()));
    w.stats(c, kTs, 3);
    w.close();
    rapidjson::Document d;
    d.Parse(read_file(dir.path() + "/eve.json").c_str());
    EXPECT_TRUE(d.IsObject());
    return d;
  };
  auto all = stats_of(true);
  EXPECT_EQ(all["stats"]["decoder"]["pkts"].GetUint64(), 5u);
  EXPECT_EQ(all["stats"]["decoder"]["ipv6"].GetUint64(), 0u);
  EXPECT_TRUE(all["stats"].HasMember("tcp"));
  auto nonzero = stats_of(false);
  EXPECT_EQ(nonzero["stats"]["decoder"]["pkts"].GetUint64(), 5u);
  EXPECT_FALSE(nonzero["stats"]["decoder"].HasMember("ipv6"));
  EXPECT_FALSE(nonzero["stats"].HasMember("tcp"));
  EXPECT_EQ(nonzero["stats"]["uptime"].GetInt64(), 3);
}

// Worker totals: counters sum, except the largest-value kind.
TEST(Counters, MergeSumsAndKeepsTheLargestOfMaxCounters) {
  core::Counters a, b, total;
  a.add(a.id("decoder.pkts"), 3);
  a.raise_to(a.id("decoder.max_pkt_size", core::Counters::Kind::kMax), 1500);
  b.add(b.id("decoder.pkts"), 4);
  b.raise_to(b.id("decoder.max_pkt_size", core::Counters::Kind::kMax), 60);
  b.raise_to(b.id("decoder.max_pkt_size"), 9000);
  total.merge(a);
  total.merge(b);
  EXPECT_EQ(total.get("decoder.pkts"), 7u);
  EXPECT_EQ(total.get("decoder.max_pkt_size"), 9000u);
  EXPECT_EQ(total.kind(total.id("decoder.max_pkt_size")), core::Counters::Kind::kMax);
}

}  // namespace
}  // namespace pasban::output
