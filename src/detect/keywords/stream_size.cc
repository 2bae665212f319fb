#include "detect/keywords/stream_size.h"

#include <memory>
#include <string>

#include "flow/flow.h"

namespace pasban::detect::keywords {
namespace {

class StreamSizeKeyword final : public FlowKeyword {
 public:
  explicit StreamSizeKeyword(StreamSize s) : s_(s) {}
  bool match(const decode::Packet& p) const override { return s_.match(p); }

 private:
  StreamSize s_;
};

}  // namespace

core::Result<StreamSize> StreamSize::parse(std::string_view value) {
  std::string_view parts[3];
  size_t n = 0;
  std::string_view rest = trim(value);
  while (!rest.empty() && n < 3) {
    auto comma = rest.find(',');
    parts[n++] = trim(rest.substr(0, comma));
    rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
  }
  if (n != 3 || !rest.empty())
    return core::make_error("stream_size: expected '<server|client|both|either>,<op>,<number>'");
  StreamSize s;
  if (parts[0] == "server") s.side = kServer;
  else if (parts[0] == "client") s.side = kClient;
  else if (parts[0] == "both") s.side = kBoth;
  else if (parts[0] == "either") s.side = kEither;
  else return core::make_error("stream_size: invalid side '" + std::string(parts[0]) + "'");
  static const std::pair<std::string_view, NumCmp::Op> kOps[] = {
      {"<", NumCmp::kLt}, {">", NumCmp::kGt}, {"=", NumCmp::kEq}, {"==", NumCmp::kEq},
      {"!=", NumCmp::kNe}, {"<=", NumCmp::kLe}, {">=", NumCmp::kGe},
  };
  bool found = false;
  for (const auto& [text, op] : kOps)
    if (parts[1] == text) {
      s.cmp.op = op;
      found = true;
    }
  if (!found) return core::make_error("stream_size: invalid operator '" + std::string(parts[1]) + "'");
  if (parts[2].empty() || parts[2][0] < '0' || parts[2][0] > '9')
    return core::make_error("stream_size: invalid number '" + std::string(parts[2]) + "'");
  auto v = parse_uint("stream_size", parts[2], 0xffffffffull);
  if (!v) return v.error();
  s.cmp.a = *v;
  return s;
}

bool StreamSize::match(const decode::Packet& p) const noexcept {
  if (!p.has_tcp || !p.flow) return false;
  auto size = [&](int i) -> uint64_t {
    const auto& s = p.flow->tcp_seq[i];
    return s.known ? uint32_t(s.next_seq - s.isn) : 0;
  };
  const uint64_t client = size(0), server = size(1);
  switch (side) {
    case kServer: return cmp.match(server);
    case kClient: return cmp.match(client);
    case kBoth: return cmp.match(server) && cmp.match(client);
    case kEither: return cmp.match(server) || cmp.match(client);
  }
  return false;
}

FlowKeywordPtr make_stream_size(std::string_view, std::string_view value, core::Error& err) {
  auto s = StreamSize::parse(value);
  if (!s) {
    err = s.error();
    return nullptr;
  }
  return std::make_shared<StreamSizeKeyword>(*s);
}

}  // namespace pasban::detect::keywords
