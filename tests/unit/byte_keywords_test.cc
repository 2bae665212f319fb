// byte_test, byte_jump, byte_extract, byte_math and isdataat: parsing (ok and
// errors, including the rules of the Suricata verify cases) and matching.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "detect/keywords/byte_extract.h"
#include "detect/keywords/byte_jump.h"
#include "detect/keywords/byte_math.h"
#include "detect/keywords/byte_test.h"
#include "detect/keywords/isdataat.h"

namespace pasban::detect::keywords {
namespace {

// The per-rule variable table a rule parser would keep.
struct VarTable {
  std::map<std::string, int, std::less<>> slots;
  VarResolver resolver() {
    return [this](std::string_view n) -> std::optional<int> {
      auto it = slots.find(n);
      if (it == slots.end()) return std::nullopt;
      return it->second;
    };
  }
  VarDefiner definer() {
    return [this](std::string_view n) -> core::Result<int> {
      auto it = slots.find(n);
      if (it != slots.end()) return it->second;
      int s = int(slots.size());
      slots.emplace(std::string(n), s);
      return s;
    };
  }
};

core::Bytes B(const std::vector<uint8_t>& v) { return {v.data(), v.size()}; }
core::Bytes S(std::string_view s) { return core::as_bytes(s); }

// ---- parse: every rule of the verify cases must load ---------------------

TEST(ByteKeywordsParse, VerifyRulesLoad) {
  VarTable vars;
  auto r = vars.resolver();
  auto d = vars.definer();
  for (auto v : {"2,0,two1,string,dec", "1,2,two2,string,dec", "1,6,three1,relative,string,dec",
                 "1,4,hexten", "1,0,decone,string,dec", "1,4,rpkt_len,relative",
                 " 1, 0, extracted_val, relative", " 1, 2, extracted_val, relative",
                 " 1, 5, extracted_val, relative"})
    EXPECT_TRUE(ByteExtract::parse(v, r, d).ok()) << v;
  for (auto v : {"bytes 1, offset 1, oper <<, rvalue 2, result result_val",
                 "bytes rpkt_len, offset 1, oper +, rvalue 102, result result_val",
                 " bytes 1, offset 1, oper +, rvalue extracted_val, result var",
                 " bytes 1, offset 0, oper /, rvalue extracted_val, result var",
                 " bytes 1, offset 1, oper *,rvalue extracted_val, result var",
                 " bytes 1, offset 1, oper -, rvalue extracted_val, result var"})
    EXPECT_TRUE(ByteMath::parse(v, r, d).ok()) << v;
  for (auto v : {" 1, =, 0x88, 1, relative", " 1, =, result_val, 1, relative", " 2, <, var, 2",
                 " 2, !=, var, 2", " 2, >, var, 11", " 1, = , var, 1", " 1,!=, var, 9",
                 " 1,<, var, 9", " 1,>, var, 0", "1,=,0x9,0, bitmask 0xf8", "1,>,0x8,0, bitmask 0xf8",
                 "1,<,0xa,0, bitmask 0xf8", "1,!=,0x48,0, bitmask 0xf8", "2,=,0x90a,0, bitmask 0xf8f8",
                 "1,=,0x07,0,bitmask 0xF8", "3,=,0x01,0,bitmask 0xFF", "rpkt_len,=,0x01,5, bitmask 0xFF",
                 "4, !, 5, 0", "\t4 , ! &, 5\t, 0 , little ", "4,!^,5,0,little,string,relative,hex"})
    EXPECT_TRUE(ByteTest::parse(v, r).ok()) << v;
  EXPECT_TRUE(ByteJump::parse("rpkt_len,0,relative", r).ok());
  EXPECT_TRUE(IsDataAt::parse("1,relative", r).ok());
}

TEST(ByteKeywordsParse, Fields) {
  VarTable vars;
  auto t = ByteTest::parse("4, !=, 1, 0, relative, string, oct", vars.resolver());
  ASSERT_TRUE(t.ok()) << t.error().message;
  EXPECT_EQ(t->op, ByteTest::Op::kEq);
  EXPECT_TRUE(t->negate);
  EXPECT_TRUE(t->relative);
  EXPECT_TRUE(t->string);
  EXPECT_EQ(t->base, ByteBase::kOct);
  EXPECT_EQ(t->nbytes, ByteOperand::of(4));

  auto j = ByteJump::parse("4,12,relative,multiplier 2,little,align,post_offset -3,from_end", vars.resolver());
  ASSERT_TRUE(j.ok()) << j.error().message;
  EXPECT_EQ(j->multiplier, 2u);
  EXPECT_EQ(j->post_offset, -3);
  EXPECT_EQ(j->endian, ByteEndian::kLittle);
  EXPECT_TRUE(j->align && j->from_end && j->relative);
  EXPECT_EQ(j->offset, ByteOperand::of(12));

  auto e = ByteExtract::parse("2,1,len,relative,multiplier 6,little,align 2", vars.resolver(), vars.definer());
  ASSERT_TRUE(e.ok()) << e.error().message;
  EXPECT_EQ(e->slot, 0);
  EXPECT_EQ(e->align, 2);
  EXPECT_EQ(e->multiplier, 6u);

  auto m = ByteMath::parse("result r, bytes len, rvalue len, oper >>, offset -2, relative, endian little, bitmask f0",
                           vars.resolver(), vars.definer());
  ASSERT_TRUE(m.ok()) << m.error().message;
  EXPECT_EQ(m->slot, 1);
  EXPECT_EQ(m->nbytes, ByteOperand::var(0));
  EXPECT_EQ(m->rvalue, ByteOperand::var(0));
  EXPECT_EQ(m->bitmask, 0xf0u);  // byte_math bitmasks are hex
  EXPECT_EQ(m->offset, -2);

  // Identical options compare (and hash) equal.
  auto t2 = ByteTest::parse("4,!=,1,0,relative,string,oct", vars.resolver());
  EXPECT_EQ(*t, *t2);
  EXPECT_EQ(t->hash(), t2->hash());
}

struct ParseError {
  const char* kw;
  const char* value;
  const char* message;
};

TEST(ByteKeywordsParse, Errors) {
  const ParseError cases[] = {
      {"byte_test", "9,=,1,0", "byte_test: bytes must be 0..8 (got 9)"},
      {"byte_test", "24,=,1,0,string,dec", "byte_test: bytes must be 0..23 with string (got 24)"},
      {"byte_test", "1,=>,1,0", "byte_test: invalid operator '=>'"},
      {"byte_test", "1,=,1,0,foo", "byte_test: unknown option 'foo'"},
      {"byte_test", "1,=,x,0", "byte_test: unknown variable 'x'"},
      {"byte_test", "1,=,1,y", "byte_test: unknown variable 'y'"},
      {"byte_test", "1,=,1,0,hex", "byte_test: a base (hex|dec|oct) needs 'string'"},
      {"byte_test", "1,=,1,0,dce,little", "byte_test: 'dce' cannot be combined with string, big or little"},
      {"byte_test", "1,=,1,0,bitmask", "byte_test: 'bitmask' needs a value"},
      {"byte_test", "1,=,1,0,bitmask zz", "byte_test: invalid bitmask 'zz'"},
      {"byte_test", "1,=,1", "byte_test: expected <bytes>,<op>,<value>,<offset> (got '1,=,1')"},
      {"byte_test", "1,=,1x,0", "byte_test: invalid value '1x'"},
      {"byte_jump", "4,0,foo", "byte_jump: unknown option 'foo'"},
      {"byte_jump", "9,0", "byte_jump: bytes must be 1..8 (got 9)"},
      {"byte_jump", "4,0,from_beginning,from_end", "byte_jump: 'from_beginning' and 'from_end' cannot be combined"},
      {"byte_jump", "4,0,multiplier 0", "byte_jump: multiplier must be 1..65535 (got 0)"},
      {"byte_jump", "4,0,post_offset 70000", "byte_jump: post_offset must be -65535..65535 (got 70000)"},
      {"byte_jump", "4,70000", "byte_jump: offset must be -65535..65535 (got 70000)"},
      {"byte_jump", "nolen,0", "byte_jump: unknown variable 'nolen'"},
      {"byte_jump", "4", "byte_jump: expected <bytes>,<offset> (got '4')"},
      {"byte_extract", "1,0,x,align 3", "byte_extract: align must be 2 or 4 (got 3)"},
      {"byte_extract", "15,0,x,string,hex", "byte_extract: bytes must be 1..14 with string (got 15)"},
      {"byte_extract", "21,0,x,string", "byte_extract: bytes must be 1..20 with string (got 21)"},
      {"byte_extract", "1,0,9x", "byte_extract: invalid variable name '9x'"},
      {"byte_extract", "1,0,x,sideways", "byte_extract: unknown option 'sideways'"},
      {"byte_extract", "1,0,x,oct", "byte_extract: a base (hex|dec|oct) needs 'string'"},
      {"byte_math", "bytes 1, offset 0, oper %, rvalue 1, result r", "byte_math: invalid operator '%'"},
      {"byte_math", "bytes 1, offset 0, oper +, rvalue 1", "byte_math: missing 'result'"},
      {"byte_math", "bytes 5, offset 0, oper <<, rvalue 1, result r",
       "byte_math: bytes must be 1..4 with '<<' or '>>' (got 5)"},
      {"byte_math", "bytes 11, offset 0, oper +, rvalue 1, result r", "byte_math: bytes must be 1..10 (got 11)"},
      {"byte_math", "bytes 3, offset 0, oper +, rvalue 1, result r, dce",
       "byte_math: bytes must be 1, 2 or 4 with dce (got 3)"},
      {"byte_math", "bytes 1, offset 0, oper +, rvalue x, result r", "byte_math: unknown variable 'x'"},
      {"byte_math", "bytes 1, offset 0, oper +, rvalue 1, result r, foo 1", "byte_math: unknown option 'foo 1'"},
      {"byte_math", "bytes 1, bytes 2, offset 0, oper +, rvalue 1, result r", "byte_math: 'bytes' given twice"},
      {"byte_math", "bytes 1, offset 0, oper +, rvalue 4294967296, result r",
       "byte_math: rvalue must be 0..4294967295 (got 4294967296)"},
      {"byte_math", "bytes 1, offset 0, oper +, rvalue 1, result r, endian middle", "byte_math: invalid endian 'middle'"},
      {"isdataat", "!x", "isdataat: unknown variable 'x'"},
      {"isdataat", "5,foo", "isdataat: unknown option 'foo'"},
  };
  for (const auto& c : cases) {
    VarTable vars;
    std::string kw = c.kw;
    std::string got;
    if (kw == "byte_test") {
      auto r = ByteTest::parse(c.value, vars.resolver());
      got = r.ok() ? "ok" : r.error().message;
    } else if (kw == "byte_jump") {
      auto r = ByteJump::parse(c.value, vars.resolver());
      got = r.ok() ? "ok" : r.error().message;
    } else if (kw == "byte_extract") {
      auto r = ByteExtract::parse(c.value, vars.resolver(), vars.definer());
      got = r.ok() ? "ok" : r.error().message;
      EXPECT_TRUE(vars.slots.empty()) << "a failed parse must not define a variable";
    } else if (kw == "byte_math") {
      auto r = ByteMath::parse(c.value, vars.resolver(), vars.definer());
      got = r.ok() ? "ok" : r.error().message;
    } else {
      auto r = IsDataAt::parse(c.value, vars.resolver());
      got = r.ok() ? "ok" : r.error().message;
    }
    EXPECT_EQ(got, c.message) << c.kw << ":" << c.value;
  }
}

// ---- byte_test -----------------------------------------------------------

struct TestCase {
  const char* rule;
  std::vector<uint8_t> buf;
  uint32_t cursor;
  bool want;
};

TEST(ByteTestMatch, Table) {
  const std::vector<uint8_t> http = {'H', 'T', 'T', 'P'};
  const TestCase cases[] = {
      {"2,=,0x0102,0", {1, 2}, 0, true},
      {"2,=,0x0201,0,little", {1, 2}, 0, true},
      {"2,=,0x0102,0,little,big", {1, 2}, 0, true},
      {"8,=,0x0102030405060708,0", {1, 2, 3, 4, 5, 6, 7, 8}, 0, true},
      {"8,=,0x0807060504030201,0,little", {1, 2, 3, 4, 5, 6, 7, 8}, 0, true},
      {"3,=,0x010203,0", {1, 2}, 0, false},  // past the end
      {"1,=,2,1,relative", {1, 2, 3}, 0, true},
      {"1,=,3,0,relative", {1, 2, 3}, 2, true},
      {"1,=,2,-1,relative", {1, 2, 3}, 2, true},  // negative relative offset
      {"1,=,1,-1", {1, 2, 3}, 0, false},          // before the start
      {"1,=,3,1,relative", {1, 2, 3}, 2, false},  // past the end
      {"1,<,5,0", {4}, 0, true},
      {"1,>,5,0", {4}, 0, false},
      {"1,<=,4,0", {4}, 0, true},
      {"1,>=,5,0", {4}, 0, false},
      {"1,&,0x04,0", {0x0c}, 0, true},
      {"1,&,0x02,0", {0x0c}, 0, false},
      {"1,^,0x0c,0", {0x0c}, 0, false},
      {"1,!^,0x0c,0", {0x0c}, 0, true},
      {"1,!,5,0", {5}, 0, false},
      {"1,!,5,0", {6}, 0, true},
      {"1,!=,5,0", {6}, 0, true},
      {"1,!<,5,0", {6}, 0, true},
      // detect-bytetest-01: bitmask then shift right by the mask's trailing zeros.
      {"1,=,0x9,0, bitmask 0xf8", http, 0, true},
      {"1,>,0x8,0, bitmask 0xf8", http, 0, true},
      {"1,<,0xa,0, bitmask 0xf8", http, 0, true},
      {"1,!=,0x48,0, bitmask 0xf8", http, 0, true},
      {"2,=,0x90a,0, bitmask 0xf8f8", http, 0, true},
      {"1,=,0,0, bitmask 0xf0", {0x0f}, 0, true},  // masked to zero, no shift
  };
  for (const auto& c : cases) {
    VarTable vars;
    auto t = ByteTest::parse(c.rule, vars.resolver());
    ASSERT_TRUE(t.ok()) << c.rule << ": " << t.error().message;
    ByteVars bv;
    EXPECT_EQ(t->match(B(c.buf), c.cursor, bv), c.want) << c.rule;
  }
}

TEST(ByteTestMatch, Strings) {
  VarTable vars;
  auto r = vars.resolver();
  ByteVars bv;
  auto check = [&](const char* rule, std::string_view data, bool want) {
    auto t = ByteTest::parse(rule, r);
    ASSERT_TRUE(t.ok()) << rule << ": " << t.error().message;
    EXPECT_EQ(t->match(S(data), 0, bv), want) << rule << " on '" << data << "'";
  };
  check("3,=,123,0,string,dec", "123abc", true);
  check("5,=,123,0,string,dec", "123abc", true);  // stops at the first non-digit
  check("2,=,0xab,3,string,hex", "123ab", true);
  check("4,=,0xab,0,string,hex", "0xab", true);
  check("3,=,8,0,string,oct", "010", true);
  check("3,=,9,0,string,oct", "019", false);       // reads "01"
  check("4,=,31,0,string", "0x1f", true);          // no base: auto
  check("3,=,12,0,string,dec", " 12", true);       // leading space
  check("3,=,0,0,string,dec", "abc", false);       // no digits: no match
  check("20,=,18446744073709551615,0,string,dec", "18446744073709551615", true);
  check("20,=,0,0,string,dec", "18446744073709551616", false);  // overflow
}

TEST(ByteTestMatch, Variables) {
  VarTable vars;
  auto d = vars.definer();
  ASSERT_TRUE(d("n").ok());
  ASSERT_TRUE(d("off").ok());
  ASSERT_TRUE(d("val").ok());
  auto t = ByteTest::parse("n,=,val,off", vars.resolver());
  ASSERT_TRUE(t.ok()) << t.error().message;
  ByteVars bv;
  bv.v[0] = 2;
  bv.v[1] = 1;
  bv.v[2] = 0x0203;
  std::vector<uint8_t> buf = {1, 2, 3};
  EXPECT_TRUE(t->match(B(buf), 0, bv));
  bv.v[0] = 9;  // a variable byte count outside 1..8 never matches
  EXPECT_FALSE(t->match(B(buf), 0, bv));
  bv.v[0] = 3;  // 3 bytes at offset 1 run past the end
  EXPECT_FALSE(t->match(B(buf), 0, bv));
}

TEST(ByteTestMatch, Dce) {
  VarTable vars;
  auto t = ByteTest::parse("2,=,0x0201,0,dce", vars.resolver());
  ASSERT_TRUE(t.ok());
  std::vector<uint8_t> buf = {1, 2};
  ByteVars bv;
  EXPECT_FALSE(t->match(B(buf), 0, bv));
  bv.dce_little_endian = true;
  EXPECT_TRUE(t->match(B(buf), 0, bv));
}

// ---- byte_jump -----------------------------------------------------------

struct JumpCase {
  const char* rule;
  std::vector<uint8_t> buf;
  uint32_t cursor;
  bool want;
  uint32_t want_cursor;
};

TEST(ByteJumpApply, Table) {
  const std::vector<uint8_t> ten(10, 0);
  const JumpCase cases[] = {
      {"2,0", {0, 2, 9, 9, 9}, 0, true, 4},               // 0 + 2 read + 2
      {"1,1,relative", {9, 9, 1, 9, 9}, 1, true, 4},      // read at 2, end 3, +1
      {"1,0,multiplier 2", {1, 9, 9, 9}, 0, true, 3},     // 1 + 1*2
      {"1,0,align", {1, 9, 9, 9, 9, 9}, 0, true, 5},      // 1 + round4(1)
      {"1,0,align", {4, 9, 9, 9, 9, 9}, 0, true, 5},      // 4 is aligned
      {"1,0,from_beginning", {3, 9, 9, 9}, 0, true, 3},
      {"1,0,from_end,post_offset -2", {0, 9, 9, 9}, 0, true, 2},
      {"1,0,post_offset 1", {1, 9, 9, 9}, 0, true, 3},
      {"1,0,from_beginning,post_offset -10", {0, 9}, 0, true, 0},  // clamped to the start
      {"1,0", {3, 9, 9, 9}, 0, true, 4},                  // exactly the end is ok
      {"1,0", {4, 9, 9, 9}, 0, false, 0},                 // one past the end
      {"1,0", {0xff, 9}, 0, false, 0},
      {"2,3", {0, 1, 2, 3}, 0, false, 0},                 // read runs off the end
      {"2,0,little", {2, 0, 9, 9}, 0, true, 4},
      {"2,0,string,dec", {'0', '3', 9, 9, 9, 9}, 0, true, 5},
      {"3,0,string,dec", {'3', 'x', 9, 9, 9, 9}, 0, true, 4},  // end of the digits read, +3
      {"1,0,bitmask 0xf0", {0x20, 9, 9, 9}, 0, true, 3},  // 0x20 & 0xf0 >> 4 = 2
      {"4,0", {0xff, 0xff, 0xff, 0xff, 9}, 0, false, 0},
  };
  for (const auto& c : cases) {
    VarTable vars;
    auto j = ByteJump::parse(c.rule, vars.resolver());
    ASSERT_TRUE(j.ok()) << c.rule << ": " << j.error().message;
    ByteVars bv;
    uint32_t cursor = c.cursor;
    EXPECT_EQ(j->apply(B(c.buf), cursor, bv), c.want) << c.rule;
    if (c.want) {
      EXPECT_EQ(cursor, c.want_cursor) << c.rule;
    } else {
      EXPECT_EQ(cursor, c.cursor) << c.rule << ": cursor moved on no match";
    }
  }
}

// detect-bytejump-02: content:"|00 00 00|"; byte_extract:1,4,rpkt_len,relative;
// byte_jump:rpkt_len,0,relative; isdataat:1,relative;
TEST(ByteJumpApply, VariableLengthChain) {
  VarTable vars;
  auto e = ByteExtract::parse("1,4,rpkt_len,relative", vars.resolver(), vars.definer());
  auto j = ByteJump::parse("rpkt_len,0,relative", vars.resolver());
  auto d = IsDataAt::parse("1,relative", vars.resolver());
  ASSERT_TRUE(e.ok() && j.ok() && d.ok());
  // |00 00 00| matched at 0..3, cursor 3. Byte at 3+4=7 is 2 -> read 2 bytes
  // at 8 -> jump value 0x0001 -> cursor 8+2+1 = 11, and a byte is left.
  std::vector<uint8_t> buf = {0, 0, 0, 9, 9, 9, 9, 2, 0, 1, 9, 9};
  ByteVars bv;
  uint32_t cursor = 3;
  ASSERT_TRUE(e->apply(B(buf), cursor, bv));
  EXPECT_EQ(bv.v[0], 2u);
  EXPECT_EQ(cursor, 8u);
  ASSERT_TRUE(j->apply(B(buf), cursor, bv));
  EXPECT_EQ(cursor, 11u);
  EXPECT_TRUE(d->match(B(buf), cursor, bv));
  buf.pop_back();
  cursor = 11;
  EXPECT_FALSE(d->match(B(buf), cursor, bv));
}

// ---- byte_extract --------------------------------------------------------

TEST(ByteExtractApply, Options) {
  struct Case {
    const char* rule;
    std::vector<uint8_t> buf;
    uint32_t cursor;
    bool want;
    uint64_t value;
    uint32_t want_cursor;
  };
  const Case cases[] = {
      {"1,0,x", {7, 9}, 0, true, 7, 1},
      {"2,0,x", {1, 2}, 0, true, 0x0102, 2},
      {"2,0,x,little", {1, 2}, 0, true, 0x0201, 2},
      {"1,1,x,relative", {9, 9, 5}, 1, true, 5, 3},
      {"1,0,x,multiplier 3", {5}, 0, true, 15, 1},
      {"1,0,x,align 4", {5}, 0, true, 8, 1},
      {"1,0,x,align 2", {5}, 0, true, 6, 1},
      {"1,0,x,bitmask 0x0c", {0xff}, 0, true, 3, 1},
      {"3,0,x,string,dec", {'1', '2', 'a'}, 0, true, 12, 2},  // cursor after the digits
      {"2,0,x,string,hex", {'f', 'f'}, 0, true, 255, 2},
      {"2,0,x,string", {'1', '0'}, 0, true, 10, 2},  // string defaults to dec
      {"2,0,x,string,dec", {'a', 'b'}, 0, false, 0, 0},
      {"2,1,x", {1, 2}, 0, false, 0, 0},
      {"1,2,x,relative", {1, 2}, 0, false, 0, 0},
  };
  for (const auto& c : cases) {
    VarTable vars;
    auto e = ByteExtract::parse(c.rule, vars.resolver(), vars.definer());
    ASSERT_TRUE(e.ok()) << c.rule << ": " << e.error().message;
    ByteVars bv;
    uint32_t cursor = c.cursor;
    EXPECT_EQ(e->apply(B(c.buf), cursor, bv), c.want) << c.rule;
    if (!c.want) continue;
    EXPECT_EQ(bv.v[size_t(e->slot)], c.value) << c.rule;
    EXPECT_EQ(cursor, c.want_cursor) << c.rule;
  }
}

// byte-extract-01: the values its rules extract from the pcap's payload, and
// the places those values point to (content offset/depth/distance).
TEST(ByteExtractApply, VerifyCaseValues) {
  const std::string payload("1026\x10" "8 !34.\x11\"3DUf.21");
  struct Case {
    const char* rule;
    uint32_t cursor;  // after a preceding content match, when relative
    uint64_t value;
  };
  const Case cases[] = {
      {"2,0,two1,string,dec", 0, 10},          // rule 1: "34" lies within depth 10
      {"1,2,two2,string,dec", 0, 2},           // rule 2: depth 2 at offset 8
      {"1,5,eight,string,dec", 0, 8},          // rule 3: offset 8
      {"1,3,sixd1,string,dec", 0, 6},          // rule 4: distance 6
      {"1,6,three1,relative,string,dec", 2, 3},  // rule 6: after content "10"
      {"1,4,hexten", 0, 16},                   // rule 9: offset 16 is 'f'
      {"1,0,decone,string,dec", 0, 1},
  };
  for (const auto& c : cases) {
    VarTable vars;
    auto e = ByteExtract::parse(c.rule, vars.resolver(), vars.definer());
    ASSERT_TRUE(e.ok()) << c.rule;
    ByteVars bv;
    uint32_t cursor = c.cursor;
    ASSERT_TRUE(e->apply(S(payload), cursor, bv)) << c.rule;
    EXPECT_EQ(bv.v[0], c.value) << c.rule;
  }
  EXPECT_EQ(payload.substr(8, 2), "34");
  EXPECT_EQ(payload[16], 'f');
  EXPECT_EQ(payload.substr(3, 2), "6\x10");
}

// ---- byte_math -----------------------------------------------------------

TEST(ByteMathApply, Operators) {
  struct Case {
    const char* rule;
    std::vector<uint8_t> buf;
    bool want;
    uint64_t value;
  };
  const Case cases[] = {
      {"bytes 1, offset 0, oper +, rvalue 3, result r", {5}, true, 8},
      {"bytes 1, offset 0, oper -, rvalue 3, result r", {5}, true, 2},
      {"bytes 1, offset 0, oper -, rvalue 6, result r", {5}, true, ~uint64_t(0)},  // wraps
      {"bytes 1, offset 0, oper *, rvalue 3, result r", {5}, true, 15},
      {"bytes 1, offset 0, oper /, rvalue 2, result r", {5}, true, 2},
      {"bytes 1, offset 0, oper /, rvalue 0, result r", {5}, false, 0},  // division by zero
      {"bytes 1, offset 0, oper <<, rvalue 2, result r", {0x22}, true, 0x88},
      {"bytes 1, offset 0, oper >>, rvalue 1, result r", {0x22}, true, 0x11},
      {"bytes 1, offset 0, oper <<, rvalue 64, result r", {1}, true, 0},
      {"bytes 4, offset 0, oper <<, rvalue 8, result r", {0xff, 0, 0, 0}, true, 0xff00000000ULL},  // 64-bit
      {"bytes 2, offset 0, oper +, rvalue 0, result r, endian little", {1, 2}, true, 0x0201},
      {"bytes 2, offset 1, oper +, rvalue 1, result r", {1, 2}, false, 0},
      {"bytes 3, offset 0, oper +, rvalue 1, result r, string dec", {'1', '2', '3'}, true, 124},
      {"bytes 2, offset 0, oper +, rvalue 0, result r, string hex", {'f', 'f'}, true, 255},
      {"bytes 1, offset 0, oper +, rvalue 0, result r, bitmask 0xf0", {0x35}, true, 3},
      {"bytes 9, offset 0, oper +, rvalue 0, result r", {1, 2, 3, 4, 5, 6, 7, 8, 9}, false, 0},
  };
  for (const auto& c : cases) {
    VarTable vars;
    auto m = ByteMath::parse(c.rule, vars.resolver(), vars.definer());
    ASSERT_TRUE(m.ok()) << c.rule << ": " << m.error().message;
    ByteVars bv;
    uint32_t cursor = 0;
    EXPECT_EQ(m->apply(B(c.buf), cursor, bv), c.want) << c.rule;
    if (c.want) {
      EXPECT_EQ(bv.v[size_t(m->slot)], c.value) << c.rule;
    }
  }
}

// detect-bytemath-add-04, -05 and -div-01 chains over an IPv4 header.
TEST(ByteMathApply, VerifyChains) {
  // 45 00 00 3c ...: version/ihl 0x45, tos 0, total length 60, ttl 0x40 ...
  std::vector<uint8_t> ip = {0x45, 0x00, 0x00, 0x3c, 0x1c, 0x46, 0x40, 0x00, 0x40, 0x06, 0, 0};
  {
    VarTable vars;
    auto e = ByteExtract::parse(" 1, 0, extracted_val, relative", vars.resolver(), vars.definer());
    auto m = ByteMath::parse("bytes 1, offset 1, oper +, rvalue extracted_val, result var",
                             vars.resolver(), vars.definer());
    auto t1 = ByteTest::parse(" 2, <, var, 2", vars.resolver());
    auto t2 = ByteTest::parse(" 2, !=, var, 2", vars.resolver());
    auto t3 = ByteTest::parse(" 2, >, var, 11", vars.resolver());
    ASSERT_TRUE(e.ok() && m.ok() && t1.ok() && t2.ok() && t3.ok());
    ByteVars bv;
    uint32_t cursor = 0;
    ASSERT_TRUE(e->apply(B(ip), cursor, bv));
    EXPECT_EQ(cursor, 1u);
    ASSERT_TRUE(m->apply(B(ip), cursor, bv));
    EXPECT_EQ(bv.v[1], 0x45u);  // tos 0 + 0x45
    EXPECT_EQ(cursor, 2u);
    EXPECT_TRUE(t1->match(B(ip), cursor, bv));  // 0x003c < 0x45
    EXPECT_TRUE(t2->match(B(ip), cursor, bv));
    EXPECT_FALSE(t3->match(B(ip), cursor, bv));  // 2 bytes at 11 run past this 12-byte header
  }
  {
    // -05: bytes from a variable.
    VarTable vars;
    auto e = ByteExtract::parse("1,5,rpkt_len,relative", vars.resolver(), vars.definer());
    auto m = ByteMath::parse("bytes rpkt_len, offset 1, oper +, rvalue 102, result result_val",
                             vars.resolver(), vars.definer());
    ASSERT_TRUE(e.ok() && m.ok());
    std::vector<uint8_t> hdr = {0x45, 0x00, 0x00, 0x3c, 0x1c, 0x01, 0x40};
    ByteVars bv;
    uint32_t cursor = 0;
    ASSERT_TRUE(e->apply(B(hdr), cursor, bv));
    EXPECT_EQ(bv.v[0], 1u);
    ASSERT_TRUE(m->apply(B(hdr), cursor, bv));  // 1 byte at absolute offset 1 (tos 0) + 102
    EXPECT_EQ(bv.v[1], 102u);
  }
  {
    // div-01: dividing by an extracted zero is no match.
    VarTable vars;
    auto e = ByteExtract::parse(" 1, 2, extracted_val, relative", vars.resolver(), vars.definer());
    auto m = ByteMath::parse("bytes 1, offset 0, oper /, rvalue extracted_val, result var",
                             vars.resolver(), vars.definer());
    ASSERT_TRUE(e.ok() && m.ok());
    ByteVars bv;
    uint32_t cursor = 0;
    ASSERT_TRUE(e->apply(B(ip), cursor, bv));  // byte 2 is 0
    EXPECT_FALSE(m->apply(B(ip), cursor, bv));
  }
}

// ---- isdataat ------------------------------------------------------------

TEST(IsDataAtMatch, Table) {
  VarTable vars;
  auto def = vars.definer();
  ASSERT_TRUE(def("n").ok());
  struct Case {
    const char* rule;
    size_t size;
    uint32_t cursor;
    bool want;
  };
  const Case cases[] = {
      {"3", 3, 0, false}, {"3", 4, 0, true},   {"!3", 3, 0, true},
      {"1,relative", 3, 2, true},  // cursor + 1 <= size
      {"1,relative", 3, 3, false}, {"!1,relative", 3, 3, true},
      {"0,relative", 3, 3, true},  {"2,relative,rawbytes", 5, 3, true},
      {"n,relative", 5, 3, true},  // n = 2
  };
  for (const auto& c : cases) {
    auto d = IsDataAt::parse(c.rule, vars.resolver());
    ASSERT_TRUE(d.ok()) << c.rule << ": " << d.error().message;
    std::vector<uint8_t> buf(c.size, 0);
    ByteVars bv;
    bv.v[0] = 2;
    EXPECT_EQ(d->match(B(buf), c.cursor, bv), c.want) << c.rule;
  }
}

}  // namespace
}  // namespace pasban::detect::keywords
