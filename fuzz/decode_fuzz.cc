// libFuzzer entry point: decodes the input as every supported link type
// (and one unsupported), with checksum verification on, then asks for the
// on-demand checksums, and follows tunnels into their inner packets. Crashes and sanitizer reports are the findings.
#include <cstddef>
#include <cstdint>
#include <iterator>

#include "core/counters.h"
#include "decode/decoder.h"
#include "decode/packet.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace pasban;
  static constexpr int kLinkTypes[] = {0, 1, 12, 14, 101, 108, 113, 228, 229, 276, 147};
  // Built once: the decoder only adds to counter slots per packet.
  static core::Counters counters;
  static decode::Decoder decoder(counters, decode::DecodeOptions{});
  // Tunnel inner packets are decoded like the engine does, nesting included.
  static decode::Packet packets[16];  // default max_tunnel_depth (15) + the outer one
  const core::Bytes frame(data, size);
  for (int linktype : kLinkTypes) {
    decoder.decode(linktype, frame, packets[0]);
    (void)decode::ipv4_checksum_valid(packets[0]);
    (void)decode::l4_checksum_valid(packets[0]);
    for (size_t d = 0; d + 1 < std::size(packets) && packets[d].tunnel_root(); ++d)
      if (!decoder.decode_tunnel(packets[d], packets[d + 1])) break;
  }
  return 0;
}
