// MQTT control packets as pure functions of bytes: the fixed header
// (MQTT 3.1.1 section 2.2, 5.0 section 2.1) and each packet's variable
// header and payload for protocol levels 3 (3.1), 4 (3.1.1) and 5 (5.0,
// which adds reason codes and properties). Every length is checked against
// the packet's remaining length; nothing here keeps state.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/bytes.h"

namespace pasban::app::mqtt {

enum class MsgType : uint8_t {
  kReserved = 0,  // unassigned (MQTT 3.1.1); 15 is AUTH only in 5.0
  kConnect = 1,
  kConnack = 2,
  kPublish = 3,
  kPuback = 4,
  kPubrec = 5,
  kPubrel = 6,
  kPubcomp = 7,
  kSubscribe = 8,
  kSuback = 9,
  kUnsubscribe = 10,
  kUnsuback = 11,
  kPingreq = 12,
  kPingresp = 13,
  kDisconnect = 14,
  kAuth = 15,
};

// "connect", "connack", ... (the EVE object names); "" for kReserved.
std::string_view msg_type_name(MsgType t);
// Upper or lower case names ("CONNECT", "publish"); nullopt otherwise.
std::optional<MsgType> msg_type_by_name(std::string_view name);

// Remaining Length is at most 4 bytes of 7 bits (section 2.2.3).
inline constexpr size_t kMaxRemainingLengthBytes = 4;
inline constexpr uint32_t kMaxRemainingLength = 268435455;
// A v5 property block may hold at most this many properties we keep; the
// rest are skipped (bounds the work and the log of a hostile packet).
inline constexpr size_t kMaxProperties = 256;
// Topics kept per SUBSCRIBE / UNSUBSCRIBE packet.
inline constexpr size_t kMaxTopics = 4096;

struct FixedHeader {
  MsgType type = MsgType::kReserved;
  uint8_t raw_type = 0;  // the 4-bit value as sent
  bool dup = false;
  uint8_t qos = 0;  // bits 1-2 of the flags (3 is invalid)
  bool retain = false;
  uint32_t remaining = 0;  // bytes after the fixed header
  uint8_t header_len = 0;  // 2..5
};

enum class HeaderStatus { kOk, kNeedMore, kInvalid };
// Reads a fixed header at the start of data.
HeaderStatus parse_fixed_header(core::Bytes data, FixedHeader& out);

// A v5 property (section 2.2.2.2). Numeric ones fill `number`, string and
// binary ones `value`, the user property (38) `key` and `value`.
struct Property {
  uint8_t id = 0;
  uint32_t number = 0;
  std::string key, value;
};
// The EVE key of property id ("receive_maximum", ...); "" when unknown.
std::string_view property_name(uint8_t id);
// True when the property's value is a string or binary data.
bool property_is_string(uint8_t id);

struct SubscribeTopic {
  std::string topic;
  uint8_t qos = 0;  // the whole subscription options byte
};

// One decoded control packet. Only the fields of its type are set.
struct Message {
  FixedHeader header;
  // A packet longer than the configured maximum: only its header was read
  // and its skipped_length bytes (header included) were passed over.
  bool truncated = false;
  uint64_t skipped_length = 0;

  // CONNECT (3.1)
  std::string protocol_string;
  uint8_t protocol_version = 0;
  uint8_t connect_flags = 0;
  uint16_t keepalive = 0;
  std::string client_id;
  std::optional<std::string> will_topic, will_message, username, password;
  std::optional<std::vector<Property>> will_properties;
  // Properties of any v5 packet that carries them.
  std::optional<std::vector<Property>> properties;

  // CONNACK (3.2)
  bool session_present = false;
  uint8_t return_code = 0;

  // PUBLISH (3.3); message_id also for PUBACK..PUBCOMP, (UN)SUBSCRIBE,
  // (UN)SUBACK.
  std::string topic;
  std::string payload;
  std::optional<uint16_t> message_id;

  // PUBACK, PUBREC, PUBREL, PUBCOMP, DISCONNECT, AUTH (v5)
  std::optional<uint8_t> reason_code;

  // SUBSCRIBE (3.8) / UNSUBSCRIBE (3.10)
  std::vector<SubscribeTopic> subscribe_topics;
  std::vector<std::string> unsubscribe_topics;
  // SUBACK granted QoS / v5 reason codes; UNSUBACK v5 reason codes.
  std::vector<uint8_t> codes;
};

// CONNECT flag bits (section 3.1.2.3).
inline constexpr uint8_t kFlagUsername = 0x80;
inline constexpr uint8_t kFlagPassword = 0x40;
inline constexpr uint8_t kFlagWillRetain = 0x20;
inline constexpr uint8_t kFlagWill = 0x04;
inline constexpr uint8_t kFlagCleanSession = 0x02;

// Decodes the packet after its fixed header: body is exactly
// header.remaining bytes. version is the connection's protocol level (5
// adds properties); a CONNECT carries its own. False when the packet is
// malformed.
bool parse_body(const FixedHeader& header, core::Bytes body, uint8_t version, Message& out);

}  // namespace pasban::app::mqtt
