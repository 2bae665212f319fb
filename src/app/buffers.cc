#include "app/buffers.h"

#include <array>

namespace pasban::app {
namespace {
struct Info {
  std::string_view name;
  bool to_server;
};
constexpr std::array<Info, size_t(AppBuffer::kCount)> kInfo = {{
#define PASBAN_X(id, name, ts) {name, ts},
    PASBAN_APP_BUFFERS(PASBAN_X)
#undef PASBAN_X
}};
}  // namespace

std::string_view app_buffer_name(AppBuffer b) { return kInfo[size_t(b)].name; }
bool app_buffer_to_server(AppBuffer b) { return kInfo[size_t(b)].to_server; }

std::optional<AppBuffer> app_buffer_by_keyword(std::string_view keyword) {
  for (size_t i = 0; i < kInfo.size(); ++i)
    if (kInfo[i].name == keyword) return AppBuffer(i);
  return std::nullopt;
}

}  // namespace pasban::app
