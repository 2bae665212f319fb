#include "runtime/config.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace pasban::runtime {
namespace {

namespace fs = std::filesystem;

Config defaults() {
  auto c = Config::load_default();
  EXPECT_TRUE(c.ok()) << (c.ok() ? "" : c.error().message);
  return std::move(c).value();
}

// A scratch directory removed at the end of the test.
class TempDir {
 public:
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "pasban_cfg_XXXXXX").string();
    path_ = mkdtemp(tmpl.data());
  }
  ~TempDir() { fs::remove_all(path_); }
  std::string write(const std::string& name, const std::string& text) const {
    fs::path p = path_ / name;
    fs::create_directories(p.parent_path());
    std::ofstream(p) << text;
    return p.string();
  }

 private:
  fs::path path_;
};

TEST(ConfigTest, DefaultsPresent) {
  Config c = defaults();
  EXPECT_EQ(c.get_string("vars.address-groups.HOME_NET"),
            "[192.168.0.0/16,10.0.0.0/8,172.16.0.0/12]");
  EXPECT_EQ(c.get_string("vars.address-groups.EXTERNAL_NET"), "!$HOME_NET");
  EXPECT_EQ(c.get_string("vars.port-groups.SIP_PORTS"), "[5060, 5061]");
  EXPECT_EQ(c.get_int("vars.port-groups.ORACLE_PORTS", 0), 1521);
  EXPECT_TRUE(c.has("outputs.1.eve-log"));
  EXPECT_TRUE(c.has("outputs.0.fast"));
  EXPECT_TRUE(c.has("outputs.1.eve-log.types.1.frame"));
  EXPECT_FALSE(c.get_bool("outputs.1.eve-log.types.1.frame.enabled", true));
  EXPECT_TRUE(c.has("outputs.1.eve-log.types.2.anomaly"));
  EXPECT_EQ(c.get_string("outputs.1.eve-log.types.0.alert.tagged-packets"),
            "yes");
  EXPECT_EQ(*c.get_size("stream.reassembly.depth", 0), 1024u * 1024);
  EXPECT_EQ(*c.get_size("defrag.memcap", 0), 32u * 1024 * 1024);
  EXPECT_EQ(*c.get_size("flow.memcap", 0), 128u * 1024 * 1024);
  EXPECT_EQ(c.get_int("flow-timeouts.tcp.established", 0), 600);
  EXPECT_EQ(c.get_int("pcre.match-limit", 0), 3500);
  EXPECT_EQ(c.get_int("max-pending-packets", 0), 1024);
  EXPECT_EQ(c.get_string("pcap-file.checksum-checks"), "auto");
  EXPECT_EQ(c.get_string("rule-files.0"), "suricata.rules");
  EXPECT_FALSE(c.has("runmode"));
  EXPECT_FALSE(c.has("action-order"));
}

TEST(ConfigTest, OutputHelpers) {
  Config c = defaults();
  YAML::Node eve = c.output("eve-log");
  ASSERT_TRUE(eve.IsMap());
  EXPECT_EQ(eve["filename"].as<std::string>(), "eve.json");
  EXPECT_TRUE(c.output("fast").IsMap());
  EXPECT_TRUE(c.output("nope").IsNull());

  // `- flow` (plain) and `- dns:` (empty) are enabled-by-default sections.
  YAML::Node flow = c.eve_type("flow");
  ASSERT_TRUE(flow.IsMap());
  EXPECT_EQ(flow.size(), 0u);
  EXPECT_TRUE(c.eve_type("dns").IsMap());
  EXPECT_TRUE(c.eve_type("netflow").IsNull());
  EXPECT_EQ(c.eve_type("http")["extended"].as<std::string>(), "yes");

  auto views = c.outputs("eve-log");
  ASSERT_EQ(views.size(), 1u);
  EXPECT_EQ(views[0].path(), "outputs.1.eve-log");
  ConfigView frame = views[0].eve_type("frame");
  EXPECT_EQ(frame.path(), "outputs.1.eve-log.types.1.frame");
  EXPECT_FALSE(frame.get_bool("enabled", true));
  EXPECT_TRUE(views[0].eve_type("flow").get_bool("enabled", true));
}

TEST(ConfigTest, MergeReplacesListsAndMergesMaps) {
  Config c = defaults();
  auto st = c.merge_string(R"(%YAML 1.1
---
outputs:
  - eve-log:
      enabled: yes
      filename: eve.json
      types:
        - alert
        - dns
stream:
  memcap: 12mb
  reassembly:
    depth: 0
app-layer:
  protocols:
    dns:
)");
  ASSERT_TRUE(st.ok()) << st.error().message;
  // The list replaced the default one whole.
  EXPECT_EQ(c.get_node("outputs").size(), 1u);
  EXPECT_TRUE(c.has("outputs.0.eve-log"));
  EXPECT_TRUE(c.output("fast").IsNull());
  EXPECT_TRUE(c.eve_type("dns").IsMap());
  EXPECT_TRUE(c.eve_type("http").IsNull());
  // Maps merged: untouched stream keys keep their defaults.
  EXPECT_EQ(*c.get_size("stream.memcap", 0), 12u * 1024 * 1024);
  EXPECT_EQ(*c.get_size("stream.reassembly.depth", 1), 0u);
  EXPECT_EQ(c.get_int("stream.reassembly.toserver-chunk-size", 0), 2560);
  EXPECT_TRUE(c.get_bool("stream.checksum-validation", false));
  // A null value keeps the default subtree.
  EXPECT_EQ(c.get_string("app-layer.protocols.dns.udp.detection-ports.dp"),
            "53");
  // Other sections untouched.
  EXPECT_TRUE(c.has("vars.address-groups.HOME_NET"));
}

TEST(ConfigTest, DuplicateAndDottedKeys) {
  Config c;
  auto st = c.merge_string(R"(
some-log-dir: /var/log
some-log-dir: /tmp
parent:
  child0:
    key: value
parent:
  child1:
    key: value
vars:
  address-groups:
    HOME_NET: "[192.168.0.0/16]"
    EXTERNAL_NET: any
vars.address-groups.HOME_NET: "10.10.10.10/32"
)");
  ASSERT_TRUE(st.ok()) << st.error().message;
  EXPECT_EQ(c.get_string("some-log-dir"), "/tmp");
  EXPECT_FALSE(c.has("parent.child0"));
  EXPECT_EQ(c.get_string("parent.child1.key"), "value");
  EXPECT_EQ(c.get_string("vars.address-groups.HOME_NET"), "10.10.10.10/32");
  EXPECT_EQ(c.get_string("vars.address-groups.EXTERNAL_NET"), "any");
}

TEST(ConfigTest, IncludeRelativeToIncludingFile) {
  TempDir dir;
  dir.write("sub/extra.yaml", "%YAML 1.1\n---\nhost-mode: sniffer-only\n"
                              "unix-command:\n  enabled: no\n");
  dir.write("sub/more.yaml", "include: extra.yaml\nflow:\n  memcap: 1mb\n");
  std::string main = dir.write("suricata.yaml",
                               "%YAML 1.1\n---\n"
                               "include:\n  - sub/more.yaml\n"
                               "mapping: !include sub/extra.yaml\n"
                               "host-mode: router\n");
  Config c = defaults();
  auto st = c.merge_file(main);
  ASSERT_TRUE(st.ok()) << st.error().message;
  EXPECT_EQ(c.get_string("host-mode"), "router");  // later key wins
  EXPECT_FALSE(c.get_bool("unix-command.enabled", true));
  EXPECT_EQ(*c.get_size("flow.memcap", 0), 1024u * 1024);
  EXPECT_EQ(c.get_int("flow.hash-size", 0), 65536);  // merged over default
  EXPECT_EQ(c.get_string("mapping.host-mode"), "sniffer-only");
  EXPECT_EQ(c.get_string("mapping.unix-command.enabled"), "no");

  std::string broken = dir.write("broken.yaml", "include: missing.yaml\n");
  st = c.merge_file(broken);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().message.find("missing.yaml"), std::string::npos);

  std::string loop = dir.write("loop.yaml", "include: loop.yaml\n");
  EXPECT_FALSE(c.merge_file(loop).ok());
}

TEST(ConfigTest, YamlHeaderAndSyntaxErrors) {
  Config c;
  ASSERT_TRUE(c.merge_string("%YAML 1.1\n---\na: 1\n").ok());
  EXPECT_EQ(c.get_int("a", 0), 1);
  // A directive without the document marker is accepted too.
  ASSERT_TRUE(c.merge_string("%YAML 1.1\nb: 2\n").ok());
  EXPECT_EQ(c.get_int("b", 0), 2);
  auto st = c.merge_string("a: [1, 2\nb: 3\n", ".", "bad.yaml");
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().message.rfind("bad.yaml:", 0), 0u) << st.error().message;
  EXPECT_FALSE(c.merge_file("/nonexistent/suricata.yaml").ok());
}

TEST(ConfigTest, SetWithListIndexes) {
  Config c = defaults();
  ASSERT_TRUE(c.set("outputs.1.eve-log.types.1.frame.enabled=true").ok());
  EXPECT_TRUE(c.get_bool("outputs.1.eve-log.types.1.frame.enabled", false));
  EXPECT_TRUE(c.eve_type("frame")["enabled"].as<std::string>() == "true");

  ASSERT_TRUE(c.set("outputs.1.eve-log.types.2.anomaly.types.stream=yes").ok());
  EXPECT_TRUE(c.get_bool("outputs.1.eve-log.types.2.anomaly.types.stream",
                         false));

  // A plain list item becomes a section when something is set below it.
  ASSERT_TRUE(c.set("outputs.1.eve-log.types.9.websocket.enabled=no").ok());
  EXPECT_FALSE(c.get_bool("outputs.1.eve-log.types.9.websocket.enabled", true));

  ASSERT_TRUE(c.set("stream.midstream=true").ok());
  EXPECT_TRUE(c.get_bool("stream.midstream", false));
  ASSERT_TRUE(c.set("threshold-file = /tmp/t.config").ok());
  EXPECT_EQ(c.get_string("threshold-file"), "/tmp/t.config");
  ASSERT_TRUE(c.set("app-layer.protocols.foo.bar.baz=1").ok());
  EXPECT_EQ(c.get_int("app-layer.protocols.foo.bar.baz", 0), 1);
  ASSERT_TRUE(c.set("rule-files.1=extra.rules").ok());  // append
  EXPECT_EQ(c.get_string("rule-files.1"), "extra.rules");
  ASSERT_TRUE(c.set("detect.grouping.x=1").ok());  // null becomes a map

  auto st = c.set("stream.midstream");
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().message.find("stream.midstream"), std::string::npos);
  EXPECT_FALSE(c.set("rule-files.5=x").ok());
  EXPECT_FALSE(c.set("outputs.eve.enabled=x").ok());
  EXPECT_FALSE(c.set("stream.memcap.x=1").ok());
  EXPECT_FALSE(c.set("a..b=1").ok());
}

TEST(ConfigTest, CopyIsIndependent) {
  Config a = defaults();
  Config b = a;
  ASSERT_TRUE(b.set("stream.inline=yes").ok());
  EXPECT_EQ(a.get_string("stream.inline"), "auto");
  EXPECT_EQ(b.get_string("stream.inline"), "yes");
  ConfigView v1 = a.view("stream");
  ConfigView v2 = a.view("flow");
  v1 = v2;  // must rebind, not overwrite the tree
  EXPECT_EQ(a.get_string("stream.inline"), "auto");
  EXPECT_EQ(v1.path(), "flow");
}

TEST(ConfigTest, Sizes) {
  EXPECT_EQ(*parse_size("1000"), 1000u);
  EXPECT_EQ(*parse_size("4kb"), 4096u);
  EXPECT_EQ(*parse_size("4KB"), 4096u);
  EXPECT_EQ(*parse_size("32mb"), 32u * 1024 * 1024);
  EXPECT_EQ(*parse_size("32 MiB"), 32u * 1024 * 1024);
  EXPECT_EQ(*parse_size("1gb"), 1024u * 1024 * 1024);
  EXPECT_EQ(*parse_size("1.5kb"), 1536u);
  EXPECT_EQ(*parse_size(" 0 "), 0u);
  for (const char* bad : {"", "kb", "12qb", "-1", "1.kb", "10 b", "1 2"}) {
    EXPECT_FALSE(parse_size(bad).ok()) << bad;
  }
  Config c = defaults();
  ASSERT_TRUE(c.set("stream.memcap=12qb").ok());
  auto r = c.get_size("stream.memcap", 0);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "stream.memcap: invalid size '12qb'");
  EXPECT_EQ(*c.get_size("no.such.key", 77), 77u);
}

TEST(ConfigTest, BoolsAndInts) {
  for (const char* t : {"yes", "YES", "true", "on", "1", "True"})
    EXPECT_EQ(parse_bool(t), true) << t;
  for (const char* f : {"no", "false", "off", "0", "Off"})
    EXPECT_EQ(parse_bool(f), false) << f;
  EXPECT_FALSE(parse_bool("maybe").has_value());

  Config c = defaults();
  ASSERT_TRUE(c.set("stream.inline=maybe").ok());
  EXPECT_TRUE(c.get_bool("stream.inline", true));
  EXPECT_FALSE(c.get_bool("stream.inline", false));
  auto b = c.get_bool_checked("stream.inline");
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.error().message, "stream.inline: invalid boolean 'maybe'");
  EXPECT_TRUE(*c.get_bool_checked("stream.checksum-validation"));
  EXPECT_TRUE(*c.get_bool_checked("absent.key", true));

  EXPECT_EQ(c.get_int("flow.hash-size", 0), 65536);
  EXPECT_EQ(c.get_int("absent", -3), -3);
  ASSERT_TRUE(c.set("flow.hash-size=12x").ok());
  EXPECT_EQ(c.get_int("flow.hash-size", 5), 5);
  auto i = c.get_int_checked("flow.hash-size", 0);
  ASSERT_FALSE(i.ok());
  EXPECT_EQ(i.error().message, "flow.hash-size: invalid integer '12x'");
  // Views report the full key.
  auto v = c.view("flow").get_int_checked("hash-size", 0);
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.error().message, "flow.hash-size: invalid integer '12x'");
}

TEST(ConfigTest, DumpFormat) {
  Config c;
  ASSERT_TRUE(c.merge_string(R"(
rule-files:
  - a.rules
outputs:
  - fast:
      enabled: yes
  - eve_log:
      types:
        - alert:
            tagged-packets: yes
        - flow
empty:
)").ok());
  EXPECT_EQ(c.dump(),
            "rule-files = (null)\n"
            "rule-files.0 = a.rules\n"
            "outputs = (null)\n"
            "outputs.0 = fast\n"
            "outputs.0.fast = (null)\n"
            "outputs.0.fast.enabled = yes\n"
            "outputs.1 = eve-log\n"
            "outputs.1.eve_log = (null)\n"
            "outputs.1.eve_log.types = (null)\n"
            "outputs.1.eve_log.types.0 = alert\n"
            "outputs.1.eve_log.types.0.alert = (null)\n"
            "outputs.1.eve_log.types.0.alert.tagged-packets = yes\n"
            "outputs.1.eve_log.types.1 = flow\n"
            "empty = (null)\n");
  Config d = defaults();
  EXPECT_NE(d.dump().find("outputs.1.eve-log.types.0.alert.tagged-packets = yes\n"),
            std::string::npos);
}

// Every suricata.yaml shipped with the suricata-verify tests must load.
TEST(ConfigTest, LoadsEverySuricataVerifyConfig) {
  const fs::path root = "/work/shared/verify/tests";
  if (!fs::exists(root)) GTEST_SKIP() << "no " << root;
  std::vector<std::string> failures;
  size_t loaded = 0;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (!entry.is_regular_file()) continue;
    const std::string name = entry.path().filename().string();
    if (entry.path().extension() != ".yaml" || name == "test.yaml") continue;
    Config c = defaults();
    auto st = c.merge_file(entry.path().string());
    if (!st.ok()) {
      failures.push_back(st.error().message);
      continue;
    }
    ++loaded;
    c.dump();  // walks the whole tree
  }
  for (const auto& f : failures) ADD_FAILURE() << f;
  EXPECT_GT(loaded, 0u);
}

}  // namespace
}  // namespace pasban::runtime
