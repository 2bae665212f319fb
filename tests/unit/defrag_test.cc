// Defragmentation tests: the overlap policies on the Sturges/Novak
// fragment pattern ("Target-Based Fragmentation Reassembly"), then the
// Defragmenter on decoded IPv4/IPv6 fragments: rebuilt headers, events,
// timeouts, memcap and max-frags, tracker keys, policy lookup.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "core/counters.h"
#include "decode/decoder.h"
#include "decode/packet.h"
#include "defrag/address_table.h"
#include "defrag/defrag.h"
#include "defrag/fragment_list.h"
#include "defrag/policy.h"

namespace pasban::defrag {
namespace {

using Buf = std::vector<uint8_t>;

// ------------------------------------------------------- policy pattern

struct Piece {
  uint32_t offset;
  uint32_t len;
  char fill;
  bool more;
};

// The 17 fragments of the paper's test, in arrival order: nine originals,
// then eight overlapping ones, the last closing the datagram.
const std::vector<Piece>& novak_pieces() {
  static const std::vector<Piece> pieces = {
      {0, 24, 'A', true},   {32, 16, 'B', true},  {48, 24, 'C', true},  {80, 8, 'D', true},
      {104, 16, 'E', true}, {120, 24, 'F', true}, {144, 16, 'G', true}, {160, 16, 'H', true},
      {176, 8, 'I', true},  {8, 32, 'J', true},   {48, 24, 'K', true},  {72, 24, 'L', true},
      {96, 24, 'M', true},  {128, 8, 'N', true},  {152, 8, 'O', true},  {160, 8, 'P', true},
      {176, 16, 'Q', false},
  };
  return pieces;
}

// One letter per 8-byte block.
std::string blocks(const Buf& data) {
  std::string out;
  for (size_t i = 0; i < data.size(); i += 8) out.push_back(char(data[i]));
  return out;
}

std::string run_novak(Policy policy, int* overlaps = nullptr) {
  FragmentList list;
  int n = 0;
  const auto& pieces = novak_pieces();
  for (size_t i = 0; i < pieces.size(); ++i) {
    const Piece& pc = pieces[i];
    Buf data(pc.len, uint8_t(pc.fill));
    InsertResult r = list.insert(policy, pc.offset, pc.more, core::Bytes(data.data(), data.size()));
    if (r.overlap) ++n;
    // Only the closing fragment completes the datagram.
    EXPECT_EQ(list.complete(), i + 1 == pieces.size()) << "after piece " << i;
  }
  if (overlaps) *overlaps = n;
  Buf out;
  if (!list.reassemble(out)) return "no first fragment";
  EXPECT_EQ(out.size(), 192u);
  return blocks(out);
}

TEST(DefragPolicy, NovakBsd) {
  int overlaps = 0;
  EXPECT_EQ(run_novak(Policy::kBsd, &overlaps), "AAAJJBCCCLLLMMMFFFGGHHIQ");
  EXPECT_GT(overlaps, 0);
}
TEST(DefragPolicy, NovakLinux) {
  EXPECT_EQ(run_novak(Policy::kLinux), "AAAJJBKKKLLLMMMFFFGGPHQQ");
}
TEST(DefragPolicy, NovakWindows) {
  EXPECT_EQ(run_novak(Policy::kWindows), "AAAJBBCCCLLLMEEFFFGGHHIQ");
}
TEST(DefragPolicy, NovakSolaris) {
  EXPECT_EQ(run_novak(Policy::kSolaris), "AAAJBBCCCLLLMMMFFFGGHHIQ");
}
TEST(DefragPolicy, NovakFirst) {
  EXPECT_EQ(run_novak(Policy::kFirst), "AAAJBBCCCLDLMEEFFFGGHHIQ");
}
TEST(DefragPolicy, NovakLast) {
  EXPECT_EQ(run_novak(Policy::kLast), "AJJJJBKKKLLLMMMFNFGOPHQQ");
}

// bsd-right trims nothing: copies in offset order, so at equal offsets the
// later arrival and elsewhere the higher offset wins.
TEST(DefragPolicy, BsdRightHigherOffsetWins) {
  FragmentList list;
  Buf a(16, 'A'), b(16, 'B');
  list.insert(Policy::kBsdRight, 0, true, core::Bytes(a.data(), a.size()));
  InsertResult r = list.insert(Policy::kBsdRight, 8, false, core::Bytes(b.data(), b.size()));
  EXPECT_TRUE(r.overlap);
  ASSERT_TRUE(list.complete());
  Buf out;
  ASSERT_TRUE(list.reassemble(out));
  EXPECT_EQ(blocks(out), "ABB");
}

// A fragment entirely inside held data is dropped by first/bsd/windows
// but replaces it under last.
TEST(DefragPolicy, DuplicateFragment) {
  for (Policy p : {Policy::kBsd, Policy::kWindows, Policy::kFirst, Policy::kLast,
                   Policy::kLinux, Policy::kSolaris}) {
    FragmentList list;
    Buf a(8, 'A'), x(8, 'X'), c(8, 'C');
    list.insert(p, 0, true, core::Bytes(a.data(), a.size()));
    InsertResult r = list.insert(p, 0, true, core::Bytes(x.data(), x.size()));
    EXPECT_TRUE(r.overlap) << policy_name(p);
    list.insert(p, 8, false, core::Bytes(c.data(), c.size()));
    ASSERT_TRUE(list.complete()) << policy_name(p);
    Buf out;
    ASSERT_TRUE(list.reassemble(out));
    const bool new_wins = p == Policy::kLast || p == Policy::kLinux;
    EXPECT_EQ(blocks(out), new_wins ? "XC" : "AC") << policy_name(p);
  }
}

TEST(DefragPolicy, HolesAndZeroLength) {
  FragmentList list;
  Buf a(8, 'A'), c(8, 'C');
  list.insert(Policy::kBsd, 16, false, core::Bytes(c.data(), c.size()));
  list.insert(Policy::kBsd, 0, true, core::Bytes(a.data(), a.size()));
  EXPECT_FALSE(list.complete());  // 8..16 missing
  // An empty last fragment is never stored (it carries nothing).
  FragmentList empty;
  InsertResult r = empty.insert(Policy::kBsd, 8, false, core::Bytes());
  EXPECT_FALSE(r.stored);
  EXPECT_TRUE(empty.empty());
}

TEST(DefragPolicy, OsNames) {
  EXPECT_EQ(policy_from_os_name("hpux10"), Policy::kBsd);
  EXPECT_EQ(policy_from_os_name("old_linux"), Policy::kLinux);
  EXPECT_EQ(policy_from_os_name("macos"), Policy::kFirst);
  EXPECT_EQ(policy_from_os_name("windows2k3"), Policy::kWindows);
  EXPECT_EQ(policy_from_os_name("bsd-right"), Policy::kBsdRight);
  EXPECT_FALSE(policy_from_os_name("plan9").has_value());
}

TEST(DefragAddressTable, LongestPrefixWins) {
  AddressTable<Policy> t;
  ASSERT_TRUE(t.add("0.0.0.0/0", Policy::kWindows).ok());
  ASSERT_TRUE(t.add("10.0.0.0/8", Policy::kLinux).ok());
  ASSERT_TRUE(t.add("10.1.2.3", Policy::kFirst).ok());
  ASSERT_TRUE(t.add("2001:db8::/32", Policy::kSolaris).ok());
  EXPECT_FALSE(t.add("10.0.0.0/33", Policy::kBsd).ok());
  EXPECT_FALSE(t.add("nonsense", Policy::kBsd).ok());
  EXPECT_EQ(*t.lookup(*core::IpAddress::parse("192.0.2.1")), Policy::kWindows);
  EXPECT_EQ(*t.lookup(*core::IpAddress::parse("10.9.9.9")), Policy::kLinux);
  EXPECT_EQ(*t.lookup(*core::IpAddress::parse("10.1.2.3")), Policy::kFirst);
  EXPECT_EQ(*t.lookup(*core::IpAddress::parse("2001:db8::5")), Policy::kSolaris);
  // 0.0.0.0/0 is IPv4 only.
  EXPECT_EQ(t.lookup(*core::IpAddress::parse("2001:db9::1")), nullptr);
}

}  // namespace
}  // namespace pasban::defrag
