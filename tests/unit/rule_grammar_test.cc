// The rule grammar: rule files, rule text, addresses, ports, content and
// pcre values.
#include <gtest/gtest.h>

#include <chrono>
#include <map>

#include "detect/rules/address.h"
#include "detect/rules/content_string.h"
#include "detect/rules/port.h"
#include "detect/rules/rule_file.h"
#include "detect/rules/rule_text.h"

namespace pasban::detect::rules {
namespace {

using core::IpAddress;

IpAddress ip(std::string_view s) {
  auto a = IpAddress::parse(s);
  EXPECT_TRUE(a.has_value()) << s;
  return a.value_or(IpAddress{});
}

VarLookup vars_from(std::map<std::string, std::string, std::less<>> m) {
  return [m = std::move(m)](std::string_view name) -> std::optional<std::string> {
    auto it = m.find(name);
    if (it == m.end()) return std::nullopt;
    return it->second;
  };
}

const VarLookup kNoVars = vars_from({});

const VarLookup kStdVars = vars_from({
    {"HOME_NET", "[192.168.0.0/16, 10.0.0.0/8, 172.16.0.0/12]"},
    {"EXTERNAL_NET", "!$HOME_NET"},
    {"HTTP_SERVERS", "$HOME_NET"},
    {"HTTP_PORTS", "[80, 8080]"},
    {"SHELLCODE_PORTS", "!80"},
    {"FILE_DATA_PORTS", "[$HTTP_PORTS,110,143]"},
    {"LOOP_A", "$LOOP_B"},
    {"LOOP_B", "$LOOP_A"},
    {"BAD_ADDR", "[1.2.3.4, nonsense]"},
    {"NOTHING", "!any"},
});

// ---------------------------------------------------------------- rule files

TEST(RuleFile, SplitsSkipsCommentsAndJoinsContinuations) {
  std::string_view file =
      "# a comment\r\n"
      "\r\n"
      "alert tcp any any -> any any (sid:1;)\r\n"
      "  # alert tcp any any -> any any (sid:2;)\n"
      "alert tcp any any -> any any (msg:\"x\"; \\\n"
      "  content:\"a\"; \\  \n"
      "sid:3;)\n"
      "   \t\n"
      "alert udp any any -> any any (sid:4;)";  // no final newline
  auto lines = split_rule_file(file);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0].text, "alert tcp any any -> any any (sid:1;)");
  EXPECT_EQ(lines[0].line, 3);
  EXPECT_EQ(lines[1].text, "alert tcp any any -> any any (msg:\"x\";   content:\"a\"; sid:3;)");
  EXPECT_EQ(lines[1].line, 5);
  EXPECT_EQ(lines[2].text, "alert udp any any -> any any (sid:4;)");
  EXPECT_EQ(lines[2].line, 9);
}

TEST(RuleFile, CommentEndingInBackslashDoesNotContinue) {
  auto lines = split_rule_file("# comment \\\nalert ip any any -> any any (sid:1;)\n");
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].line, 2);
}

TEST(RuleFile, ContinuationAtEndOfFileKeepsRule) {
  auto lines = split_rule_file("alert ip any any -> any any (sid:1;) \\\n");
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].text, "alert ip any any -> any any (sid:1;)");
}

TEST(RuleFile, EmptyInput) {
  EXPECT_TRUE(split_rule_file("").empty());
  EXPECT_TRUE(split_rule_file("\n\r\n# x\n").empty());
}

// ---------------------------------------------------------------- rule text

TEST(RuleText, ParsesHeaderAndOptions) {
  auto r = parse_rule_text(
      "alert http [1.2.3.4, !5.6.7.8] [80, 8080] -> $HOME_NET any "
      "(msg:\"a;b \\\" c\"; content:\"GET\"; nocase; flow : established,to_server ; sid:1;)");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->action, "alert");
  EXPECT_EQ(r->proto, "http");
  EXPECT_EQ(r->src_addr, "[1.2.3.4, !5.6.7.8]");
  EXPECT_EQ(r->src_port, "[80, 8080]");
  EXPECT_EQ(r->direction, "->");
  EXPECT_EQ(r->dst_addr, "$HOME_NET");
  EXPECT_EQ(r->dst_port, "any");
  ASSERT_EQ(r->options.size(), 5u);
  EXPECT_EQ(r->options[0].name, "msg");
  EXPECT_EQ(r->options[0].value, "\"a;b \\\" c\"");
  EXPECT_TRUE(r->options[0].has_value);
  EXPECT_EQ(r->options[2].name, "nocase");
  EXPECT_FALSE(r->options[2].has_value);
  EXPECT_EQ(r->options[3].name, "flow");
  EXPECT_EQ(r->options[3].value, "established,to_server");
  EXPECT_EQ(r->options[4].value, "1");
}

TEST(RuleText, AcceptedVariants) {
  struct Case {
    const char* text;
    size_t options;
  };
  const Case cases[] = {
      {"alert ip any any <> any any (sid:1;)", 1},
      {"alert tcp any any -> any 80(sid:1;)", 1},
      {"  drop tcp any any -> any any ( msg:\"x\" ; sid:1 ; )  ", 2},
      {"alert tcp any any -> any any (pcre:\"/^[\"']?post/Ri\"; sid:1;)", 2},  // stray quote (ET)
      {"alert tcp any any -> any any (content:\"a\\;b\"; sid:1;)", 2},
      {"alert tcp any any -> any any (content:!\"a;b\"; sid:1;)", 2},
      {"alert tcp any any -> any any (pcre:/a\\;b/; sid:1;)", 2},
      {"alert\ttcp\t[1.1.1.1,\t2.2.2.2]\tany -> any any (sid:1;)", 1},
      {"alert tcp any any -> any any (msg:; sid:1;)", 2},
  };
  for (const Case& c : cases) {
    auto r = parse_rule_text(c.text);
    ASSERT_TRUE(r) << c.text << ": " << r.error().message;
    EXPECT_EQ(r->options.size(), c.options) << c.text;
  }
}

TEST(RuleText, ValueSplitting) {
  auto r = parse_rule_text(
      "alert tcp any any -> any any (pcre:\"/^[\"']?post/Ri\"; content:\"a\\;b\"; "
      "content:!\"x;y\"; sid:1;)");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->options[0].value, "\"/^[\"']?post/Ri\"");
  EXPECT_EQ(r->options[1].value, "\"a\\;b\"");
  EXPECT_EQ(r->options[2].value, "!\"x;y\"");
}

TEST(RuleText, Errors) {
  struct Case {
    const char* text;
    const char* error;
  };
  const Case cases[] = {
      {"", "empty rule"},
      {"alert tcp any any -> any any (sid:1;", "missing closing ')'"},
      {"alert tcp any any -> any any (sid:1; msg:\"x\"", "missing closing ')'"},
      {"alert tcp any any <- any any (sid:1;)", "unknown direction '<-'"},
      {"alert tcp any any =< any any (sid:1;)", "unknown direction '=<'"},
      {"alert tcp any any -> any any (content:\"abc; sid:1;)",
       "option 'content' has unterminated quoted value"},
      {"alert tcp any any -> any any (;)", "empty option name"},
      {"alert tcp any any -> any any (msg:\"x\";; sid:1;)", "empty option name"},
      {"alert tcp any any -> any any (:x; sid:1;)", "empty option name"},
      {"alert tcp any any -> any any ()", "no options"},
      {"alert tcp any any -> any any (   )", "no options"},
      {"alert tcp any any -> any any (sid:1;) x", "unexpected text after closing ')': 'x'"},
      {"alert tcp any any -> any any (sid:1;))", "unexpected text after closing ')': ')'"},
      {"alert tcp any any -> any any (sid:1)", "option 'sid' is missing its terminating ';'"},
      {"alert tcp any any -> any any (msg:\"x\")", "option 'msg' is missing its terminating ';'"},
      {"alert tcp any any -> any any (nocase)", "option 'nocase' is missing its terminating ';'"},
      {"alert tcp any any -> any any", "missing '(' before options"},
      {"alert tcp any any -> any any extra (sid:1;)",
       "unexpected 'extra' in rule header, expected '(' after destination port"},
      {"alert tcp any any -> any (sid:1;)", "incomplete rule header: missing destination port"},
      {"alert (sid:1;)", "incomplete rule header: missing protocol"},
      {"alert tcp [1.2.3.4 any -> any any (sid:1;)", "unbalanced '[' in rule header"},
      {"alert tcp 1.2.3.4] any -> any any (sid:1;)", "unbalanced ']' in rule header"},
      {"alert tcp any any -> any any (msg \"x\"; sid:1;)", "invalid option name 'msg \"x\"'"},
  };
  for (const Case& c : cases) {
    auto r = parse_rule_text(c.text);
    ASSERT_FALSE(r) << c.text;
    EXPECT_EQ(r.error().message, c.error) << c.text;
  }
}

TEST(RuleText, UnquoteValue) {
  EXPECT_EQ(unquote_value("\"a\\\"b\\;c\\\\d\\:e\""), "a\"b;c\\d:e");
  EXPECT_EQ(unquote_value("  plain  "), "plain");
  EXPECT_EQ(unquote_value("\"keep \\x\""), "keep \\x");
  EXPECT_EQ(unquote_value("\"\""), "");
  EXPECT_EQ(unquote_value("\""), "\"");
}

TEST(RuleText, LongRuleParsesQuickly) {
  std::string rule = "alert tcp any any -> any any (msg:\"long\"; ";
  while (rule.size() < 4096) rule += "content:\"abcdefgh|41 42|\"; nocase; distance:0; ";
  rule += "sid:1;)";
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < 100; ++i) ASSERT_TRUE(parse_rule_text(rule));
  auto per_rule = (std::chrono::steady_clock::now() - start) / 100;
  // Generous for sanitizer builds; an optimized build is around 10 us.
  EXPECT_LT(per_rule, std::chrono::milliseconds(2));
}

// ---------------------------------------------------------------- addresses

TEST(Address, AnyAndSingle) {
  auto any = parse_address("any", kNoVars);
  ASSERT_TRUE(any);
  EXPECT_TRUE(any->is_any());
  EXPECT_TRUE(any->match(ip("1.2.3.4")));
  EXPECT_TRUE(any->match(ip("::1")));
  EXPECT_EQ(any->to_string(), "any");
  EXPECT_EQ(*any, AddressSet::any());

  auto one = parse_address("1.2.3.4", kNoVars);
  ASSERT_TRUE(one);
  EXPECT_TRUE(one->match(ip("1.2.3.4")));
  EXPECT_FALSE(one->match(ip("1.2.3.5")));
  EXPECT_FALSE(one->match(ip("::1.2.3.4")));
  EXPECT_FALSE(one->match(IpAddress{}));
  EXPECT_TRUE(one->is_single_family());
  EXPECT_EQ(one->to_string(), "[1.2.3.4]");
}

TEST(Address, CidrNetmaskAndV6) {
  auto a = parse_address("[10.0.0.0/8, 1.2.3.0/255.255.255.0, 2001:db8::/32, 5.6.7.8/32]", kNoVars);
  ASSERT_TRUE(a) << a.error().message;
  EXPECT_TRUE(a->match(ip("10.255.1.1")));
  EXPECT_FALSE(a->match(ip("11.0.0.0")));
  EXPECT_TRUE(a->match(ip("1.2.3.255")));
  EXPECT_FALSE(a->match(ip("1.2.4.0")));
  EXPECT_TRUE(a->match(ip("2001:db8:ffff::1")));
  EXPECT_FALSE(a->match(ip("2001:db9::")));
  EXPECT_TRUE(a->match(ip("5.6.7.8")));
  EXPECT_FALSE(a->is_single_family());
  EXPECT_EQ(a->to_string(),
            "[1.2.3.0/24, 5.6.7.8, 10.0.0.0/8, 2001:0db8:0000:0000:0000:0000:0000:0000/32]");
  // Host bits below the prefix are masked off.
  auto masked = parse_address("1.2.3.4/24", kNoVars);
  ASSERT_TRUE(masked);
  EXPECT_TRUE(masked->match(ip("1.2.3.200")));
  auto zero = parse_address("0.0.0.0/0", kNoVars);
  ASSERT_TRUE(zero);
  EXPECT_TRUE(zero->match(ip("255.255.255.255")));
  EXPECT_FALSE(zero->match(ip("::")));
  auto all6 = parse_address("::/0", kNoVars);
  ASSERT_TRUE(all6);
  EXPECT_TRUE(all6->match(ip("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")));
}

TEST(Address, Ranges) {
  auto a = parse_address("1.2.3.4-1.2.3.9", kNoVars);
  ASSERT_TRUE(a);
  EXPECT_FALSE(a->match(ip("1.2.3.3")));
  EXPECT_TRUE(a->match(ip("1.2.3.9")));
  EXPECT_EQ(a->to_string(), "[1.2.3.4-1.2.3.9]");
}

TEST(Address, Negation) {
  auto a = parse_address("[10.0.0.0/8, !10.1.0.0/16, !10.2.3.4]", kNoVars);
  ASSERT_TRUE(a);
  EXPECT_TRUE(a->match(ip("10.0.0.1")));
  EXPECT_FALSE(a->match(ip("10.1.2.3")));
  EXPECT_FALSE(a->match(ip("10.2.3.4")));
  EXPECT_TRUE(a->match(ip("10.2.3.5")));
  EXPECT_FALSE(a->match(ip("::1")));

  // Only negated elements: everything else, IPv6 included.
  auto b = parse_address("[!1.2.3.4, !5.6.7.0/24]", kNoVars);
  ASSERT_TRUE(b);
  EXPECT_FALSE(b->match(ip("1.2.3.4")));
  EXPECT_FALSE(b->match(ip("5.6.7.8")));
  EXPECT_TRUE(b->match(ip("1.2.3.5")));
  EXPECT_TRUE(b->match(ip("::1")));

  auto c = parse_address("!1.2.3.4", kNoVars);
  ASSERT_TRUE(c);
  EXPECT_FALSE(c->match(ip("1.2.3.4")));
  EXPECT_TRUE(c->match(ip("0.0.0.0")));
  EXPECT_TRUE(c->match(ip("255.255.255.255")));

  auto d = parse_address("![1.2.3.0/24, 2001:db8::1]", kNoVars);
  ASSERT_TRUE(d);
  EXPECT_FALSE(d->match(ip("1.2.3.9")));
  EXPECT_FALSE(d->match(ip("2001:db8::1")));
  EXPECT_TRUE(d->match(ip("2001:db8::2")));
  EXPECT_TRUE(d->match(ip("1.2.4.0")));

  // Nested negation is set-theoretic: a negated element subtracts its whole
  // set, so [p, ![a, !b]] = p - (a - b).
  auto e = parse_address("[1.2.0.0/16, ![1.2.3.0/24, !1.2.3.4]]", kNoVars);
  ASSERT_TRUE(e);
  EXPECT_TRUE(e->match(ip("1.2.4.1")));
  EXPECT_FALSE(e->match(ip("1.2.3.5")));
  EXPECT_TRUE(e->match(ip("1.2.3.4")));
  EXPECT_FALSE(e->match(ip("9.9.9.9")));
  // And ![a, !b] alone = everything but (a - b).
  auto g = parse_address("![1.2.3.0/24, !1.2.3.4]", kNoVars);
  ASSERT_TRUE(g);
  EXPECT_TRUE(g->match(ip("9.9.9.9")));
  EXPECT_TRUE(g->match(ip("1.2.3.4")));
  EXPECT_FALSE(g->match(ip("1.2.3.5")));
  EXPECT_TRUE(g->match(ip("::1")));

  auto f = parse_address("!!1.2.3.4", kNoVars);
  ASSERT_TRUE(f);
  EXPECT_EQ(f->to_string(), "[1.2.3.4]");
}

TEST(Address, Variables) {
  auto home = parse_address("$HOME_NET", kStdVars);
  ASSERT_TRUE(home);
  EXPECT_TRUE(home->match(ip("192.168.1.1")));
  EXPECT_TRUE(home->match(ip("172.31.255.255")));
  EXPECT_FALSE(home->match(ip("172.32.0.0")));

  auto ext = parse_address("$EXTERNAL_NET", kStdVars);
  ASSERT_TRUE(ext);
  EXPECT_FALSE(ext->match(ip("10.1.1.1")));
  EXPECT_TRUE(ext->match(ip("8.8.8.8")));
  EXPECT_TRUE(ext->match(ip("2001:db8::1")));

  auto not_ext = parse_address("!$EXTERNAL_NET", kStdVars);
  ASSERT_TRUE(not_ext);
  EXPECT_EQ(not_ext->to_string(), home->to_string());

  auto list = parse_address("[$HTTP_SERVERS, 8.8.8.8]", kStdVars);
  ASSERT_TRUE(list);
  EXPECT_TRUE(list->match(ip("10.0.0.1")));
  EXPECT_TRUE(list->match(ip("8.8.8.8")));

  auto ext_minus = parse_address("[$EXTERNAL_NET, !255.255.255.255]", kStdVars);
  ASSERT_TRUE(ext_minus);
  EXPECT_FALSE(ext_minus->match(ip("255.255.255.255")));
  EXPECT_TRUE(ext_minus->match(ip("8.8.8.8")));
  EXPECT_FALSE(ext_minus->match(ip("10.0.0.1")));
}

TEST(Address, Errors) {
  struct Case {
    const char* text;
    const char* error;
  };
  const Case cases[] = {
      {"!any", "address '!any' matches nothing"},
      {"[1.2.3.4,!1.2.3.4]", "address '[1.2.3.4,!1.2.3.4]' matches nothing"},
      {"[any, !any]", "address '[any, !any]' matches nothing"},
      {"1.2.3.256", "invalid address '1.2.3.256'"},
      {"host.example", "invalid address 'host.example'"},
      {"10.0.0.0/33", "invalid CIDR prefix length in '10.0.0.0/33'"},
      {"2001:db8::/129", "invalid CIDR prefix length in '2001:db8::/129'"},
      {"1.2.3.0/255.0.255.0", "invalid netmask in '1.2.3.0/255.0.255.0'"},
      {"1.2.3.9-1.2.3.4", "reversed address range '1.2.3.9-1.2.3.4'"},
      {"1.2.3.4-::1", "invalid address range '1.2.3.4-::1'"},
      {"[]", "empty address list in '[]'"},
      {"[1.2.3.4,]", "expected address before ']' in '[1.2.3.4,]'"},
      {"[1.2.3.4", "unterminated '[' in address '[1.2.3.4'"},
      {"[1.2.3.4 5.6.7.8]", "expected ',' or ']' at '5.6.7.8]' in address '[1.2.3.4 5.6.7.8]'"},
      {"1.2.3.4]", "unexpected ']' in address '1.2.3.4]'"},
      {"", "empty address in ''"},
      {"!", "empty address in '!'"},
      {"$UNDEFINED", "unknown variable '$UNDEFINED'"},
      {"$", "empty variable name in address '$'"},
      {"$BAD_ADDR", "in variable '$BAD_ADDR': invalid address 'nonsense'"},
      {"$NOTHING", "address '$NOTHING' matches nothing"},
      {"$LOOP_A", "variable '$LOOP_A' nests deeper than 16 levels (recursive definition?)"},
  };
  for (const Case& c : cases) {
    auto r = parse_address(c.text, kStdVars);
    ASSERT_FALSE(r) << c.text << " -> " << r->to_string();
    EXPECT_EQ(r.error().message, c.error) << c.text;
  }
}

TEST(Address, DeepNestingIsBounded) {
  std::string deep(200, '[');
  deep += "1.2.3.4";
  deep += std::string(200, ']');
  auto r = parse_address(deep, kNoVars);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, "address lists nested too deeply");
  std::string ok = std::string(10, '[') + "1.2.3.4" + std::string(10, ']');
  EXPECT_TRUE(parse_address(ok, kNoVars));
}

TEST(Address, NullLookupMeansNoVariables) {
  auto r = parse_address("$HOME_NET", VarLookup{});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, "unknown variable '$HOME_NET'");
}

// ---------------------------------------------------------------- ports

TEST(Port, Forms) {
  auto any = parse_port("any", kNoVars);
  ASSERT_TRUE(any);
  EXPECT_TRUE(any->is_any());
  EXPECT_TRUE(any->match(0));
  EXPECT_TRUE(any->match(65535));

  auto p = parse_port("80", kNoVars);
  ASSERT_TRUE(p);
  EXPECT_TRUE(p->match(80));
  EXPECT_FALSE(p->match(81));
  EXPECT_EQ(p->to_string(), "[80]");

  auto range = parse_port("1024:65535", kNoVars);
  ASSERT_TRUE(range);
  EXPECT_FALSE(range->match(1023));
  EXPECT_TRUE(range->match(1024));
  EXPECT_TRUE(range->match(65535));

  auto open_hi = parse_port("1024:", kNoVars);
  ASSERT_TRUE(open_hi);
  EXPECT_EQ(*open_hi, *range);
  auto open_lo = parse_port(":1023", kNoVars);
  ASSERT_TRUE(open_lo);
  EXPECT_TRUE(open_lo->match(0));
  EXPECT_FALSE(open_lo->match(1024));

  auto list = parse_port("[80, 443, 8000:8080]", kNoVars);
  ASSERT_TRUE(list);
  EXPECT_TRUE(list->match(443));
  EXPECT_TRUE(list->match(8042));
  EXPECT_FALSE(list->match(444));
  EXPECT_EQ(list->to_string(), "[80, 443, 8000:8080]");

  auto merged = parse_port("[1:10, 11:20, 5]", kNoVars);
  ASSERT_TRUE(merged);
  EXPECT_EQ(merged->to_string(), "[1:20]");
}

TEST(Port, NegationAndVariables) {
  auto not80 = parse_port("!80", kNoVars);
  ASSERT_TRUE(not80);
  EXPECT_FALSE(not80->match(80));
  EXPECT_TRUE(not80->match(79));
  EXPECT_TRUE(not80->match(81));
  EXPECT_EQ(not80->to_string(), "[0:79, 81:65535]");

  auto not_list = parse_port("![80,443]", kNoVars);
  ASSERT_TRUE(not_list);
  EXPECT_FALSE(not_list->match(443));
  EXPECT_TRUE(not_list->match(444));

  auto mixed = parse_port("[!3389, 1024:65535]", kNoVars);
  ASSERT_TRUE(mixed);
  EXPECT_FALSE(mixed->match(3389));
  EXPECT_FALSE(mixed->match(80));
  EXPECT_TRUE(mixed->match(3390));

  auto http = parse_port("$HTTP_PORTS", kStdVars);
  ASSERT_TRUE(http);
  EXPECT_TRUE(http->match(8080));
  auto file_data = parse_port("$FILE_DATA_PORTS", kStdVars);
  ASSERT_TRUE(file_data);
  EXPECT_EQ(file_data->to_string(), "[80, 110, 143, 8080]");
  auto not_http = parse_port("!$HTTP_PORTS", kStdVars);
  ASSERT_TRUE(not_http);
  EXPECT_FALSE(not_http->match(8080));
  EXPECT_TRUE(not_http->match(443));
  auto shell = parse_port("$SHELLCODE_PORTS", kStdVars);
  ASSERT_TRUE(shell);
  EXPECT_FALSE(shell->match(80));
}

TEST(Port, Errors) {
  struct Case {
    const char* text;
    const char* error;
  };
  const Case cases[] = {
      {"65536", "port '65536' out of range"},
      {"1:99999999999", "port '1:99999999999' out of range"},
      {"90:80", "reversed port range '90:80'"},
      {":", "invalid port range ':'"},
      {"http", "invalid port 'http'"},
      {"-1", "invalid port '-1'"},
      {"1:2:3", "invalid port '1:2:3'"},
      {"!any", "port '!any' matches nothing"},
      {"[80,!80]", "port '[80,!80]' matches nothing"},
      {"[80", "unterminated '[' in port '[80'"},
      {"[]", "empty port list in '[]'"},
      {"[80,]", "expected port before ']' in '[80,]'"},
      {"80 443", "unexpected '443' in port '80 443'"},
      {"$NOPE", "unknown variable '$NOPE'"},
      {"$LOOP_A", "variable '$LOOP_A' nests deeper than 16 levels (recursive definition?)"},
      {"", "empty port in ''"},
  };
  for (const Case& c : cases) {
    auto r = parse_port(c.text, kStdVars);
    ASSERT_FALSE(r) << c.text << " -> " << r->to_string();
    EXPECT_EQ(r.error().message, c.error) << c.text;
  }
}

// ---------------------------------------------------------------- content

TEST(Content, Bytes) {
  struct Case {
    const char* value;
    std::string bytes;
  };
  const Case cases[] = {
      {"\"abc\"", "abc"},
      {"\"|41 42 43|\"", "ABC"},
      {"\"|414243|\"", "ABC"},
      {"\"a|0d 0A|b\"", "a\r\nb"},
      {"\"| 00 |x\"", std::string("\0x", 2)},
      {"\"\\\"\\;\\\\\\:\"", "\";\\:"},
      {"  \"x y\"  ", "x y"},
      {"\"a;b\"", "a;b"},
  };
  for (const Case& c : cases) {
    auto r = parse_content_bytes(c.value);
    ASSERT_TRUE(r) << c.value << ": " << r.error().message;
    EXPECT_EQ(*r, c.bytes) << c.value;
  }
}

TEST(Content, Errors) {
  struct Case {
    const char* value;
    const char* error;
  };
  const Case cases[] = {
      {"abc", "content must be quoted"},
      {"\"abc", "content must be quoted"},
      {"\"", "content must be quoted"},
      {"\"\"", "empty content"},
      {"\"||\"", "empty content"},
      {"\"|22 2 22|\"", "invalid hex in content: '|22 2 22|'"},
      {"\"|4 1|\"", "invalid hex in content: '|4 1|'"},
      {"\"x|4G|\"", "invalid hex in content: '|4G|'"},
      {"\"|41 42\"", "unterminated hex block in content: '|41 42'"},
      {"\"a\\xb\"", "invalid escape '\\x' in content"},
      {"\"a\"b\"", "unescaped '\"' inside content"},
      {"\"ab\\\"", "content ends in a lone '\\'"},
  };
  for (const Case& c : cases) {
    auto r = parse_content_bytes(c.value);
    ASSERT_FALSE(r) << c.value;
    EXPECT_EQ(r.error().message, c.error) << c.value;
  }
}

TEST(Content, Negation) {
  auto plain = parse_content_value("\"GET\"");
  ASSERT_TRUE(plain);
  EXPECT_FALSE(plain->negated);
  EXPECT_EQ(plain->bytes, "GET");
  auto neg = parse_content_value("!\"|47|ET\"");
  ASSERT_TRUE(neg);
  EXPECT_TRUE(neg->negated);
  EXPECT_EQ(neg->bytes, "GET");
  auto spaced = parse_content_value(" ! \"x\"");
  ASSERT_TRUE(spaced);
  EXPECT_TRUE(spaced->negated);
  auto bad = parse_content_value("!abc");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().message, "content must be quoted");
}

// ---------------------------------------------------------------- pcre

TEST(Pcre, Values) {
  auto p = parse_pcre_value("\"/^GET\\s+\\/x\\\\y\\;z\\\"q/Ui\"");
  ASSERT_TRUE(p) << p.error().message;
  EXPECT_FALSE(p->negated);
  EXPECT_EQ(p->pattern, "^GET\\s+\\/x\\\\y;z\"q");
  EXPECT_EQ(p->flags, "Ui");

  auto neg = parse_pcre_value("!\"/a/\"");
  ASSERT_TRUE(neg);
  EXPECT_TRUE(neg->negated);
  EXPECT_EQ(neg->pattern, "a");
  EXPECT_EQ(neg->flags, "");

  auto stray = parse_pcre_value("\"/^[\"']?post/Ri\"");  // as in ET Open
  ASSERT_TRUE(stray);
  EXPECT_EQ(stray->pattern, "^[\"']?post");
  EXPECT_EQ(stray->flags, "Ri");

  auto unquoted = parse_pcre_value("/a\\/b/smi");
  ASSERT_TRUE(unquoted);
  EXPECT_EQ(unquoted->pattern, "a\\/b");
  EXPECT_EQ(unquoted->flags, "smi");
}

TEST(Pcre, Errors) {
  struct Case {
    const char* value;
    const char* error;
  };
  const Case cases[] = {
      {"\"abc\"", "pcre must start with '/'"},
      {"\"\"", "pcre must start with '/'"},
      {"\"/abc\"", "pcre is missing its closing '/'"},
      {"\"/abc/", "pcre has unterminated quote"},
      {"m{abc}", "pcre must start with '/'"},
  };
  for (const Case& c : cases) {
    auto r = parse_pcre_value(c.value);
    ASSERT_FALSE(r) << c.value;
    EXPECT_EQ(r.error().message, c.error) << c.value;
  }
}

}  // namespace
}  // namespace pasban::detect::rules
