// GRE base header check. The 4-byte header (flags/version, protocol type)
// must be present; decoding the tunnelled packet is later work.
#include "decode/layers.h"

namespace pasban::decode::detail {

namespace {
constexpr size_t kGreBaseHeader = 4;
}

void decode_gre(Ctx& c, core::Bytes b) {
  if (b.size() < kGreBaseHeader) c.invalid_event(Event::kGrePktTooSmall);
}

}  // namespace pasban::decode::detail
