#include "app/tls/tls_x509.h"

#include <openssl/asn1.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/sha.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <ctime>
#include <memory>

namespace pasban::app::tls {
namespace {

struct X509Free {
  void operator()(X509* x) const { X509_free(x); }
};
struct NamesFree {
  void operator()(GENERAL_NAMES* g) const { GENERAL_NAMES_free(g); }
};

constexpr char kHexLower[] = "0123456789abcdef";
constexpr char kHexUpper[] = "0123456789ABCDEF";

// Attribute names as Suricata prints them (its x509 parser's table): the
// common ones abbreviated, "Email" for PKCS#9 emailAddress, a few others by
// name, anything else as a dotted OID.
std::string attribute_name(const ASN1_OBJECT* obj) {
  switch (OBJ_obj2nid(obj)) {
    case NID_commonName: return "CN";
    case NID_countryName: return "C";
    case NID_localityName: return "L";
    case NID_stateOrProvinceName: return "ST";
    case NID_organizationName: return "O";
    case NID_organizationalUnitName: return "OU";
    case NID_domainComponent: return "DC";
    case NID_pkcs9_emailAddress: return "Email";
    case NID_serialNumber: return "serialNumber";
    case NID_surname: return "surname";
    case NID_givenName: return "givenName";
    case NID_title: return "title";
    default: break;
  }
  char buf[128];
  int n = OBJ_obj2txt(buf, sizeof buf, obj, 1);
  if (n <= 0) return "?";
  return std::string(buf, std::min<size_t>(size_t(n), sizeof buf - 1));
}

void append_utf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out += char(cp);
  } else if (cp < 0x800) {
    out += char(0xc0 | cp >> 6);
    out += char(0x80 | (cp & 0x3f));
  } else if (cp < 0x10000) {
    out += char(0xe0 | cp >> 12);
    out += char(0x80 | (cp >> 6 & 0x3f));
    out += char(0x80 | (cp & 0x3f));
  } else {
    out += char(0xf0 | cp >> 18);
    out += char(0x80 | (cp >> 12 & 0x3f));
    out += char(0x80 | (cp >> 6 & 0x3f));
    out += char(0x80 | (cp & 0x3f));
  }
}

// String types keep their bytes (NULs included: tls-subject-zero matches
// "Corporat|00|on"); BMPString is UTF-16BE; other types print as upper hex.
std::string attribute_value(const ASN1_STRING* s) {
  const uint8_t* p = ASN1_STRING_get0_data(s);
  size_t n = size_t(ASN1_STRING_length(s));
  core::Bytes b(p, n);
  switch (ASN1_STRING_type(s)) {
    case V_ASN1_UTF8STRING:
    case V_ASN1_PRINTABLESTRING:
    case V_ASN1_IA5STRING:
    case V_ASN1_T61STRING:
    case V_ASN1_NUMERICSTRING:
    case V_ASN1_VISIBLESTRING:
    case V_ASN1_GENERALSTRING:
    case V_ASN1_GRAPHICSTRING:
    case V_ASN1_VIDEOTEXSTRING:
    case V_ASN1_OBJECT_DESCRIPTOR:
      return std::string(core::as_chars(b));
    case V_ASN1_BMPSTRING: {
      std::string out;
      for (size_t i = 0; i + 1 < n; i += 2) append_utf8(out, core::load_be16(p + i));
      return out;
    }
    case V_ASN1_UNIVERSALSTRING: {
      std::string out;
      for (size_t i = 0; i + 3 < n; i += 4) {
        uint32_t cp = core::load_be32(p + i);
        if (cp <= 0x10ffff) append_utf8(out, cp);
      }
      return out;
    }
    default: {
      std::string out;
      for (uint8_t c : b) {
        out += kHexUpper[c >> 4];
        out += kHexUpper[c & 0xf];
      }
      return out;
    }
  }
}

// RDNs in certificate order joined by ", "; the attributes of one
// multi-valued RDN joined by " + ".
std::string format_name(const X509_NAME* name) {
  std::string out;
  int count = X509_NAME_entry_count(name);
  int prev_set = -1;
  for (int i = 0; i < count; ++i) {
    const X509_NAME_ENTRY* e = X509_NAME_get_entry(name, i);
    int set = X509_NAME_ENTRY_set(e);
    if (i > 0) out += (set == prev_set) ? " + " : ", ";
    prev_set = set;
    out += attribute_name(X509_NAME_ENTRY_get_object(e));
    out += '=';
    out += attribute_value(X509_NAME_ENTRY_get_data(e));
  }
  return out;
}

// The serial's DER content bytes, leading 0x00 sign byte included, as
// Suricata prints them ("00:97:E6:...").
bool format_serial(const ASN1_INTEGER* serial, std::string& out) {
  unsigned char* der = nullptr;
  int len = i2d_ASN1_INTEGER(serial, &der);
  if (len < 2 || der == nullptr) {
    OPENSSL_free(der);
    return false;
  }
  size_t hdr = 2;
  if (der[1] & 0x80) hdr += der[1] & 0x7f;  // long-form length
  bool ok = size_t(len) >= hdr;
  if (ok) out = hex_colon(core::Bytes(der + hdr, size_t(len) - hdr), true);
  OPENSSL_free(der);
  return ok;
}

bool to_epoch(const ASN1_TIME* t, int64_t& out) {
  struct tm tm {};
  if (t == nullptr || ASN1_TIME_to_tm(t, &tm) != 1) return false;
  out = int64_t(timegm(&tm));
  return true;
}

void collect_sans(X509* x, std::vector<std::string>& out) {
  std::unique_ptr<GENERAL_NAMES, NamesFree> names(static_cast<GENERAL_NAMES*>(
      X509_get_ext_d2i(x, NID_subject_alt_name, nullptr, nullptr)));
  if (!names) return;
  int n = sk_GENERAL_NAME_num(names.get());
  for (int i = 0; i < n; ++i) {
    const GENERAL_NAME* gn = sk_GENERAL_NAME_value(names.get(), i);
    if (gn->type != GEN_DNS) continue;
    const ASN1_STRING* s = gn->d.dNSName;
    out.emplace_back(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)),
                     size_t(ASN1_STRING_length(s)));
  }
}

}  // namespace

std::string hex_colon(core::Bytes b, bool upper) {
  const char* digits = upper ? kHexUpper : kHexLower;
  std::string out;
  out.reserve(b.size() * 3);
  for (size_t i = 0; i < b.size(); ++i) {
    if (i) out += ':';
    out += digits[b[i] >> 4];
    out += digits[b[i] & 0xf];
  }
  return out;
}

std::string hex_plain(core::Bytes b) {
  std::string out;
  out.reserve(b.size() * 2);
  for (uint8_t c : b) {
    out += kHexLower[c >> 4];
    out += kHexLower[c & 0xf];
  }
  return out;
}

std::string format_cert_time(int64_t epoch) {
  time_t t = time_t(epoch);
  struct tm tm {};
  if (gmtime_r(&t, &tm) == nullptr) return {};
  char buf[32];
  size_t n = strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  return std::string(buf, n);
}

std::string base64(core::Bytes b) {
  std::string out(4 * ((b.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), b.data(), int(b.size()));
  out.resize(n > 0 ? size_t(n) : 0);
  return out;
}

namespace {

// Nesting levels checked for a length past the end: the certificate, its
// tbsCertificate and that one's first element.
constexpr int kDerLengthCheckDepth = 3;

// True when, along the first-child path of the DER (certificate ->
// tbsCertificate -> version), some element declares more content than
// the bytes that hold it: Suricata's x509 decoder calls that
// certificate_invalid_length rather than invalid_der.
bool der_length_overflows(core::Bytes der) {
  for (int depth = 0; depth < kDerLengthCheckDepth; ++depth) {
    if (der.size() < 2) return false;
    size_t pos = 1;
    if ((der[0] & 0x1f) == 0x1f) return false;  // high tag numbers: not in X.509 headers
    size_t len = der[pos++];
    if (len & 0x80) {
      const size_t n = len & 0x7f;
      if (n == 0 || n > 4 || der.size() - pos < n) return n != 0;
      len = 0;
      for (size_t i = 0; i < n; ++i) len = len << 8 | der[pos++];
    }
    if (len > der.size() - pos) return true;
    if (!(der[0] & 0x20)) return false;  // primitive: no children
    der = der.subspan(pos, len);
  }
  return false;
}

}  // namespace

bool parse_certificate(core::Bytes der, CertInfo& out, std::string_view& event) {
  const unsigned char* p = der.data();
  std::unique_ptr<X509, X509Free> x(d2i_X509(nullptr, &p, long(der.size())));
  if (!x) {
    event = der_length_overflows(der) ? "tls.certificate_invalid_length" : "tls.certificate_invalid_der";
    return false;
  }
  const X509_NAME* subject = X509_get_subject_name(x.get());
  const X509_NAME* issuer = X509_get_issuer_name(x.get());
  if (subject == nullptr) {
    event = "tls.certificate_invalid_subject";
    return false;
  }
  if (issuer == nullptr) {
    event = "tls.certificate_invalid_issuer";
    return false;
  }
  out.subject = format_name(subject);
  out.issuer = format_name(issuer);
  if (!format_serial(X509_get0_serialNumber(x.get()), out.serial)) {
    event = "tls.certificate_invalid_serial";
    return false;
  }
  if (!to_epoch(X509_get0_notBefore(x.get()), out.not_before) ||
      !to_epoch(X509_get0_notAfter(x.get()), out.not_after)) {
    event = "tls.certificate_invalid_validity";
    return false;
  }
  uint8_t sha1[SHA_DIGEST_LENGTH];
  SHA1(der.data(), der.size(), sha1);
  out.fingerprint = hex_colon(core::Bytes(sha1, sizeof sha1), false);
  collect_sans(x.get(), out.sans);
  return true;
}

}  // namespace pasban::app::tls
