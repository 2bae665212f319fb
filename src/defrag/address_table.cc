#include "defrag/address_table.h"

#include <charconv>

namespace pasban::defrag {

std::optional<Cidr> Cidr::parse(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '"')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '"')) text.remove_suffix(1);
  std::string_view addr = text, len_text;
  if (auto slash = text.find('/'); slash != std::string_view::npos) {
    addr = text.substr(0, slash);
    len_text = text.substr(slash + 1);
  }
  auto ip = core::IpAddress::parse(addr);
  if (!ip) return std::nullopt;
  const unsigned max_len = ip->is_v4() ? 32 : 128;
  unsigned len = max_len;
  if (!len_text.empty()) {
    auto [end, ec] = std::from_chars(len_text.data(), len_text.data() + len_text.size(), len);
    if (ec != std::errc() || end != len_text.data() + len_text.size() || len > max_len)
      return std::nullopt;
  }
  Cidr c;
  c.network = *ip;
  c.prefix_len = uint8_t(len);
  // Clear the host bits so contains() compares whole bytes.
  for (unsigned bit = len; bit < max_len; ++bit)
    c.network.bytes[bit / 8] &= uint8_t(~(0x80u >> (bit % 8)));
  return c;
}

bool Cidr::contains(const core::IpAddress& a) const {
  if (a.family != network.family) return false;
  const unsigned full = prefix_len / 8, rest = prefix_len % 8;
  for (unsigned i = 0; i < full; ++i)
    if (a.bytes[i] != network.bytes[i]) return false;
  if (rest == 0) return true;
  const uint8_t mask = uint8_t(0xff << (8 - rest));
  return (a.bytes[full] & mask) == network.bytes[full];
}

}  // namespace pasban::defrag
