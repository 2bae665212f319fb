// Helpers shared by the app-layer parser tests: feed one direction's bytes
// whole, cut once, or in small pieces, and read a transaction's EVE object.
#pragma once
#include <rapidjson/stringbuffer.h>

#include <algorithm>
#include <string>
#include <string_view>

#include "app/parser.h"
#include "core/bytes.h"

namespace pasban::app::test_util {

// Feeds bytes cut once at `split` (when inside them), else in pieces of at
// most `chunk` bytes (0: whole).
inline void feed_pieces(Parser& p, bool to_server, std::string_view bytes, size_t chunk = 0,
                        size_t split = 0) {
  core::Bytes b = core::as_bytes(bytes);
  if (split && split < b.size()) {
    p.feed(to_server, b.first(split), {});
    p.feed(to_server, b.subspan(split), {});
  } else if (chunk) {
    for (size_t off = 0; off < b.size(); off += chunk)
      p.feed(to_server, b.subspan(off, std::min(chunk, b.size() - off)), {});
  } else {
    p.feed(to_server, b, {});
  }
}

// The transaction's EVE object ({"proto": {...}}).
inline std::string tx_json(const Transaction& tx) {
  rapidjson::StringBuffer sb;
  JsonWriter w(sb);
  w.StartObject();
  tx.log(w);
  w.EndObject();
  return sb.GetString();
}

}  // namespace pasban::app::test_util
