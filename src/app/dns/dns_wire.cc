#include "app/dns/dns_wire.h"

#include <utility>

namespace pasban::app::dns {
namespace {

using core::Bytes;
using core::load_be16;
using core::load_be32;

// Sequential reader over [pos, end) of a message; every read checks length.
struct Reader {
  Bytes msg;
  size_t pos;
  size_t end;

  bool has(size_t n) const { return pos <= end && end - pos >= n; }
  bool u8(uint8_t& v) {
    if (!has(1)) return false;
    v = msg[pos++];
    return true;
  }
  bool u16(uint16_t& v) {
    if (!has(2)) return false;
    v = load_be16(msg.data() + pos);
    pos += 2;
    return true;
  }
  bool u32(uint32_t& v) {
    if (!has(4)) return false;
    v = load_be32(msg.data() + pos);
    pos += 4;
    return true;
  }
  bool name(Name& out, uint8_t& flags) {
    if (!parse_name(msg, pos, end, out)) return false;
    flags |= out.flags;
    return true;
  }
  std::vector<uint8_t> rest() {
    std::vector<uint8_t> v(msg.begin() + pos, msg.begin() + end);
    pos = end;
    return v;
  }
};

// RDATA by type; `r` spans exactly the RDATA. Like Suricata, bytes after
// the decoded fields are ignored and a short RDATA is an error.
bool parse_rdata(Reader r, uint16_t rrtype, Rdata& out, uint8_t& flags) {
  switch (rrtype) {
    case kTypeA:
    case kTypeAaaa:
      out = Address{r.rest()};
      return true;
    case kTypeCname:
    case kTypeNs:
    case kTypePtr: {
      Name n;
      if (!r.name(n, flags)) return false;
      out = std::move(n);
      return true;
    }
    case kTypeMx: {
      Mx mx;
      if (!r.u16(mx.preference) || !r.name(mx.exchange, flags)) return false;
      out = std::move(mx);
      return true;
    }
    case kTypeSoa: {
      Soa s;
      if (!r.name(s.mname, flags) || !r.name(s.rname, flags) || !r.u32(s.serial) ||
          !r.u32(s.refresh) || !r.u32(s.retry) || !r.u32(s.expire) || !r.u32(s.minimum))
        return false;
      out = std::move(s);
      return true;
    }
    case kTypeTxt: {
      // RFC 1035 3.3.14: one or more <character-string>s.
      Txt t;
      while (r.pos < r.end) {
        uint8_t len = 0;
        if (!r.u8(len) || !r.has(len)) return false;
        t.strings.emplace_back(reinterpret_cast<const char*>(r.msg.data() + r.pos), len);
        r.pos += len;
      }
      out = std::move(t);
      return true;
    }
    case kTypeSrv: {
      Srv s;
      if (!r.u16(s.priority) || !r.u16(s.weight) || !r.u16(s.port) || !r.name(s.target, flags))
        return false;
      out = std::move(s);
      return true;
    }
    case kTypeSshfp: {
      Sshfp s;
      if (!r.u8(s.algo) || !r.u8(s.fp_type)) return false;
      s.fingerprint = r.rest();
      out = std::move(s);
      return true;
    }
    case kTypeOpt: {
      // RFC 6891 6.1.2: {code, length, data} options.
      Opt o;
      while (r.pos < r.end) {
        OptOption opt;
        uint16_t len = 0;
        if (!r.u16(opt.code) || !r.u16(len) || !r.has(len)) return false;
        opt.data.assign(r.msg.begin() + r.pos, r.msg.begin() + r.pos + len);
        r.pos += len;
        o.options.push_back(std::move(opt));
      }
      out = std::move(o);
      return true;
    }
    default:  // NULL and every type without decoding
      out = RawData{r.rest()};
      return true;
  }
}

bool parse_question(Reader& r, Question& q, uint8_t& flags) {
  return r.name(q.name, flags) && r.u16(q.rrtype) && r.u16(q.rrclass);
}

bool parse_record(Reader& r, Record& rec, uint8_t& flags) {
  uint16_t rdlen = 0;
  if (!r.name(rec.name, flags) || !r.u16(rec.rrtype) || !r.u16(rec.rrclass) ||
      !r.u32(rec.ttl) || !r.u16(rdlen) || !r.has(rdlen))
    return false;
  Reader rd{r.msg, r.pos, r.pos + rdlen};
  r.pos += rdlen;
  return parse_rdata(rd, rec.rrtype, rec.data, flags);
}

// Parses `count` records; keeps the first kMaxRecords.
bool parse_section(Reader& r, uint16_t count, std::vector<Record>& out, Message& m) {
  Record scratch;
  for (uint32_t i = 0; i < count; ++i) {
    const bool keep = out.size() < kMaxRecords;
    Record& rec = keep ? out.emplace_back() : scratch;
    if (!parse_record(r, rec, m.name_flags)) return false;
    if (!keep) m.records_capped = true;
  }
  return true;
}

}  // namespace

bool parse_name(Bytes msg, size_t& pos, size_t end, Name& out) {
  out.value.clear();
  out.flags = 0;
  size_t cur = pos, limit = end, after_pointer = 0;
  bool jumped = false;
  int segments = 0;
  while (cur < limit) {  // running out of input ends the name, as Suricata
    const uint8_t len = msg[cur];
    if (len == 0) {
      ++cur;
      break;
    }
    if ((len & 0xc0) == 0) {
      if (limit - cur - 1 < len) return false;
      if (!(out.flags & kNameTruncated)) {
        if (!out.value.empty()) out.value.push_back('.');
        out.value.append(reinterpret_cast<const char*>(msg.data() + cur + 1), len);
      }
      cur += 1 + size_t(len);
    } else if ((len & 0xc0) == 0xc0) {
      if (limit - cur < 2) return false;
      const size_t offset = load_be16(msg.data() + cur) & 0x3fff;
      if (offset > msg.size()) return false;
      if (offset == cur) {
        // A pointer to itself: the one loop Suricata names infinite_loop.
        // After a pointer the end of the name in the input is known, so
        // keep what was decoded; before one it is not, so fail.
        out.flags |= kNameInfiniteLoop;
        if (jumped) break;
        return false;
      }
      if (!jumped) after_pointer = cur + 2;
      jumped = true;
      cur = offset;
      limit = msg.size();
    } else {
      return false;  // 0x40/0x80: extended label types (RFC 6891 5) unsupported
    }
    if (++segments > kMaxNameSegments) {
      // Longer pointer loops end here.
      out.flags |= kNameLabelLimit;
      if (jumped) break;
      return false;
    }
    if (out.value.size() > kMaxNameLength) {
      out.value.resize(kMaxNameLength);
      out.flags |= kNameTruncated;
      if (jumped) break;  // else keep walking to find where the name ends
    }
  }
  pos = jumped ? after_pointer : cur;
  return true;
}

bool parse_header(Bytes msg, Header& h) {
  if (msg.size() < kHeaderSize) return false;
  const uint8_t* p = msg.data();
  h.id = load_be16(p);
  h.flags = load_be16(p + 2);
  h.qdcount = load_be16(p + 4);
  h.ancount = load_be16(p + 6);
  h.nscount = load_be16(p + 8);
  h.arcount = load_be16(p + 10);
  return true;
}

bool header_valid(const Header& h, size_t msg_len) {
  const size_t records = size_t(h.qdcount) + h.ancount + h.nscount + h.arcount;
  if (2 * records > msg_len) return false;
  if (records == 0 && msg_len > kHeaderSize) return false;
  if (!h.qr() && h.qdcount == 0) return false;
  return true;
}

ParseStatus parse_message(Bytes msg, Message& m) {
  m = Message{};
  if (!parse_header(msg, m.header) || !header_valid(m.header, msg.size()))
    return ParseStatus::kBadHeader;
  Reader r{msg, kHeaderSize, msg.size()};
  Question scratch;
  for (uint32_t i = 0; i < m.header.qdcount; ++i) {
    const bool keep = m.questions.size() < kMaxRecords;
    Question& q = keep ? m.questions.emplace_back() : scratch;
    if (!parse_question(r, q, m.name_flags)) return ParseStatus::kMalformed;
    if (!keep) m.records_capped = true;
  }
  if (!parse_section(r, m.header.ancount, m.answers, m)) return ParseStatus::kMalformed;
  // Suricata 8 keeps a message whose authority or additional section is
  // broken (redmine 7228) and raises invalid_authorities/additionals.
  const size_t before_authorities = r.pos;
  if (!parse_section(r, m.header.nscount, m.authorities, m)) {
    m.authorities.clear();
    m.invalid_authorities = true;
    r.pos = before_authorities;
    return ParseStatus::kOk;
  }
  if (!parse_section(r, m.header.arcount, m.additionals, m)) {
    m.additionals.clear();
    m.invalid_additionals = true;
  }
  return ParseStatus::kOk;
}

std::string rrtype_name(uint16_t t) {
  switch (t) {
    case 1: return "A";
    case 2: return "NS";
    case 3: return "MD";
    case 4: return "MF";
    case 5: return "CNAME";
    case 6: return "SOA";
    case 7: return "MB";
    case 8: return "MG";
    case 9: return "MR";
    case 10: return "NULL";
    case 11: return "WKS";
    case 12: return "PTR";
    case 13: return "HINFO";
    case 14: return "MINFO";
    case 15: return "MX";
    case 16: return "TXT";
    case 17: return "RP";
    case 18: return "AFSDB";
    case 19: return "X25";
    case 20: return "ISDN";
    case 21: return "RT";
    case 22: return "NSAP";
    case 23: return "NSAPPTR";
    case 24: return "SIG";
    case 25: return "KEY";
    case 26: return "PX";
    case 27: return "GPOS";
    case 28: return "AAAA";
    case 29: return "LOC";
    case 30: return "NXT";
    case 33: return "SRV";
    case 34: return "ATMA";
    case 35: return "NAPTR";
    case 36: return "KX";
    case 37: return "CERT";
    case 38: return "A6";
    case 39: return "DNAME";
    case 41: return "OPT";
    case 42: return "APL";
    case 43: return "DS";
    case 44: return "SSHFP";
    case 45: return "IPSECKEY";
    case 46: return "RRSIG";
    case 47: return "NSEC";
    case 48: return "DNSKEY";
    case 49: return "DHCID";
    case 50: return "NSEC3";
    case 51: return "NSEC3PARAM";
    case 52: return "TLSA";
    case 55: return "HIP";
    case 59: return "CDS";
    case 60: return "CDNSKEY";
    case 65: return "HTTPS";
    case 99: return "SPF";
    case 249: return "TKEY";
    case 250: return "TSIG";
    case 254: return "MAILA";
    case 255: return "ANY";
    case 256: return "URI";
    default: return std::to_string(t);
  }
}

std::string rcode_name(uint8_t rcode) {
  static constexpr std::string_view kNames[] = {
      "NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP",  "REFUSED",
      "YXDOMAIN", "YXRRSET", "NXRRSET", "NOTAUTH", "NOTZONE",
  };
  if (rcode < std::size(kNames)) return std::string(kNames[rcode]);
  return std::to_string(rcode);
}

}  // namespace pasban::app::dns
