#include "app/mqtt/mqtt_wire.h"

#include <array>

namespace pasban::app::mqtt {
namespace {

constexpr std::array<std::string_view, 16> kTypeNames = {
    "",        "connect", "connack",  "publish",     "puback",   "pubrec",
    "pubrel",  "pubcomp", "subscribe", "suback",     "unsubscribe", "unsuback",
    "pingreq", "pingresp", "disconnect", "auth",
};

enum class PropKind : uint8_t { kNone, kU8, kU16, kU32, kVarint, kString, kBinary, kPair };

struct PropInfo {
  std::string_view name;
  PropKind kind;
};

// MQTT 5.0 section 2.2.2.2, table 2-4; the names are Suricata's EVE keys.
PropInfo prop_info(uint8_t id) {
  switch (id) {
    case 1: return {"payload_format_indicator", PropKind::kU8};
    case 2: return {"message_expiry_interval", PropKind::kU32};
    case 3: return {"content_type", PropKind::kString};
    case 8: return {"response_topic", PropKind::kString};
    case 9: return {"correlation_data", PropKind::kBinary};
    case 11: return {"subscription_identifier", PropKind::kVarint};
    case 17: return {"session_expiry_interval", PropKind::kU32};
    case 18: return {"assigned_client_identifier", PropKind::kString};
    case 19: return {"server_keep_alive", PropKind::kU16};
    case 21: return {"authentication_method", PropKind::kString};
    case 22: return {"authentication_data", PropKind::kBinary};
    case 23: return {"request_problem_information", PropKind::kU8};
    case 24: return {"will_delay_interval", PropKind::kU32};
    case 25: return {"request_response_information", PropKind::kU8};
    case 26: return {"response_information", PropKind::kString};
    case 28: return {"server_reference", PropKind::kString};
    case 31: return {"reason_string", PropKind::kString};
    case 33: return {"receive_maximum", PropKind::kU16};
    case 34: return {"topic_alias_maximum", PropKind::kU16};
    case 35: return {"topic_alias", PropKind::kU16};
    case 36: return {"maximum_qos", PropKind::kU8};
    case 37: return {"retain_available", PropKind::kU8};
    case 38: return {"", PropKind::kPair};
    case 39: return {"maximum_packet_size", PropKind::kU32};
    case 40: return {"wildcard_subscription_available", PropKind::kU8};
    case 41: return {"subscription_identifier_available", PropKind::kU8};
    case 42: return {"shared_subscription_available", PropKind::kU8};
    default: return {"", PropKind::kNone};
  }
}

// A bounds-checked cursor: every read fails (and stays failed) past the end.
class Reader {
 public:
  explicit Reader(core::Bytes b) : b_(b) {}
  bool ok() const { return ok_; }
  size_t left() const { return ok_ ? b_.size() - pos_ : 0; }
  bool need(size_t n) {
    if (!ok_ || b_.size() - pos_ < n) ok_ = false;
    return ok_;
  }
  uint8_t u8() { return need(1) ? b_[pos_++] : 0; }
  uint16_t u16() {
    if (!need(2)) return 0;
    pos_ += 2;
    return core::load_be16(b_.data() + pos_ - 2);
  }
  uint32_t u32() {
    if (!need(4)) return 0;
    pos_ += 4;
    return core::load_be32(b_.data() + pos_ - 4);
  }
  // Variable Byte Integer (section 1.5.5): at most 4 bytes.
  uint32_t varint() {
    uint32_t v = 0;
    for (size_t i = 0; i < kMaxRemainingLengthBytes; ++i) {
      const uint8_t c = u8();
      if (!ok_) return 0;
      v |= uint32_t(c & 0x7f) << (7 * i);
      if (!(c & 0x80)) return v;
    }
    ok_ = false;
    return 0;
  }
  core::Bytes take(size_t n) {
    if (!need(n)) return {};
    pos_ += n;
    return b_.subspan(pos_ - n, n);
  }
  // A 2-byte length and that many bytes (UTF-8 string or binary data).
  std::string string() {
    const uint16_t n = u16();
    return std::string(core::as_chars(take(n)));
  }
  core::Bytes rest() { return take(left()); }

 private:
  core::Bytes b_;
  size_t pos_ = 0;
  bool ok_ = true;
};

// A property block: its length and the properties in it (section 2.2.2).
// An unknown identifier ends the walk (its length cannot be known); the
// block's length still bounds what is consumed.
bool parse_properties(Reader& r, std::optional<std::vector<Property>>& out) {
  const uint32_t len = r.varint();
  Reader p(r.take(len));
  if (!r.ok()) return false;
  out.emplace();
  while (p.left() > 0 && out->size() < kMaxProperties) {
    Property prop;
    prop.id = uint8_t(p.varint());
    const PropKind kind = prop_info(prop.id).kind;
    switch (kind) {
      case PropKind::kNone: return true;
      case PropKind::kU8: prop.number = p.u8(); break;
      case PropKind::kU16: prop.number = p.u16(); break;
      case PropKind::kU32: prop.number = p.u32(); break;
      case PropKind::kVarint: prop.number = p.varint(); break;
      case PropKind::kString:
      case PropKind::kBinary: prop.value = p.string(); break;
      case PropKind::kPair:
        prop.key = p.string();
        prop.value = p.string();
        break;
    }
    if (!p.ok()) return false;
    out->push_back(std::move(prop));
  }
  return true;
}

bool parse_connect(Reader& r, Message& m) {
  m.protocol_string = r.string();
  m.protocol_version = r.u8();
  m.connect_flags = r.u8();
  m.keepalive = r.u16();
  if (!r.ok()) return false;
  const bool v5 = m.protocol_version == 5;
  if (v5 && !parse_properties(r, m.properties)) return false;
  m.client_id = r.string();
  if (m.connect_flags & kFlagWill) {
    if (v5 && !parse_properties(r, m.will_properties)) return false;
    m.will_topic = r.string();
    m.will_message = r.string();
  }
  if (m.connect_flags & kFlagUsername) m.username = r.string();
  if (m.connect_flags & kFlagPassword) m.password = r.string();
  return r.ok();
}

// PUBACK, PUBREC, PUBREL, PUBCOMP: a packet identifier, then in 5.0 an
// optional reason code and optional properties (sections 3.4.2 - 3.7.2).
bool parse_msgid_only(Reader& r, bool v5, Message& m) {
  m.message_id = r.u16();
  // 5.0: a reason code left out means 0x00 Success (section 3.4.2.1).
  if (v5) m.reason_code = r.left() > 0 ? r.u8() : 0;
  if (v5 && r.left() > 0 && !parse_properties(r, m.properties)) return false;
  return r.ok();
}

bool parse_subscribe(Reader& r, bool v5, Message& m) {
  m.message_id = r.u16();
  if (v5 && !parse_properties(r, m.properties)) return false;
  while (r.ok() && r.left() > 0) {
    SubscribeTopic t;
    t.topic = r.string();
    t.qos = r.u8();
    if (!r.ok()) return false;
    if (m.subscribe_topics.size() < kMaxTopics) m.subscribe_topics.push_back(std::move(t));
  }
  return r.ok();
}

bool parse_unsubscribe(Reader& r, bool v5, Message& m) {
  m.message_id = r.u16();
  if (v5 && !parse_properties(r, m.properties)) return false;
  while (r.ok() && r.left() > 0) {
    std::string t = r.string();
    if (!r.ok()) return false;
    if (m.unsubscribe_topics.size() < kMaxTopics) m.unsubscribe_topics.push_back(std::move(t));
  }
  return r.ok();
}

// SUBACK (both versions) and UNSUBACK (5.0 only) end in one code per topic.
bool parse_ack_codes(Reader& r, bool v5, bool codes, Message& m) {
  m.message_id = r.u16();
  if (v5 && !parse_properties(r, m.properties)) return false;
  if (codes) {
    core::Bytes rest = r.rest();
    m.codes.assign(rest.begin(), rest.end());
  }
  return r.ok();
}

// DISCONNECT and AUTH in 5.0: an optional reason code and properties.
bool parse_reason_and_properties(Reader& r, bool v5, Message& m) {
  if (!v5) return true;
  // Left out: 0x00, Normal disconnection / Success (section 3.14.2.1).
  // Suricata reads the code only when the properties length can follow
  // (remaining length 2 or more); a lone code byte counts as 0 too.
  if (r.left() < 2) {
    m.reason_code = 0;
    return true;
  }
  m.reason_code = r.u8();
  if (r.left() > 0 && !parse_properties(r, m.properties)) return false;
  return r.ok();
}

}  // namespace

std::string_view msg_type_name(MsgType t) { return kTypeNames[size_t(t) & 15]; }

std::optional<MsgType> msg_type_by_name(std::string_view name) {
  for (size_t i = 1; i < kTypeNames.size(); ++i) {
    const std::string_view n = kTypeNames[i];
    if (n.size() != name.size()) continue;
    bool same = true;
    for (size_t k = 0; k < n.size() && same; ++k) {
      char c = name[k];
      if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
      same = c == n[k];
    }
    if (same) return MsgType(i);
  }
  return std::nullopt;
}

std::string_view property_name(uint8_t id) { return prop_info(id).name; }

bool property_is_string(uint8_t id) {
  const PropKind k = prop_info(id).kind;
  return k == PropKind::kString || k == PropKind::kBinary || k == PropKind::kPair;
}

HeaderStatus parse_fixed_header(core::Bytes data, FixedHeader& out) {
  if (data.size() < 2) return HeaderStatus::kNeedMore;
  const uint8_t b0 = data[0];
  out.raw_type = b0 >> 4;
  out.type = MsgType(out.raw_type);
  out.dup = b0 & 0x08;
  out.qos = (b0 >> 1) & 3;
  out.retain = b0 & 0x01;
  uint32_t len = 0;
  for (size_t i = 0; i < kMaxRemainingLengthBytes; ++i) {
    if (data.size() < 2 + i) return HeaderStatus::kNeedMore;
    const uint8_t c = data[1 + i];
    len |= uint32_t(c & 0x7f) << (7 * i);
    if (!(c & 0x80)) {
      out.remaining = len;
      out.header_len = uint8_t(2 + i);
      return HeaderStatus::kOk;
    }
  }
  return HeaderStatus::kInvalid;  // a fifth length byte (section 2.2.3)
}

bool parse_body(const FixedHeader& header, core::Bytes body, uint8_t version, Message& out) {
  out.header = header;
  Reader r(body);
  const bool v5 = version == 5;
  switch (header.type) {
    case MsgType::kConnect:
      return parse_connect(r, out);
    case MsgType::kConnack: {
      out.session_present = r.u8() & 1;
      out.return_code = r.u8();
      if (v5 && r.left() > 0 && !parse_properties(r, out.properties)) return false;
      return r.ok();
    }
    case MsgType::kPublish: {
      out.topic = r.string();
      if (header.qos > 0) out.message_id = r.u16();
      if (v5 && !parse_properties(r, out.properties)) return false;
      out.payload = std::string(core::as_chars(r.rest()));
      return r.ok();
    }
    case MsgType::kPuback:
    case MsgType::kPubrec:
    case MsgType::kPubrel:
    case MsgType::kPubcomp:
      return parse_msgid_only(r, v5, out);
    case MsgType::kSubscribe:
      return parse_subscribe(r, v5, out);
    case MsgType::kSuback:
      return parse_ack_codes(r, v5, true, out);
    case MsgType::kUnsubscribe:
      return parse_unsubscribe(r, v5, out);
    case MsgType::kUnsuback:
      return parse_ack_codes(r, v5, v5, out);
    case MsgType::kPingreq:
    case MsgType::kPingresp:
    case MsgType::kReserved:
      return true;
    case MsgType::kDisconnect:
      return parse_reason_and_properties(r, v5, out);
    case MsgType::kAuth:
      // AUTH exists only in 5.0; read it as such whatever was negotiated.
      return parse_reason_and_properties(r, true, out);
  }
  return false;
}

}  // namespace pasban::app::mqtt
