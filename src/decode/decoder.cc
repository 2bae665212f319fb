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
  for (size_t i = 0; i < size_t(Event::kCount); ++i) {
    // Events Suricata does not have are Pasban's own counters (kept out of
    // the EVE stats record, whose names follow Suricata's schema).
    const bool own = Event(i) == Event::kUnsupportedLinktype;
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

  if (c.invalid) c.count(detail::kCtrInvalid);
  for (int i = 0; i < p.n_events; ++i)
    counters_.add(ids_[detail::kCounterSlotCount + size_t(p.events[i])]);
}

}  // namespace pasban::decode
