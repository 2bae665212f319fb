// EVE anomaly records: naming and classification of decode / stream /
// app-layer events, the per-type options, the record layout (header,
// anomaly object, packethdr, flowbits metadata), TCP timestamp (PAWS)
// validation behind stream.pkt_invalid_timestamp, and the detect-only
// signatures used for protocol-mismatch detection.
#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "app/detect_only.h"
#include "decode/packet.h"
#include "flow/flow.h"
#include "output/eve.h"
#include "output/eve_anomaly.h"
#include "stream/tcp_reassembly.h"
#include "stream/tcp_timestamps.h"

namespace pasban {
namespace {

namespace fs = std::filesystem;
using output::Anomaly;
using output::AnomalyType;

class TempDir {
 public:
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "pasban-anomaly-XXXXXX").string();
    path_ = mkdtemp(tmpl.data());
  }
  ~TempDir() { fs::remove_all(path_); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

std::vector<rapidjson::Document> records(const std::string& path) {
  std::ifstream in(path);
  std::vector<rapidjson::Document> out;
  for (std::string line; std::getline(in, line);) {
    out.emplace_back();
    out.back().Parse(line.c_str());
    EXPECT_FALSE(out.back().HasParseError()) << line;
  }
  return out;
}

TEST(AnomalyClassify, StreamEventsKeepTheirPrefixedName) {
  Anomaly a = output::classify_flow_event("stream.pkt_invalid_timestamp", "http");
  EXPECT_EQ(a.type, AnomalyType::kStream);
  EXPECT_EQ(a.event, "stream.pkt_invalid_timestamp");
}

TEST(AnomalyClassify, CParsedProtocolsUseUpperCaseNames) {
  Anomaly a = output::classify_flow_event("http.unable_to_match_response_to_request", "http");
  EXPECT_EQ(a.type, AnomalyType::kAppLayer);
  EXPECT_EQ(a.event, "UNABLE_TO_MATCH_RESPONSE_TO_REQUEST");
  EXPECT_EQ(a.app_proto, "http");
  EXPECT_EQ(a.layer, "proto_parser");
  EXPECT_EQ(output::classify_flow_event("smtp.mime_long_filename", "smtp").event,
            "MIME_LONG_FILENAME");
  EXPECT_EQ(output::classify_flow_event("tls.invalid_record_type", "tls").event,
            "INVALID_RECORD_TYPE");
}

TEST(AnomalyClassify, RustParsedProtocolsKeepLowerCaseNames) {
  Anomaly a = output::classify_flow_event("smb.too_many_transactions", "smb");
  EXPECT_EQ(a.event, "too_many_transactions");
  EXPECT_EQ(a.app_proto, "smb");
  EXPECT_EQ(output::classify_flow_event("dns.malformed_data", "dns").event, "malformed_data");
}

TEST(AnomalyClassify, DetectionEventsAreProtoDetectLayer) {
  Anomaly a = output::classify_flow_event("applayer_mismatch_protocol_both_directions", "http");
  EXPECT_EQ(a.type, AnomalyType::kAppLayer);
  EXPECT_EQ(a.event, "APPLAYER_MISMATCH_PROTOCOL_BOTH_DIRECTIONS");
  EXPECT_EQ(a.layer, "proto_detect");
  EXPECT_EQ(a.app_proto, "http");
}

TEST(AnomalyClassify, DecodeEventsArePrefixedAndTypedByIpLayer) {
  Anomaly a = output::decode_anomaly("icmpv4.unknown_type", true);
  EXPECT_EQ(a.event, "decoder.icmpv4.unknown_type");
  EXPECT_FALSE(a.no_ip_layer);
  // The IPv4 header was recognised before the length check failed.
  EXPECT_FALSE(output::decode_anomaly("ipv4.trunc_pkt", false).no_ip_layer);
  // No IP header at all: Suricata's "packet" type.
  EXPECT_TRUE(output::decode_anomaly("ipv4.pkt_too_small", false).no_ip_layer);
  EXPECT_TRUE(output::decode_anomaly("ethernet.pkt_too_small", false).no_ip_layer);
}

TEST(AnomalyOptions, DefaultsLogOnlyAppLayer) {
  output::AnomalyOptions o;
  o.enabled = true;
  EXPECT_TRUE(output::anomaly_type_enabled(o, AnomalyType::kAppLayer));
  EXPECT_FALSE(output::anomaly_type_enabled(o, AnomalyType::kDecode));
  EXPECT_FALSE(output::anomaly_type_enabled(o, AnomalyType::kStream));
  o.enabled = false;
  EXPECT_FALSE(output::anomaly_type_enabled(o, AnomalyType::kAppLayer));
}

decode::Packet tcp_packet(flow::Flow* f) {
  decode::Packet p;
  p.ts = {1457455413, 110346};
  p.pcap_cnt = 7;
  p.linktype = 1;
  p.ip_version = 4;
  const uint8_t src[4] = {10, 0, 0, 1}, dst[4] = {10, 0, 0, 2};
  p.src = core::IpAddress::v4(src);
  p.dst = core::IpAddress::v4(dst);
  p.ip_proto = 6;
  p.has_tcp = true;
  p.sp = 40000;
  p.dp = 80;
  p.flow = f;
  return p;
}

TEST(AnomalyRecord, WritesOneRecordPerEnabledEvent) {
  TempDir dir;
  output::EveOptions o;
  o.anomaly.enabled = true;
  o.anomaly.decode = true;
  o.anomaly.stream = false;  // stream events are left out
  o.anomaly.packethdr = true;
  output::EveWriter w(o);
  ASSERT_TRUE(w.open(dir.path()));
  w.set_flowbit_names([](uint32_t id) { return id == 3 ? std::string_view("ET.Evil") : ""; });
  flow::Flow f;
  f.flow_id = 42;
  f.app_proto = uint8_t(app::AppProto::kHttp);
  f.flowbits = {3};
  const std::vector<uint8_t> frame(60, 0xab);
  decode::Packet p = tcp_packet(&f);
  p.frame = core::Bytes(frame);
  p.add_event(decode::Event::kTcpOptInvalidLen);
  const std::vector<std::string_view> flow_events = {"stream.reassembly_seq_gap",
                                                     "http.request_field_missing_colon"};
  w.packet_anomalies(p, &flow_events);
  w.close();

  auto recs = records(dir.path() + "/eve.json");
  ASSERT_EQ(recs.size(), 2u);
  const auto& d = recs[0];
  EXPECT_STREQ(d["event_type"].GetString(), "anomaly");
  EXPECT_EQ(d["flow_id"].GetUint64(), 42u);
  EXPECT_EQ(d["pcap_cnt"].GetUint64(), 7u);
  EXPECT_STREQ(d["src_ip"].GetString(), "10.0.0.1");
  EXPECT_EQ(d["dest_port"].GetUint(), 80u);
  EXPECT_STREQ(d["anomaly"]["type"].GetString(), "decode");
  EXPECT_STREQ(d["anomaly"]["event"].GetString(), "decoder.tcp.opt_invalid_len");
  EXPECT_FALSE(d["anomaly"].HasMember("layer"));
  EXPECT_STREQ(d["metadata"]["flowbits"][0].GetString(), "ET.Evil");
  // packethdr: the first 32 bytes, base64 (44 characters), and the link type.
  EXPECT_EQ(std::string(d["packet"].GetString()).size(), 44u);
  EXPECT_EQ(d["packet_info"]["linktype"].GetInt(), 1);

  const auto& a = recs[1];
  EXPECT_STREQ(a["anomaly"]["type"].GetString(), "applayer");
  EXPECT_STREQ(a["anomaly"]["app_proto"].GetString(), "http");
  EXPECT_STREQ(a["anomaly"]["event"].GetString(), "REQUEST_FIELD_MISSING_COLON");
  EXPECT_STREQ(a["anomaly"]["layer"].GetString(), "proto_parser");
  EXPECT_FALSE(a.HasMember("packet"));  // packethdr is for packet anomalies
}

TEST(AnomalyRecord, DisabledTypeWritesNothing) {
  TempDir dir;
  output::EveOptions o;  // anomaly not listed
  output::EveWriter w(o);
  ASSERT_TRUE(w.open(dir.path()));
  decode::Packet p = tcp_packet(nullptr);
  p.add_event(decode::Event::kIpv4OptPadRequired);
  const std::vector<std::string_view> ev = {"applayer_mismatch_protocol_both_directions"};
  w.packet_anomalies(p, &ev);
  w.close();
  EXPECT_TRUE(records(dir.path() + "/eve.json").empty());
}

TEST(AnomalyRecord, PacketWithoutIpHasNoAddresses) {
  TempDir dir;
  output::EveOptions o;
  o.anomaly.enabled = true;
  o.anomaly.decode = true;
  o.ethernet = true;
  output::EveWriter w(o);
  ASSERT_TRUE(w.open(dir.path()));
  decode::Packet p;
  p.pcap_cnt = 1;
  const uint8_t eth[14] = {1, 2, 3, 4, 5, 6, 0xa, 0xb, 0xc, 0xd, 0xe, 0xf, 0x08, 0x00};
  p.ether_header = core::Bytes(eth, sizeof eth);
  p.add_event(decode::Event::kIpv4PktTooSmall);
  w.packet_anomalies(p, nullptr);
  w.close();
  auto recs = records(dir.path() + "/eve.json");
  ASSERT_EQ(recs.size(), 1u);
  EXPECT_FALSE(recs[0].HasMember("src_ip"));
  EXPECT_FALSE(recs[0].HasMember("flow_id"));
  EXPECT_STREQ(recs[0]["anomaly"]["type"].GetString(), "packet");
  EXPECT_STREQ(recs[0]["ether"]["src_mac"].GetString(), "0a:0b:0c:0d:0e:0f");
  EXPECT_STREQ(recs[0]["ether"]["dest_mac"].GetString(), "01:02:03:04:05:06");
}

// --- PAWS ---

decode::Packet ts_packet(uint8_t flags, uint32_t seq, bool has_ts, uint32_t tsval) {
  decode::Packet p;
  p.has_tcp = true;
  p.tcp_flags = flags;
  p.tcp_seq = seq;
  p.tcp_has_ts = has_ts;
  p.tcp_tsval = tsval;
  p.ts = {1000, 0};
  return p;
}

constexpr uint8_t kSyn = decode::kTcpSyn, kAck = decode::kTcpAck, kRst = decode::kTcpRst;
constexpr auto kBsd = stream::OverlapPolicy::kBsd;

TEST(TcpTimestamps, InUseOnlyWhenBothSidesOffer) {
  stream::TcpTimestamps t;
  t.check(ts_packet(kSyn, 1, true, 100), true, kBsd, true);
  t.check(ts_packet(kSyn | kAck, 1, false, 0), false, kBsd, true);
  EXPECT_FALSE(t.enabled());
  // Without negotiated timestamps nothing is checked.
  EXPECT_TRUE(t.check(ts_packet(kAck, 2, true, 0), true, kBsd, true));
}

TEST(TcpTimestamps, ZeroAndBackwardsValuesAreInvalid) {
  stream::TcpTimestamps t;
  t.check(ts_packet(kSyn, 1, true, 100), true, kBsd, true);
  t.check(ts_packet(kSyn | kAck, 1, true, 500), false, kBsd, true);
  ASSERT_TRUE(t.enabled());
  EXPECT_TRUE(t.check(ts_packet(kAck, 2, true, 101), true, kBsd, true));
  EXPECT_FALSE(t.check(ts_packet(kAck, 2, true, 99), true, kBsd, true));   // went back
  EXPECT_FALSE(t.check(ts_packet(kRst | kAck, 2, true, 0), false, kBsd, true));  // zero
  // Windows does not reject a zero TSval outright, but it is still older
  // than the server's last one (500). Linux accepts one below the last.
  EXPECT_FALSE(t.check(ts_packet(kAck, 2, true, 0), false, stream::OverlapPolicy::kWindows, true));
  EXPECT_TRUE(t.check(ts_packet(kAck, 2, true, 100), true, stream::OverlapPolicy::kLinux, true));
  // A packet without the option is not checked.
  EXPECT_TRUE(t.check(ts_packet(kAck, 2, false, 0), true, kBsd, true));
}

TEST(TcpTimestamps, ReassemblyIgnoresInvalidPacketsAndNamesThem) {
  struct Sink : stream::StreamSink {
    std::string data;
    void on_data(bool, core::Bytes d) override { data += std::string(core::as_chars(d)); }
    void on_gap(bool, uint32_t) override {}
  } sink;
  core::Counters counters;
  stream::ReassemblyContext ctx(stream::StreamConfig{}, counters);
  stream::TcpReassembler r(ctx);
  const std::string good = "GET / HTTP/1.0\r\n", evil = "EVIL";
  decode::Packet syn = ts_packet(kSyn, 1000, true, 10);
  decode::Packet synack = ts_packet(kSyn | kAck, 5000, true, 20);
  synack.tcp_ack = 1001;
  r.on_packet(syn, true, sink);
  r.on_packet(synack, false, sink);
  decode::Packet stale = ts_packet(kAck, 1001, true, 5);  // older than the SYN's 10
  stale.payload = core::as_bytes(evil);
  r.on_packet(stale, true, sink);
  ASSERT_EQ(r.events.size(), 1u);
  EXPECT_EQ(r.events[0], stream::kEvPktInvalidTimestamp);
  decode::Packet data = ts_packet(kAck, 1001, true, 11);
  data.payload = core::as_bytes(good);
  r.on_packet(data, true, sink);
  EXPECT_EQ(sink.data, good);
}

TEST(DetectOnly, NamesBannersOfUnparsedProtocols) {
  const std::string ssh = "SSH-2.0-OpenSSH_6.6.1\r\n", rfb = "RFB 003.008\n", http = "HTTP/1.1";
  EXPECT_EQ(app::detect_only_protocol(core::as_bytes(ssh)), "ssh");
  EXPECT_EQ(app::detect_only_protocol(core::as_bytes(rfb)), "rfb");
  EXPECT_EQ(app::detect_only_protocol(core::as_bytes(http)), "");
  EXPECT_EQ(app::detect_only_protocol(core::as_bytes(std::string("SS"))), "");
}

}  // namespace
}  // namespace pasban
