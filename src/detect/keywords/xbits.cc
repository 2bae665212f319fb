#include "detect/keywords/xbits.h"

#include <vector>

#include "detect/keywords/numeric.h"

namespace pasban::detect::keywords {
namespace {

std::vector<std::string_view> split_commas(std::string_view v) {
  std::vector<std::string_view> out;
  v = trim(v);
  while (!v.empty()) {
    auto comma = v.find(',');
    out.push_back(trim(v.substr(0, comma)));
    v = comma == std::string_view::npos ? std::string_view{} : v.substr(comma + 1);
  }
  return out;
}

bool parse_op(std::string_view s, Xbits::Op& op) {
  static const std::pair<std::string_view, Xbits::Op> kOps[] = {
      {"set", Xbits::kSet},     {"unset", Xbits::kUnset},       {"toggle", Xbits::kToggle},
      {"isset", Xbits::kIsSet}, {"isnotset", Xbits::kIsNotSet}, {"noalert", Xbits::kNoAlert},
  };
  for (const auto& [name, o] : kOps)
    if (s == name) {
      op = o;
      return true;
    }
  return false;
}

bool valid_name(std::string_view n) {
  if (n.empty()) return false;
  for (char c : n)
    if (c == ' ' || c == '\t' || c == ';' || c == ',') return false;
  return true;
}

// The value after a "word " prefix ("track ip_src" -> "ip_src").
bool after_word(std::string_view item, std::string_view word, std::string_view& out) {
  if (!item.starts_with(word) || item.size() <= word.size()) return false;
  if (item[word.size()] != ' ' && item[word.size()] != '\t') return false;
  out = trim(item.substr(word.size()));
  return !out.empty();
}

}  // namespace

core::Result<Xbits> Xbits::parse_xbits(std::string_view value, const Interner& intern) {
  auto parts = split_commas(value);
  Xbits x;
  x.is_xbits = true;
  if (parts.empty() || !parse_op(parts[0], x.op))
    return core::make_error("xbits: unknown command '" + std::string(parts.empty() ? "" : parts[0]) + "'");
  if (x.op == kNoAlert) {
    if (parts.size() != 1) return core::make_error("xbits: noalert takes no arguments");
    return x;
  }
  if (parts.size() < 3) return core::make_error("xbits: expected 'cmd,name,track ip_src|ip_dst|ip_pair'");
  if (!valid_name(parts[1])) return core::make_error("xbits: invalid name '" + std::string(parts[1]) + "'");
  std::string_view track;
  if (!after_word(parts[2], "track", track)) return core::make_error("xbits: 'track' is required");
  if (track == "ip_src") x.track = kIpSrc;
  else if (track == "ip_dst") x.track = kIpDst;
  else if (track == "ip_pair") x.track = kIpPair;
  else return core::make_error("xbits: unsupported track '" + std::string(track) + "'");
  for (size_t i = 3; i < parts.size(); ++i) {
    std::string_view exp;
    if (!after_word(parts[i], "expire", exp))
      return core::make_error("xbits: unknown option '" + std::string(parts[i]) + "'");
    auto n = parse_uint("xbits", exp, 0xffffffffull);
    if (!n) return n.error();
    if (*n == 0) return core::make_error("xbits: expire must be greater than 0");
    x.expire_s = uint32_t(*n);
  }
  x.name = std::string(parts[1]);
  x.id = intern(x.track == kIpPair, x.name);
  return x;
}

core::Result<Xbits> Xbits::parse_hostbits(std::string_view value, const Interner& intern) {
  auto parts = split_commas(value);
  Xbits x;
  x.expire_s = kHostbitsDefaultExpire;
  if (parts.empty() || !parse_op(parts[0], x.op))
    return core::make_error("hostbits: unknown command '" + std::string(parts.empty() ? "" : parts[0]) + "'");
  if (parts.size() > 3) return core::make_error("hostbits: too many arguments");
  if (x.op == kNoAlert) {
    if (parts.size() != 1) return core::make_error("hostbits: noalert takes no name");
    return x;
  }
  if (parts.size() < 2 || !valid_name(parts[1]))
    return core::make_error("hostbits: '" + std::string(parts[0]) + "' needs a name");
  if (parts.size() == 3) {
    if (parts[2] == "src") x.track = kIpSrc;
    else if (parts[2] == "dst") x.track = kIpDst;
    else if (parts[2] == "both") return core::make_error("hostbits: 'both' is not supported");
    else return core::make_error("hostbits: invalid direction '" + std::string(parts[2]) + "'");
  }
  x.name = std::string(parts[1]);
  x.id = intern(false, x.name);
  return x;
}

flow::HostKey Xbits::key(const decode::Packet& p) const {
  switch (track) {
    case kIpSrc: return flow::HostKey::host(p.src);
    case kIpDst: return flow::HostKey::host(p.dst);
    case kIpPair: break;
  }
  return flow::HostKey::ip_pair(p.src, p.dst);
}

bool Xbits::check(const decode::Packet& p, flow::HostBitTable& hosts) const {
  if (p.ip_version == 0) return false;
  const bool set = hosts.isset(key(p), id, p.ts);
  return op == kIsSet ? set : op == kIsNotSet ? !set : true;
}

void Xbits::apply(const decode::Packet& p, flow::HostBitTable& hosts) const {
  if (p.ip_version == 0) return;
  switch (op) {
    case kSet: hosts.set(key(p), id, p.ts, expire_s); break;
    case kUnset: hosts.unset(key(p), id); break;
    case kToggle: hosts.toggle(key(p), id, p.ts, expire_s); break;
    default: break;
  }
}

}  // namespace pasban::detect::keywords
