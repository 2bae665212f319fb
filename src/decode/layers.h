// Internal to the decoder: the per-packet decode context and one entry
// point per layer. Each layer gets exactly the bytes its parent bounded
// (captured length, trimmed to the parent's length field) and never reads
// past them.
#pragma once
#include <array>
#include <cstdint>
#include <string_view>

#include "core/bytes.h"
#include "core/counters.h"
#include "decode/decoder.h"
#include "decode/packet.h"

namespace pasban::decode::detail {

// Counter slots; the Decoder registers one id per slot, then one per Event
// at kCounterSlotCount + event index ("decoder.event.<name>").
enum CounterSlot : uint32_t {
  kCtrPkts, kCtrBytes, kCtrInvalid, kCtrEthernet, kCtrRaw, kCtrNull, kCtrSll,
  kCtrIpv4, kCtrIpv6, kCtrTcp, kCtrUdp, kCtrIcmpv4, kCtrIcmpv6,
  kCtrVlan, kCtrVlanQinq, kCtrVlanQinqinq, kCtrArp, kCtrUnknownEthertype,
  kCtrGre, kCtrVxlan, kCtrGeneve, kCtrTeredo, kCtrErspan, kCtrMpls,
  kCtrIpv4InIpv4, kCtrIpv6InIpv4, kCtrIpv4InIpv6, kCtrIpv6InIpv6,
  kCounterSlotCount
};

// Suricata's stats names for the slots above, in order.
inline constexpr std::array<std::string_view, kCounterSlotCount> kCounterNames = {
    "decoder.pkts",        "decoder.bytes",  "decoder.invalid", "decoder.ethernet",
    "decoder.raw",         "decoder.null",   "decoder.sll",     "decoder.ipv4",
    "decoder.ipv6",        "decoder.tcp",    "decoder.udp",     "decoder.icmpv4",
    "decoder.icmpv6",      "decoder.vlan",   "decoder.vlan_qinq", "decoder.vlan_qinqinq",
    "decoder.arp",         "decoder.unknown_ethertype",
    "decoder.gre",         "decoder.vxlan",  "decoder.geneve",  "decoder.teredo",
    "decoder.erspan",      "decoder.mpls",   "decoder.ipv4_in_ipv4", "decoder.ipv6_in_ipv4",
    "decoder.ipv4_in_ipv6", "decoder.ipv6_in_ipv6",
};

struct Ctx {
  Packet& p;
  const DecodeOptions& options;
  core::Counters& counters;
  const core::Counters::Id* ids;
  // Suricata's PKT_IS_INVALID: set by the events that make a layer unusable;
  // decoder.invalid counts these packets.
  bool invalid = false;
  // Layers that can nest within one packet (MPLS pseudowires carrying
  // Ethernet carrying MPLS ...) count here; kMaxNestedLayers bounds them.
  int nested_layers = 0;
  static constexpr int kMaxNestedLayers = 16;

  void count(CounterSlot s) { counters.add(ids[s]); }
  void event(Event e) { p.add_event(e); }
  void invalid_event(Event e) {
    invalid = true;
    p.add_event(e);
  }
};

// Link layers.
void decode_ethernet(Ctx& c, core::Bytes b);
void decode_sll(Ctx& c, core::Bytes b);
void decode_sll2(Ctx& c, core::Bytes b);
void decode_raw(Ctx& c, core::Bytes b);
void decode_null(Ctx& c, core::Bytes b, bool network_order);
// Dispatch on an ethertype; false when the ethertype is unknown.
bool decode_network_layer(Ctx& c, uint16_t ether_type, core::Bytes b);
void decode_vlan(Ctx& c, core::Bytes b);

// IP and transports.
void decode_ipv4(Ctx& c, core::Bytes b);
void decode_ipv6(Ctx& c, core::Bytes b);
void decode_tcp(Ctx& c, core::Bytes segment);
void decode_udp(Ctx& c, core::Bytes segment);
void decode_icmpv4(Ctx& c, core::Bytes message);
void decode_icmpv6(Ctx& c, core::Bytes message);
// Tunnels. Each checks its header and, when it is valid, hands the
// encapsulated bytes to the engine through set_inner (tunnel.cc): the inner
// packet is decoded as a Packet of its own, as Suricata's tunnel packets are.
inline constexpr uint8_t kIpProtoIpip = 4;
inline constexpr uint8_t kIpProtoIpv6 = 41;
inline constexpr uint8_t kIpProtoGre = 47;
// GRE versions 0 and 1 (RFC 2784/2890, RFC 2637 enhanced GRE).
void decode_gre(Ctx& c, core::Bytes b);
// IPv4 / IPv6 directly in IP (RFC 2003, RFC 2473, RFC 4213); outer_v6 tells
// which counter and events apply.
void decode_ip_in_ip(Ctx& c, core::Bytes b, bool outer_v6, uint8_t proto);
// UDP-carried tunnels, tried in Suricata's order on a UDP payload. True when
// the payload was a tunnel (the UDP packet then carries no app-layer data).
bool decode_udp_tunnel(Ctx& c, core::Bytes payload);
bool decode_vxlan(Ctx& c, core::Bytes b);
bool decode_geneve(Ctx& c, core::Bytes b);
bool decode_teredo(Ctx& c, core::Bytes b);
// ERSPAN type I (no header), II and III (RFC-less Cisco formats, see erspan.cc).
void decode_erspan(Ctx& c, TunnelKind kind, core::Bytes b);
// MPLS label stack (RFC 3032) decoded in place, as Suricata does.
void decode_mpls(Ctx& c, core::Bytes b);
// Records b as the packet's inner packet; false when the nesting limit is hit.
bool set_inner(Ctx& c, TunnelKind kind, PktSrc src, core::Bytes b);

// Checksums (checksum.cc).
CsumState ipv4_header_checksum(core::Bytes header);
CsumState l4_checksum(const Packet& p);

}  // namespace pasban::decode::detail
