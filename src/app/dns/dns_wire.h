// DNS message parsing (RFC 1035 section 4), a pure function of bytes.
// Follows Suricata 8's rust/src/dns/parser.rs in what it accepts and what
// it calls an error, so that transactions, events and EVE records agree:
//  - the header must pass Suricata's validity check (record counts that
//    fit the length, a request asks at least one question);
//  - questions and answers must parse, authorities and additionals may
//    fail (the message is kept, flagged invalid_authorities/additionals);
//  - names are recoverable: too long, a self pointer or too many labels
//    set a flag on the name (and an event later) instead of failing.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/bytes.h"

namespace pasban::app::dns {

inline constexpr size_t kHeaderSize = 12;
// Longest name kept, in presentation bytes: dnsmasq's limit, as Suricata.
// A longer name is cut here and flagged truncated (event name_too_long).
inline constexpr size_t kMaxNameLength = 1025;
// Labels plus compression pointers followed in one name. Bounds the work
// a pointer loop can cause; past it the name is flagged (too_many_labels)
// and, if no pointer was followed yet, the message is malformed. Same
// limit as Suricata (255); every pointer jump counts as one segment, so
// this is also the bound on pointer jumps.
inline constexpr int kMaxNameSegments = 255;
inline constexpr int kMaxPointerJumps = kMaxNameSegments;
// Records kept per section. A 64 KiB message can declare ~32k records,
// each with a 2-byte pointer name that expands to 1 KiB: records past
// this cap are still parsed (validated) but not stored.
inline constexpr size_t kMaxRecords = 1024;

// Record types with RDATA decoding or names in Suricata's output.
enum RrType : uint16_t {
  kTypeA = 1, kTypeNs = 2, kTypeCname = 5, kTypeSoa = 6, kTypeNull = 10,
  kTypePtr = 12, kTypeMx = 15, kTypeTxt = 16, kTypeAaaa = 28, kTypeSrv = 33,
  kTypeOpt = 41, kTypeSshfp = 44,
};

// Flags on a decoded name (Suricata's DNSNameFlags).
enum NameFlag : uint8_t {
  kNameInfiniteLoop = 1,  // a pointer pointing at itself
  kNameTruncated = 2,     // longer than kMaxNameLength, cut
  kNameLabelLimit = 4,    // more than kMaxNameSegments segments
};

struct Name {
  std::string value;  // labels joined by '.', raw bytes (not escaped)
  uint8_t flags = 0;
  bool truncated() const { return flags & kNameTruncated; }
};

struct Header {
  uint16_t id = 0, flags = 0;
  uint16_t qdcount = 0, ancount = 0, nscount = 0, arcount = 0;

  bool qr() const { return flags & 0x8000; }
  uint8_t opcode() const { return uint8_t((flags >> 11) & 0xf); }
  bool aa() const { return flags & 0x0400; }
  bool tc() const { return flags & 0x0200; }
  bool rd() const { return flags & 0x0100; }
  bool ra() const { return flags & 0x0080; }
  bool z() const { return flags & 0x0040; }
  bool ad() const { return flags & 0x0020; }
  bool cd() const { return flags & 0x0010; }
  uint8_t rcode() const { return uint8_t(flags & 0x000f); }
};

struct Question {
  Name name;
  uint16_t rrtype = 0, rrclass = 0;
};

// RDATA shapes. A/AAAA keep whatever bytes came (Suricata logs "" for a
// length other than 4 or 16); NULL and unknown types keep raw bytes.
struct RawData { std::vector<uint8_t> bytes; };
struct Address { std::vector<uint8_t> bytes; };
struct Mx { uint16_t preference = 0; Name exchange; };
struct Soa {
  Name mname, rname;
  uint32_t serial = 0, refresh = 0, retry = 0, expire = 0, minimum = 0;
};
struct Txt { std::vector<std::string> strings; };
struct Srv { uint16_t priority = 0, weight = 0, port = 0; Name target; };
struct Sshfp { uint8_t algo = 0, fp_type = 0; std::vector<uint8_t> fingerprint; };
struct OptOption { uint16_t code = 0; std::vector<uint8_t> data; };
struct Opt { std::vector<OptOption> options; };
// Name holds CNAME, NS and PTR targets.
using Rdata = std::variant<RawData, Address, Name, Mx, Soa, Txt, Srv, Sshfp, Opt>;

struct Record {
  Name name;
  uint16_t rrtype = 0, rrclass = 0;
  uint32_t ttl = 0;
  Rdata data;
};

struct Message {
  Header header;
  std::vector<Question> questions;
  std::vector<Record> answers, authorities, additionals;
  // The authority (additional) section failed to parse: it is empty and,
  // for authorities, additionals were not attempted. Not malformed.
  bool invalid_authorities = false, invalid_additionals = false;
  // Union of the flags of every name parsed.
  uint8_t name_flags = 0;
  // Some section declared more than kMaxRecords records.
  bool records_capped = false;
};

enum class ParseStatus : uint8_t {
  kOk,
  kBadHeader,  // shorter than a header or counts that cannot fit
  kMalformed,  // a question or answer ran out of bytes or had a bad label
};

// Header validity as Suricata's probe_header_validity: 2 bytes per declared
// record must fit in msg_len, a message without records is only a header,
// and a request (QR clear) has at least one question.
bool header_valid(const Header& h, size_t msg_len);
bool parse_header(core::Bytes msg, Header& out);

// Parses one complete DNS message (no TCP length prefix). `out` is reset.
ParseStatus parse_message(core::Bytes msg, Message& out);

// Parses the name at msg[pos], whose inline bytes must lie before `end`
// (the end of the RDATA or of the message); pointers may go anywhere in
// msg. On success pos is the byte after the name in the input (after the
// first pointer if one was followed). False when the name is malformed.
bool parse_name(core::Bytes msg, size_t& pos, size_t end, Name& out);

// Suricata's names: "A", "AAAA", ..., or the number for unknown ones.
std::string rrtype_name(uint16_t rrtype);
// "NOERROR", "NXDOMAIN", ... for the 4-bit header rcode, or the number.
std::string rcode_name(uint8_t rcode);

}  // namespace pasban::app::dns
