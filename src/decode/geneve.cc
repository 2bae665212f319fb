// Geneve (RFC 8926) on the configured UDP ports: version 0, a fixed 8-byte
// header plus options (length in 4-byte words), then the payload named by
// the protocol type (Ethernet bridging, IPv4, IPv6), which becomes an inner
// packet. Options are walked so a malformed option list is not Geneve.
#include "decode/layers.h"
#include "wire/ethernet.h"

namespace pasban::decode::detail {

namespace {
constexpr size_t kGeneveHeader = 8;
constexpr size_t kGeneveOptionHeader = 4;  // class (2), type (1), flags+length (1)
constexpr uint16_t kProtoBridge = 0x6558;

// Each option: 4-byte header whose low 5 bits of byte 3 are the data
// length in words. The options must fill the announced length exactly.
bool options_valid(core::Bytes opts) {
  size_t off = 0;
  while (off < opts.size()) {
    if (off + kGeneveOptionHeader > opts.size()) return false;
    off += kGeneveOptionHeader + size_t(opts[off + 3] & 0x1f) * 4;
  }
  return off == opts.size();
}
}  // namespace

bool decode_geneve(Ctx& c, core::Bytes b) {
  if (b.size() < kGeneveHeader) return false;
  if ((b[0] >> 6) != 0) return false;  // version
  const size_t hlen = kGeneveHeader + size_t(b[0] & 0x3f) * 4;
  if (b.size() < hlen) return false;
  if (!options_valid(b.subspan(kGeneveHeader, hlen - kGeneveHeader))) return false;
  c.count(kCtrGeneve);
  const core::Bytes inner = b.subspan(hlen);
  switch (core::load_be16(b.data() + 2)) {
    case kProtoBridge:
      set_inner(c, TunnelKind::kEthernet, PktSrc::kGeneve, inner);
      break;
    case wire::kEtherTypeIpv4:
      set_inner(c, TunnelKind::kIpv4, PktSrc::kGeneve, inner);
      break;
    case wire::kEtherTypeIpv6:
      set_inner(c, TunnelKind::kIpv6, PktSrc::kGeneve, inner);
      break;
    case wire::kEtherTypeArp:
      break;
    default:
      c.event(Event::kGeneveUnknownPayloadType);
      break;
  }
  return true;
}

}  // namespace pasban::decode::detail
