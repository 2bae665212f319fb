#include "decode/events.h"

#include <array>

namespace pasban::decode {
namespace {
constexpr std::array<std::string_view, size_t(Event::kCount)> kNames = {
#define PASBAN_X(id, name) name,
    PASBAN_DECODE_EVENTS(PASBAN_X)
#undef PASBAN_X
};
}  // namespace

std::string_view event_name(Event e) {
  auto i = size_t(e);
  return i < kNames.size() ? kNames[i] : std::string_view("unknown");
}

std::optional<Event> event_by_name(std::string_view name) {
  for (size_t i = 0; i < kNames.size(); ++i)
    if (kNames[i] == name) return Event(i);
  return std::nullopt;
}

}  // namespace pasban::decode
