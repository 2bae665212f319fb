// The SDP body of a SIP message (RFC 8866), parsed for the EVE "sdp"
// object Suricata 8 writes inside "sip". Pure functions of bytes.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/parser.h"

namespace pasban::app::sip {

// Lines kept per list (attributes, media, ...): a body is at most
// kMaxBodyKept bytes, this bounds the work of logging a hostile one.
inline constexpr size_t kMaxSdpItems = 64;

struct SdpMedia {
  std::string media;  // "audio 49170 RTP/AVP 0"
  std::optional<std::string> media_info, connection_data, encryption_key;
  std::vector<std::string> bandwidths, attributes;
};

struct SdpTime {
  std::string time;
  std::optional<std::string> repeat_time;
};

struct Sdp {
  unsigned version = 0;
  std::string origin, session_name;
  std::optional<std::string> session_info, uri, email, phone_number, connection_data;
  std::optional<std::string> timezone, encryption_key;
  std::vector<std::string> bandwidths, attributes;
  std::vector<SdpTime> times;
  std::vector<SdpMedia> media;
};

// Parses body as an SDP session description: v=, o= and s= first, in that
// order, then the session's and media's lines. nullopt when it is not one.
std::optional<Sdp> parse_sdp(std::string_view body);

// Writes "sdp": {...}.
void log_sdp(JsonWriter& w, const Sdp& sdp);

}  // namespace pasban::app::sip
