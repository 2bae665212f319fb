// libFuzzer entry point: the input is a sequence of fragment descriptions
// that become IPv4 and IPv6 fragments of a few datagrams (ids, offsets,
// lengths, MF bits, fill bytes, destinations picking different overlap
// policies), decoded and fed to one Defragmenter, whose rebuilt datagrams
// are decoded in turn. Crashes, sanitizer reports and memcap overruns
// are the findings.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "core/counters.h"
#include "decode/decoder.h"
#include "decode/packet.h"
#include "defrag/defrag.h"

namespace {

using Buf = std::vector<uint8_t>;
constexpr size_t kRecord = 6;  // bytes of input per fragment

void put16(Buf& b, uint16_t v) {
  b.push_back(uint8_t(v >> 8));
  b.push_back(uint8_t(v));
}

// rec: [flags][id][offset hi][offset lo][len][fill]; flags bit 0 IPv6,
// bit 1 MF, bits 2-3 destination, bit 4 a destination-options header.
Buf fragment(const uint8_t* rec) {
  const bool v6 = rec[0] & 1, more = rec[0] & 2, dstopts = rec[0] & 0x10;
  const uint8_t dst = uint8_t(1 + ((rec[0] >> 2) & 3));
  const uint16_t offset = uint16_t((rec[2] << 8 | rec[3]) & 0xfff8);
  const Buf data(size_t(rec[4]) * 4, rec[5]);
  Buf b;
  if (!v6) {
    b = {0x45, 0};
    put16(b, uint16_t(20 + data.size()));
    put16(b, rec[1]);
    put16(b, uint16_t((more ? 0x2000 : 0) | (offset >> 3)));
    b.insert(b.end(), {64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, dst});
  } else {
    b = {0x60, 0, 0, 0};
    put16(b, uint16_t((dstopts ? 8 : 0) + 8 + data.size()));
    b.push_back(dstopts ? 60 : 44);
    b.push_back(64);
    b.insert(b.end(), 15, 0);
    b.push_back(1);
    b.insert(b.end(), 15, 0);
    b.push_back(dst);
    if (dstopts) b.insert(b.end(), {44, 0, 1, 4, 0, 0, 0, 0});
    b.insert(b.end(), {17, 0});
    put16(b, uint16_t(offset | (more ? 1 : 0)));
    b.insert(b.end(), {0, 0, 0, rec[1]});
  }
  b.insert(b.end(), data.begin(), data.end());
  return b;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace pasban;
  static core::Counters counters;
  static decode::Decoder decoder(counters, decode::DecodeOptions{});
  defrag::DefragConfig config;
  config.memcap = 64 * 1024;  // small, so eviction paths run
  config.max_frags = 64;
  config.timeout_s = 2;
  (void)config.policies.add("10.0.0.2", defrag::Policy::kLinux);
  (void)config.policies.add("10.0.0.3", defrag::Policy::kLast);
  (void)config.policies.add("10.0.0.4", defrag::Policy::kFirst);
  (void)config.policies.add("::2", defrag::Policy::kSolaris);
  (void)config.policies.add("::3", defrag::Policy::kBsdRight);
  (void)config.policies.add("::4", defrag::Policy::kWindows);
  defrag::Defragmenter defrag(std::move(config), counters);
  decode::Packet p, rebuilt;
  for (size_t i = 0; i + kRecord <= size; i += kRecord) {
    const Buf frame = fragment(data + i);
    p = decode::Packet{};
    p.ts.sec = int64_t(i / kRecord / 8);  // time moves, so timeouts happen
    decoder.decode(frame[0] >> 4 == 6 ? 229 : 228, core::Bytes(frame.data(), frame.size()), p);
    if (!p.is_fragment) continue;
    if (auto r = defrag.insert(p)) {
      decoder.decode_rebuilt(r->linktype, r->frame, r->ip_offset, r->ip_version, p, rebuilt);
      if (rebuilt.is_fragment) std::abort();  // a rebuilt datagram is whole
    }
    if (defrag.memuse() > 64 * 1024) std::abort();
  }
  return 0;
}
