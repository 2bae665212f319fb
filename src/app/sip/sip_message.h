// SIP messages (RFC 3261 section 7) as pure functions of bytes: the start
// line (request or status line), the header fields with their compact
// forms expanded, and where the body begins and how long it is.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/bytes.h"

namespace pasban::app::sip {

// Limits that keep one message's memory bounded whatever the peer sends.
inline constexpr size_t kMaxHeaderBytes = 32 * 1024;  // start line + headers
inline constexpr size_t kMaxHeaders = 256;
inline constexpr size_t kMaxBodyKept = 64 * 1024;     // body bytes kept per message

struct SipHeader {
  std::string name;   // canonical long form ("From" for "f"), as the wire spells it otherwise
  std::string value;  // leading/trailing blanks removed, folded lines joined by a space
};

struct SipMessage {
  bool is_request = false;
  // Request line: METHOD SP Request-URI SP SIP-Version.
  std::string method, uri;
  // Status line: SIP-Version SP Status-Code SP Reason-Phrase.
  std::string code, reason;
  std::string version;     // "SIP/2.0"
  std::string start_line;  // the whole first line without its line end
  std::vector<SipHeader> headers;
  std::string body;        // at most kMaxBodyKept bytes

  // Values of the header whose name equals `name` case-insensitively.
  const std::string* header(std::string_view name, uint32_t index) const;
};

enum class HeadStatus : uint8_t {
  kOk,        // start line and headers parsed
  kNeedMore,  // no end of the header section yet
  kInvalid,   // not a SIP start line, or a malformed header
  kTooLong,   // no end of the header section within kMaxHeaderBytes
};

// Where the header section ends: the offset just past its empty line, or
// npos. `from` lets a caller that already scanned a prefix skip it.
size_t find_head_end(std::string_view data, size_t from = 0);

// Parses the start line and headers in head (which ends with the empty line).
HeadStatus parse_head(std::string_view head, SipMessage& m);

// The Content-Length value of m: -1 when absent, -2 when not a number.
int64_t content_length(const SipMessage& m);

// Whether data begins like a SIP message: 1 yes, 0 too short to tell, -1 no.
// more_may_come: a TCP stream's first bytes (a UDP datagram is whole, so an
// unfinished start line there is a no). Keep-alive CRLFs alone are 0.
int looks_like_sip(core::Bytes data, bool more_may_come);

// "f" -> "From", ... (RFC 3261 section 7.3.3 and the registry's later
// additions); the name itself when it is not a compact form.
std::string_view expand_compact_name(std::string_view name);

}  // namespace pasban::app::sip
