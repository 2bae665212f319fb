// Frame bytes -> Packet. One Decoder per worker; it counts what it sees
// (decoder.pkts, decoder.ipv4, decoder.event.<name> ...) into the worker's
// Counters. Untrusted input never throws and never reads out of bounds:
// malformed headers become named events on the packet.
#pragma once
#include "core/bytes.h"
#include <vector>

#include "core/counters.h"
#include "decode/packet.h"

namespace pasban::decode {

namespace detail {
struct Ctx;
}

struct DecodeOptions {
  // Compute IPv4/TCP/UDP/ICMP checksums and record them in Packet::ip_csum
  // and Packet::l4_csum. When false those stay kNotChecked.
  bool verify_checksums = true;
  int max_vlan_layers = 3;
  // UDP tunnels (decoder.vxlan / decoder.geneve / decoder.teredo): enabled
  // and up to kMaxTunnelPorts ports each; an empty teredo list means any port.
  static constexpr size_t kMaxTunnelPorts = 4;
  bool vxlan_enabled = true;
  std::vector<uint16_t> vxlan_ports{4789};
  bool geneve_enabled = true;
  std::vector<uint16_t> geneve_ports{6081};
  bool teredo_enabled = true;
  std::vector<uint16_t> teredo_ports{3544};
  // ERSPAN type I has no header to validate, so Suricata only decodes it
  // when asked (decoder.erspan.typeI.enabled).
  bool erspan_type1 = false;
  // Tunnel nesting bound (derived from decoder.max-layers): a packet this
  // deep gets too_many_layers instead of another inner packet.
  int max_tunnel_depth = 15;
};

class Decoder {
 public:
  Decoder(core::Counters& counters, DecodeOptions options);
  // Resets p's decoded fields (not ts/pcap_cnt) and decodes frame as linktype.
  void decode(int linktype, core::Bytes frame, Packet& p);
  // Decodes parent's inner packet (parent.tunnel_root()) into p: a packet of
  // its own with root, tunnel_depth and pkt_src set, link type DLT_RAW as in
  // Suricata. False when the inner packet is invalid (Suricata drops it).
  bool decode_tunnel(const Packet& parent, Packet& p);
  void set_verify_checksums(bool on) { options_.verify_checksums = on; }
  // Decodes a datagram rebuilt from fragments (defrag/): frame holds the
  // first fragment's link layer and the IP layer starts at ip_offset. The
  // link-layer facts (VLANs, Ethernet header) come from the fragment that
  // completed it, ts and pcap_cnt too. As for Suricata's defrag pseudo
  // packet, only the IP layer on is counted, not the packet itself.
  void decode_rebuilt(int linktype, core::Bytes frame, size_t ip_offset, uint8_t ip_version,
                      const Packet& fragment, Packet& out);

 private:
  struct Impl;
  // Counts the packet's invalid flag and events (Suricata's PacketDecodeFinalize).
  void finish(detail::Ctx& c);
  core::Counters& counters_;
  DecodeOptions options_;
  // Counter ids registered in the constructor (implementation detail).
  std::vector<core::Counters::Id> ids_;
  core::Counters::Id max_pkt_size_ = 0;  // decoder.max_pkt_size: the largest frame
};

// On-demand checksum checks (for the *-csum keywords when the decoder did
// not verify). True when valid; false when invalid or not applicable.
bool ipv4_checksum_valid(const Packet& p);
bool l4_checksum_valid(const Packet& p);

}  // namespace pasban::decode
