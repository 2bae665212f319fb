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

struct DecodeOptions {
  // Compute IPv4/TCP/UDP/ICMP checksums and record them in Packet::ip_csum
  // and Packet::l4_csum. When false those stay kNotChecked.
  bool verify_checksums = true;
  int max_vlan_layers = 3;
};

class Decoder {
 public:
  Decoder(core::Counters& counters, DecodeOptions options);
  // Resets p's decoded fields (not ts/pcap_cnt) and decodes frame as linktype.
  void decode(int linktype, core::Bytes frame, Packet& p);
  void set_verify_checksums(bool on) { options_.verify_checksums = on; }

 private:
  struct Impl;
  core::Counters& counters_;
  DecodeOptions options_;
  // Counter ids registered in the constructor (implementation detail).
  std::vector<core::Counters::Id> ids_;
};

// On-demand checksum checks (for the *-csum keywords when the decoder did
// not verify). True when valid; false when invalid or not applicable.
bool ipv4_checksum_valid(const Packet& p);
bool l4_checksum_valid(const Packet& p);

}  // namespace pasban::decode
