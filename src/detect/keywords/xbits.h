// hostbits and xbits: named bits kept per host (track ip_src / ip_dst) or
// per IP pair (track ip_pair) in the worker's HostBitTable, so they cross
// flows. set/unset/toggle are post-match actions; isset/isnotset are
// conditions. Each bit expires (xbits: `expire N`, default 30 s; hostbits
// 300 s), and an expired bit reads as unset. hostbits and xbits with a host
// tracker share one namespace, as in Suricata.
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "core/result.h"
#include "decode/packet.h"
#include "flow/host_table.h"

namespace pasban::detect::keywords {

struct Xbits {
  enum Op : uint8_t { kSet, kUnset, kToggle, kIsSet, kIsNotSet, kNoAlert };
  enum Track : uint8_t { kIpSrc, kIpDst, kIpPair };
  static constexpr uint32_t kXbitsDefaultExpire = 30;
  static constexpr uint32_t kHostbitsDefaultExpire = 300;

  Op op = kSet;
  Track track = kIpSrc;
  uint32_t id = 0;
  uint32_t expire_s = kXbitsDefaultExpire;
  bool is_xbits = false;  // written as xbits (rule ordering tells them apart)
  std::string name;

  // intern(pair, name): ids of host bits (pair false) and ip-pair bits.
  using Interner = std::function<uint32_t(bool pair, std::string_view)>;
  // "cmd,name,track ip_src|ip_dst|ip_pair[,expire N]" or "noalert".
  static core::Result<Xbits> parse_xbits(std::string_view value, const Interner& intern);
  // "cmd[,name[,src|dst]]" or "noalert".
  static core::Result<Xbits> parse_hostbits(std::string_view value, const Interner& intern);

  bool is_condition() const { return op == kIsSet || op == kIsNotSet; }
  bool is_action() const { return op == kSet || op == kUnset || op == kToggle; }
  bool check(const decode::Packet& p, flow::HostBitTable& hosts) const;
  void apply(const decode::Packet& p, flow::HostBitTable& hosts) const;

 private:
  flow::HostKey key(const decode::Packet& p) const;
};

}  // namespace pasban::detect::keywords
