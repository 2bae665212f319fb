// Thresholds: keyword parsing, threshold.config parsing, and the tracker's
// decisions for each type over sequences of timestamps.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "detect/threshold/threshold_config.h"
#include "detect/threshold/threshold_spec.h"
#include "detect/threshold/threshold_state.h"

namespace pasban::detect::threshold {
namespace {

core::IpAddress ip(const char* s) { return *core::IpAddress::parse(s); }
core::Timestamp at(int64_t sec, int32_t usec = 0) { return {sec, usec}; }

ThresholdSpec kw(const char* v) {
  auto r = parse_threshold_keyword(v);
  EXPECT_TRUE(r.ok()) << v << ": " << (r.ok() ? "" : r.error().message);
  return r.ok() ? *r : ThresholdSpec{};
}

// 'A' alert, 'S' silent, '-' no match; one letter per check.
std::string run(ThresholdTracker& t, const ThresholdSpec& spec, const std::vector<core::Timestamp>& times,
                const char* src = "10.0.0.1", const char* dst = "10.0.0.2", uint64_t flow = 1) {
  std::string out;
  for (auto ts : times) {
    Decision d = t.check(spec, 7, ip(src), ip(dst), flow, ts);
    out += d.verdict == Decision::kAlert ? 'A' : d.verdict == Decision::kSilent ? 'S' : '-';
  }
  return out;
}

std::vector<core::Timestamp> seconds(std::initializer_list<int64_t> s) {
  std::vector<core::Timestamp> v;
  for (auto x : s) v.push_back(at(x));
  return v;
}

// ---- keyword parsing ------------------------------------------------------

TEST(ThresholdKeyword, Parses) {
  auto s = kw("type limit, track by_src, count 1, seconds 60");
  EXPECT_EQ(s.type, ThresholdSpec::kLimit);
  EXPECT_EQ(s.track, ThresholdSpec::kBySrc);
  EXPECT_EQ(s.count, 1u);
  EXPECT_EQ(s.seconds, 60u);
  EXPECT_EQ(kw("track by_dst, type limit, seconds 60, count 10"), kw("type limit,track by_dst,count 10,seconds 60"));
  EXPECT_EQ(kw("count 10, track by_both, seconds 60, type both").track, ThresholdSpec::kByBoth);
  EXPECT_EQ(kw("type threshold, track by_rule, count 10, seconds 60").type, ThresholdSpec::kThreshold);
  auto b = kw("type backoff, track by_flow, count 1, multiplier 10");
  EXPECT_EQ(b.type, ThresholdSpec::kBackoff);
  EXPECT_EQ(b.track, ThresholdSpec::kByFlow);
  EXPECT_EQ(b.multiplier, 10u);

  auto df = parse_detection_filter("track by_src, count 5, seconds 60");
  ASSERT_TRUE(df.ok()) << df.error().message;
  EXPECT_EQ(df->type, ThresholdSpec::kDetectionFilter);
  EXPECT_EQ(df->count, 5u);
}

TEST(ThresholdKeyword, Errors) {
  const std::pair<const char*, const char*> cases[] = {
      {"type any, track by_dst, count 10, seconds 60", "threshold: invalid type 'any'"},
      {"count 10, track by_dst, seconds 60, type both, count 10", "threshold: 'count' given twice"},
      {"type limit, track by_src, count 10", "threshold: missing 'seconds'"},
      {"type limit, count 10, seconds 1", "threshold: missing 'track'"},
      {"track by_src, count 10, seconds 1", "threshold: missing 'type'"},
      {"type limit, track by_nobody, count 1, seconds 1", "threshold: invalid track 'by_nobody'"},
      {"type limit, track by_src, count x, seconds 1", "threshold: invalid count 'x'"},
      {"type limit, track by_src, count 1, seconds 1, speed 9", "threshold: unknown option 'speed 9'"},
      {"type backoff, track by_flow, count 1, seconds 10", "threshold: 'seconds' cannot be used with type backoff"},
      {"type backoff, track by_flow, count 1", "threshold: missing 'multiplier' for type backoff"},
      {"type limit, track by_src, count 1, seconds 1, multiplier 2", "threshold: 'multiplier' is only for type backoff"},
  };
  for (auto [v, msg] : cases) {
    auto r = parse_threshold_keyword(v);
    ASSERT_FALSE(r.ok()) << v;
    EXPECT_EQ(r.error().message, msg) << v;
  }
  auto r = parse_detection_filter("type limit, track by_src, count 5, seconds 60");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "detection_filter: unknown option 'type limit'");
  r = parse_detection_filter("track by_src, count 5");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "detection_filter: missing 'seconds'");
}

// ---- tracker sequences ---------------------------------------------------

TEST(ThresholdTracker, Limit) {
  ThresholdTracker t(100);
  auto spec = kw("type limit, track by_src, count 2, seconds 60");
  EXPECT_EQ(run(t, spec, seconds({0, 1, 2, 60, 61, 62, 63})), "AASSAAS");
  // The window is inclusive at its end (t0 + seconds) and restarts after.
  ThresholdTracker t2(100);
  EXPECT_EQ(run(t2, kw("type limit, track by_src, count 1, seconds 10"),
                {at(5), at(15, 0), at(15, 1), at(16)}),
            "ASAS");
  // Another source has its own count.
  EXPECT_EQ(run(t, spec, seconds({63}), "10.0.0.9"), "A");
}

TEST(ThresholdTracker, Threshold) {
  ThresholdTracker t(100);
  EXPECT_EQ(run(t, kw("type threshold, track by_src, count 3, seconds 60"), seconds({0, 1, 2, 3, 4, 5, 6})),
            "--A--A-");
  // After the window the count starts again from this match.
  ThresholdTracker t2(100);
  EXPECT_EQ(run(t2, kw("type threshold, track by_src, count 3, seconds 10"), seconds({0, 1, 20, 21, 22})),
            "----A");
  ThresholdTracker t3(100);
  EXPECT_EQ(run(t3, kw("type threshold, track by_src, count 1, seconds 10"), seconds({0, 1, 2})), "AAA");
  EXPECT_EQ(t3.size(), 0u);  // nothing to count
}

TEST(ThresholdTracker, Both) {
  ThresholdTracker t(100);
  auto spec = kw("type both, track by_dst, count 3, seconds 60");
  EXPECT_EQ(run(t, spec, seconds({0, 1, 2, 3, 4, 70, 71, 72, 73})), "--ASS--AS");
  ThresholdTracker t2(100);
  EXPECT_EQ(run(t2, kw("type both, track by_dst, count 1, seconds 10"), seconds({0, 1, 20, 21})), "ASAS");
}

TEST(ThresholdTracker, DetectionFilter) {
  ThresholdTracker t(100);
  auto df = parse_detection_filter("track by_src, count 2, seconds 60");
  ASSERT_TRUE(df.ok());
  EXPECT_EQ(run(t, *df, seconds({0, 1, 2, 3, 4, 100, 101, 102})), "--AAA--A");
}

TEST(ThresholdTracker, Backoff) {
  ThresholdTracker t(100);
  auto spec = kw("type backoff, track by_flow, count 1, multiplier 10");
  std::string got;
  for (int i = 1; i <= 100; ++i) {
    Decision d = t.check(spec, 7, ip("1.1.1.1"), ip("2.2.2.2"), 5, at(i * 1000));
    if (d.alert()) got += std::to_string(i) + ",";
    else EXPECT_EQ(d.verdict, Decision::kSilent) << i;
  }
  EXPECT_EQ(got, "1,10,100,");
  ThresholdTracker t2(100);
  EXPECT_EQ(run(t2, kw("type backoff, track by_rule, count 3, multiplier 2"), seconds({1, 2, 3, 4, 5, 6, 7})),
            "-SASSAS");  // first match does nothing when count > 1
}

TEST(ThresholdTracker, RateFilter) {
  // threshold-config-rate-filter-alert-flow: 19 matches, count 3: the first
  // three keep the rule's action, the other 16 get new_action.
  auto cfg = parse_threshold_config(
      "rate_filter gen_id 1, sig_id 1000001, track by_flow, count 3, seconds 60, new_action alert, timeout 1000\n",
      "t.config");
  ASSERT_TRUE(cfg.errors.empty());
  ThresholdTracker t(100);
  const ThresholdSpec& spec = cfg.entries.at(0).spec;
  int kept = 0, changed = 0;
  for (int i = 0; i < 19; ++i) {
    Decision d = t.check(spec, 1, ip("1.1.1.1"), ip("2.2.2.2"), 42, at(100, i));
    EXPECT_TRUE(d.alert());
    (d.new_action == ThresholdSpec::kAlert ? changed : kept)++;
  }
  EXPECT_EQ(kept, 3);
  EXPECT_EQ(changed, 16);

  // After the timeout the next match ends it (without counting), then the
  // count starts again.
  ThresholdSpec r{ThresholdSpec::kRateFilter, ThresholdSpec::kByRule, 1, 10, 0, ThresholdSpec::kDrop, 5};
  ThresholdTracker t2(100);
  std::string seq;
  for (int64_t s : {0, 1, 2, 6, 7, 8, 9}) {
    Decision d = t2.check(r, 1, ip("1.1.1.1"), ip("2.2.2.2"), 0, at(s));
    seq += d.new_action == ThresholdSpec::kDrop ? 'D' : '.';
  }
  // 0: new; 1: count 2 > 1 -> drop from 1; 2,6: within 5 s of 1; 7: 7-1 > 5
  // ends it; 8: window of 0 (10 s) still open, count 3 > 1 -> drop again.
  EXPECT_EQ(seq, ".DDD.DD");
}

TEST(ThresholdTracker, ByBothIsUnordered) {
  ThresholdTracker t(100);
  auto spec = kw("type limit, track by_both, count 1, seconds 60");
  EXPECT_EQ(run(t, spec, seconds({0}), "1.1.1.1", "2.2.2.2"), "A");
  EXPECT_EQ(run(t, spec, seconds({1}), "2.2.2.2", "1.1.1.1"), "S");
  EXPECT_EQ(run(t, spec, seconds({2}), "2.2.2.2", "3.3.3.3"), "A");
}

TEST(ThresholdTracker, ByFlowAndByRuleKeys) {
  ThresholdTracker t(100);
  auto flow = kw("type limit, track by_flow, count 1, seconds 60");
  EXPECT_EQ(run(t, flow, seconds({0, 1}), "1.1.1.1", "2.2.2.2", 1), "AS");
  EXPECT_EQ(run(t, flow, seconds({2}), "1.1.1.1", "2.2.2.2", 2), "A");
  t.forget_flow(1);
  EXPECT_EQ(run(t, flow, seconds({3}), "1.1.1.1", "2.2.2.2", 1), "A");
  auto rule = kw("type limit, track by_rule, count 1, seconds 60");
  EXPECT_EQ(run(t, rule, seconds({0}), "1.1.1.1"), "A");
  EXPECT_EQ(run(t, rule, seconds({1}), "9.9.9.9", "8.8.8.8", 9), "S");
  // A different rule key is a different counter.
  EXPECT_TRUE(t.check(rule, 8, ip("1.1.1.1"), ip("2.2.2.2"), 0, at(2)).alert());
}

TEST(ThresholdTracker, MemcapAndExpiry) {
  core::Counters counters;
  ThresholdTracker t(2, &counters);
  auto spec = kw("type limit, track by_src, count 1, seconds 10");
  EXPECT_EQ(run(t, spec, seconds({0}), "1.0.0.1"), "A");
  EXPECT_EQ(run(t, spec, seconds({0}), "1.0.0.2"), "A");
  // Full: the third source is decided as a first match and not kept.
  EXPECT_EQ(run(t, spec, seconds({1, 1}), "1.0.0.3"), "AA");
  EXPECT_EQ(t.memcap_hits(), 2u);
  EXPECT_EQ(counters.get(ThresholdTracker::kMemcapCounter), 2u);
  EXPECT_EQ(t.size(), 2u);
  // Once the windows are over a full table sweeps itself.
  EXPECT_EQ(run(t, spec, seconds({20, 21}), "1.0.0.3"), "AS");
  EXPECT_EQ(t.size(), 1u);
  EXPECT_EQ(t.expire(at(100)), 1u);
  EXPECT_EQ(t.size(), 0u);
}

// ---- suppress --------------------------------------------------------------

TEST(Suppress, Tracks) {
  AddressVarResolver vars = [](std::string_view n) -> std::optional<std::string> {
    if (n == "SUPPRESS") return "[10.0.0.0/8,20.0.0.0/16,145.0.0.0/8]";
    if (n == "NESTED") return "[$SUPPRESS, !145.254.160.237]";
    return std::nullopt;
  };
  auto line = [&](const char* l) {
    auto r = parse_threshold_config_line(l, vars);
    EXPECT_TRUE(r.ok()) << l << ": " << (r.ok() ? "" : r.error().message);
    return r.ok() ? r->suppress : SuppressSpec{};
  };
  auto a = ip("145.254.160.237"), b = ip("65.208.228.223");
  EXPECT_TRUE(line("suppress gen_id 1, sig_id 1, track by_src, ip 145.254.160.237").suppresses(a, b));
  EXPECT_FALSE(line("suppress gen_id 1, sig_id 1, track by_src, ip 145.254.160.237").suppresses(b, a));
  EXPECT_TRUE(line("suppress gen_id 1, sig_id 1, track by_dst, ip 145.254.160.0/24").suppresses(b, a));
  EXPECT_FALSE(line("suppress gen_id 1, sig_id 1, track by_dst, ip 145.254.160.0/24").suppresses(a, b));
  EXPECT_TRUE(line("suppress gen_id 1, sig_id 1, track by_either, ip $SUPPRESS").suppresses(b, a));
  EXPECT_TRUE(line("suppress gen_id 1, sig_id 1, track by_either, ip $SUPPRESS").suppresses(a, b));
  EXPECT_FALSE(line("suppress gen_id 1, sig_id 1, track by_either, ip $SUPPRESS").suppresses(b, b));
  EXPECT_FALSE(line("suppress gen_id 1, sig_id 1, track by_src, ip $NESTED").suppresses(a, b));
  EXPECT_TRUE(line("suppress gen_id 1, sig_id 1, track by_src, ip $NESTED").suppresses(ip("10.1.2.3"), b));
  EXPECT_TRUE(line("suppress gen_id 1, sig_id 1, track by_src, ip [2001:db8::/32, 1.2.3.4]")
                  .suppresses(ip("2001:db8::1"), b));
  EXPECT_TRUE(line("suppress gen_id 1, sig_id 1").suppresses(a, b));  // no track: every alert
}

TEST(IpSet, Errors) {
  for (const char* bad : {"1.2.3.4/33", "[1.2.3.4", "nonsense", "$NOPE", "1.2.3.4]", ""})
    EXPECT_FALSE(parse_ip_set(bad).ok()) << bad;
  auto any = parse_ip_set("any");
  ASSERT_TRUE(any.ok());
  EXPECT_TRUE(any->contains(ip("8.8.8.8")));
  EXPECT_TRUE(any->contains(ip("::1")));
}

// ---- threshold.config ------------------------------------------------------

TEST(ThresholdConfig, ParsesAndReportsBadLines) {
  const char* text =
      "# comment\n"
      "\n"
      "threshold gen_id 1, sig_id 10, type limit, track by_src, count 1, seconds 60\n"
      "event_filter gen_id 1, sig_id 11, type both, track by_dst, count 5, seconds 60\n"
      "rate_filter gen_id 1, sig_id 1000, track by_rule, count 100, seconds 60, \\\n"
      "    new_action drop, timeout 30\n"
      "threshold gen_id 1, sig_id 12, type sometimes, track by_src, count 1, seconds 60\n"
      "suppress gen_id 1, sig_id 2003614, track by_src, ip 217.110.97.128/25\n"
      "suppress gen_id 0, sig_id 0\n"
      "suppress gen_id 1, sig_id 5, track by_src\n"
      "   # indented comment\n"
      "rate_filter gen_id 1, sig_id 7, track by_src, count 1, seconds 1, new_action explode, timeout 1\n"
      "threshold gen_id 1, sig_id 13, type backoff, track by_flow, count 1, multiplier 10\n";
  auto cfg = parse_threshold_config(text, "threshold.config");
  ASSERT_EQ(cfg.entries.size(), 6u);
  ASSERT_EQ(cfg.errors.size(), 3u);
  EXPECT_EQ(cfg.errors[0].message, "threshold.config:7: invalid type 'sometimes'");
  EXPECT_EQ(cfg.errors[1].message, "threshold.config:10: suppress with a track needs 'ip'");
  EXPECT_EQ(cfg.errors[2].message, "threshold.config:12: invalid new_action 'explode'");

  const auto& th = cfg.entries[0];
  EXPECT_EQ(th.kind, ThresholdConfigEntry::kThreshold);
  EXPECT_EQ(th.line, 3u);
  EXPECT_EQ(th.sig_id, 10u);
  EXPECT_EQ(th.spec, kw("type limit, track by_src, count 1, seconds 60"));
  EXPECT_EQ(cfg.entries[1].kind, ThresholdConfigEntry::kEventFilter);
  const auto& rf = cfg.entries[2];
  EXPECT_EQ(rf.kind, ThresholdConfigEntry::kRateFilter);
  EXPECT_EQ(rf.line, 5u);  // the continued entry reports its first line
  EXPECT_EQ(rf.spec.type, ThresholdSpec::kRateFilter);
  EXPECT_EQ(rf.spec.track, ThresholdSpec::kByRule);
  EXPECT_EQ(rf.spec.count, 100u);
  EXPECT_EQ(rf.spec.new_action, ThresholdSpec::kDrop);
  EXPECT_EQ(rf.spec.timeout, 30u);
  const auto& sup = cfg.entries[3];
  EXPECT_EQ(sup.kind, ThresholdConfigEntry::kSuppress);
  EXPECT_EQ(sup.suppress.track, SuppressSpec::kBySrc);
  EXPECT_TRUE(sup.suppress.suppresses(ip("217.110.97.200"), ip("1.1.1.1")));
  EXPECT_FALSE(sup.suppress.suppresses(ip("217.110.97.100"), ip("1.1.1.1")));
  const auto& all = cfg.entries[4];
  EXPECT_TRUE(all.is_wildcard());
  EXPECT_TRUE(all.applies_to(3, 99));
  EXPECT_TRUE(sup.applies_to(1, 2003614));
  EXPECT_FALSE(sup.applies_to(2, 2003614));
  EXPECT_EQ(cfg.entries[5].spec.type, ThresholdSpec::kBackoff);
}

TEST(ThresholdConfig, LineErrors) {
  const std::pair<const char*, const char*> cases[] = {
      {"threshold sig_id 1, type limit, track by_src, count 1, seconds 1", "missing 'gen_id'"},
      {"limit gen_id 1, sig_id 1", "unknown entry 'limit'"},
      {"threshold gen_id 1, sig_id x, type limit, track by_src, count 1, seconds 1", "invalid sig_id 'x'"},
      {"suppress gen_id 1, sig_id 1, track by_rule, ip 1.2.3.4", "invalid track 'by_rule' for suppress"},
      {"suppress gen_id 1, sig_id 1, ip 1.2.3.4", "suppress with 'ip' needs a track"},
      {"suppress gen_id 1, sig_id 1, track by_src, ip $HOME_NET", "unknown address variable '$HOME_NET'"},
      {"rate_filter gen_id 1, sig_id 1, track by_src, count 1, seconds 1, new_action drop", "missing 'timeout'"},
      {"suppress gen_id 1, sig_id 1, count 4", "unknown option 'count' for suppress"},
      {"threshold gen_id 1, gen_id 1, sig_id 1, type limit, track by_src, count 1, seconds 1", "'gen_id' given twice"},
  };
  for (auto [line, msg] : cases) {
    auto r = parse_threshold_config_line(line);
    ASSERT_FALSE(r.ok()) << line;
    EXPECT_EQ(r.error().message, msg) << line;
  }
}

// Every threshold.config of the Suricata verify cases loads.
TEST(ThresholdConfig, VerifyCasesLoad) {
  namespace fs = std::filesystem;
  const fs::path root = "/work/shared/verify/tests";
  if (!fs::exists(root)) GTEST_SKIP() << "no verify tree";
  AddressVarResolver vars = [](std::string_view n) -> std::optional<std::string> {
    if (n == "SUPPRESS") return "[10.0.0.0/8,20.0.0.0/16,145.0.0.0/8]";
    return std::nullopt;
  };
  int files = 0;
  for (const auto& e : fs::recursive_directory_iterator(root)) {
    if (e.path().filename() != "threshold.config") continue;
    auto cfg = load_threshold_config(e.path().string(), vars);
    ASSERT_TRUE(cfg.ok()) << e.path();
    EXPECT_TRUE(cfg->errors.empty()) << e.path() << ": " << cfg->errors[0].message;
    EXPECT_FALSE(cfg->entries.empty()) << e.path();
    ++files;
  }
  EXPECT_GT(files, 20);
  EXPECT_FALSE(load_threshold_config("/nonexistent/threshold.config").ok());
}

}  // namespace
}  // namespace pasban::detect::threshold
