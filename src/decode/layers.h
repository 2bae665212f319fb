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
  kCounterSlotCount
};

// Suricata's stats names for the slots above, in order.
inline constexpr std::array<std::string_view, kCounterSlotCount> kCounterNames = {
    "decoder.pkts",        "decoder.bytes",  "decoder.invalid", "decoder.ethernet",
    "decoder.raw",         "decoder.null",   "decoder.sll",     "decoder.ipv4",
    "decoder.ipv6",        "decoder.tcp",    "decoder.udp",     "decoder.icmpv4",
    "decoder.icmpv6",      "decoder.vlan",   "decoder.vlan_qinq", "decoder.vlan_qinqinq",
    "decoder.arp",         "decoder.unknown_ethertype",
};

struct Ctx {
  Packet& p;
  const DecodeOptions& options;
  core::Counters& counters;
  const core::Counters::Id* ids;
  // Suricata's PKT_IS_INVALID: set by the events that make a layer unusable;
  // decoder.invalid counts these packets.
  bool invalid = false;

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
// GRE (RFC 2784/2890): only the base header is checked for now; tunnelled
// packets are not decoded yet.
inline constexpr uint8_t kIpProtoGre = 47;
void decode_gre(Ctx& c, core::Bytes b);

// Checksums (checksum.cc).
CsumState ipv4_header_checksum(core::Bytes header);
CsumState l4_checksum(const Packet& p);

}  // namespace pasban::decode::detail
