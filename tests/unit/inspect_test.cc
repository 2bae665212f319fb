// inspect_buffer: content positions (Suricata: depth counts from offset,
// within from the previous match end plus distance), negation, anchors,
// backtracking over earlier matches, pcre, byte_extract variables,
// isdataat, bsize and the step limit. Items are built from rule text so the
// modifiers mean what the rule language says.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "detect/build/rule_builder.h"
#include "detect/eval/inspect.h"
#include "detect/rules/rule_text.h"

namespace pasban::detect::eval {
namespace {

std::vector<BufferItem> items_of(const std::string& options) {
  std::string text = "alert tcp any any -> any any (" + options + " sid:1;)";
  auto raw = rules::parse_rule_text(text);
  EXPECT_TRUE(raw.ok()) << text << ": " << (raw.ok() ? "" : raw.error().message);
  if (!raw.ok()) return {};
  build::BuildContext ctx;
  ctx.vars = [](std::string_view) { return std::optional<std::string>(); };
  ctx.intern_flowbit = [](std::string_view) { return 0u; };
  build::BuildResult outcome;
  auto rule = build::build_rule(*raw, ctx, outcome);
  EXPECT_TRUE(rule.ok()) << text << ": " << (rule.ok() ? "" : rule.error().message);
  if (!rule.ok() || rule->buffers.empty()) return {};
  return rule->buffers[0].items;
}

class Scratch {
 public:
  Scratch() { s_.match_data = pcre2_match_data_create(32, nullptr); }
  ~Scratch() { pcre2_match_data_free(s_.match_data); }
  Scratch(const Scratch&) = delete;
  Scratch& operator=(const Scratch&) = delete;
  InspectScratch& get(uint32_t limit = 3000) {
    s_.vars = {};
    s_.steps = 0;
    s_.step_limit = limit;
    return s_;
  }

 private:
  InspectScratch s_;
};

struct Case {
  const char* name;
  const char* options;
  std::string buffer;
  bool expect;
};

// Binary buffers written with explicit lengths.
std::string bin(std::initializer_list<int> bytes, std::string_view tail = {}) {
  std::string s;
  for (int b : bytes) s.push_back(char(b));
  s.append(tail);
  return s;
}

const std::vector<Case>& cases() {
  static const std::vector<Case> k = {
      // ---- absolute positions
      {"plain_hit", R"(content:"abc";)", "xxabcxx", true},
      {"plain_miss", R"(content:"abc";)", "xxabxcx", false},
      {"offset_hit", R"(content:"abc"; offset:2;)", "xxabc", true},
      {"offset_before_start", R"(content:"abc"; offset:2;)", "xabcx", false},
      {"depth_hit", R"(content:"abc"; depth:3;)", "abcx", true},
      {"depth_miss", R"(content:"abc"; depth:3;)", "xabc", false},
      // depth counts from offset: [offset, offset + depth).
      {"depth_from_offset_hit", R"(content:"abc"; offset:3; depth:3;)", "xxxabc", true},
      {"depth_from_offset_miss", R"(content:"abc"; offset:2; depth:3;)", "xxxabc", false},
      {"depth_before_offset_keyword", R"(content:"abc"; depth:5; offset:1;)", "xxxabc", true},
      {"depth_before_offset_keyword_miss", R"(content:"abc"; depth:5; offset:1;)", "xxxxabc", false},
      {"offset_past_end", R"(content:"a"; offset:10;)", "aaaa", false},
      {"binary_content", R"(content:"|00 ff|";)", bin({1, 0, 0xff, 2}), true},

      // ---- relative positions
      {"distance_within_hit", R"(content:"a"; content:"b"; distance:2; within:1;)", "axxb", true},
      {"distance_too_near", R"(content:"a"; content:"b"; distance:2; within:1;)", "axb", false},
      {"within_too_far", R"(content:"a"; content:"b"; distance:2; within:1;)", "axxxb", false},
      // within counts from the previous match end plus distance.
      {"within_after_distance", R"(content:"a"; content:"bc"; distance:1; within:2;)", "axbc", true},
      {"within_after_distance_miss", R"(content:"a"; content:"bc"; distance:1; within:2;)", "axxbc", false},
      {"distance_zero", R"(content:"a"; content:"b"; distance:0;)", "xaxxb", true},
      {"distance_zero_order", R"(content:"a"; content:"b"; distance:0;)", "bxa", false},
      {"within_alone", R"(content:"a"; content:"b"; within:1;)", "ab", true},
      {"within_alone_miss", R"(content:"a"; content:"b"; within:1;)", "axb", false},
      {"relative_first_content", R"(content:"a"; within:3;)", "xxa", true},
      {"relative_first_content_miss", R"(content:"a"; within:3;)", "xxxa", false},
      {"independent_second_content", R"(content:"a"; content:"b";)", "ba", true},
      // Negative distance looks back from the previous match end.
      {"negative_distance", R"(content:"bc"; content:"ab"; distance:-3; within:2;)", "abc", true},
      {"negative_distance_miss", R"(content:"bc"; content:"ab"; distance:-3; within:2;)", "xbc", false},
      {"negative_distance_clamped", R"(content:"b"; content:"a"; distance:-10;)", "ab", true},
      {"negative_distance_window", R"(content:"bc"; content:"a"; distance:-5; within:3;)", "abc", true},

      // ---- backtracking: a later relative item may need a later match
      {"backtrack_second_occurrence", R"(content:"a"; content:"b"; distance:0; within:1;)", "axxab", true},
      {"backtrack_none_works", R"(content:"a"; content:"b"; distance:0; within:1;)", "axxaxb", false},
      {"backtrack_three_levels",
       R"(content:"a"; content:"b"; distance:0; within:1; content:"c"; distance:0; within:1;)",
       "abxabc", true},
      {"backtrack_overlapping", R"(content:"aa"; content:"b"; distance:0; within:1;)", "aaab", true},

      // ---- negated content
      {"negated_absent", R"(content:!"evil";)", "good", true},
      {"negated_present", R"(content:!"evil";)", "xxevilxx", false},
      {"negated_outside_depth", R"(content:!"evil"; depth:4;)", "xxevil", true},
      {"negated_inside_depth", R"(content:!"evil"; depth:4;)", "evilxx", false},
      {"negated_before_offset", R"(content:!"evil"; offset:2;)", "evilxx", true},
      {"negated_relative_present", R"(content:"a"; content:!"b"; distance:0; within:1;)", "ab", false},
      {"negated_relative_absent", R"(content:"a"; content:!"b"; distance:0; within:1;)", "ac", true},
      {"negated_relative_at_end", R"(content:"a"; content:!"b"; distance:0; within:1;)", "a", true},
      // The first "a" is followed by "b"; the second is not: match.
      {"negated_relative_backtracks", R"(content:"a"; content:!"b"; distance:0; within:1;)", "abac", true},
      {"negated_relative_unbounded", R"(content:"a"; content:!"b"; distance:0;)", "abab", false},
      {"negated_relative_unbounded_last_a", R"(content:"a"; content:!"b"; distance:0;)", "aba", true},
      {"positive_then_negated_absolute", R"(content:"GET"; content:!"evil";)", "GET /", true},

      // ---- startswith / endswith
      {"startswith_hit", R"(content:"GET"; startswith;)", "GET /", true},
      {"startswith_miss", R"(content:"GET"; startswith;)", " GET /", false},
      {"endswith_hit", R"(content:"end"; endswith;)", "the end", true},
      {"endswith_miss", R"(content:"end"; endswith;)", "end.", false},
      {"endswith_repeated", R"(content:"end"; endswith;)", "endend", true},
      {"starts_and_ends", R"(content:"a"; startswith; content:"z"; endswith;)", "abcz", true},
      {"relative_endswith", R"(content:"a"; content:"z"; distance:0; endswith;)", "azbz", true},
      {"relative_endswith_before", R"(content:"a"; content:"z"; distance:0; endswith;)", "zxa", false},
      {"startswith_endswith_exact", R"(content:"ab"; startswith; endswith;)", "ab", true},
      {"startswith_endswith_longer", R"(content:"ab"; startswith; endswith;)", "abab", false},
      {"negated_endswith", R"(content:!"end"; endswith;)", "endx", true},
      {"negated_endswith_present", R"(content:!"end"; endswith;)", "xend", false},

      // ---- nocase
      {"nocase_hit", R"(content:"AbC"; nocase;)", "xabcx", true},
      {"case_sensitive_miss", R"(content:"AbC";)", "xabcx", false},
      {"nocase_binary", R"(content:"A|00|"; nocase;)", bin({'a', 0}), true},
      // Only letters fold: '[' (0x5b) is not the upper case of '{' (0x7b).
      {"nocase_letters_only", R"(content:"a|5b|"; nocase;)", "A{", false},

      // ---- pcre
      {"pcre_relative_anchor", R"(content:"foo"; pcre:"/^bar/R";)", "foobar", true},
      {"pcre_relative_anchor_gap", R"(content:"foo"; pcre:"/^bar/R";)", "fooxbar", false},
      {"pcre_relative_backtracks", R"(content:"foo"; pcre:"/^bar/R";)", "fooxfoobar", true},
      {"pcre_absolute_anchor", R"(pcre:"/^bar/";)", "foobar", false},
      {"pcre_absolute_anchor_hit", R"(pcre:"/^bar/";)", "barfoo", true},
      {"pcre_absolute_after_content", R"(content:"foo"; pcre:"/^bar/";)", "foobar", false},
      {"pcre_negated", R"(pcre:!"/evil/";)", "good", true},
      {"pcre_negated_present", R"(pcre:!"/evil/";)", "evil", false},
      {"pcre_negated_relative", R"(content:"foo"; pcre:!"/^bar/R";)", "foobaz", true},
      {"pcre_negated_relative_present", R"(content:"foo"; pcre:!"/^bar/R";)", "foobar", false},
      {"pcre_caseless", R"(pcre:"/ABC/i";)", "xabc", true},
      {"pcre_moves_cursor", R"(pcre:"/fo+/"; content:"bar"; within:3;)", "foooobar", true},
      {"pcre_moves_cursor_miss", R"(pcre:"/fo+/"; content:"bar"; within:3;)", "fooxxbar", false},

      // ---- byte_extract feeding positions
      {"extract_distance", R"(byte_extract:1,0,off; content:"X"; distance:off; within:1;)",
       bin({3}, "abcX"), true},
      {"extract_distance_short", R"(byte_extract:1,0,off; content:"X"; distance:off; within:1;)",
       bin({2}, "abcX"), false},
      {"extract_depth", R"(byte_extract:1,0,len; content:"abc"; depth:len;)", bin({4}, "abc"), true},
      {"extract_depth_short", R"(byte_extract:1,0,len; content:"abc"; depth:len;)", bin({3}, "abc"), false},
      {"extract_string_offset", R"(byte_extract:1,0,n,string,dec; content:"Z"; offset:n;)", "3xxZ", true},
      {"extract_string_offset_before", R"(byte_extract:1,0,n,string,dec; content:"Z"; offset:n;)", "3xZx", false},
      // 64-bit values from the packet used as positions are read as 32 bits,
      // as Suricata casts them (distance int32, the others uint32); used
      // whole they overflowed int64 (UBSan). 0x7fff..ff reads as distance -1.
      {"extract_huge_distance", R"(content:"A"; byte_extract:8,0,v,relative; content:"B"; distance:v;)",
       bin({'A', 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, "B"), true},
      {"extract_huge_within", R"(content:"A"; byte_extract:8,0,v,relative; content:"B"; distance:0; within:v;)",
       bin({'A', 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, "B"), true},
      {"extract_huge_offset_depth", R"(byte_extract:8,1,v; content:"B"; offset:v; depth:v;)",
       bin({'A', 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, "B"), false},
      {"extract_huge_byte_test_offset", R"(content:"A"; byte_extract:8,0,v,relative; byte_test:1,=,255,v,relative;)",
       bin({'A', 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, "B"), true},

      // ---- isdataat
      {"isdataat_relative", R"(content:"ab"; isdataat:2,relative;)", "abcd", true},
      {"isdataat_relative_short", R"(content:"ab"; isdataat:2,relative;)", "abc", false},
      {"isdataat_negated_relative", R"(content:"ab"; isdataat:!1,relative;)", "ab", true},
      {"isdataat_negated_relative_more", R"(content:"ab"; isdataat:!1,relative;)", "abc", false},
      {"isdataat_absolute_last_index", R"(isdataat:4;)", "abcde", true},
      {"isdataat_absolute_past_end", R"(isdataat:4;)", "abcd", false},
      {"isdataat_absolute_negated", R"(isdataat:!4;)", "abcd", true},

      // ---- bsize
      {"bsize_equal", R"(content:"abc"; bsize:3;)", "abc", true},
      {"bsize_longer", R"(content:"abc"; bsize:3;)", "abcd", false},
      {"bsize_greater", R"(bsize:>2;)", "abc", true},
      {"bsize_greater_miss", R"(bsize:>2;)", "ab", false},
      {"bsize_range", R"(bsize:1<>4;)", "abc", true},
      {"bsize_range_edge", R"(bsize:1<>4;)", "abcd", false},

      // ---- empty buffer: nothing positive can match
      {"empty_content", R"(content:"a";)", "", false},
      {"empty_pcre_relative", R"(content:"a"; pcre:"/b/R";)", "", false},
      {"empty_isdataat", R"(isdataat:0;)", "", false},
  };
  return k;
}

class InspectCase : public ::testing::TestWithParam<Case> {};

TEST_P(InspectCase, Matches) {
  const Case& c = GetParam();
  auto items = items_of(c.options);
  ASSERT_FALSE(items.empty()) << c.options;
  Scratch s;
  EXPECT_EQ(inspect_buffer(items, core::as_bytes(c.buffer), s.get()), c.expect)
      << c.options << " on \"" << c.buffer << "\"";
}

INSTANTIATE_TEST_SUITE_P(Table, InspectCase, ::testing::ValuesIn(cases()),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(Inspect, LaterExtractionOverwritesVariable) {
  // Two byte_extracts naming one variable share its slot: the later wins.
  auto items = items_of(R"(byte_extract:1,0,v; byte_extract:1,1,v; content:"X"; distance:v; within:1;)");
  ASSERT_EQ(items.size(), 3u);
  Scratch s;
  // v is first 9, then 1: X must be 1 byte after the cursor (2), at 3.
  EXPECT_TRUE(inspect_buffer(items, core::as_bytes(bin({9, 1}, "aX")), s.get()));
  EXPECT_FALSE(inspect_buffer(items, core::as_bytes(bin({9, 2}, "aX")), s.get()));
}

TEST(Inspect, StepLimitStopsPathologicalInput) {
  // "a" x N then "b": every "a" is tried before the last one succeeds. The
  // inspection recursion limit ends the search early (no match), as
  // Suricata's inspection-recursion-limit does.
  auto items = items_of(R"(content:"a"; content:"b"; distance:0; within:1;)");
  std::string hay(5000, 'a');
  hay += 'b';
  Scratch s;
  auto& limited = s.get(3000);
  EXPECT_FALSE(inspect_buffer(items, core::as_bytes(hay), limited));
  EXPECT_GT(limited.steps, 3000u);
  EXPECT_TRUE(inspect_buffer(items, core::as_bytes(hay), s.get(1u << 20)));
  // A short input stays well under the limit.
  auto& small = s.get(3000);
  EXPECT_TRUE(inspect_buffer(items, core::as_bytes("aaab"), small));
  EXPECT_LT(small.steps, 20u);
}

TEST(Inspect, StepLimitBoundsNestedBacktracking) {
  // Three relative contents over a long run of one byte: without a bound
  // this is quadratic or worse; with it the call returns promptly.
  auto items = items_of(
      R"(content:"a"; content:"a"; distance:0; content:"a"; distance:0; content:"z"; distance:0;)");
  std::string hay(20000, 'a');
  Scratch s;
  auto& sc = s.get(3000);
  EXPECT_FALSE(inspect_buffer(items, core::as_bytes(hay), sc));
  EXPECT_LE(sc.steps, 3000u + 8);  // one extra step per active level at most
}

}  // namespace
}  // namespace pasban::detect::eval
