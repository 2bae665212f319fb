// TLS transaction keywords (Suricata semantics, one TLS session = one tx):
//   tls.version:1.0|1.1|1.2|1.3|0xNNNN   the version of either side once its
//       hello is decoded (client: ClientHello legacy version; server: the
//       negotiated one, supported_versions for 1.3); drafts 0x7fNN count as
//       1.3 unless the raw hex form is used.
//   ssl_version:[!]v[,[!]v...]           v in sslv2, sslv3, tls1.0..tls1.3;
//       a listed version matches, a negated one does not, and when the list
//       has a negation every version not listed matches too.
//   ssl_state:[!]s[|[!]s...]             s in client_hello, server_hello,
//       client_keyx, server_keyx, unknown. Suricata tests the states the
//       current packet's parse reached; Pasban's parser only records that a
//       ClientHello / ServerHello was seen in the session, so those two
//       states are "seen so far" and the key exchange / unknown states are
//       never set (approximation).
//   tls.cert_notbefore / tls.cert_notafter: [<|>]date, date<>date (range
//       inclusive), date (equality); date is YYYY[-MM[-DD[THH[:MM[:SS]]]]]
//       UTC or epoch seconds. Server certificate only.
//   tls.cert_expired: not_after before the packet time; tls.cert_valid:
//       not_after at or after it (Suricata does not look at not_before).
//   tls.subject / tls.issuerdn: [!]"text", substring of the server
//       certificate's subject / issuer; tls.fingerprint: [!]"aa:bb:..",
//       substring of the SHA-1 fingerprint, case-insensitive. No server
//       certificate: no match, negated or not (as Suricata).
//   tls.store: accepted; Pasban stores no certificates, so it has no effect
//       (the rule still needs a TLS session and matches as without it).
// The underscore spellings (tls_cert_notbefore, ...) are aliases.
#include <array>
#include <chrono>
#include <optional>
#include <vector>

#include "app/tls/tls_parser.h"
#include "detect/keywords/numeric.h"
#include "detect/keywords/tx_keyword_impl.h"

namespace pasban::detect::keywords {
namespace {

using app::tls::TlsTx;

const TlsTx* as_tls(const app::Transaction& tx) { return dynamic_cast<const TlsTx*>(&tx); }

class TlsKeyword : public TxKeyword {
 public:
  explicit TlsKeyword(uint8_t sides) : sides_(sides) {}
  app::AppProto proto() const override { return app::AppProto::kTls; }
  uint8_t sides() const override { return sides_; }

 private:
  uint8_t sides_;
};

uint16_t client_side_version(const TlsTx& t) {
  if (!t.client_hello_seen) return 0;
  if (t.sslv2_client_hello) return 0x0002;
  return t.client_hello.version;
}

uint16_t server_side_version(const TlsTx& t) {
  if (!t.server_hello_seen) return 0;
  return t.version;
}

// ------------------------------------------------------------ tls.version

class TlsVersion final : public TlsKeyword {
 public:
  TlsVersion(uint16_t v, bool raw) : TlsKeyword(3), v_(v), raw_(raw) {}
  bool match(const app::Transaction& tx, const decode::Packet&) const override {
    const TlsTx* t = as_tls(tx);
    if (!t) return false;
    return test(client_side_version(*t)) || test(server_side_version(*t));
  }

 private:
  bool test(uint16_t v) const {
    if (v == 0) return false;
    if (!raw_ && (v >> 8) == 0x7f) v = 0x0304;
    return v == v_;
  }
  uint16_t v_;
  bool raw_;
};

// ------------------------------------------------------------ ssl_version

enum SslVer : uint8_t { kSslv2, kSslv3, kTls10, kTls11, kTls12, kTls13, kSslVerCount };

std::optional<SslVer> ssl_ver_of(uint16_t v) {
  if ((v >> 8) == 0x7f) return kTls13;  // TLS 1.3 drafts
  switch (v) {
    case 0x0002: return kSslv2;
    case 0x0300: return kSslv3;
    case 0x0301: return kTls10;
    case 0x0302: return kTls11;
    case 0x0303: return kTls12;
    case 0x0304: return kTls13;
    default: return std::nullopt;
  }
}

class SslVersion final : public TlsKeyword {
 public:
  explicit SslVersion(std::array<bool, kSslVerCount> accept)
      : TlsKeyword(3), accept_(accept) {}
  bool match(const app::Transaction& tx, const decode::Packet&) const override {
    const TlsTx* t = as_tls(tx);
    if (!t) return false;
    return test(client_side_version(*t)) || test(server_side_version(*t));
  }

 private:
  bool test(uint16_t v) const {
    auto s = ssl_ver_of(v);
    return s && accept_[*s];
  }
  std::array<bool, kSslVerCount> accept_;
};

// ------------------------------------------------------------ ssl_state

enum : uint8_t {
  kStClientHello = 1,
  kStServerHello = 2,
  kStClientKeyx = 4,
  kStServerKeyx = 8,
  kStUnknown = 16,
};

class SslState final : public TlsKeyword {
 public:
  SslState(uint8_t flags, uint8_t mask) : TlsKeyword(3), flags_(flags), mask_(mask) {}
  bool match(const app::Transaction& tx, const decode::Packet&) const override {
    const TlsTx* t = as_tls(tx);
    if (!t) return false;
    uint8_t state = 0;
    if (t->client_hello_seen) state |= kStClientHello;
    if (t->server_hello_seen) state |= kStServerHello;
    return ((flags_ & state) ^ mask_) != 0;
  }

 private:
  uint8_t flags_, mask_;
};

// ------------------------------------------------------------ cert dates

std::optional<int64_t> parse_date(std::string_view s) {
  s = trim(s);
  if (s.empty()) return std::nullopt;
  auto digits = [](std::string_view d) {
    if (d.empty()) return false;
    for (char c : d)
      if (c < '0' || c > '9') return false;
    return true;
  };
  auto num = [](std::string_view d) {
    int64_t v = 0;
    for (char c : d) v = v * 10 + (c - '0');
    return v;
  };
  if (digits(s) && s.size() > 4) {  // epoch seconds
    if (s.size() > 15) return std::nullopt;
    return num(s);
  }
  // YYYY[-MM[-DD[THH[:MM[:SS]]]]]
  int64_t f[6] = {0, 1, 1, 0, 0, 0};
  const char seps[6] = {0, '-', '-', 'T', ':', ':'};
  const size_t widths[6] = {4, 2, 2, 2, 2, 2};
  size_t pos = 0;
  for (int i = 0; i < 6; ++i) {
    if (i > 0) {
      if (pos == s.size()) break;
      if (s[pos] != seps[i] && !(i == 3 && s[pos] == ' ')) return std::nullopt;
      ++pos;
    }
    if (pos + widths[i] > s.size()) return std::nullopt;
    std::string_view part = s.substr(pos, widths[i]);
    if (!digits(part)) return std::nullopt;
    f[i] = num(part);
    pos += widths[i];
  }
  if (pos != s.size()) return std::nullopt;
  if (f[1] < 1 || f[1] > 12 || f[2] < 1 || f[3] > 23 || f[4] > 59 || f[5] > 60)
    return std::nullopt;
  using namespace std::chrono;
  const year_month_day ymd{year{int(f[0])}, month{unsigned(f[1])}, day{unsigned(f[2])}};
  if (!ymd.ok()) return std::nullopt;
  const int64_t days = sys_days{ymd}.time_since_epoch().count();
  return days * 86400 + f[3] * 3600 + f[4] * 60 + f[5];
}

class TlsCertDate final : public TlsKeyword {
 public:
  enum Op : uint8_t { kEq, kLt, kGt, kRange };
  TlsCertDate(bool not_after, Op op, int64_t a, int64_t b)
      : TlsKeyword(2), not_after_(not_after), op_(op), a_(a), b_(b) {}
  bool match(const app::Transaction& tx, const decode::Packet&) const override {
    const TlsTx* t = as_tls(tx);
    if (!t || !t->server_cert) return false;
    const int64_t v = not_after_ ? t->not_after : t->not_before;
    switch (op_) {
      case kEq: return v == a_;
      case kLt: return v < a_;
      case kGt: return v > a_;
      case kRange: return v >= a_ && v <= b_;
    }
    return false;
  }

 private:
  bool not_after_;
  Op op_;
  int64_t a_, b_;
};

class TlsCertValidity final : public TlsKeyword {
 public:
  explicit TlsCertValidity(bool expired) : TlsKeyword(2), expired_(expired) {}
  bool match(const app::Transaction& tx, const decode::Packet& p) const override {
    const TlsTx* t = as_tls(tx);
    if (!t || !t->server_cert) return false;
    const int64_t now = p.ts.sec;
    return expired_ ? t->not_after < now : t->not_after >= now;
  }

 private:
  bool expired_;
};

// ------------------------------------------------------------ subject & co

class TlsCertString final : public TlsKeyword {
 public:
  enum Field : uint8_t { kSubject, kIssuer, kFingerprint };
  TlsCertString(Field f, std::string text, bool negated)
      : TlsKeyword(2), field_(f), text_(std::move(text)), negated_(negated) {}
  bool match(const app::Transaction& tx, const decode::Packet&) const override {
    const TlsTx* t = as_tls(tx);
    if (!t || !t->server_cert) return false;
    bool found = false;
    switch (field_) {
      case kSubject: found = t->server_cert->subject.find(text_) != std::string::npos; break;
      case kIssuer: found = t->server_cert->issuer.find(text_) != std::string::npos; break;
      case kFingerprint:
        if (t->server_cert->fingerprint.empty()) return false;
        found = lower(t->server_cert->fingerprint).find(text_) != std::string::npos;
        break;
    }
    return found != negated_;
  }

 private:
  Field field_;
  std::string text_;
  bool negated_;
};

class TlsStore final : public TlsKeyword {
 public:
  TlsStore() : TlsKeyword(2) {}
  bool match(const app::Transaction& tx, const decode::Packet&) const override {
    return as_tls(tx) != nullptr;
  }
};

}  // namespace

TxKeywordPtr make_tls_version(std::string_view name, std::string_view value, core::Error& err) {
  std::string_view v = unquote(value);
  if (v == "1.0") return std::make_shared<TlsVersion>(0x0301, false);
  if (v == "1.1") return std::make_shared<TlsVersion>(0x0302, false);
  if (v == "1.2") return std::make_shared<TlsVersion>(0x0303, false);
  if (v == "1.3") return std::make_shared<TlsVersion>(0x0304, false);
  if (v.size() == 6 && v[0] == '0' && (v[1] == 'x' || v[1] == 'X')) {
    auto n = parse_uint(name, v, 0xffff);
    if (n) return std::make_shared<TlsVersion>(uint16_t(*n), true);
  }
  err = kw_error(name, "invalid value", v);
  return nullptr;
}

TxKeywordPtr make_ssl_version(std::string_view name, std::string_view value, core::Error& err) {
  std::string_view v = unquote(value);
  std::array<int8_t, kSslVerCount> listed{};  // 0 absent, 1 listed, -1 negated
  bool any_negated = false;
  if (v.empty()) {
    err = kw_error(name, "invalid value", v);
    return nullptr;
  }
  size_t start = 0;
  while (start <= v.size()) {
    size_t comma = v.find(',', start);
    if (comma == std::string_view::npos) comma = v.size();
    std::string_view tok = trim(v.substr(start, comma - start));
    start = comma + 1;
    bool neg = false;
    if (tok.starts_with('!')) {
      neg = true;
      tok = trim(tok.substr(1));
    }
    const std::string l = lower(tok);
    int idx = -1;
    if (l == "sslv2") idx = kSslv2;
    else if (l == "sslv3") idx = kSslv3;
    else if (l == "tls1.0") idx = kTls10;
    else if (l == "tls1.1") idx = kTls11;
    else if (l == "tls1.2") idx = kTls12;
    else if (l == "tls1.3") idx = kTls13;
    if (idx < 0) {
      err = kw_error(name, "invalid value", tok);
      return nullptr;
    }
    if (listed[idx] != 0) {
      err = kw_error(name, "version listed twice", tok);
      return nullptr;
    }
    listed[idx] = neg ? -1 : 1;
    any_negated |= neg;
    if (comma == v.size()) break;
  }
  std::array<bool, kSslVerCount> accept{};
  for (int i = 0; i < kSslVerCount; ++i)
    accept[i] = listed[i] == 1 || (listed[i] == 0 && any_negated);
  return std::make_shared<SslVersion>(accept);
}

TxKeywordPtr make_ssl_state(std::string_view name, std::string_view value, core::Error& err) {
  std::string_view v = unquote(value);
  if (v.empty()) {
    err = kw_error(name, "invalid value", v);
    return nullptr;
  }
  uint8_t flags = 0, mask = 0;
  size_t start = 0;
  while (true) {
    size_t bar = v.find('|', start);
    if (bar == std::string_view::npos) bar = v.size();
    std::string_view tok = trim(v.substr(start, bar - start));
    bool neg = false;
    if (tok.starts_with('!')) {
      neg = true;
      tok = trim(tok.substr(1));
    }
    uint8_t bit = 0;
    if (tok == "client_hello") bit = kStClientHello;
    else if (tok == "server_hello") bit = kStServerHello;
    else if (tok == "client_keyx") bit = kStClientKeyx;
    else if (tok == "server_keyx") bit = kStServerKeyx;
    else if (tok == "unknown") bit = kStUnknown;
    if (!bit) {
      err = kw_error(name, "invalid value", tok);
      return nullptr;
    }
    flags |= bit;
    if (neg) mask |= bit;
    if (bar == v.size()) break;
    start = bar + 1;
  }
  return std::make_shared<SslState>(flags, mask);
}

TxKeywordPtr make_tls_cert_date(std::string_view name, std::string_view value, core::Error& err) {
  const bool not_after = name.ends_with("notafter");
  std::string_view v = unquote(value);
  auto bad = [&](std::string_view tok) {
    err = kw_error(name, "invalid date", tok);
    return nullptr;
  };
  if (v.empty()) return bad(v);
  if (const size_t r = v.find("<>"); r != std::string_view::npos) {
    auto a = parse_date(v.substr(0, r));
    if (!a) return bad(trim(v.substr(0, r)));
    auto b = parse_date(v.substr(r + 2));
    if (!b) return bad(trim(v.substr(r + 2)));
    if (*b <= *a) {
      err = kw_error(name, "invalid range", v);
      return nullptr;
    }
    return std::make_shared<TlsCertDate>(not_after, TlsCertDate::kRange, *a, *b);
  }
  TlsCertDate::Op op = TlsCertDate::kEq;
  if (v.starts_with('<')) op = TlsCertDate::kLt;
  else if (v.starts_with('>')) op = TlsCertDate::kGt;
  if (op != TlsCertDate::kEq) v = trim(v.substr(1));
  auto a = parse_date(v);
  if (!a) return bad(v);
  return std::make_shared<TlsCertDate>(not_after, op, *a, 0);
}

TxKeywordPtr make_tls_cert_validity(std::string_view name, std::string_view value,
                                    core::Error& err) {
  if (!trim(value).empty()) {
    err = kw_error(name, "takes no value, got", trim(value));
    return nullptr;
  }
  return std::make_shared<TlsCertValidity>(name.ends_with("expired"));
}

TxKeywordPtr make_tls_cert_string(std::string_view name, std::string_view value,
                                  core::Error& err) {
  std::string_view v = trim(value);
  bool neg = false;
  if (v.starts_with('!')) {
    neg = true;
    v = trim(v.substr(1));
  }
  v = unquote(v);
  if (v.empty()) {
    err = kw_error(name, "invalid value", value);
    return nullptr;
  }
  TlsCertString::Field f = TlsCertString::kSubject;
  std::string text(v);
  if (name == "tls.issuerdn") {
    f = TlsCertString::kIssuer;
  } else if (name == "tls.fingerprint") {
    f = TlsCertString::kFingerprint;
    text = lower(v);
    for (char c : text)
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || c == ':')) {
        err = kw_error(name, "invalid value", v);
        return nullptr;
      }
  }
  return std::make_shared<TlsCertString>(f, std::move(text), neg);
}

TxKeywordPtr make_tls_store(std::string_view name, std::string_view value, core::Error& err) {
  if (!trim(value).empty()) {
    err = kw_error(name, "takes no value, got", trim(value));
    return nullptr;
  }
  return std::make_shared<TlsStore>();
}

}  // namespace pasban::detect::keywords
