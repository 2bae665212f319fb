// TCP (RFC 9293) header and options, with Suricata's checks: a header that
// does not fit the segment is tcp.hlen_too_small; a data offset below 5
// wraps Suricata's 8-bit option length and is tcp.invalid_optlen.
#include "decode/layers.h"
#include "wire/tcp.h"

namespace pasban::decode::detail {

namespace {

// Expected lengths (RFC 9293 3.2, RFC 7323, RFC 2018).
constexpr uint8_t kMssLen = 4;
constexpr uint8_t kWsLen = 3;
constexpr uint8_t kSackOkLen = 2;
constexpr uint8_t kTsLen = 10;
constexpr uint8_t kSackMinLen = 10;  // one block
constexpr uint8_t kSackMaxLen = 34;  // four blocks
constexpr uint8_t kWscaleMax = 14;   // RFC 7323 2.3: larger shifts are treated as 14...

void decode_options(Ctx& c, core::Bytes opts) {
  Packet& p = c.p;
  while (!opts.empty()) {
    const uint8_t kind = opts[0];
    if (kind == wire::kTcpOptEol) break;
    if (kind == wire::kTcpOptNop) {
      opts = opts.subspan(1);
      continue;
    }
    if (opts.size() < 2) break;
    const uint8_t len = opts[1];
    if (len > opts.size() || len < 2) {
      c.invalid_event(Event::kTcpOptInvalidLen);
      return;
    }
    const core::Bytes data = opts.subspan(2, len - 2);
    opts = opts.subspan(len);

    // Each kind: wrong length -> opt_invalid_len, second copy -> opt_duplicate.
    auto check = [&](bool len_ok, bool already) {
      if (!len_ok) {
        c.event(Event::kTcpOptInvalidLen);
        return false;
      }
      if (already) {
        c.event(Event::kTcpOptDuplicate);
        return false;
      }
      return true;
    };
    switch (kind) {
      case wire::kTcpOptMss:
        if (check(len == kMssLen, p.tcp_has_mss)) {
          p.tcp_has_mss = true;
          p.tcp_mss = core::load_be16(data.data());
        }
        break;
      case wire::kTcpOptWs:
        if (check(len == kWsLen, p.tcp_has_wscale)) {
          p.tcp_has_wscale = true;
          // ...but Suricata reads an out-of-range shift as 0.
          p.tcp_wscale = data[0] <= kWscaleMax ? data[0] : 0;
        }
        break;
      case wire::kTcpOptSackOk:
        if (check(len == kSackOkLen, p.tcp_has_sackok)) p.tcp_has_sackok = true;
        break;
      case wire::kTcpOptTs:
        if (check(len == kTsLen, p.tcp_has_ts)) {
          p.tcp_has_ts = true;
          p.tcp_tsval = core::load_be32(data.data());
          p.tcp_tsecr = core::load_be32(data.data() + 4);
        }
        break;
      case wire::kTcpOptSack:
        // An empty SACK (length 2, no blocks) is sent by real stacks and is
        // not an anomaly for Suricata (suricata-verify tcp-empty-sack).
        if (check(len == 2 || (len >= kSackMinLen && len <= kSackMaxLen && (len - 2) % 8 == 0),
                  p.tcp_has_sack)) {
          p.tcp_has_sack = true;
          p.tcp_sack = data;
        }
        break;
      default:
        break;
    }
  }
}

}  // namespace

void decode_tcp(Ctx& c, core::Bytes segment) {
  Packet& p = c.p;
  c.count(kCtrTcp);
  auto tcp = wire::TcpView::from(segment);
  if (!tcp) {
    c.invalid_event(Event::kTcpPktTooSmall);
    return;
  }
  const size_t hlen = tcp->header_length();
  if (segment.size() < hlen) {
    c.invalid_event(Event::kTcpHlenTooSmall);
    return;
  }
  if (hlen < wire::TcpView::kMinSize) {
    c.invalid_event(Event::kTcpInvalidOptLen);
    return;
  }
  p.l4_header = segment.first(hlen);
  if (hlen > wire::TcpView::kMinSize) decode_options(c, p.l4_header.subspan(wire::TcpView::kMinSize));

  p.has_tcp = true;
  p.sp = tcp->src_port();
  p.dp = tcp->dst_port();
  p.tcp_seq = tcp->seq();
  p.tcp_ack = tcp->ack();
  p.tcp_flags = tcp->flags();
  p.tcp_window = tcp->window();
  p.payload = segment.subspan(hlen);
  if (c.options.verify_checksums) p.l4_csum = l4_checksum(p);
}

}  // namespace pasban::decode::detail
