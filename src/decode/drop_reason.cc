#include "decode/drop_reason.h"

namespace pasban::decode {
namespace {

struct Names {
  std::string_view text, counter;
};

constexpr Names kNames[] = {
    {"", ""},
    {"rules", "rules"},
    {"threshold detection_filter", "threshold_detection_filter"},
    {"flow drop", "flow_drop"},
    {"decode error", "decode_error"},
    {"defrag error", "defrag_error"},
    {"stream error", "stream_error"},
    {"stream midstream", "stream_midstream"},
    {"stream urgent", "stream_urgent"},
    {"applayer error", "applayer_error"},
    {"tunnel packet drop", "tunnel_packet_drop"},
    {"nfq error", "nfq_error"},
};
static_assert(sizeof kNames / sizeof kNames[0] == size_t(DropReason::kCount));

}  // namespace

std::string_view drop_reason_text(DropReason r) {
  return r < DropReason::kCount ? kNames[size_t(r)].text : std::string_view();
}

std::string_view drop_reason_counter(DropReason r) {
  return r < DropReason::kCount ? kNames[size_t(r)].counter : std::string_view();
}

}  // namespace pasban::decode
