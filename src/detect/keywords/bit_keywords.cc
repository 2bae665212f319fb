// flags, fragbits, ipopts, decode-event and the *-csum keywords.
#include <string>

#include "decode/decoder.h"
#include "detect/keywords/packet_match.h"

namespace pasban::detect::keywords {
namespace {

bool bits_match(uint8_t have, uint8_t want, BitsMod mod) {
  switch (mod) {
    case BitsMod::kExact: return have == want;
    case BitsMod::kAll: return (have & want) == want;
    case BitsMod::kAny: return (have & want) != 0;
    case BitsMod::kNot: return (have & want) != want;
  }
  return false;
}

bool set_mod(BitsMod& mod, char c, bool& seen) {
  if (seen) return false;
  seen = true;
  mod = c == '+' ? BitsMod::kAll : c == '*' ? BitsMod::kAny : BitsMod::kNot;
  return true;
}

int tcp_flag_bit(char c) {
  switch (c) {
    case 'F': case 'f': return decode::kTcpFin;
    case 'S': case 's': return decode::kTcpSyn;
    case 'R': case 'r': return decode::kTcpRst;
    case 'P': case 'p': return decode::kTcpPsh;
    case 'A': case 'a': return decode::kTcpAck;
    case 'U': case 'u': return decode::kTcpUrg;
    // Suricata's (and Snort's) numeric names: 1 is the top bit (CWR), 2 is ECE.
    case 'C': case 'c': case '1': return decode::kTcpCwr;
    case 'E': case 'e': case '2': return decode::kTcpEce;
    default: return -1;
  }
}

}  // namespace

bool TcpFlags::match(const decode::Packet& p) const noexcept {
  if (!p.has_tcp) return false;
  return bits_match(uint8_t(p.tcp_flags & ~ignore), flags, mod);
}

core::Result<PacketMatch> parse_tcp_flags(std::string_view value) {
  std::string_view v = trim(value);
  std::string_view ign;
  if (auto comma = v.find(','); comma != std::string_view::npos) {
    ign = trim(v.substr(comma + 1));
    v = trim(v.substr(0, comma));
  }
  TcpFlags f;
  bool seen_mod = false, zero = false;
  if (v.empty()) return core::make_error("flags: no flags given");
  for (char c : v) {
    if (c == '+' || c == '*' || c == '!') {
      if (!set_mod(f.mod, c, seen_mod)) return core::make_error("flags: more than one modifier");
      continue;
    }
    if (c == '0') { zero = true; continue; }
    int bit = tcp_flag_bit(c);
    if (bit < 0) return core::make_error(std::string("flags: invalid flag '") + c + "'");
    f.flags |= uint8_t(bit);
  }
  if (zero && f.flags) return core::make_error("flags: '0' cannot be combined with other flags");
  for (char c : ign) {
    int bit = tcp_flag_bit(c);
    if (bit < 0) return core::make_error(std::string("flags: invalid ignore flag '") + c + "'");
    f.ignore |= uint8_t(bit);
  }
  return PacketMatch(f);
}

bool Fragbits::match(const decode::Packet& p) const noexcept {
  if (p.ip_version != 4) return false;
  const uint8_t have = p.frag_bits & 0x7;
  // Suricata's '+' for fragbits (FragBitsMatch) wants these bits and at
  // least one more: (pbits & dbits) == dbits && pbits - dbits > 0.
  if (mod == BitsMod::kAll) return (have & bits) == bits && have != bits;
  return bits_match(have, bits, mod);
}

core::Result<PacketMatch> parse_fragbits(std::string_view value) {
  Fragbits f;
  bool seen_mod = false;
  std::string_view v = trim(value);
  if (v.empty()) return core::make_error("fragbits: no bits given");
  for (char c : v) {
    switch (c) {
      case 'M': case 'm': f.bits |= 0x1; break;
      case 'D': case 'd': f.bits |= 0x2; break;
      case 'R': case 'r': f.bits |= 0x4; break;
      case '+': case '*': case '!':
        if (!set_mod(f.mod, c, seen_mod)) return core::make_error("fragbits: more than one modifier");
        break;
      case ' ': break;
      default: return core::make_error(std::string("fragbits: invalid bit '") + c + "'");
    }
  }
  return PacketMatch(f);
}

bool Ipopts::match(const decode::Packet& p) const noexcept {
  if (p.ip_version != 4) return false;
  return bit == 0 ? p.ipopts != 0 : (p.ipopts & bit) != 0;
}

core::Result<PacketMatch> parse_ipopts(std::string_view value) {
  static const std::pair<std::string_view, uint16_t> kOpts[] = {
      {"rr", decode::kIpOptRR},     {"eol", decode::kIpOptEOL},     {"nop", decode::kIpOptNOP},
      {"ts", decode::kIpOptTS},     {"sec", decode::kIpOptSEC},     {"esec", decode::kIpOptESEC},
      {"lsrr", decode::kIpOptLSRR}, {"ssrr", decode::kIpOptSSRR},   {"satid", decode::kIpOptSATID},
      {"rtralt", decode::kIpOptRTRALT}, {"cipso", decode::kIpOptCIPSO}, {"any", 0},
  };
  std::string_view v = trim(value);
  for (auto& [name, bit] : kOpts)
    if (v == name) return PacketMatch(Ipopts{bit});
  return core::make_error("ipopts: unknown option '" + std::string(v) + "'");
}

core::Result<PacketMatch> parse_decode_event(std::string_view value) {
  std::string_view v = trim(value);
  if (v.starts_with("decoder.")) v.remove_prefix(8);
  auto ev = decode::event_by_name(v);
  if (!ev) return core::make_error("decode-event: unknown event '" + std::string(v) + "'");
  return PacketMatch(DecodeEventMatch{*ev});
}

bool CsumMatch::match(const decode::Packet& p) const noexcept {
  switch (which) {
    case kIpv4: if (p.ip_version != 4) return false; break;
    case kTcpv4: if (p.ip_version != 4 || !p.has_tcp) return false; break;
    case kTcpv6: if (p.ip_version != 6 || !p.has_tcp) return false; break;
    case kUdpv4: if (p.ip_version != 4 || !p.has_udp) return false; break;
    case kUdpv6: if (p.ip_version != 6 || !p.has_udp) return false; break;
    case kIcmpv4: if (!p.has_icmpv4) return false; break;
    case kIcmpv6: if (!p.has_icmpv6) return false; break;
  }
  // Under -k none every checksum counts as valid, as in Suricata.
  if (p.ignore_checksum) return want_valid;
  bool valid;
  if (which == kIpv4) {
    valid = p.ip_csum == decode::CsumState::kNotChecked ? decode::ipv4_checksum_valid(p)
                                                         : p.ip_csum == decode::CsumState::kValid;
  } else {
    valid = p.l4_csum == decode::CsumState::kNotChecked ? decode::l4_checksum_valid(p)
                                                         : p.l4_csum == decode::CsumState::kValid;
  }
  return valid == want_valid;
}

core::Result<PacketMatch> parse_csum(std::string_view keyword, std::string_view value) {
  static const std::pair<std::string_view, CsumMatch::Which> kKinds[] = {
      {"ipv4-csum", CsumMatch::kIpv4},     {"tcpv4-csum", CsumMatch::kTcpv4},
      {"tcpv6-csum", CsumMatch::kTcpv6},   {"udpv4-csum", CsumMatch::kUdpv4},
      {"udpv6-csum", CsumMatch::kUdpv6},   {"icmpv4-csum", CsumMatch::kIcmpv4},
      {"icmpv6-csum", CsumMatch::kIcmpv6},
  };
  std::string_view v = trim(value);
  if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
  bool valid;
  if (v == "valid") valid = true;
  else if (v == "invalid") valid = false;
  else return core::make_error(std::string(keyword) + ": expected 'valid' or 'invalid'");
  for (auto& [name, which] : kKinds)
    if (keyword == name) return PacketMatch(CsumMatch{which, valid});
  return core::make_error("unknown keyword '" + std::string(keyword) + "'");
}

}  // namespace pasban::detect::keywords
