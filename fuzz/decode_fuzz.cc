// libFuzzer entry point: decodes the input as every supported link type
// (and one unsupported), with checksum verification on, then asks for the
// on-demand checksums. Crashes and sanitizer reports are the findings.
#include <cstddef>
#include <cstdint>

#include "core/counters.h"
#include "decode/decoder.h"
#include "decode/packet.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace pasban;
  static constexpr int kLinkTypes[] = {0, 1, 12, 14, 101, 108, 113, 228, 229, 276, 147};
  // Built once: the decoder only adds to counter slots per packet.
  static core::Counters counters;
  static decode::Decoder decoder(counters, decode::DecodeOptions{});
  decode::Packet packet;
  const core::Bytes frame(data, size);
  for (int linktype : kLinkTypes) {
    decoder.decode(linktype, frame, packet);
    (void)decode::ipv4_checksum_valid(packet);
    (void)decode::l4_checksum_valid(packet);
  }
  return 0;
}
