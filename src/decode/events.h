// Decoder anomalies, named as Suricata names them (the part after
// "decoder." in stats and the decode-event keyword argument).
// The list is an X-macro so the enum, the names and the lookup stay in step.
#pragma once
#include <cstdint>
#include <optional>
#include <string_view>

namespace pasban::decode {

#define PASBAN_DECODE_EVENTS(X)                      \
  X(kIpv4PktTooSmall, "ipv4.pkt_too_small")          \
  X(kIpv4HlenTooSmall, "ipv4.hlen_too_small")        \
  X(kIpv4IplenSmallerThanHlen, "ipv4.iplen_smaller_than_hlen") \
  X(kIpv4TruncPkt, "ipv4.trunc_pkt")                 \
  X(kIpv4WrongIpVer, "ipv4.wrong_ip_version")        \
  X(kIpv4OptInvalid, "ipv4.opt_invalid")             \
  X(kIpv4OptInvalidLen, "ipv4.opt_invalid_len")      \
  X(kIpv4OptMalformed, "ipv4.opt_malformed")         \
  X(kIpv4OptPadRequired, "ipv4.opt_pad_required")    \
  X(kIpv4OptEolRequired, "ipv4.opt_eol_required")    \
  X(kIpv4OptDuplicate, "ipv4.opt_duplicate")         \
  X(kIpv4OptUnknown, "ipv4.opt_unknown")             \
  X(kIpv6PktTooSmall, "ipv6.pkt_too_small")          \
  X(kIpv6TruncPkt, "ipv6.trunc_pkt")                 \
  X(kIpv6TruncExthdr, "ipv6.trunc_exthdr")           \
  X(kIpv6WrongIpVer, "ipv6.wrong_ip_version")        \
  X(kTcpPktTooSmall, "tcp.pkt_too_small")            \
  X(kTcpHlenTooSmall, "tcp.hlen_too_small")          \
  X(kTcpInvalidOptLen, "tcp.invalid_optlen")         \
  X(kTcpOptInvalidLen, "tcp.opt_invalid_len")        \
  X(kTcpOptDuplicate, "tcp.opt_duplicate")           \
  X(kUdpPktTooSmall, "udp.pkt_too_small")            \
  X(kUdpHlenTooSmall, "udp.hlen_too_small")          \
  X(kUdpHlenInvalid, "udp.len_invalid") /* Suricata retired udp.hlen_invalid */ \
  X(kIcmpv4PktTooSmall, "icmpv4.pkt_too_small")      \
  X(kIcmpv4UnknownType, "icmpv4.unknown_type")       \
  X(kIcmpv4UnknownCode, "icmpv4.unknown_code")       \
  X(kIcmpv6PktTooSmall, "icmpv6.pkt_too_small")      \
  X(kIcmpv6UnknownType, "icmpv6.unknown_type")       \
  X(kIcmpv6UnknownCode, "icmpv6.unknown_code")       \
  X(kEthernetPktTooSmall, "ethernet.pkt_too_small")  \
  X(kVlanHeaderTooSmall, "vlan.header_too_small")    \
  X(kVlanUnknownType, "vlan.unknown_type")           \
  X(kVlanTooManyLayers, "vlan.too_many_layers")      \
  X(kSllPktTooSmall, "sll.pkt_too_small")            \
  X(kNullPktTooSmall, "ltnull.pkt_too_small")          \
  X(kNullUnsupportedType, "ltnull.unsupported_type")   \
  X(kIpv4InIpv6Invalid, "ipv6.ipv4_in_ipv6_wrong_version") \
  X(kGrePktTooSmall, "gre.pkt_too_small")            \
  X(kIpRawInvalidIpVer, "ipraw.invalid_ip_version")  \
  X(kUnsupportedLinktype, "unsupported_linktype")   \
  X(kEthernetUnknownEthertype, "ethernet.unknown_ethertype") \
  X(kIpv4WithIcmpv6, "ipv4.icmpv6")                  \
  X(kIpv6WithIcmpv4, "ipv6.icmpv4")                  \
  X(kIpv6UnknownNextHeader, "ipv6.unknown_next_header") \
  X(kIpv6DataAfterNoneHeader, "ipv6.data_after_none_header") \
  X(kIpv6ExthdrDuplFh, "ipv6.exthdr_dupl_fh")        \
  X(kIpv6ExthdrDuplRh, "ipv6.exthdr_dupl_rh")        \
  X(kIpv6ExthdrDuplHh, "ipv6.exthdr_dupl_hh")        \
  X(kIpv6ExthdrDuplDh, "ipv6.exthdr_dupl_dh")        \
  X(kIpv6ExthdrDuplAh, "ipv6.exthdr_dupl_ah")        \
  X(kIpv6ExthdrDuplEh, "ipv6.exthdr_dupl_eh")        \
  X(kIpv6ExthdrUselessFh, "ipv6.exthdr_useless_fh")  \
  X(kIpv6ExthdrInvalidOptlen, "ipv6.exthdr_invalid_optlen") \
  X(kIpv6ExthdrAhResNotNull, "ipv6.exthdr_ah_res_not_null") \
  X(kIpv6FhNonZeroReservedField, "ipv6.fh_non_zero_reserved_field") \
  X(kIpv6FragInvalidLength, "ipv6.frag_invalid_length") \
  X(kIpv4FragPktTooLarge, "ipv4.frag_pkt_too_large")  \
  X(kIpv6FragPktTooLarge, "ipv6.frag_pkt_too_large")  \
  X(kIpv4FragOverlap, "ipv4.frag_overlap")           \
  X(kIpv6FragOverlap, "ipv6.frag_overlap")           \
  X(kIpv4FragIgnored, "ipv4.frag_ignored")           \
  X(kIpv6FragIgnored, "ipv6.frag_ignored")           \
  X(kIpv6RhType0, "ipv6.rh_type_0")                  \
  X(kIpv6ZeroLenPadn, "ipv6.zero_len_padn")          \
  X(kIpv6HopoptsUnknownOpt, "ipv6.hopopts_unknown_opt") \
  X(kIpv6HopoptsOnlyPadding, "ipv6.hopopts_only_padding") \
  X(kIpv6DstoptsUnknownOpt, "ipv6.dstopts_unknown_opt") \
  X(kIpv6DstoptsOnlyPadding, "ipv6.dstopts_only_padding") \
  X(kIcmpv4Ipv4TruncPkt, "icmpv4.ipv4_trunc_pkt")    \
  X(kIcmpv4Ipv4UnknownVer, "icmpv4.ipv4_unknown_ver") \
  X(kIcmpv6UnassignedType, "icmpv6.unassigned_type") \
  X(kIcmpv6ExperimentationType, "icmpv6.experimentation_type") \
  X(kIcmpv6MldMessageWithInvalidHl, "icmpv6.mld_message_with_invalid_hl") \
  X(kIcmpv6Ipv6TruncPkt, "icmpv6.ipv6_trunc_pkt")    \
  X(kIcmpv6Ipv6UnknownVersion, "icmpv6.ipv6_unknown_version") \
  /* Tunnels (gre.cc, vxlan.cc, geneve.cc, erspan.cc, mpls.cc, tunnel.cc) */ \
  X(kIpv4InIpv6TooSmall, "ipv6.ipv4_in_ipv6_too_small")       \
  X(kIpv6InIpv6TooSmall, "ipv6.ipv6_in_ipv6_too_small")       \
  X(kIpv6InIpv6WrongVersion, "ipv6.ipv6_in_ipv6_wrong_version") \
  X(kGreWrongVersion, "gre.wrong_version")                    \
  X(kGreV0Recur, "gre.version0_recur")                        \
  X(kGreV0Flags, "gre.version0_flags")                        \
  X(kGreV0HdrTooBig, "gre.version0_hdr_too_big")              \
  X(kGreV0MalformedSreHdr, "gre.version0_malformed_sre_hdr")  \
  X(kGreV1Chksum, "gre.version1_chksum")                      \
  X(kGreV1Route, "gre.version1_route")                        \
  X(kGreV1Ssr, "gre.version1_ssr")                            \
  X(kGreV1Recur, "gre.version1_recur")                        \
  X(kGreV1Flags, "gre.version1_flags")                        \
  X(kGreV1NoKey, "gre.version1_no_key")                       \
  X(kGreV1WrongProtocol, "gre.version1_wrong_protocol")       \
  X(kGreV1HdrTooBig, "gre.version1_hdr_too_big")              \
  X(kVxlanUnknownPayloadType, "vxlan.unknown_payload_type")   \
  X(kGeneveUnknownPayloadType, "geneve.unknown_payload_type") \
  X(kErspanHeaderTooSmall, "erspan.header_too_small")         \
  X(kErspanUnsupportedVersion, "erspan.unsupported_version")  \
  X(kErspanTooManyVlanLayers, "erspan.too_many_vlan_layers")  \
  X(kMplsHeaderTooSmall, "mpls.header_too_small")             \
  X(kMplsPktTooSmall, "mpls.pkt_too_small")                   \
  X(kMplsBadLabelRouterAlert, "mpls.bad_label_router_alert")  \
  X(kMplsBadLabelImplicitNull, "mpls.bad_label_implicit_null") \
  X(kMplsBadLabelReserved, "mpls.bad_label_reserved")         \
  X(kMplsUnknownPayloadType, "mpls.unknown_payload_type")     \
  X(kTooManyLayers, "too_many_layers")

enum class Event : uint16_t {
#define PASBAN_X(id, name) id,
  PASBAN_DECODE_EVENTS(PASBAN_X)
#undef PASBAN_X
  kCount
};

std::string_view event_name(Event e);
std::optional<Event> event_by_name(std::string_view name);

}  // namespace pasban::decode
