// The EVE "dns" object, Suricata 8's version 3 format (rust/src/dns/log.rs
// log_json): one record per message, field order as Suricata writes it:
// version, type, tx_id, id, flags, qr, aa, tc, rd, ra, z, opcode, rcode,
// queries, answers, grouped, authorities, additionals. Also the version 2
// records (one "query" per question, one "answer" per response) that an
// eve-log output still gets with `version: 2`.
#include <algorithm>
#include <cctype>
#include <cstdio>
#include <string>
#include <string_view>
#include <variant>

#include "app/dns/dns_parser.h"

namespace pasban::app::dns {
namespace {

template <class... Ts>
struct Overloaded : Ts... {
  using Ts::operator()...;
};
template <class... Ts>
Overloaded(Ts...) -> Overloaded<Ts...>;

// Strict UTF-8 (no overlongs, surrogates or code points past U+10FFFF),
// the same acceptance as Rust's str::from_utf8.
bool valid_utf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const uint8_t c = uint8_t(s[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len;
    uint32_t cp;
    if (c >= 0xc2 && c <= 0xdf) {
      len = 2, cp = c & 0x1f;
    } else if (c >= 0xe0 && c <= 0xef) {
      len = 3, cp = c & 0x0f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      len = 4, cp = c & 0x07;
    } else {
      return false;
    }
    if (s.size() - i < len) return false;
    for (size_t k = 1; k < len; ++k) {
      const uint8_t cc = uint8_t(s[i + k]);
      if ((cc & 0xc0) != 0x80) return false;
      cp = cp << 6 | (cc & 0x3f);
    }
    if (len == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) return false;
    if (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) return false;
    i += len;
  }
  return true;
}

// Suricata's JsonBuilder set_string_from_bytes: valid UTF-8 as is;
// otherwise every byte >= 0x80 becomes the four characters "\xNN".
void write_bytes(JsonWriter& w, std::string_view s) {
  if (valid_utf8(s)) {
    w.String(s.data(), rapidjson::SizeType(s.size()));
    return;
  }
  std::string out;
  out.reserve(s.size() * 2);
  for (char ch : s) {
    const uint8_t c = uint8_t(ch);
    if (c < 0x80) {
      out.push_back(ch);
    } else {
      char esc[5];
      std::snprintf(esc, sizeof esc, "\\x%02x", c);
      out.append(esc, 4);
    }
  }
  w.String(out.data(), rapidjson::SizeType(out.size()));
}

void write_bytes(JsonWriter& w, const std::vector<uint8_t>& b) {
  write_bytes(w, std::string_view(reinterpret_cast<const char*>(b.data()), b.size()));
}

void write_string(JsonWriter& w, const std::string& s) {
  w.String(s.data(), rapidjson::SizeType(s.size()));
}

// Suricata's dns_print_addr: dotted quad, or eight groups of four
// lowercase hex digits, never compressed; "" for any other length.
std::string print_addr(const std::vector<uint8_t>& a) {
  char buf[48];
  if (a.size() == 4) {
    std::snprintf(buf, sizeof buf, "%u.%u.%u.%u", a[0], a[1], a[2], a[3]);
    return buf;
  }
  if (a.size() == 16) {
    std::string out;
    for (size_t i = 0; i < 16; i += 2) {
      if (i) out.push_back(':');
      std::snprintf(buf, sizeof buf, "%02x%02x", a[i], a[i + 1]);
      out += buf;
    }
    return out;
  }
  return "";
}

std::string hex(const std::vector<uint8_t>& b, bool colons) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < b.size(); ++i) {
    if (colons && i) out.push_back(':');
    out.push_back(kDigits[b[i] >> 4]);
    out.push_back(kDigits[b[i] & 0xf]);
  }
  return out;
}

void write_soa(JsonWriter& w, const Soa& s) {
  w.StartObject();
  w.Key("mname");
  write_bytes(w, s.mname.value);
  if (s.mname.truncated()) w.Key("mname_truncated"), w.Bool(true);
  w.Key("rname");
  write_bytes(w, s.rname.value);
  if (s.rname.truncated()) w.Key("rname_truncated"), w.Bool(true);
  w.Key("serial"), w.Uint(s.serial);
  w.Key("refresh"), w.Uint(s.refresh);
  w.Key("retry"), w.Uint(s.retry);
  w.Key("expire"), w.Uint(s.expire);
  w.Key("minimum"), w.Uint(s.minimum);
  w.EndObject();
}

void write_sshfp(JsonWriter& w, const Sshfp& s) {
  w.StartObject();
  w.Key("fingerprint");
  write_string(w, hex(s.fingerprint, true));
  w.Key("algo"), w.Uint(s.algo);
  w.Key("type"), w.Uint(s.fp_type);
  w.EndObject();
}

void write_srv(JsonWriter& w, const Srv& s) {
  w.StartObject();
  w.Key("priority"), w.Uint(s.priority);
  w.Key("weight"), w.Uint(s.weight);
  w.Key("port"), w.Uint(s.port);
  w.Key("name");
  write_bytes(w, s.target.value);
  w.EndObject();
}

void write_rdata_name(JsonWriter& w, const Name& n) {
  w.Key("rdata");
  write_bytes(w, n.value);
  if (n.truncated()) w.Key("rdata_truncated"), w.Bool(true);
}

// One entry of answers/authorities/additionals. A TXT record is logged as
// one entry per string (txt_index selects it), as Suricata does.
void write_record(JsonWriter& w, const Record& r, size_t txt_index) {
  w.StartObject();
  w.Key("rrname");
  write_bytes(w, r.name.value);
  if (r.name.truncated()) w.Key("rrname_truncated"), w.Bool(true);
  w.Key("rrtype");
  write_string(w, rrtype_name(r.rrtype));
  w.Key("ttl"), w.Uint(r.ttl);
  std::visit(Overloaded{
                 [&](const Address& a) { w.Key("rdata"), write_string(w, print_addr(a.bytes)); },
                 [&](const Name& n) { write_rdata_name(w, n); },
                 [&](const Mx& mx) { write_rdata_name(w, mx.exchange); },
                 [&](const Txt& t) {
                   if (txt_index < t.strings.size()) w.Key("rdata"), write_bytes(w, t.strings[txt_index]);
                 },
                 [&](const RawData& raw) {
                   if (r.rrtype == kTypeNull) w.Key("rdata"), write_bytes(w, raw.bytes);
                 },
                 [&](const Soa& s) { w.Key("soa"), write_soa(w, s); },
                 [&](const Sshfp& s) { w.Key("sshfp"), write_sshfp(w, s); },
                 [&](const Srv& s) { w.Key("srv"), write_srv(w, s); },
                 [&](const Opt& o) {
                   w.Key("opt");
                   w.StartArray();
                   for (const OptOption& opt : o.options) {
                     w.StartObject();
                     w.Key("code"), w.Uint(opt.code);
                     w.Key("data"), write_string(w, hex(opt.data, false));
                     w.EndObject();
                   }
                   w.EndArray();
                 },
             },
             r.data);
  w.EndObject();
}

void write_record_entries(JsonWriter& w, const Record& r) {
  if (auto* t = std::get_if<Txt>(&r.data)) {
    for (size_t i = 0; i < t->strings.size(); ++i) write_record(w, r, i);
  } else {
    write_record(w, r, 0);
  }
}

// Types that appear under "grouped" (Suricata skips the rest).
bool groupable(const Record& r) {
  if (std::holds_alternative<RawData>(r.data)) return r.rrtype == kTypeNull;
  return !std::holds_alternative<Opt>(r.data);
}

void write_grouped_values(JsonWriter& w, const Record& r) {
  std::visit(Overloaded{
                 [&](const Address& a) { write_string(w, print_addr(a.bytes)); },
                 [&](const Name& n) { write_bytes(w, n.value); },
                 [&](const Mx& mx) { write_bytes(w, mx.exchange.value); },
                 [&](const Txt& t) {
                   for (const std::string& s : t.strings) write_bytes(w, s);
                 },
                 [&](const RawData& raw) { write_bytes(w, raw.bytes); },
                 [&](const Soa& s) { write_soa(w, s); },
                 [&](const Sshfp& s) { write_sshfp(w, s); },
                 [&](const Srv& s) { write_srv(w, s); },
                 [&](const Opt&) {},
             },
             r.data);
}

// "grouped": answers by rrtype name. Suricata's key order comes from a
// HashMap (unspecified); here it is the order of first appearance.
void write_grouped(JsonWriter& w, const std::vector<Record>& answers) {
  w.Key("grouped");
  w.StartObject();
  std::vector<uint16_t> done;
  for (const Record& first : answers) {
    if (!groupable(first)) continue;
    if (std::find(done.begin(), done.end(), first.rrtype) != done.end()) continue;
    done.push_back(first.rrtype);
    w.Key(rrtype_name(first.rrtype).c_str());
    w.StartArray();
    for (const Record& r : answers)
      if (r.rrtype == first.rrtype && groupable(r)) write_grouped_values(w, r);
    w.EndArray();
  }
  w.EndObject();
}

// Suricata 8 has a log flag for every rrtype it names
// (rust/src/dns/log.rs); unnamed (numeric) types have none.
bool has_log_flag(uint16_t rrtype) {
  const std::string n = rrtype_name(rrtype);
  return !n.empty() && !(n[0] >= '0' && n[0] <= '9');
}

bool ieq(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(uint8_t(x)) == std::tolower(uint8_t(y));
         });
}

void write_header_flags(JsonWriter& w, const Header& h) {
  // Suricata writes the flags as "{:x}": lowercase hex, no leading zeros.
  char flags[8];
  std::snprintf(flags, sizeof flags, "%x", unsigned(h.flags));
  w.Key("flags"), w.String(flags);
  if (h.qr()) w.Key("qr"), w.Bool(true);
  if (h.aa()) w.Key("aa"), w.Bool(true);
  if (h.tc()) w.Key("tc"), w.Bool(true);
  if (h.rd()) w.Key("rd"), w.Bool(true);
  if (h.ra()) w.Key("ra"), w.Bool(true);
  if (h.z()) w.Key("z"), w.Bool(true);
  w.Key("opcode"), w.Uint(h.opcode());
}

void write_answers(JsonWriter& w, const std::vector<Record>& answers, const LogFormat& format) {
  if (answers.empty()) return;
  if (format.detailed) {
    w.Key("answers");
    w.StartArray();
    for (const Record& r : answers) write_record_entries(w, r);
    w.EndArray();
  }
  if (format.grouped) write_grouped(w, answers);
}

void write_other_sections(JsonWriter& w, const Message& message) {
  if (!message.authorities.empty()) {
    w.Key("authorities");
    w.StartArray();
    for (const Record& r : message.authorities) write_record_entries(w, r);
    w.EndArray();
  }
  // An OPT pseudo-record without options is not logged.
  bool open = false;
  for (const Record& r : message.additionals) {
    if (auto* o = std::get_if<Opt>(&r.data); o && o->options.empty()) continue;
    if (!open) {
      w.Key("additionals");
      w.StartArray();
      open = true;
    }
    write_record_entries(w, r);
  }
  if (open) w.EndArray();
}

}  // namespace

std::optional<uint16_t> rrtype_by_name(std::string_view name) {
  // Every rrtype with a log flag lies below 257 (URI is 256).
  for (uint32_t t = 1; t <= 256; ++t)
    if (has_log_flag(uint16_t(t)) && ieq(rrtype_name(uint16_t(t)), name)) return uint16_t(t);
  return std::nullopt;
}

bool DnsLogOptions::type_enabled(uint16_t rrtype) const {
  // Suricata: all flags set (no option changed) logs every type, even
  // those without a flag of their own.
  const bool everything = requests && responses && format.detailed && format.grouped && !type_filter;
  if (everything) return true;
  if (!has_log_flag(rrtype)) return false;
  return !type_filter || std::find(types.begin(), types.end(), rrtype) != types.end();
}

DnsLogOptions DnsLogOptions::for_alerts() {
  DnsLogOptions o;
  o.format.grouped = false;
  return o;
}

void DnsTransaction::log_with(JsonWriter& w, const LogFormat& format) const {
  DnsLogOptions o;
  o.format = format;
  log_v3(w, o);
}

size_t DnsTransaction::eve_record_count(const DnsLogOptions& o) const {
  if (!(is_response ? o.responses : o.requests)) return 0;
  if (o.version == 2 && !is_response) {
    // One record per question, up to the first one filtered out
    // (Suricata's query loop stops there).
    size_t n = 0;
    while (n < message.questions.size() && o.type_enabled(message.questions[n].rrtype)) ++n;
    return n;
  }
  for (const Question& q : message.questions)
    if (o.type_enabled(q.rrtype)) return 1;
  return 0;
}

void DnsTransaction::log_record(JsonWriter& w, const DnsLogOptions& o, size_t i) const {
  if (o.version != 2) {
    log_v3(w, o);
    return;
  }
  const Header& h = message.header;
  w.Key("dns");
  w.StartObject();
  w.Key("version"), w.Int(2);
  if (!is_response) {
    // Version 2 "query": one question.
    const Question& q = message.questions.at(i);
    w.Key("type"), w.String("query");
    w.Key("id"), w.Uint(h.id);
    w.Key("rrname");
    write_bytes(w, q.name.value);
    if (q.name.truncated()) w.Key("rrname_truncated"), w.Bool(true);
    w.Key("rrtype"), write_string(w, rrtype_name(q.rrtype));
    w.Key("tx_id"), w.Uint64(tx_id);
    if (h.z()) w.Key("z"), w.Bool(true);
    w.Key("opcode"), w.Uint(h.opcode());
    w.EndObject();
    return;
  }
  // Version 2 "answer": the header, the first question, the sections.
  w.Key("type"), w.String("answer");
  w.Key("id"), w.Uint(h.id);
  write_header_flags(w, h);
  if (!message.questions.empty()) {
    const Question& q = message.questions.front();
    w.Key("rrname");
    write_bytes(w, q.name.value);
    if (q.name.truncated()) w.Key("rrname_truncated"), w.Bool(true);
    w.Key("rrtype"), write_string(w, rrtype_name(q.rrtype));
  }
  w.Key("rcode"), write_string(w, rcode_name(h.rcode()));
  write_answers(w, message.answers, o.format);
  write_other_sections(w, message);
  w.EndObject();
}

void DnsTransaction::log_v3(JsonWriter& w, const DnsLogOptions& o) const {
  const Header& h = message.header;
  w.Key("dns");
  w.StartObject();
  w.Key("version"), w.Int(3);
  w.Key("type"), w.String(is_response ? "response" : "request");
  w.Key("tx_id"), w.Uint64(tx_id);
  w.Key("id"), w.Uint(h.id);
  write_header_flags(w, h);
  w.Key("rcode"), write_string(w, rcode_name(h.rcode()));

  if (!message.questions.empty()) {
    w.Key("queries");
    w.StartArray();
    for (const Question& q : message.questions) {
      if (!o.type_enabled(q.rrtype)) continue;
      w.StartObject();
      w.Key("rrname");
      write_bytes(w, q.name.value);
      w.Key("rrtype");
      write_string(w, rrtype_name(q.rrtype));
      if (q.name.truncated()) w.Key("rrname_truncated"), w.Bool(true);
      w.EndObject();
    }
    w.EndArray();
  }
  write_answers(w, message.answers, o.format);
  write_other_sections(w, message);
  w.EndObject();
}

}  // namespace pasban::app::dns
