// stream_size: compares how far a TCP session's sequence numbers have
// advanced (next expected sequence number minus the ISN, so the SYN and a
// FIN count) for the server side, the client side, both or either.
//   stream_size:server,<,1111;
#pragma once
#include <cstdint>
#include <string_view>

#include "core/result.h"
#include "detect/keywords/numeric.h"
#include "detect/keywords/tx_keyword.h"

namespace pasban::detect::keywords {

struct StreamSize {
  enum Side : uint8_t { kServer, kClient, kBoth, kEither };
  Side side = kServer;
  NumCmp cmp;

  static core::Result<StreamSize> parse(std::string_view value);
  bool match(const decode::Packet& p) const noexcept;
};

FlowKeywordPtr make_stream_size(std::string_view name, std::string_view value, core::Error& err);

}  // namespace pasban::detect::keywords
