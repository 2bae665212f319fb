// The decoded packet: views into the frame plus the header fields that
// rules and flows need. Filled by decode::Decoder; views are valid for the
// duration of one packet's processing.
#pragma once
#include <array>
#include <cstdint>

#include "core/bytes.h"
#include "core/ip_address.h"
#include "core/timestamp.h"
#include "decode/drop_reason.h"
#include "decode/events.h"

namespace pasban::flow {
struct Flow;
}

namespace pasban::decode {

enum class CsumState : uint8_t { kNotChecked, kValid, kInvalid };

// How an encapsulated packet's bytes start (Suricata's DECODE_TUNNEL_*).
enum class TunnelKind : uint8_t { kNone, kIpv4, kIpv6, kEthernet, kVlan, kErspanI, kErspanII, kErspanIII };

// Where a packet came from, as EVE's pkt_src names it.
enum class PktSrc : uint8_t { kWire, kGre, kIpv4, kIpv6, kTeredo, kVxlan, kGeneve, kFlowTimeout, kDefrag };
const char* pkt_src_name(PktSrc s);

// TCP flag bits as on the wire (byte 13), plus the two ECN bits.
enum TcpFlag : uint8_t {
  kTcpFin = 0x01, kTcpSyn = 0x02, kTcpRst = 0x04, kTcpPsh = 0x08,
  kTcpAck = 0x10, kTcpUrg = 0x20, kTcpEce = 0x40, kTcpCwr = 0x80,
};

// IPv4 option bits for the ipopts keyword.
enum IpOptBit : uint16_t {
  kIpOptRR = 1 << 0, kIpOptEOL = 1 << 1, kIpOptNOP = 1 << 2, kIpOptTS = 1 << 3,
  kIpOptSEC = 1 << 4, kIpOptESEC = 1 << 5, kIpOptLSRR = 1 << 6, kIpOptSSRR = 1 << 7,
  kIpOptSATID = 1 << 8, kIpOptRTRALT = 1 << 9, kIpOptCIPSO = 1 << 10,
};

struct Packet {
  core::Timestamp ts;
  uint64_t pcap_cnt = 0;  // 1-based position in the capture
  int linktype = 0;       // pcap DLT
  core::Bytes frame;      // the whole captured frame

  // --- Layer 2 ---
  core::Bytes ether_header;  // the 14-byte Ethernet header (MACs for EVE "ether"), else empty
  static constexpr int kMaxVlans = 3;
  std::array<uint16_t, kMaxVlans> vlan_id{};  // outermost first, as EVE "vlan" lists them
  uint8_t vlan_count = 0;

  // --- Layer 3 ---
  uint8_t ip_version = 0;  // 0: no IP layer decoded
  core::IpAddress src, dst;
  core::Bytes ip_header;  // IPv4 header with options; IPv6 header plus extension headers
  uint8_t ip_proto = 0;   // the transport protocol (after IPv6 extension headers)
  uint8_t ttl = 0;        // IPv4 TTL or IPv6 hop limit
  uint8_t tos = 0;        // IPv4 TOS or IPv6 traffic class
  uint16_t ip_id = 0;     // IPv4 id; IPv6 fragment id low 16 bits
  uint16_t ip_len = 0;    // IPv4 total length / IPv6 payload length + 40
  uint8_t frag_bits = 0;  // 0x4 RB (reserved), 0x2 DF, 0x1 MF  (as the fragbits keyword names them)
  uint16_t frag_offset = 0;  // in bytes
  bool is_fragment = false;  // MF set or offset > 0 (IPv4), or a fragment header (IPv6)
  uint16_t ipopts = 0;       // IpOptBit mask
  CsumState ip_csum = CsumState::kNotChecked;
  // Bytes after ip_header up to the IP length: the transport segment, or the
  // fragment data when is_fragment (what defrag needs).
  core::Bytes l3_payload;
  uint32_t frag_id = 0;           // IPv4 id, or the IPv6 fragment header's 32-bit id
  uint8_t frag_next_header = 0;   // IPv6: next header inside the fragment header
  uint16_t frag_hdr_offset = 0;   // IPv6: offset of the fragment header within ip_header
  // IPv6: offset within ip_header of the next-header byte that names the
  // fragment header (6 when the fixed header does), for defrag to unlink it.
  uint16_t frag_prev_nh_offset = 0;

  // --- Layer 4 ---
  core::Bytes l4_header;  // tcp.hdr (with options) / udp.hdr / icmpv4.hdr / icmpv6.hdr
  uint16_t sp = 0, dp = 0;
  bool has_tcp = false, has_udp = false, has_icmpv4 = false, has_icmpv6 = false;
  uint32_t tcp_seq = 0, tcp_ack = 0;
  uint8_t tcp_flags = 0;
  uint16_t tcp_window = 0;
  bool tcp_has_mss = false;
  uint16_t tcp_mss = 0;
  bool tcp_has_wscale = false;
  uint8_t tcp_wscale = 0;
  bool tcp_has_sackok = false;
  bool tcp_has_sack = false;
  core::Bytes tcp_sack;  // SACK blocks (pairs of 32-bit edges), without kind/len
  bool tcp_has_ts = false;
  uint32_t tcp_tsval = 0, tcp_tsecr = 0;
  uint8_t icmp_type = 0, icmp_code = 0;
  bool icmp_has_id = false;  // echo / timestamp / info / address-mask kinds
  uint16_t icmp_id = 0, icmp_seq = 0;
  // ICMPv4 destination unreachable about a TCP/UDP datagram: the invoking
  // datagram's tuple, so the error joins that datagram's flow (Suricata).
  bool icmp_emb_valid = false;
  core::IpAddress emb_src, emb_dst;
  uint16_t emb_sp = 0, emb_dp = 0;
  uint8_t emb_proto = 0;
  bool icmpv6_has_mtu = false;
  uint32_t icmpv6_mtu = 0;
  CsumState l4_csum = CsumState::kNotChecked;
  // -k none: checksum keywords treat every checksum as valid (Suricata's
  // PKT_IGNORE_CHECKSUM). Set by the engine, not the decoder.
  bool ignore_checksum = false;

  core::Bytes payload;  // application bytes after the transport header

  // --- Decoder anomalies (named, counted by the decoder) ---
  // As Suricata (PACKET_ENGINE_EVENT_MAX 15): an event raised twice is kept
  // twice, so anomaly records and decoder.event.* counters match its counts.
  static constexpr int kMaxEvents = 15;
  std::array<Event, kMaxEvents> events{};
  uint8_t n_events = 0;
  void add_event(Event e) {
    if (n_events < kMaxEvents) events[n_events++] = e;
  }
  bool has_event(Event e) const {
    for (int i = 0; i < n_events; ++i)
      if (events[i] == e) return true;
    return false;
  }

  // --- Set by the flow stage ---
  flow::Flow* flow = nullptr;
  bool to_server = true;  // direction within the flow
  // The flow was established when this packet arrived (Suricata's
  // FLOW_PKT_ESTABLISHED): for TCP the state before this packet is handled.
  bool flow_established = false;

  // Inline (IPS): set when the packet is dropped, and why.
  DropReason drop_reason = DropReason::kNone;

  // A packet made from a flow at its end (Suricata's "stream (flow
  // timeout)" pseudo packet) to inspect and log what was left.
  bool pseudo = false;
  // TCP: the reassembler took this packet's payload into the stream (in
  // order or queued), so raw stream rules will see it there.
  bool stream_added = false;
  // A datagram rebuilt from fragments by defrag/ (Suricata's defrag pseudo
  // packet): frame is the rebuilt frame, pcap_cnt that of the last fragment.
  bool rebuilt = false;

  // --- Tunnels (Suricata's tunnel packets) ---
  // Set by the decoder when this packet encapsulates another one: the inner
  // bytes and how to decode them. The engine decodes them into their own
  // Packet (with root/tunnel_depth set) that gets its own flow; this outer
  // packet then has no payload inspection, only header checks.
  TunnelKind inner_kind = TunnelKind::kNone;
  PktSrc inner_src = PktSrc::kWire;
  core::Bytes inner;
  bool tunnel_root() const { return inner_kind != TunnelKind::kNone; }
  // For an inner packet: the outermost packet (EVE "tunnel") and the number
  // of encapsulations above it (Suricata's recursion_level).
  const Packet* root = nullptr;
  uint8_t tunnel_depth = 0;
  PktSrc pkt_src = PktSrc::kWire;

  bool has_ports() const { return has_tcp || has_udp; }
};

}  // namespace pasban::decode
