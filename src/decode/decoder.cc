// Decoder: resets the packet, dispatches on the pcap link type, then counts
// the packet's events (Suricata's PacketUpdateEngineEventCounters).
#include "decode/decoder.h"

#include <string>

#include "decode/layers.h"

namespace pasban::decode {

using detail::Ctx;

// pcap LINKTYPE_* / DLT_* numbers.
namespace {
constexpr int kLinkNull = 0;
constexpr int kLinkEthernet = 1;
constexpr int kLinkRawOpenBsd = 12;
constexpr int kLinkDltRaw = 12;  // Linux DLT_RAW: what tunnel packets carry
constexpr int kLinkRawBsdi = 14;
constexpr int kLinkRaw = 101;
constexpr int kLinkLoop = 108;
constexpr int kLinkLinuxSll = 113;
constexpr int kLinkIpv4 = 228;
constexpr int kLinkIpv6 = 229;
constexpr int kLinkLinuxSll2 = 276;
}  // namespace

Decoder::Decoder(core::Counters& counters, DecodeOptions options)
    : counters_(counters), options_(options) {
  ids_.reserve(detail::kCounterSlotCount + size_t(Event::kCount));
  for (auto name : detail::kCounterNames) ids_.push_back(counters_.id(name));
  max_pkt_size_ = counters_.id("decoder.max_pkt_size", core::Counters::Kind::kMax);
  for (size_t i = 0; i < size_t(Event::kCount); ++i) {
    // Events Suricata does not have are Pasban's own counters (kept out of
    // the EVE stats record, whose names follow Suricata's schema).
    const bool own = Event(i) == Event::kUnsupportedLinktype;
    // Suricata counts the layer limit as a plain decoder counter.
    if (Event(i) == Event::kTooManyLayers) {
      ids_.push_back(counters_.id("decoder.too_many_layers"));
      continue;
    }
    ids_.push_back(counters_.id((own ? "pasban.decoder.event." : "decoder.event.") +
                                std::string(event_name(Event(i)))));
  }
}

void Decoder::decode(int linktype, core::Bytes frame, Packet& p) {
  const core::Timestamp ts = p.ts;
  const uint64_t pcap_cnt = p.pcap_cnt;
  p = Packet{};
  p.ts = ts;
  p.pcap_cnt = pcap_cnt;
  p.linktype = linktype;
  p.frame = frame;

  Ctx c{p, options_, counters_, ids_.data()};
  c.count(detail::kCtrPkts);
  counters_.add(ids_[detail::kCtrBytes], frame.size());
  counters_.raise_to(max_pkt_size_, frame.size());

  switch (linktype) {
    case kLinkEthernet:
      detail::decode_ethernet(c, frame);
      break;
    case kLinkLinuxSll:
      detail::decode_sll(c, frame);
      break;
    case kLinkLinuxSll2:
      detail::decode_sll2(c, frame);
      break;
    case kLinkRaw:
    case kLinkRawOpenBsd:
    case kLinkRawBsdi:
      detail::decode_raw(c, frame);
      break;
    case kLinkIpv4:
      c.count(detail::kCtrRaw);
      detail::decode_ipv4(c, frame);
      break;
    case kLinkIpv6:
      c.count(detail::kCtrRaw);
      detail::decode_ipv6(c, frame);
      break;
    case kLinkNull:
      detail::decode_null(c, frame, /*network_order=*/false);
      break;
    case kLinkLoop:
      detail::decode_null(c, frame, /*network_order=*/true);
      break;
    default:
      c.invalid_event(Event::kUnsupportedLinktype);
      break;
  }

  finish(c);
}

void Decoder::finish(detail::Ctx& c) {
  Packet& p = c.p;
  if (c.invalid) c.count(detail::kCtrInvalid);
  for (int i = 0; i < p.n_events; ++i)
    counters_.add(ids_[detail::kCounterSlotCount + size_t(p.events[i])]);
}

void Decoder::decode_rebuilt(int linktype, core::Bytes frame, size_t ip_offset,
                             uint8_t ip_version, const Packet& fragment, Packet& out) {
  out = Packet{};
  out.ts = fragment.ts;
  out.pcap_cnt = fragment.pcap_cnt;
  out.linktype = linktype;
  out.frame = frame;
  out.rebuilt = true;
  out.pkt_src = PktSrc::kDefrag;
  out.root = fragment.root;
  out.tunnel_depth = fragment.tunnel_depth;
  out.vlan_id = fragment.vlan_id;
  out.vlan_count = fragment.vlan_count;
  if (!fragment.ether_header.empty() && frame.size() >= fragment.ether_header.size())
    out.ether_header = frame.first(fragment.ether_header.size());
  if (ip_offset > frame.size()) return;

  Ctx c{out, options_, counters_, ids_.data()};
  const core::Bytes ip = frame.subspan(ip_offset);
  if (ip_version == 4) detail::decode_ipv4(c, ip);
  else if (ip_version == 6) detail::decode_ipv6(c, ip);
  finish(c);
}

bool Decoder::decode_tunnel(const Packet& parent, Packet& p) {
  p = Packet{};
  p.ts = parent.ts;
  p.linktype = kLinkDltRaw;  // as Suricata sets for tunnel packets
  p.frame = parent.inner;
  p.root = parent.root ? parent.root : &parent;
  p.tunnel_depth = uint8_t(parent.tunnel_depth + 1);
  p.pkt_src = parent.inner_src;
  p.vlan_count = 0;

  Ctx c{p, options_, counters_, ids_.data()};
  switch (parent.inner_kind) {
    case TunnelKind::kIpv4:
      detail::decode_ipv4(c, p.frame);
      break;
    case TunnelKind::kIpv6:
      detail::decode_ipv6(c, p.frame);
      break;
    case TunnelKind::kEthernet:
      detail::decode_ethernet(c, p.frame);
      break;
    case TunnelKind::kVlan:
      detail::decode_vlan(c, p.frame);
      break;
    case TunnelKind::kErspanI:
    case TunnelKind::kErspanII:
    case TunnelKind::kErspanIII:
      detail::decode_erspan(c, parent.inner_kind, p.frame);
      break;
    case TunnelKind::kNone:
      c.invalid = true;
      break;
  }
  finish(c);
  return !c.invalid;
}

}  // namespace pasban::decode
