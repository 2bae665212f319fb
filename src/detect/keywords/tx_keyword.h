// Keywords that test a protocol transaction's fields rather than a byte
// buffer: dns.opcode, tls.version, urilen, app-layer-event, ... Each is a
// small immutable object shared by the rules that use it.
#pragma once
#include <memory>
#include <string_view>

#include "app/app_proto.h"
#include "app/parser.h"
#include "core/result.h"
#include "decode/packet.h"

namespace pasban::detect::keywords {

class TxKeyword {
 public:
  virtual ~TxKeyword() = default;
  // The protocol whose transactions it reads (kUnknown: any protocol).
  virtual app::AppProto proto() const = 0;
  // Which side of the transaction it needs: 1 request, 2 response, 3 both.
  virtual uint8_t sides() const = 0;
  // p is the packet being inspected (its flow is the transaction's flow).
  virtual bool match(const app::Transaction& tx, const decode::Packet& p) const = 0;
};

using TxKeywordPtr = std::shared_ptr<const TxKeyword>;

// Keywords that test the packet against app-layer or stream state without
// a transaction: app-layer-protocol, stream-event. Evaluated per packet.
class FlowKeyword {
 public:
  virtual ~FlowKeyword() = default;
  virtual bool match(const decode::Packet& p) const = 0;
};

using FlowKeywordPtr = std::shared_ptr<const FlowKeyword>;

// Build side: returns nullptr (and leaves err untouched) when name is not a
// transaction / flow keyword; an error when it is one but value is bad.
TxKeywordPtr make_tx_keyword(std::string_view name, std::string_view value, core::Error& err);
FlowKeywordPtr make_flow_keyword(std::string_view name, std::string_view value, core::Error& err);

}  // namespace pasban::detect::keywords
