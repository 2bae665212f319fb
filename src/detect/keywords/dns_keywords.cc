// dns.opcode, dns.rcode, dns.rrtype (Suricata 8 semantics): integer
// comparisons on one DNS message (a Suricata 8 DNS transaction is a single
// request or response), matched in both directions.
//   dns.opcode:[!]N | N-M | <N | >N ...   header opcode (u8)
//   dns.rcode:[!]N | name | ranges          header rcode (u8), names such as
//                                           "nxdomain" (case-insensitive)
//   dns.rrtype:[!]N | name | ranges         matches when any question's
//                                           rrtype does
#include <algorithm>
#include <optional>

#include "app/dns/dns_parser.h"
#include "detect/keywords/numeric.h"
#include "detect/keywords/tx_keyword_impl.h"

namespace pasban::detect::keywords {
namespace {

struct Named {
  std::string_view name;
  uint16_t value;
};

// RFC 1035 / 6895 names, the spellings Suricata's enumerations accept.
constexpr Named kRcodes[] = {
    {"noerror", 0}, {"formerr", 1},   {"servfail", 2}, {"nxdomain", 3},  {"notimp", 4},
    {"refused", 5}, {"yxdomain", 6},  {"yxrrset", 7},  {"nxrrset", 8},   {"notauth", 9},
    {"notzone", 10}, {"badvers", 16}, {"badsig", 16},  {"badkey", 17},   {"badtime", 18},
    {"badmode", 19}, {"badname", 20}, {"badalg", 21},  {"badtrunc", 22}, {"badcookie", 23},
};

constexpr Named kRrtypes[] = {
    {"a", 1},         {"ns", 2},          {"md", 3},        {"mf", 4},
    {"cname", 5},     {"soa", 6},         {"mb", 7},        {"mg", 8},
    {"mr", 9},        {"null", 10},       {"wks", 11},      {"ptr", 12},
    {"hinfo", 13},    {"minfo", 14},      {"mx", 15},       {"txt", 16},
    {"rp", 17},       {"afsdb", 18},      {"x25", 19},      {"isdn", 20},
    {"rt", 21},       {"nsap", 22},       {"nsapptr", 23},  {"sig", 24},
    {"key", 25},      {"px", 26},         {"gpos", 27},     {"aaaa", 28},
    {"loc", 29},      {"nxt", 30},        {"srv", 33},      {"atma", 34},
    {"naptr", 35},    {"kx", 36},         {"cert", 37},     {"a6", 38},
    {"dname", 39},    {"opt", 41},        {"apl", 42},      {"ds", 43},
    {"sshfp", 44},    {"ipseckey", 45},   {"rrsig", 46},    {"nsec", 47},
    {"dnskey", 48},   {"dhcid", 49},      {"nsec3", 50},    {"nsec3param", 51},
    {"tlsa", 52},     {"hip", 55},        {"cds", 59},      {"cdnskey", 60},
    {"https", 65},    {"svcb", 64},       {"spf", 99},      {"tkey", 249},
    {"tsig", 250},    {"ixfr", 251},      {"axfr", 252},    {"mailb", 253},
    {"maila", 254},   {"any", 255},       {"uri", 256},     {"caa", 257},
};

template <size_t N>
std::optional<uint16_t> by_name(const Named (&table)[N], std::string_view name) {
  const std::string l = lower(name);
  for (const auto& e : table)
    if (e.name == l) return e.value;
  return std::nullopt;
}

bool is_identifier(std::string_view s) {
  if (s.empty()) return false;
  const char c = s.front();
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// Parses "[!]name" against a table, or Suricata's integer syntax.
template <size_t N>
std::optional<NumCmp> parse_value(std::string_view kw, std::string_view value, uint64_t max,
                                  const Named (*table)[N], core::Error& err) {
  std::string_view v = unquote(value);
  if (v.empty()) {
    err = kw_error(kw, "invalid value", value);
    return std::nullopt;
  }
  if (table) {
    std::string_view body = v;
    bool neg = false;
    if (body.starts_with('!')) {
      neg = true;
      body = trim(body.substr(1));
    }
    if (is_identifier(body)) {
      auto n = by_name(*table, body);
      if (!n) {
        err = kw_error(kw, "invalid value", body);
        return std::nullopt;
      }
      NumCmp c;
      c.op = neg ? NumCmp::kNe : NumCmp::kEq;
      c.a = *n;
      return c;
    }
  }
  auto c = parse_num_cmp(kw, v, max);
  if (!c) {
    // parse_num_cmp names the keyword; keep its range messages, unify
    // the plain syntax error.
    const std::string& m = c.error().message;
    err = m.find("invalid number") != std::string::npos ? kw_error(kw, "invalid value", v)
                                                       : c.error();
    return std::nullopt;
  }
  return *c;
}

const app::dns::DnsTransaction* as_dns(const app::Transaction& tx) {
  return dynamic_cast<const app::dns::DnsTransaction*>(&tx);
}

class DnsKeyword : public TxKeyword {
 public:
  app::AppProto proto() const override { return app::AppProto::kDns; }
  uint8_t sides() const override { return 3; }
};

class DnsOpcode final : public DnsKeyword {
 public:
  explicit DnsOpcode(NumCmp c) : c_(c) {}
  bool match(const app::Transaction& tx, const decode::Packet&) const override {
    const auto* d = as_dns(tx);
    return d && c_.match(d->opcode);
  }

 private:
  NumCmp c_;
};

class DnsRcode final : public DnsKeyword {
 public:
  explicit DnsRcode(NumCmp c) : c_(c) {}
  bool match(const app::Transaction& tx, const decode::Packet&) const override {
    const auto* d = as_dns(tx);
    return d && c_.match(d->rcode);
  }

 private:
  NumCmp c_;
};

class DnsRrtype final : public DnsKeyword {
 public:
  explicit DnsRrtype(NumCmp c) : c_(c) {}
  bool match(const app::Transaction& tx, const decode::Packet&) const override {
    const auto* d = as_dns(tx);
    if (!d) return false;
    return std::any_of(d->query_types.begin(), d->query_types.end(),
                       [&](uint16_t t) { return c_.match(t); });
  }

 private:
  NumCmp c_;
};

}  // namespace

TxKeywordPtr make_dns_opcode(std::string_view name, std::string_view value, core::Error& err) {
  const Named(*none)[1] = nullptr;
  auto c = parse_value(name, value, 0xff, none, err);
  if (!c) return nullptr;
  return std::make_shared<DnsOpcode>(*c);
}

TxKeywordPtr make_dns_rcode(std::string_view name, std::string_view value, core::Error& err) {
  auto c = parse_value(name, value, 0xff, &kRcodes, err);
  if (!c) return nullptr;
  return std::make_shared<DnsRcode>(*c);
}

TxKeywordPtr make_dns_rrtype(std::string_view name, std::string_view value, core::Error& err) {
  auto c = parse_value(name, value, 0xffff, &kRrtypes, err);
  if (!c) return nullptr;
  return std::make_shared<DnsRrtype>(*c);
}

}  // namespace pasban::detect::keywords
