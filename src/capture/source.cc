#include "capture/source.h"

namespace pasban::capture {

// Defaults for passive sources (the capture branch brings the real ones).
Source::~Source() = default;
bool Source::is_inline() const { return false; }
bool Source::verdict(const LivePacket&, Verdict) { return true; }
const std::string& Source::error() const {
  static const std::string kNone;
  return kNone;
}

}  // namespace pasban::capture
