// Keywords that test decoded header fields of the packet: ttl, tos, id,
// ipopts, fragbits, fragoffset, ip_proto, sameip, flags, seq, ack, window,
// tcp.mss, dsize, itype, icode, icmp_id, icmp_seq, icmpv6.mtu,
// decode-event and the *-csum keywords. Each is a small value type with a
// noexcept match on the packet path; parse functions live beside them.
#pragma once
#include <cstdint>
#include <string_view>
#include <variant>

#include "core/result.h"
#include "decode/packet.h"
#include "detect/keywords/numeric.h"

namespace pasban::detect::keywords {

enum class Field : uint8_t {
  kTtl, kTos, kIpId, kFragOffset, kIpProto, kSeq, kAck, kWindow, kTcpMss, kDsize,
  kItype, kIcode, kIcmpId, kIcmpSeq, kIcmpv6Mtu,
};

// A numeric test of one header field; false when the packet lacks the field.
struct FieldCmp {
  Field field;
  NumCmp cmp;
  bool match(const decode::Packet& p) const noexcept;
  friend bool operator==(const FieldCmp&, const FieldCmp&) = default;
};

enum class BitsMod : uint8_t { kExact, kAll /* + */, kAny /* * */, kNot /* ! */ };

struct TcpFlags {
  uint8_t flags = 0;
  uint8_t ignore = 0;  // bits masked out before comparing (",CE" part)
  BitsMod mod = BitsMod::kExact;
  bool match(const decode::Packet& p) const noexcept;
  friend bool operator==(const TcpFlags&, const TcpFlags&) = default;
};

struct Fragbits {
  uint8_t bits = 0;  // 0x4 R, 0x2 D, 0x1 M
  BitsMod mod = BitsMod::kExact;
  bool match(const decode::Packet& p) const noexcept;
  friend bool operator==(const Fragbits&, const Fragbits&) = default;
};

struct Ipopts {
  uint16_t bit = 0;  // 0 means "any"
  bool match(const decode::Packet& p) const noexcept;
  friend bool operator==(const Ipopts&, const Ipopts&) = default;
};

struct SameIp {
  bool negated = false;
  bool match(const decode::Packet& p) const noexcept {
    return p.ip_version && ((p.src == p.dst) != negated);
  }
  friend bool operator==(const SameIp&, const SameIp&) = default;
};

struct DecodeEventMatch {
  decode::Event event;
  bool match(const decode::Packet& p) const noexcept { return p.has_event(event); }
  friend bool operator==(const DecodeEventMatch&, const DecodeEventMatch&) = default;
};

struct CsumMatch {
  enum Which : uint8_t { kIpv4, kTcpv4, kTcpv6, kUdpv4, kUdpv6, kIcmpv4, kIcmpv6 };
  Which which;
  bool want_valid;
  bool match(const decode::Packet& p) const noexcept;
  friend bool operator==(const CsumMatch&, const CsumMatch&) = default;
};

using PacketMatch =
    std::variant<FieldCmp, TcpFlags, Fragbits, Ipopts, SameIp, DecodeEventMatch, CsumMatch>;

inline bool match_packet(const PacketMatch& m, const decode::Packet& p) noexcept {
  return std::visit([&](const auto& k) { return k.match(p); }, m);
}

// Parsers (build side). keyword is the rule keyword name as written.
core::Result<PacketMatch> parse_field_keyword(std::string_view keyword, std::string_view value);
core::Result<PacketMatch> parse_tcp_flags(std::string_view value);
core::Result<PacketMatch> parse_fragbits(std::string_view value);
core::Result<PacketMatch> parse_ipopts(std::string_view value);
core::Result<PacketMatch> parse_ip_proto(std::string_view value);
core::Result<PacketMatch> parse_decode_event(std::string_view value);
core::Result<PacketMatch> parse_csum(std::string_view keyword, std::string_view value);
// True for the keyword names parse_field_keyword handles.
bool is_field_keyword(std::string_view keyword);

}  // namespace pasban::detect::keywords
