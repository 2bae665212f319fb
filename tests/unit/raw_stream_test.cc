// RawStream: pending bytes, blocks split by gaps, rendering and the
// context tail kept across chunks.
#include "stream/raw_stream.h"

#include <gtest/gtest.h>

#include <string>

namespace pasban::stream {
namespace {

core::Bytes b(const char* s) { return core::as_bytes(std::string_view(s)); }

std::string block(const RawStream& r, size_t i) {
  core::Bytes d = r.data();
  const auto& bl = r.blocks()[i];
  return std::string(reinterpret_cast<const char*>(d.data()) + bl.begin, bl.end - bl.begin);
}

TEST(RawStream, AppendsJoinIntoOneBlock) {
  RawStream r;
  EXPECT_TRUE(r.empty());
  r.append(b("WIPE"));
  r.append(b("-DISK"));
  EXPECT_EQ(r.pending(), 9u);
  ASSERT_EQ(r.blocks().size(), 1u);
  EXPECT_EQ(block(r, 0), "WIPE-DISK");
}

TEST(RawStream, GapsSplitBlocksAndRenderAsMissing) {
  RawStream r;
  r.append(b("VERY"));
  r.gap(4);
  r.append(b("DATA"));
  ASSERT_EQ(r.blocks().size(), 2u);
  EXPECT_EQ(block(r, 0), "VERY");
  EXPECT_EQ(block(r, 1), "DATA");
  EXPECT_EQ(r.render(), "VERY[4 bytes missing]DATA");
  EXPECT_EQ(r.pending(), 8u);
}

TEST(RawStream, ConsumeKeepsTailOfLastBlock) {
  RawStream r;
  r.append(b("0123456789"));
  r.consume(3);
  EXPECT_TRUE(r.empty());
  EXPECT_EQ(r.inspected(), 3u);
  EXPECT_EQ(r.base_offset(), 7u);
  r.append(b("abc"));
  EXPECT_EQ(r.pending(), 3u);
  ASSERT_EQ(r.blocks().size(), 1u);
  EXPECT_EQ(block(r, 0), "789abc");
}

TEST(RawStream, ConsumeAfterGapKeepsNothing) {
  RawStream r;
  r.append(b("abc"));
  r.gap(10);
  r.consume(256);
  EXPECT_EQ(r.data().size(), 0u);
  EXPECT_EQ(r.base_offset(), 13u);
  r.append(b("x"));
  ASSERT_EQ(r.blocks().size(), 1u);
  EXPECT_EQ(r.render(), "x");
}

TEST(RawStream, ConsumeClearsTriggerAndPacketMatches) {
  RawStream r;
  r.append(b("abc"));
  r.trigger = true;
  r.packet_matched.push_back(4);
  r.consume(0);
  EXPECT_FALSE(r.trigger);
  EXPECT_TRUE(r.packet_matched.empty());
}

}  // namespace
}  // namespace pasban::stream
