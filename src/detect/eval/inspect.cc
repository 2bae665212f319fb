#include "detect/eval/inspect.h"

#include <algorithm>

namespace pasban::detect::eval {
namespace {

// A position taken from a byte_extract/byte_math variable is read as 32
// bits, as Suricata casts it: distance as int32, offset, depth and within as
// uint32. The variable holds any 64-bit value the packet supplies; used
// whole, cursor + distance + within overflowed int64 (undefined behaviour,
// found by UBSan with an 8-byte byte_extract of 0x7fff...).
int64_t value_of(int32_t literal, int8_t slot, const keywords::ByteVars& vars,
                 bool is_signed = false) {
  if (slot < 0) return literal;
  const uint32_t v = uint32_t(vars.v[size_t(slot)]);
  return is_signed ? int64_t(int32_t(v)) : int64_t(v);
}

bool run(const std::vector<BufferItem>& items, size_t i, core::Bytes buf, uint32_t cursor,
         InspectScratch& s) noexcept;

// Longest value a capture keeps: bounds what one variable can hold.
constexpr size_t kMaxCaptureBytes = 64 * 1024;

void store_captures(const keywords::Pcre& p, core::Bytes buf, uint32_t cursor,
                    InspectScratch& s) noexcept {
  for (const auto& c : p.captures) {
    core::Bytes g = p.group(buf, cursor, s.match_data, c.group);
    if (g.empty()) continue;
    if (g.size() > kMaxCaptureBytes) g = g.first(kMaxCaptureBytes);
    std::string_view v = core::as_chars(g);
    PendingCapture* slot = nullptr;
    for (auto& pc : s.captures)
      if (pc.pkt == c.pkt && pc.id == c.id) slot = &pc;
    try {
      if (!slot) slot = &s.captures.emplace_back(PendingCapture{c.pkt, c.id, {}});
      slot->value.assign(v);
    } catch (...) {
      // Out of memory: the capture is lost, detection goes on.
    }
  }
}

// Tries the content at every position its window allows, continuing with
// the rest of the items after each, until one path matches.
bool run_content(const keywords::Content& c, const std::vector<BufferItem>& items, size_t i,
                 core::Bytes buf, uint32_t cursor, InspectScratch& s) noexcept {
  const int64_t size = int64_t(buf.size());
  const int64_t len = int64_t(c.bytes.size());
  int64_t start = 0, end = size;
  if (c.startswith) {
    end = std::min<int64_t>(size, len);
  } else if (c.relative()) {
    int64_t dist = c.has_distance ? value_of(c.distance, c.distance_var, s.vars, /*is_signed=*/true) : 0;
    start = int64_t(cursor) + dist;
    if (c.has_within) end = std::min(end, int64_t(cursor) + dist + value_of(c.within, c.within_var, s.vars));
    if (start < 0) start = 0;
  } else {
    if (c.has_offset) start = value_of(c.offset, c.offset_var, s.vars);
    if (c.has_depth) end = std::min(end, start + value_of(c.depth, c.depth_var, s.vars));
  }
  if (c.endswith) {
    // Only one position can end at the end of the buffer.
    int64_t pos = size - len;
    bool hit = pos >= start && size <= end && pos >= 0 &&
               keywords::find_bytes(buf, size_t(pos), size_t(size), c.bytes, c.nocase) == pos;
    if (c.negated) return !hit && run(items, i + 1, buf, cursor, s);
    return hit && run(items, i + 1, buf, uint32_t(size), s);
  }
  if (start > end || start > size) return c.negated && run(items, i + 1, buf, cursor, s);
  if (c.negated) {
    if (keywords::find_bytes(buf, size_t(start), size_t(end), c.bytes, c.nocase) >= 0) return false;
    return run(items, i + 1, buf, cursor, s);
  }
  while (start <= end) {
    if (++s.steps > s.step_limit) return false;
    int64_t pos = keywords::find_bytes(buf, size_t(start), size_t(end), c.bytes, c.nocase);
    if (pos < 0) return false;
    if (run(items, i + 1, buf, uint32_t(pos + len), s)) return true;
    // Later items failed: retry from the next position only when something
    // after this content depends on where it matched.
    bool later_relative = false;
    for (size_t j = i + 1; j < items.size() && !later_relative; ++j) {
      if (auto* n = std::get_if<keywords::Content>(&items[j])) later_relative = n->relative();
      else if (auto* p = std::get_if<keywords::Pcre>(&items[j])) later_relative = p->relative;
      else if (std::holds_alternative<keywords::Base64Decode>(items[j])) later_relative = false;
      else later_relative = true;  // byte_* and isdataat may be relative
    }
    if (!later_relative) return false;
    start = pos + 1;
  }
  return false;
}

bool run(const std::vector<BufferItem>& items, size_t i, core::Bytes buf, uint32_t cursor,
         InspectScratch& s) noexcept {
  if (i == items.size()) return true;
  const BufferItem& item = items[i];
  switch (item.index()) {
    case 0:
      return run_content(std::get<keywords::Content>(item), items, i, buf, cursor, s);
    case 1: {
      const auto& p = std::get<keywords::Pcre>(item);
      if (++s.steps > s.step_limit) return false;
      uint32_t end = 0;
      bool hit = p.search(buf, cursor, s.match_data, end);
      if (p.negated) return !hit && run(items, i + 1, buf, cursor, s);
      if (hit && !p.captures.empty()) store_captures(p, buf, cursor, s);
      return hit && run(items, i + 1, buf, end, s);
    }
    case 2:
      return std::get<keywords::ByteTest>(item).match(buf, cursor, s.vars) &&
             run(items, i + 1, buf, cursor, s);
    case 3: {
      uint32_t c = cursor;
      return std::get<keywords::ByteJump>(item).apply(buf, c, s.vars) &&
             run(items, i + 1, buf, c, s);
    }
    case 4: {
      uint32_t c = cursor;
      return std::get<keywords::ByteExtract>(item).apply(buf, c, s.vars) &&
             run(items, i + 1, buf, c, s);
    }
    case 5: {
      uint32_t c = cursor;
      return std::get<keywords::ByteMath>(item).apply(buf, c, s.vars) &&
             run(items, i + 1, buf, c, s);
    }
    case 6:
      return std::get<keywords::IsDataAt>(item).match(buf, cursor, s.vars) &&
             run(items, i + 1, buf, cursor, s);
    case 7:
      return std::get<Bsize>(item).match(buf.size()) && run(items, i + 1, buf, cursor, s);
    case 8: {
      // Suricata inspects base64_data where the decode happens and stops
      // there: a match ends the list (base64_data is terminal), and a
      // decode with no base64_data list, or with nothing decoded, fails.
      if (!s.base64_data || !std::get<keywords::Base64Decode>(item).decode(buf, cursor, s.base64))
        return false;
      return run(*s.base64_data, 0, core::as_bytes(s.base64), 0, s);
    }
  }
  return false;
}

}  // namespace

bool inspect_buffer(const std::vector<BufferItem>& items, core::Bytes buf,
                    InspectScratch& s) noexcept {
  return run(items, 0, buf, 0, s);
}

}  // namespace pasban::detect::eval
