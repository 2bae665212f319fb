// SIP over UDP (one message per datagram) and TCP (messages framed by
// their header section and Content-Length, RFC 3261 18.3). As in
// Suricata, every message is its own transaction: a request and its
// responses are separate transactions, each complete once parsed.
#pragma once
#include <array>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/parser.h"
#include "app/sip/sip_message.h"
#include "app/sip/sip_sdp.h"

namespace pasban::app::sip {

// Suricata's SIP app-layer events.
inline constexpr std::string_view kEventIncompleteData = "sip.incomplete_data";
inline constexpr std::string_view kEventInvalidData = "sip.invalid_data";

class SipTx final : public Transaction {
 public:
  bool buffer(AppBuffer b, uint32_t index, core::Bytes& out) const override;
  bool complete(bool) const override { return true; }
  void log(JsonWriter& w) const override;

  SipMessage message;
  std::optional<Sdp> sdp;  // the body, when it is a session description
  // The message's direction: EVE sip records take it (Suricata logs sip
  // with LOG_DIR_PACKET), so a response's src_ip is the responder.
  bool to_server = true;
  std::vector<std::string_view> events;
};

class SipParser final : public Parser {
 public:
  // Transactions kept before the oldest is dropped (a flood of datagrams
  // on a flow nobody logs must not grow without bound).
  static constexpr size_t kMaxTransactions = 1024;

  explicit SipParser(bool tcp) : tcp_(tcp) {}

  void feed(bool to_server, core::Bytes data, core::Timestamp ts) override;
  void on_gap(bool to_server) override;
  void on_close() override;
  size_t tx_count() const override { return txs_.size(); }
  Transaction* tx(size_t i) override { return i < txs_.size() ? txs_[i].get() : nullptr; }
  void trim() override;

  uint64_t dropped_transactions() const { return txs_capped; }
  // A TCP direction that met bytes it could not frame and stopped.
  bool lost(bool to_server) const { return sides_[to_server].lost; }

 private:
  // One direction of a TCP stream: bytes waiting for the end of a header
  // section, or the message whose body is still arriving.
  struct Side {
    std::string pending;
    size_t scanned = 0;           // bytes of pending already searched for the empty line
    bool in_body = false;
    SipMessage message;           // head parsed, body being collected
    uint64_t body_left = 0;
    bool lost = false;
  };

  void feed_udp(bool to_server, std::string_view data);
  void feed_tcp(bool to_server, std::string_view data);
  bool tcp_head(Side& side, bool to_server);
  void give_up(Side& side);
  void emit(SipMessage&& m, bool to_server);
  void raise(std::string_view event, SipTx* tx);

  bool tcp_;
  uint64_t next_tx_id_ = 0;
  std::array<Side, 2> sides_;  // [0] to_client, [1] to_server
  std::deque<std::unique_ptr<SipTx>> txs_;
};

// The content probe: 1 SIP, 0 undecided, -1 not SIP.
int sip_probe_udp(core::Bytes data, bool to_server);
int sip_probe_tcp(core::Bytes data, bool to_server);

}  // namespace pasban::app::sip

namespace pasban::app {
struct ProtocolSpec;
namespace sip {
const ProtocolSpec& sip_protocol();
}  // namespace sip
}  // namespace pasban::app
