// SipParser and the SIP wire functions: UDP datagrams, TCP messages split
// at every point and coalesced, compact header names, multi-value headers,
// responses, the EVE object, malformed input and the probe.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "app/sip/sip_message.h"
#include "app/sip/sip_parser.h"
#include "app/sip/sip_sdp.h"
#include "parser_feed.h"

namespace pasban::app::sip {
namespace {

using test_util::tx_json;

const std::string kInvite =
    "INVITE sip:bob@biloxi.example SIP/2.0\r\n"
    "v: SIP/2.0/UDP pc33.atlanta.example;branch=z9hG4bK776asdhds\r\n"
    "Via: SIP/2.0/UDP proxy.atlanta.example;branch=z9hG4bK1\r\n"
    "f: Alice <sip:alice@atlanta.example>;tag=1928301774\r\n"
    "t: Bob <sip:bob@biloxi.example>\r\n"
    "To: <sip:12345@biloxi.example>\r\n"
    "i: a84b4c76e66710\r\n"
    "User-Agent: Phone\r\n"
    " 1.0\r\n"
    "c: application/sdp\r\n"
    "l: 9\r\n"
    "\r\n"
    "v=0\r\no=\r\n";

const std::string kOk =
    "SIP/2.0 200 OK\r\n"
    "From: Alice <sip:alice@atlanta.example>;tag=1928301774\r\n"
    "Content-Length: 4\r\n"
    "\r\n"
    "abcd";

std::string buf(const Transaction& tx, AppBuffer b, uint32_t index = 0) {
  core::Bytes out;
  if (!tx.buffer(b, index, out)) return "<none>";
  return std::string(core::as_chars(out));
}

// The EVE objects of every transaction after feeding `steps` (to_server,
// bytes) to a TCP parser, each step cut at `split` or into `chunk`-byte
// pieces.
std::vector<std::string> run_tcp(const std::vector<std::pair<bool, std::string>>& steps,
                                 size_t chunk = 0, size_t split = 0) {
  SipParser p(true);
  for (const auto& [to_server, bytes] : steps) test_util::feed_pieces(p, to_server, bytes, chunk, split);
  std::vector<std::string> out;
  for (size_t i = 0; i < p.tx_count(); ++i) {
    const auto* tx = static_cast<const SipTx*>(p.tx(i));
    out.push_back(tx_json(*tx) + "|" + tx->message.body);
  }
  return out;
}

TEST(SipParser, UdpRequestWithCompactHeaders) {
  SipParser p(false);
  p.feed(true, core::as_bytes(kInvite), {});
  ASSERT_EQ(p.tx_count(), 1u);
  const auto& tx = *static_cast<const SipTx*>(p.tx(0));
  EXPECT_TRUE(tx.complete(true));
  EXPECT_TRUE(tx.complete(false));
  EXPECT_EQ(buf(tx, AppBuffer::kSipMethod), "INVITE");
  EXPECT_EQ(buf(tx, AppBuffer::kSipUri), "sip:bob@biloxi.example");
  EXPECT_EQ(buf(tx, AppBuffer::kSipProtocol), "SIP/2.0");
  EXPECT_EQ(buf(tx, AppBuffer::kSipRequestLine), "INVITE sip:bob@biloxi.example SIP/2.0");
  EXPECT_EQ(buf(tx, AppBuffer::kSipFrom), "Alice <sip:alice@atlanta.example>;tag=1928301774");
  EXPECT_EQ(buf(tx, AppBuffer::kSipContentType), "application/sdp");
  EXPECT_EQ(buf(tx, AppBuffer::kSipContentLength), "9");
  // Folded header lines are joined.
  EXPECT_EQ(buf(tx, AppBuffer::kSipUserAgent), "Phone 1.0");
  // "v:" and "Via:" (and "t:" and "To:") are values of one buffer.
  EXPECT_EQ(buf(tx, AppBuffer::kSipVia, 0), "SIP/2.0/UDP pc33.atlanta.example;branch=z9hG4bK776asdhds");
  EXPECT_EQ(buf(tx, AppBuffer::kSipVia, 1), "SIP/2.0/UDP proxy.atlanta.example;branch=z9hG4bK1");
  EXPECT_EQ(buf(tx, AppBuffer::kSipVia, 2), "<none>");
  EXPECT_EQ(buf(tx, AppBuffer::kSipTo, 0), "Bob <sip:bob@biloxi.example>");
  EXPECT_EQ(buf(tx, AppBuffer::kSipTo, 1), "<sip:12345@biloxi.example>");
  // Response-only buffers are absent on a request.
  EXPECT_EQ(buf(tx, AppBuffer::kSipStatCode), "<none>");
  EXPECT_EQ(buf(tx, AppBuffer::kSipResponseLine), "<none>");
  EXPECT_EQ(tx.message.body, "v=0\r\no=\r\n");  // UDP: the rest of the datagram
  EXPECT_EQ(tx_json(tx),
            "{\"sip\":{\"method\":\"INVITE\",\"uri\":\"sip:bob@biloxi.example\","
            "\"version\":\"SIP/2.0\",\"request_line\":\"INVITE sip:bob@biloxi.example SIP/2.0\"}}");
}

TEST(SipParser, UdpResponse) {
  SipParser p(false);
  p.feed(false, core::as_bytes(kOk), {});
  ASSERT_EQ(p.tx_count(), 1u);
  const auto& tx = *p.tx(0);
  EXPECT_EQ(buf(tx, AppBuffer::kSipStatCode), "200");
  EXPECT_EQ(buf(tx, AppBuffer::kSipStatMsg), "OK");
  EXPECT_EQ(buf(tx, AppBuffer::kSipResponseLine), "SIP/2.0 200 OK");
  EXPECT_EQ(buf(tx, AppBuffer::kSipProtocol), "SIP/2.0");
  EXPECT_EQ(buf(tx, AppBuffer::kSipMethod), "<none>");
  EXPECT_EQ(buf(tx, AppBuffer::kSipFrom), "Alice <sip:alice@atlanta.example>;tag=1928301774");
  EXPECT_EQ(tx_json(tx),
            "{\"sip\":{\"version\":\"SIP/2.0\",\"code\":\"200\",\"reason\":\"OK\","
            "\"response_line\":\"SIP/2.0 200 OK\"}}");
}

TEST(SipParser, UdpKeepAliveAndGarbage) {
  SipParser p(false);
  p.feed(true, core::as_bytes(std::string("\r\n\r\n")), {});
  EXPECT_EQ(p.tx_count(), 0u);
  EXPECT_TRUE(p.events.empty());
  p.feed(true, core::as_bytes(kInvite), {});
  p.feed(true, core::as_bytes(std::string("HELLO there\r\n\r\n")), {});
  ASSERT_EQ(p.tx_count(), 1u);
  ASSERT_EQ(p.events.size(), 1u);
  EXPECT_EQ(p.events[0], kEventInvalidData);
  // Headers without their empty line: incomplete.
  p.feed(true, core::as_bytes(std::string("OPTIONS sip:x SIP/2.0\r\nVia: a\r\n")), {});
  ASSERT_EQ(p.events.size(), 2u);
  EXPECT_EQ(p.events[1], kEventIncompleteData);
  EXPECT_EQ(static_cast<const SipTx*>(p.tx(0))->events.size(), 2u);
}

TEST(SipParser, TcpSplitAnywhereGivesTheSameTransactions) {
  const std::vector<std::pair<bool, std::string>> steps = {
      {true, "\r\n" + kInvite}, {false, kOk + kOk}, {true, kInvite}};
  const std::vector<std::string> whole = run_tcp(steps);
  ASSERT_EQ(whole.size(), 4u);
  EXPECT_EQ(whole[1].substr(whole[1].find('|') + 1), "abcd");
  EXPECT_EQ(whole[0].substr(whole[0].find('|') + 1), "v=0\r\no=\r\n");
  for (size_t split = 1; split < kInvite.size() + kOk.size() * 2; ++split)
    EXPECT_EQ(run_tcp(steps, 0, split), whole) << "split at " << split;
  EXPECT_EQ(run_tcp(steps, 1), whole);
  EXPECT_EQ(run_tcp(steps, 7), whole);
}

TEST(SipParser, TcpCoalescedMessagesInOneSegment) {
  const std::string both = kInvite + kInvite + "\r\n" + kInvite;
  const auto txs = run_tcp({{true, both}});
  EXPECT_EQ(txs.size(), 3u);
}

TEST(SipParser, TcpBodyWaitsForContentLength) {
  SipParser p(true);
  const std::string head = "SIP/2.0 180 Ringing\r\nContent-Length: 10\r\n\r\n";
  p.feed(false, core::as_bytes(head + "12345"), {});
  EXPECT_EQ(p.tx_count(), 0u);
  p.feed(false, core::as_bytes(std::string("67890SIP/2.0 100 Trying\r\n\r\n")), {});
  ASSERT_EQ(p.tx_count(), 2u);
  EXPECT_EQ(static_cast<const SipTx*>(p.tx(0))->message.body, "1234567890");
  EXPECT_EQ(buf(*p.tx(1), AppBuffer::kSipStatMsg), "Trying");
}

TEST(SipParser, TcpInvalidStartLineLosesTheDirection) {
  SipParser p(true);
  p.feed(true, core::as_bytes(kInvite), {});
  p.feed(true, core::as_bytes(std::string("GET / HTTP/1.1\r\n")), {});
  EXPECT_TRUE(p.lost(true));
  p.feed(true, core::as_bytes(kInvite), {});
  EXPECT_EQ(p.tx_count(), 1u);
  ASSERT_FALSE(p.events.empty());
  EXPECT_EQ(p.events[0], kEventInvalidData);
  // The other direction carries on.
  p.feed(false, core::as_bytes(kOk), {});
  EXPECT_EQ(p.tx_count(), 2u);
}

TEST(SipParser, RequestsOnlyToServerResponsesOnlyToClient) {
  SipParser udp(false);
  udp.feed(true, core::as_bytes(kInvite), {});
  udp.feed(false, core::as_bytes(kInvite), {});  // a request from the responder
  udp.feed(true, core::as_bytes(kOk), {});       // a response from the initiator
  udp.feed(false, core::as_bytes(kOk), {});
  EXPECT_EQ(udp.tx_count(), 2u);
  EXPECT_EQ(udp.events.size(), 2u);
  SipParser tcp(true);
  tcp.feed(false, core::as_bytes(kInvite), {});
  EXPECT_TRUE(tcp.lost(false));
  EXPECT_EQ(tcp.tx_count(), 0u);
}

TEST(SipParser, TcpHeaderSectionIsBounded) {
  SipParser p(true);
  std::string flood = "INVITE sip:a SIP/2.0\r\n";
  for (size_t i = 0; flood.size() < kMaxHeaderBytes * 2; ++i) flood += "X-Pad: aaaaaaaaaaaaaaaa\r\n";
  for (size_t off = 0; off < flood.size(); off += 1000)
    p.feed(true, core::as_bytes(std::string_view(flood).substr(off, 1000)), {});
  EXPECT_TRUE(p.lost(true));
  EXPECT_EQ(p.tx_count(), 0u);
}

TEST(SipParser, TcpBodyKeptIsBounded) {
  SipParser p(true);
  const size_t len = kMaxBodyKept * 3;
  p.feed(true, core::as_bytes("MESSAGE sip:a SIP/2.0\r\nl: " + std::to_string(len) + "\r\n\r\n"), {});
  const std::string chunk(4096, 'x');
  for (size_t sent = 0; sent < len; sent += chunk.size()) p.feed(true, core::as_bytes(chunk), {});
  p.feed(true, core::as_bytes(kInvite), {});
  ASSERT_EQ(p.tx_count(), 2u);
  EXPECT_EQ(static_cast<const SipTx*>(p.tx(0))->message.body.size(), kMaxBodyKept);
  EXPECT_EQ(buf(*p.tx(1), AppBuffer::kSipMethod), "INVITE");
}

TEST(SipParser, GapAndClose) {
  SipParser p(true);
  p.feed(true, core::as_bytes(kInvite.substr(0, 20)), {});
  p.on_gap(true);
  p.feed(true, core::as_bytes(kInvite), {});
  EXPECT_EQ(p.tx_count(), 0u);
  p.feed(false, core::as_bytes(kOk), {});
  p.feed(false, core::as_bytes(kOk.substr(0, 10)), {});
  p.on_close();
  ASSERT_EQ(p.tx_count(), 1u);
  ASSERT_EQ(p.events.size(), 1u);
  EXPECT_EQ(p.events[0], kEventIncompleteData);
}

TEST(SipParser, TransactionsAreBoundedAndTrimmed) {
  SipParser p(false);
  for (size_t i = 0; i < SipParser::kMaxTransactions + 5; ++i) p.feed(true, core::as_bytes(kInvite), {});
  EXPECT_EQ(p.tx_count(), SipParser::kMaxTransactions);
  EXPECT_EQ(p.dropped_transactions(), 5u);
  for (size_t i = 0; i < p.tx_count(); ++i) p.tx(i)->logged = true;
  p.trim();
  EXPECT_EQ(p.tx_count(), 0u);
}

TEST(SipWire, MalformedStartLinesAndHeaders) {
  const char* bad[] = {
      "INVITE  sip:a SIP/2.0\r\n\r\n",          // two spaces
      "INVITE sip:a HTTP/1.1\r\n\r\n",          // not SIP
      "INVITE sip:a SIP/x\r\n\r\n",             // bad version
      "SIP/2.0 20 OK\r\n\r\n",                  // short code
      "SIP/2.0 2x0 OK\r\n\r\n",                 // not digits
      "INVITE sip:a SIP/2.0\r\nNoColon\r\n\r\n",  // header without ':'
      " folded\r\n\r\n",
  };
  for (const char* s : bad) {
    SipMessage m;
    EXPECT_EQ(parse_head(s, m), HeadStatus::kInvalid) << s;
  }
  SipMessage m;
  EXPECT_EQ(parse_head("SIP/2.0 100\r\n\r\n", m), HeadStatus::kOk);
  EXPECT_EQ(m.reason, "");
  SipMessage lf;
  EXPECT_EQ(parse_head("ACK sip:a SIP/2.0\nVia : x\n\n", lf), HeadStatus::kOk);
  EXPECT_EQ(*lf.header("via", 0), "x");
  EXPECT_EQ(find_head_end("A\r\nB\r\n\r\nrest"), 8u);
  EXPECT_EQ(find_head_end("A\nB\n\nrest"), 5u);
  EXPECT_EQ(find_head_end("A\r\nB\r\n"), std::string_view::npos);
  EXPECT_EQ(expand_compact_name("v"), "Via");
  EXPECT_EQ(expand_compact_name("L"), "Content-Length");
  EXPECT_EQ(expand_compact_name("X-Foo"), "X-Foo");
  SipMessage cl;
  parse_head("ACK sip:a SIP/2.0\r\nl: 12x\r\n\r\n", cl);
  EXPECT_EQ(content_length(cl), -2);
}

TEST(SipSdp, BodyIsLoggedAsSdp) {
  const std::string sdp =
      "v=0\r\no=alice 1 2 IN IP4 192.0.2.1\r\ns=call\r\ni=info\r\nc=IN IP4 192.0.2.1\r\n"
      "b=AS:64\r\nt=0 0\r\nr=604800 3600 0 90000\r\nz=2882844526 -1h\r\nk=prompt\r\na=sendrecv\r\n"
      "m=audio 49170 RTP/AVP 0 8\r\na=rtpmap:0 PCMU/8000\r\nm=video 51372 RTP/AVP 31\r\n";
  SipParser p(false);
  p.feed(true, core::as_bytes("INVITE sip:b@x SIP/2.0\r\nc: application/sdp\r\n\r\n" + sdp), {});
  ASSERT_EQ(p.tx_count(), 1u);
  EXPECT_EQ(tx_json(*p.tx(0)),
            "{\"sip\":{\"method\":\"INVITE\",\"uri\":\"sip:b@x\",\"version\":\"SIP/2.0\","
            "\"request_line\":\"INVITE sip:b@x SIP/2.0\",\"sdp\":{\"version\":0,"
            "\"origin\":\"alice 1 2 IN IP4 192.0.2.1\",\"session_name\":\"call\",\"session_info\":\"info\","
            "\"connection_data\":\"IN IP4 192.0.2.1\",\"bandwidths\":[\"AS:64\"],"
            "\"time_descriptions\":[{\"time\":\"0 0\",\"repeat_time\":\"604800 3600 0 90000\"}],"
            "\"timezone\":\"2882844526 -1h\",\"encryption_key\":\"prompt\",\"attributes\":[\"sendrecv\"],"
            "\"media_descriptions\":[{\"media\":\"audio 49170 RTP/AVP 0 8\",\"attributes\":[\"rtpmap:0 PCMU/8000\"]},"
            "{\"media\":\"video 51372 RTP/AVP 31\"}]}}}");
  // Not a session description: no sdp object.
  EXPECT_FALSE(parse_sdp("o=x\r\nv=0\r\ns=y\r\n"));
  EXPECT_FALSE(parse_sdp("v=0\r\no=x\r\n"));
  EXPECT_FALSE(parse_sdp("v=0\r\no=x\r\ns=y\r\nQ=1\r\n"));
  EXPECT_FALSE(parse_sdp("v=x\r\no=x\r\ns=y\r\n"));
  EXPECT_FALSE(parse_sdp("v=0\r\no=x\r\ns=y\r\nr=1\r\n"));  // repeat before any time
  std::string many = "v=0\r\no=x\r\ns=y\r\n";
  for (int i = 0; i < 200; ++i) many += "a=x\r\n";
  ASSERT_TRUE(parse_sdp(many));
  EXPECT_EQ(parse_sdp(many)->attributes.size(), kMaxSdpItems);
}

TEST(SipWire, Probe) {
  auto probe = [](std::string_view s, bool tcp) {
    return tcp ? sip_probe_tcp(core::as_bytes(s), true) : sip_probe_udp(core::as_bytes(s), true);
  };
  EXPECT_EQ(probe("REGISTER sip:x SIP/2.0\r\n", false), 1);
  EXPECT_EQ(probe("SIP/2.0 200 OK\r\n", false), 1);
  EXPECT_EQ(probe("\r\n\r\n", false), 0);
  EXPECT_EQ(probe("GET / HTTP/1.1\r\n", false), -1);
  EXPECT_EQ(probe("REGISTER sip:x", false), -1);  // a datagram is whole
  EXPECT_EQ(probe("REGISTER sip:x", true), 0);
  EXPECT_EQ(probe("REGIS", true), 0);
  EXPECT_EQ(probe("SIP/2", true), 0);
  EXPECT_EQ(probe("\x16\x03\x01", true), -1);
}

}  // namespace
}  // namespace pasban::app::sip
