// TLS wire format (RFC 5246, RFC 8446): pure functions of bytes. Records,
// handshake headers, ClientHello, ServerHello and the Certificate list.
// Nothing here keeps state; every length is checked before it is used and
// every loop is bounded by the bytes it walks or a named constant.
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/bytes.h"

namespace pasban::app::tls {

// RFC 5246 6.2.1: a record header is type(1) version(2) length(2).
inline constexpr size_t kRecordHeaderLen = 5;
// RFC 5246 6.2.3: TLSCiphertext.length is at most 2^14 + 2048.
inline constexpr size_t kMaxRecordLen = 16384 + 2048;
// Handshake header: msg_type(1) length(3).
inline constexpr size_t kHandshakeHeaderLen = 4;
// A handshake message may span records (certificate chains do). Larger
// messages are an anomaly and end parsing of that direction (memory bound).
inline constexpr size_t kMaxHandshakeMessageLen = 256 * 1024;
// RFC 6066 3: a host_name is a DNS name, at most 255 bytes.
inline constexpr size_t kMaxSniLen = 255;
// Bounds on what one hello may carry; the wire lengths already bound these
// (2-byte vectors), the constants keep memory per flow predictable.
inline constexpr size_t kMaxExtensions = 256;
inline constexpr size_t kMaxAlpns = 64;
inline constexpr size_t kMaxCertsInChain = 32;

enum class ContentType : uint8_t {
  kChangeCipherSpec = 20,
  kAlert = 21,
  kHandshake = 22,
  kApplicationData = 23,
  kHeartbeat = 24,
};

enum class HandshakeType : uint8_t {
  kHelloRequest = 0,
  kClientHello = 1,
  kServerHello = 2,
  kNewSessionTicket = 4,
  kCertificate = 11,
  kServerKeyExchange = 12,
  kCertificateRequest = 13,
  kServerHelloDone = 14,
  kCertificateVerify = 15,
  kClientKeyExchange = 16,
  kFinished = 20,
};

// Extension types (IANA registry) this parser looks into.
inline constexpr uint16_t kExtServerName = 0;
inline constexpr uint16_t kExtSupportedGroups = 10;
inline constexpr uint16_t kExtEcPointFormats = 11;
inline constexpr uint16_t kExtSignatureAlgorithms = 13;
inline constexpr uint16_t kExtAlpn = 16;
inline constexpr uint16_t kExtSupportedVersions = 43;

// Versions as Suricata names them (top byte major, low byte minor).
inline constexpr uint16_t kVersionUnknown = 0x0000;
inline constexpr uint16_t kSsl2 = 0x0200;
inline constexpr uint16_t kSsl3 = 0x0300;
inline constexpr uint16_t kTls10 = 0x0301;
inline constexpr uint16_t kTls11 = 0x0302;
inline constexpr uint16_t kTls12 = 0x0303;
inline constexpr uint16_t kTls13 = 0x0304;
// Suricata's marker for TLS 1.3 drafts 1-15, which carried 0x0304 or
// 0x7f01..0x7f0f in the hello version field.
inline constexpr uint16_t kTls13PreDraft16 = 0x7f01;

struct RecordHeader {
  uint8_t type = 0;
  uint16_t version = 0;
  uint16_t length = 0;
};

// RFC 8701: the 16 GREASE values 0x0a0a, 0x1a1a, ... 0xfafa.
constexpr bool is_grease(uint16_t v) {
  return (v & 0x0f0f) == 0x0a0a && (v >> 8) == (v & 0xff);
}

// Header of a record; nullopt when fewer than 5 bytes.
std::optional<RecordHeader> parse_record_header(core::Bytes b);
bool is_known_content_type(uint8_t type);
// SSL 3.0 .. TLS 1.3 record versions (major 3, minor 0..4).
bool is_valid_record_version(uint16_t version);

// Suricata's tls.version string: "TLSv1", "TLS 1.2", "TLS 1.3 draft-28",
// "UNDETERMINED"; unknown values in decimal as Suricata 8 prints them.
std::string version_string(uint16_t version);

struct HandshakeHeader {
  uint8_t type = 0;
  uint32_t length = 0;
};
std::optional<HandshakeHeader> parse_handshake_header(core::Bytes b);

// Why a hello or certificate could not be parsed (Suricata event names,
// without the "tls." prefix the parser adds).
enum class WireError : uint8_t {
  kNone,
  kHandshakeInvalidLength,  // a length runs past its container
  kInvalidSniType,
  kInvalidSniLength,
  kInvalidCertificate,
  kCertificateInvalidLength,
};
std::string_view wire_error_event(WireError e);

struct ClientHello {
  uint16_t version = 0;  // legacy_version
  std::array<uint8_t, 32> random{};
  std::vector<uint8_t> session_id;
  std::vector<uint16_t> ciphers;  // wire order, GREASE included
  std::vector<uint8_t> compression;
  std::vector<uint16_t> extensions;  // wire order, GREASE included
  bool has_sni = false;
  std::string sni;            // first host_name
  bool multiple_sni = false;  // RFC 5246 7.4.1.4 allows one per type
  std::vector<uint16_t> supported_versions;  // GREASE included
  std::vector<uint16_t> groups;              // GREASE included
  std::vector<uint8_t> ec_point_formats;
  std::vector<uint16_t> sig_algs;  // GREASE included
  std::vector<std::string> alpns;
};

struct ServerHello {
  uint16_t version = 0;  // legacy_version
  std::array<uint8_t, 32> random{};
  std::vector<uint8_t> session_id;
  uint16_t cipher = 0;
  uint8_t compression = 0;
  std::vector<uint16_t> extensions;  // wire order
  std::optional<uint16_t> selected_version;  // supported_versions (1.3)
  std::vector<std::string> alpns;
};

// Body = the handshake message after its 4-byte header.
WireError parse_client_hello(core::Bytes body, ClientHello& out);
WireError parse_server_hello(core::Bytes body, ServerHello& out);

// Certificate message body. TLS 1.3 (RFC 8446 4.4.2) adds a request
// context and per-entry extensions. Views point into body.
WireError parse_certificate_list(core::Bytes body, bool tls13,
                                 std::vector<core::Bytes>& certs);

// SSLv2-compatible ClientHello (RFC 5246 E.2): 2-byte header with the high
// bit set, msg_type 1, version, then three lengths and their vectors.
struct Sslv2ClientHello {
  uint16_t version = 0;
  std::vector<uint32_t> cipher_specs;
  size_t record_len = 0;  // bytes of the whole record, header included
};
// 1 = parsed, 0 = need more bytes, -1 = not an SSLv2 ClientHello.
int parse_sslv2_client_hello(core::Bytes b, Sslv2ClientHello& out);

}  // namespace pasban::app::tls
