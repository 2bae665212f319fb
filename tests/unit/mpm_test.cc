// Multi-pattern matching: literal sets, merged duplicates (several caller
// ids per literal), nocase, binary bytes, one report per literal per scan,
// and the empty database.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "mpm/mpm.h"

namespace pasban::mpm {
namespace {

std::shared_ptr<Database> compile(const std::vector<Pattern>& patterns, const std::vector<uint32_t>& ids) {
  auto db = Database::compile(patterns, ids);
  EXPECT_TRUE(db.ok()) << (db.ok() ? "" : db.error().message);
  return db.ok() ? *db : nullptr;
}

// Every caller id reported for data, with how often each was reported.
std::multiset<uint32_t> scan_all(const Database& db, Scratch& s, std::string_view data) {
  std::multiset<uint32_t> out;
  scan(db, s, core::as_bytes(data), [&](uint32_t id) { out.insert(id); });
  return out;
}

using Ids = std::multiset<uint32_t>;

TEST(Mpm, SeveralLiterals) {
  auto db = compile({{"abc"}, {"def"}, {"xyz"}}, {10, 20, 30});
  ASSERT_TRUE(db);
  EXPECT_FALSE(db->empty());
  EXPECT_EQ(db->literal_count(), 3u);
  Scratch s;
  ASSERT_TRUE(s.prepare(*db).ok());
  EXPECT_EQ(scan_all(*db, s, "xxabcxxdefxx"), (Ids{10, 20}));
  EXPECT_EQ(scan_all(*db, s, "xyz"), (Ids{30}));
  EXPECT_EQ(scan_all(*db, s, "ab cd ef"), Ids{});
  EXPECT_EQ(scan_all(*db, s, ""), Ids{});
}

TEST(Mpm, EachLiteralReportedOncePerScan) {
  auto db = compile({{"ab"}}, {7});
  Scratch s;
  ASSERT_TRUE(s.prepare(*db).ok());
  EXPECT_EQ(scan_all(*db, s, "ababababab"), (Ids{7}));
}

TEST(Mpm, OverlappingLiterals) {
  auto db = compile({{"ab"}, {"bc"}, {"abc"}, {"c"}}, {1, 2, 3, 4});
  Scratch s;
  ASSERT_TRUE(s.prepare(*db).ok());
  EXPECT_EQ(scan_all(*db, s, "abc"), (Ids{1, 2, 3, 4}));
  EXPECT_EQ(scan_all(*db, s, "ab"), (Ids{1}));
}

TEST(Mpm, DuplicatesAreMergedWithAllTheirIds) {
  auto db = compile({{"abc"}, {"xyz"}, {"abc"}, {"abc"}}, {1, 2, 3, 4});
  ASSERT_TRUE(db);
  EXPECT_EQ(db->literal_count(), 2u);
  Scratch s;
  ASSERT_TRUE(s.prepare(*db).ok());
  EXPECT_EQ(scan_all(*db, s, "--abc--"), (Ids{1, 3, 4}));
  // ids_of gives the caller ids of one literal.
  bool found = false;
  for (uint32_t l = 0; l < db->literal_count(); ++l)
    if (db->ids_of(l).size() == 3) {
      EXPECT_EQ(db->ids_of(l), (std::vector<uint32_t>{1, 3, 4}));
      found = true;
    }
  EXPECT_TRUE(found);
}

TEST(Mpm, NocaseAndCaseSensitiveAreDistinctLiterals) {
  auto db = compile({{"abc", true}, {"abc", false}, {"ABC", false}}, {1, 2, 3});
  ASSERT_TRUE(db);
  EXPECT_EQ(db->literal_count(), 3u);
  Scratch s;
  ASSERT_TRUE(s.prepare(*db).ok());
  EXPECT_EQ(scan_all(*db, s, "xaBcx"), (Ids{1}));
  EXPECT_EQ(scan_all(*db, s, "abc"), (Ids{1, 2}));
  EXPECT_EQ(scan_all(*db, s, "ABC"), (Ids{1, 3}));
}

TEST(Mpm, NocaseFoldsOnlyLetters) {
  auto db = compile({{"a[", true}}, {1});
  Scratch s;
  ASSERT_TRUE(s.prepare(*db).ok());
  EXPECT_EQ(scan_all(*db, s, "A["), (Ids{1}));
  EXPECT_EQ(scan_all(*db, s, "A{"), Ids{});
}

TEST(Mpm, BinaryBytesIncludingNul) {
  const std::string inner_nul("a\x00\xff\x00", 4);
  auto db = compile({{inner_nul}, {"\xff\xfe"}, {"\x80\x81"}}, {1, 2, 3});
  ASSERT_TRUE(db);
  Scratch s;
  ASSERT_TRUE(s.prepare(*db).ok());
  EXPECT_EQ(scan_all(*db, s, std::string("xa\x00\xff\x00" "cd", 7)), (Ids{1}));
  EXPECT_EQ(scan_all(*db, s, std::string("a\x00\xff\xfe", 4)), (Ids{2}));
  EXPECT_EQ(scan_all(*db, s, "\x7f\x80\x81\x82"), (Ids{3}));
  EXPECT_EQ(scan_all(*db, s, std::string("a\x00\xff", 3)), Ids{});
}

TEST(Mpm, LeadingNulIsRejected) {
  // Vectorscan's literal API refuses a literal that starts with NUL; the
  // rule-set builder strips leading NULs before it gets here.
  auto db = Database::compile({{std::string("\x00\xff", 2)}}, {1});
  ASSERT_FALSE(db.ok());
  EXPECT_NE(db.error().message.find("vectorscan compile failed"), std::string::npos);
}

TEST(Mpm, EmptyDatabase) {
  auto db = compile({}, {});
  ASSERT_TRUE(db);
  EXPECT_TRUE(db->empty());
  EXPECT_EQ(db->literal_count(), 0u);
  Scratch s;
  EXPECT_TRUE(s.prepare(*db).ok());
  int calls = 0;
  scan(*db, s, core::as_bytes("anything"), [&](uint32_t) { ++calls; });
  EXPECT_EQ(calls, 0);
}

TEST(Mpm, OneScratchServesSeveralDatabases) {
  auto small = compile({{"a"}}, {1});
  std::vector<Pattern> many;
  std::vector<uint32_t> ids;
  for (uint32_t i = 0; i < 500; ++i) {
    many.push_back({"pattern-" + std::to_string(i)});
    ids.push_back(i);
  }
  auto big = compile(many, ids);
  ASSERT_TRUE(small && big);
  Scratch s;
  ASSERT_TRUE(s.prepare(*small).ok());
  ASSERT_TRUE(s.prepare(*big).ok());
  EXPECT_EQ(scan_all(*small, s, "xax"), (Ids{1}));
  // "pattern-4" and "pattern-49" are inside "pattern-499".
  EXPECT_EQ(scan_all(*big, s, "..pattern-499..pattern-7"), (Ids{4, 7, 49, 499}));
  EXPECT_EQ(scan_all(*big, s, "pattern-499"), (Ids{4, 49, 499}));
}

}  // namespace
}  // namespace pasban::mpm
