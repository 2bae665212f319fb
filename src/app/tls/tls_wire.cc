#include "app/tls/tls_wire.h"

#include <algorithm>

namespace pasban::app::tls {
namespace {

// A cursor over untrusted bytes: every read checks the remaining size and
// turns the cursor bad instead of reading past the end.
class Reader {
 public:
  explicit Reader(core::Bytes b) : b_(b) {}
  bool ok() const { return ok_; }
  size_t left() const { return ok_ ? b_.size() - pos_ : 0; }
  bool empty() const { return left() == 0; }

  uint8_t u8() {
    if (!need(1)) return 0;
    return b_[pos_++];
  }
  uint16_t u16() {
    if (!need(2)) return 0;
    uint16_t v = core::load_be16(b_.data() + pos_);
    pos_ += 2;
    return v;
  }
  uint32_t u24() {
    if (!need(3)) return 0;
    uint32_t v = uint32_t(b_[pos_]) << 16 | uint32_t(b_[pos_ + 1]) << 8 | b_[pos_ + 2];
    pos_ += 3;
    return v;
  }
  core::Bytes take(size_t n) {
    if (!need(n)) return {};
    core::Bytes v = b_.subspan(pos_, n);
    pos_ += n;
    return v;
  }
  // A vector with a 1-, 2- or 3-byte length prefix.
  core::Bytes vec8() { return take(u8()); }
  core::Bytes vec16() { return take(u16()); }
  core::Bytes vec24() { return take(u24()); }

 private:
  bool need(size_t n) {
    if (!ok_ || b_.size() - pos_ < n) {
      ok_ = false;
      return false;
    }
    return true;
  }
  core::Bytes b_;
  size_t pos_ = 0;
  bool ok_ = true;
};

// Reads a list of 16-bit values; false on an odd length.
bool read_u16_list(core::Bytes list, std::vector<uint16_t>& out) {
  if (list.size() % 2 != 0) return false;
  out.clear();
  out.reserve(list.size() / 2);
  for (size_t i = 0; i + 1 < list.size(); i += 2) out.push_back(core::load_be16(list.data() + i));
  return true;
}

// RFC 7301 3.1: ProtocolNameList, each name 1..255 bytes.
bool read_alpn_list(core::Bytes ext, std::vector<std::string>& out) {
  Reader r(ext);
  Reader list(r.vec16());
  if (!r.ok()) return false;
  while (!list.empty() && out.size() < kMaxAlpns) {
    core::Bytes name = list.vec8();
    if (!list.ok()) return false;
    out.emplace_back(core::as_chars(name));
  }
  return true;
}

// RFC 6066 3. Suricata reads only the first ServerName entry.
WireError read_server_name(core::Bytes ext, ClientHello& out) {
  if (ext.empty()) return WireError::kNone;  // empty in a ServerHello echo
  Reader r(ext);
  r.u16();  // server_name_list length; the entry is checked on its own
  uint8_t type = r.u8();
  if (!r.ok()) return WireError::kHandshakeInvalidLength;
  if (type != 0) return WireError::kInvalidSniType;  // only host_name exists
  uint16_t len = r.u16();
  core::Bytes name = r.take(len);
  if (!r.ok()) return WireError::kHandshakeInvalidLength;
  if (out.has_sni) {
    out.multiple_sni = true;
    return WireError::kNone;
  }
  if (len > kMaxSniLen) return WireError::kInvalidSniLength;
  out.has_sni = true;
  out.sni.assign(core::as_chars(name));
  return WireError::kNone;
}

WireError read_client_extension(uint16_t type, core::Bytes data, ClientHello& out) {
  Reader r(data);
  switch (type) {
    case kExtServerName:
      return read_server_name(data, out);
    case kExtSupportedGroups: {
      core::Bytes list = r.vec16();
      if (!r.ok() || !read_u16_list(list, out.groups)) return WireError::kHandshakeInvalidLength;
      return WireError::kNone;
    }
    case kExtEcPointFormats: {
      core::Bytes list = r.vec8();
      if (!r.ok()) return WireError::kHandshakeInvalidLength;
      out.ec_point_formats.assign(list.begin(), list.end());
      return WireError::kNone;
    }
    case kExtSignatureAlgorithms: {
      core::Bytes list = r.vec16();
      if (!r.ok() || !read_u16_list(list, out.sig_algs)) return WireError::kHandshakeInvalidLength;
      return WireError::kNone;
    }
    case kExtAlpn:
      if (data.empty()) return WireError::kNone;
      return read_alpn_list(data, out.alpns) ? WireError::kNone : WireError::kHandshakeInvalidLength;
    case kExtSupportedVersions: {
      if (data.empty()) return WireError::kNone;
      core::Bytes list = r.vec8();
      if (!r.ok() || !read_u16_list(list, out.supported_versions))
        return WireError::kHandshakeInvalidLength;
      return WireError::kNone;
    }
    default:
      return WireError::kNone;
  }
}

// Extensions block shared by both hellos: absent is allowed (RFC 5246
// 7.4.1.2: "the presence of extensions can be detected by ... bytes
// following the compression_methods").
template <typename OnExt>
WireError read_extensions(Reader& r, std::vector<uint16_t>& types, OnExt on_ext) {
  if (r.empty()) return WireError::kNone;
  Reader exts(r.vec16());
  if (!r.ok()) return WireError::kHandshakeInvalidLength;
  while (!exts.empty()) {
    if (types.size() >= kMaxExtensions) return WireError::kHandshakeInvalidLength;
    uint16_t type = exts.u16();
    core::Bytes data = exts.vec16();
    if (!exts.ok()) return WireError::kHandshakeInvalidLength;
    types.push_back(type);
    WireError e = on_ext(type, data);
    if (e != WireError::kNone) return e;
  }
  return WireError::kNone;
}

}  // namespace

std::optional<RecordHeader> parse_record_header(core::Bytes b) {
  if (b.size() < kRecordHeaderLen) return std::nullopt;
  return RecordHeader{b[0], core::load_be16(b.data() + 1), core::load_be16(b.data() + 3)};
}

bool is_known_content_type(uint8_t type) { return type >= 20 && type <= 24; }

bool is_valid_record_version(uint16_t version) { return version >= kSsl3 && version <= kTls13; }

std::string version_string(uint16_t v) {
  switch (v) {
    case kVersionUnknown: return "UNDETERMINED";
    case kSsl2: return "SSLv2";
    case kSsl3: return "SSLv3";
    case kTls10: return "TLSv1";
    case kTls11: return "TLS 1.1";
    case kTls12: return "TLS 1.2";
    case kTls13: return "TLS 1.3";
    case kTls13PreDraft16: return "TLS 1.3 draft-<16";
    case 0xfb14: return "TLS 1.3 draft-20-fb";
    case 0xfb15: return "TLS 1.3 draft-21-fb";
    case 0xfb16: return "TLS 1.3 draft-22-fb";
    case 0xfb17: return "TLS 1.3 draft-23-fb";
    case 0xfb1a: return "TLS 1.3 draft-26-fb";
    default: break;
  }
  // Drafts 16..28 are 0x7f10..0x7f1c: "TLS 1.3 draft-NN".
  if (v >= 0x7f10 && v <= 0x7f1c) return "TLS 1.3 draft-" + std::to_string(v & 0xff);
  return std::to_string(v);
}

std::optional<HandshakeHeader> parse_handshake_header(core::Bytes b) {
  if (b.size() < kHandshakeHeaderLen) return std::nullopt;
  return HandshakeHeader{b[0], uint32_t(b[1]) << 16 | uint32_t(b[2]) << 8 | b[3]};
}

std::string_view wire_error_event(WireError e) {
  switch (e) {
    case WireError::kNone: return {};
    case WireError::kHandshakeInvalidLength: return "tls.handshake_invalid_length";
    case WireError::kInvalidSniType: return "tls.invalid_sni_type";
    case WireError::kInvalidSniLength: return "tls.invalid_sni_length";
    case WireError::kInvalidCertificate: return "tls.invalid_certificate";
    case WireError::kCertificateInvalidLength: return "tls.certificate_invalid_length";
  }
  return {};
}

// RFC 5246 7.4.1.2 / RFC 8446 4.1.2.
WireError parse_client_hello(core::Bytes body, ClientHello& out) {
  Reader r(body);
  out.version = r.u16();
  core::Bytes random = r.take(out.random.size());
  core::Bytes session_id = r.vec8();
  core::Bytes ciphers = r.vec16();
  core::Bytes compression = r.vec8();
  if (!r.ok() || session_id.size() > 32 || !read_u16_list(ciphers, out.ciphers))
    return WireError::kHandshakeInvalidLength;
  std::copy(random.begin(), random.end(), out.random.begin());
  out.session_id.assign(session_id.begin(), session_id.end());
  out.compression.assign(compression.begin(), compression.end());
  return read_extensions(r, out.extensions, [&](uint16_t type, core::Bytes data) {
    return read_client_extension(type, data, out);
  });
}

// RFC 5246 7.4.1.3 / RFC 8446 4.1.3 (a HelloRetryRequest has this shape too).
WireError parse_server_hello(core::Bytes body, ServerHello& out) {
  Reader r(body);
  out.version = r.u16();
  core::Bytes random = r.take(out.random.size());
  // TLS 1.3 drafts before 22 (0x0304 or 0x7f01..0x7f15 in this field) had
  // neither legacy_session_id_echo nor legacy_compression_method.
  bool early_draft = out.version == kTls13 || (out.version >= 0x7f01 && out.version < 0x7f16);
  core::Bytes session_id = early_draft ? core::Bytes{} : r.vec8();
  out.cipher = r.u16();
  if (!early_draft) out.compression = r.u8();
  if (!r.ok() || session_id.size() > 32) return WireError::kHandshakeInvalidLength;
  std::copy(random.begin(), random.end(), out.random.begin());
  out.session_id.assign(session_id.begin(), session_id.end());
  return read_extensions(r, out.extensions, [&](uint16_t type, core::Bytes data) {
    Reader e(data);
    if (type == kExtSupportedVersions) {
      uint16_t v = e.u16();  // RFC 8446 4.2.1: the server selects exactly one
      if (!e.ok()) return WireError::kHandshakeInvalidLength;
      out.selected_version = v;
    } else if (type == kExtAlpn && !data.empty()) {
      if (!read_alpn_list(data, out.alpns)) return WireError::kHandshakeInvalidLength;
    }
    return WireError::kNone;
  });
}

// RFC 5246 7.4.2 / RFC 8446 4.4.2.
WireError parse_certificate_list(core::Bytes body, bool tls13, std::vector<core::Bytes>& certs) {
  Reader r(body);
  if (tls13) r.vec8();  // certificate_request_context
  uint32_t list_len = r.u24();
  if (!r.ok()) return WireError::kCertificateInvalidLength;
  Reader list(r.take(list_len));
  if (!r.ok()) return WireError::kCertificateInvalidLength;
  while (!list.empty()) {
    core::Bytes der = list.vec24();
    if (tls13) list.vec16();  // per-certificate extensions
    if (!list.ok()) return WireError::kInvalidCertificate;
    if (certs.size() < kMaxCertsInChain) certs.push_back(der);
  }
  return WireError::kNone;
}

int parse_sslv2_client_hello(core::Bytes b, Sslv2ClientHello& out) {
  if (b.empty()) return 0;
  // Only the 2-byte header form (high bit set) is used by compatible hellos.
  if ((b[0] & 0x80) == 0) return -1;
  if (b.size() < 3) return 0;
  if (b[2] != 1) return -1;  // SSLv2 MSG-CLIENT-HELLO
  size_t len = size_t(b[0] & 0x7f) << 8 | b[1];
  if (len < 9) return -1;  // type, version and three lengths
  if (b.size() < 2 + len) return 0;
  Reader r(b.subspan(2, len));
  r.u8();
  out.version = r.u16();
  uint16_t cipher_len = r.u16();
  uint16_t session_len = r.u16();
  uint16_t challenge_len = r.u16();
  core::Bytes specs = r.take(cipher_len);
  r.take(session_len);
  r.take(challenge_len);
  if (!r.ok() || cipher_len % 3 != 0) return -1;
  out.cipher_specs.clear();
  for (size_t i = 0; i + 2 < specs.size(); i += 3)
    out.cipher_specs.push_back(uint32_t(specs[i]) << 16 | uint32_t(specs[i + 1]) << 8 | specs[i + 2]);
  out.record_len = 2 + len;
  return 1;
}

}  // namespace pasban::app::tls
