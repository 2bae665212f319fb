#include "app/tls/tls_parser.h"

#include <algorithm>

#include "app/tls/tls_fingerprint.h"

namespace pasban::app::tls {
namespace {

// Suricata raises too_many_records_in_packet past 255 records in one input.
constexpr size_t kMaxRecordsPerFeed = 255;
// RFC 6520 4: payload_length is followed by at least 16 bytes of padding.
constexpr size_t kHeartbeatMinPadding = 16;

TlsConfig g_config;  // written once at load time (set_tls_config)

bool known_handshake_type(uint8_t t) {
  switch (t) {
    case 0: case 1: case 2: case 3: case 4: case 5: case 6: case 8:
    case 11: case 12: case 13: case 14: case 15: case 16:
    case 20: case 21: case 22: case 23: case 24: case 25: case 254:
      return true;
    default:
      return false;
  }
}

}  // namespace

void set_tls_config(const TlsConfig& config) { g_config = config; }
const TlsConfig& tls_config() { return g_config; }

void TlsParser::stop(bool to_server) {
  Side& s = side(to_server);
  s.stopped = true;
  s.record.clear();
  s.record.shrink_to_fit();
  s.handshake.clear();
  s.handshake.shrink_to_fit();
  if (tx_) (to_server ? tx_->client_done : tx_->server_done) = true;
}

void TlsParser::fail(bool to_server, std::string_view event) {
  events.push_back(event);
  stop(to_server);
}

void TlsParser::on_gap(bool to_server) {
  // Record boundaries are lost with the bytes; resynchronising on
  // encrypted traffic is guesswork, so this direction is done.
  if (tx_) stop(to_server);
}

void TlsParser::on_close() {
  if (!tx_) return;
  tx_->client_done = true;
  tx_->server_done = true;
  tx_->closed = true;
}

bool TlsParser::check_header(bool to_server, const RecordHeader& h) {
  if (!is_known_content_type(h.type)) {
    fail(to_server, "tls.invalid_record_type");
    return false;
  }
  if ((h.version >> 8) != 3) {
    fail(to_server, "tls.invalid_record_version");
    return false;
  }
  if (h.length > kMaxRecordLen) {
    fail(to_server, "tls.invalid_tls_header");
    return false;
  }
  return true;
}

// An SSLv2-compatible ClientHello opens the client stream (RFC 5246 E.2);
// a server speaking SSLv2 answers with a 2-byte header record too.
// Returns the bytes consumed from data.
size_t TlsParser::feed_sslv2(bool to_server, core::Bytes data) {
  Side& s = side(to_server);
  if (!to_server) {
    // SSLv2 SERVER-HELLO (type 4): record the version, parse no further.
    tx_->version = kSsl2;
    stop(false);
    return data.size();
  }
  size_t before = s.record.size();
  size_t room = kMaxRecordLen - std::min(kMaxRecordLen, before);
  size_t take = std::min(room, data.size());
  s.record.insert(s.record.end(), data.begin(), data.begin() + take);
  Sslv2ClientHello hello;
  int rc = parse_sslv2_client_hello(s.record, hello);
  if (rc == 0) {
    if (s.record.size() >= kMaxRecordLen) fail(true, "tls.invalid_sslv2_header");
    return take;
  }
  if (rc < 0) {
    fail(true, "tls.invalid_sslv2_header");
    return data.size();
  }
  if (!tx_->client_hello_seen) {
    tx_->client_hello_seen = true;
    tx_->sslv2_client_hello = true;
    tx_->client_hello.version = hello.version;
  }
  size_t used = hello.record_len - before;  // record_len > before: rc was 0 before
  s.record.clear();
  s.sslv2 = false;
  return used;
}

void TlsParser::feed(bool to_server, core::Bytes data, core::Timestamp) {
  if (data.empty()) return;
  if (!tx_) tx_ = std::make_unique<TlsTx>(config_);
  Side& s = side(to_server);
  if (s.stopped) return;

  size_t off = 0;
  if (!s.started) {
    s.started = true;
    // SSLv2 record: high bit set, message type CLIENT-HELLO (1) from the
    // client or SERVER-HELLO (4) from the server in the third byte.
    s.sslv2 = (data[0] & 0x80) != 0;
  }
  if (s.sslv2) {
    off = feed_sslv2(to_server, data);
    if (s.stopped || s.sslv2) return;
  }

  size_t records = 0;
  while (off < data.size() && !s.stopped) {
    if (++records > kMaxRecordsPerFeed) {
      fail(to_server, "tls.too_many_records_in_packet");
      return;
    }
    core::Bytes rest = data.subspan(off);
    if (s.record.empty()) {
      auto h = parse_record_header(rest);
      if (h) {
        if (!check_header(to_server, *h)) return;
        size_t total = kRecordHeaderLen + h->length;
        if (rest.size() >= total) {  // whole record in this feed: no copy
          on_record(to_server, *h, rest.subspan(kRecordHeaderLen, h->length));
          off += total;
          continue;
        }
      }
      s.record.assign(rest.begin(), rest.end());  // bounded: < header + kMaxRecordLen
      off = data.size();
      break;
    }
    // Continue a record split across feeds: header first, then body.
    if (s.record.size() < kRecordHeaderLen) {
      size_t take = std::min(kRecordHeaderLen - s.record.size(), rest.size());
      s.record.insert(s.record.end(), rest.begin(), rest.begin() + take);
      off += take;
      if (s.record.size() < kRecordHeaderLen) break;
      if (!check_header(to_server, *parse_record_header(s.record))) return;
      rest = data.subspan(off);
    }
    RecordHeader h = *parse_record_header(s.record);
    size_t total = kRecordHeaderLen + h.length;
    size_t take = std::min(total - s.record.size(), rest.size());
    s.record.insert(s.record.end(), rest.begin(), rest.begin() + take);
    off += take;
    if (s.record.size() == total) {
      on_record(to_server, h, core::Bytes(s.record).subspan(kRecordHeaderLen));
      s.record.clear();
    }
  }
}

void TlsParser::on_record(bool to_server, const RecordHeader& h, core::Bytes body) {
  switch (ContentType(h.type)) {
    case ContentType::kChangeCipherSpec:
    case ContentType::kApplicationData:
      stop(to_server);  // the rest of this direction is encrypted
      return;
    case ContentType::kAlert:
      if (body.size() < 2) events.push_back("tls.invalid_alert_message");
      return;
    case ContentType::kHeartbeat:
      on_heartbeat(body);
      return;
    case ContentType::kHandshake:
      if (body.empty()) {
        fail(to_server, "tls.handshake_invalid_length");
        return;
      }
      on_handshake_bytes(to_server, body);
      return;
  }
}

// RFC 6520 4: type(1) payload_length(2) payload padding(>=16). A
// payload_length past the record is the Heartbleed request (CVE-2014-0160).
void TlsParser::on_heartbeat(core::Bytes body) {
  events.push_back("tls.heartbeat_message");
  if (body.size() < 3) {
    events.push_back("tls.invalid_heartbeat_message");
    return;
  }
  size_t payload = core::load_be16(body.data() + 1);
  if (3 + payload + kHeartbeatMinPadding > body.size())
    events.push_back("tls.overflow_heartbeat_message");
}

void TlsParser::on_handshake_bytes(bool to_server, core::Bytes body) {
  Side& s = side(to_server);
  core::Bytes in = body;
  if (!s.handshake.empty()) {
    if (s.handshake.size() + body.size() > kHandshakeHeaderLen + kMaxHandshakeMessageLen) {
      fail(to_server, "tls.handshake_invalid_length");
      return;
    }
    s.handshake.insert(s.handshake.end(), body.begin(), body.end());
    in = s.handshake;
  }
  size_t off = 0;
  while (!s.stopped) {
    auto hh = parse_handshake_header(in.subspan(off));
    if (!hh) break;
    // An unknown type is judged before its length (Suricata parses the
    // type first): 0x84 with length 0xffffff is an invalid message.
    if (!known_handshake_type(hh->type)) {
      fail(to_server, "tls.invalid_handshake_message");
      return;
    }
    if (hh->length > kMaxHandshakeMessageLen) {
      fail(to_server, "tls.handshake_invalid_length");
      return;
    }
    size_t total = kHandshakeHeaderLen + hh->length;
    if (in.size() - off < total) break;
    on_message(to_server, hh->type, in.subspan(off + kHandshakeHeaderLen, hh->length));
    off += total;
  }
  if (s.stopped) return;
  // Keep the unfinished message (a view of `in` may alias s.handshake).
  std::vector<uint8_t> tail(in.begin() + off, in.end());
  s.handshake.swap(tail);
}

void TlsParser::on_message(bool to_server, uint8_t type, core::Bytes body) {
  switch (HandshakeType(type)) {
    case HandshakeType::kClientHello:
      if (!to_server) {
        events.push_back("tls.invalid_handshake_message");
        return;
      }
      on_client_hello(body);
      return;
    case HandshakeType::kServerHello:
      if (to_server) {
        events.push_back("tls.invalid_handshake_message");
        return;
      }
      on_server_hello(body);
      return;
    case HandshakeType::kCertificate:
      on_certificate(to_server, body);
      return;
    default:
      if (!known_handshake_type(type)) events.push_back("tls.invalid_handshake_message");
      return;
  }
}

void TlsParser::on_client_hello(core::Bytes body) {
  TlsTx& tx = *tx_;
  // Only the first ClientHello shapes the session's SNI and fingerprints
  // (a second one follows a HelloRetryRequest; Suricata bug 6634).
  if (tx.client_hello_seen) return;
  tx.client_hello_seen = true;
  ClientHello& ch = tx.client_hello;
  WireError e = parse_client_hello(body, ch);
  if (e != WireError::kNone) events.push_back(wire_error_event(e));
  if (ch.multiple_sni) events.push_back("tls.multiple_sni_extensions");
  tx.has_sni = ch.has_sni;
  tx.sni = ch.sni;
  if (e == WireError::kHandshakeInvalidLength) return;  // no fingerprint of half a hello
  if (config_.ja3) {
    tx.ja3_string = ja3_string(ch);
    tx.ja3_hash = md5_hex(tx.ja3_string);
  }
  if (config_.ja4) tx.ja4_hash = ja4(ch);
}

void TlsParser::on_server_hello(core::Bytes body) {
  TlsTx& tx = *tx_;
  if (tx.server_hello_seen) return;
  tx.server_hello_seen = true;
  ServerHello& sh = tx.server_hello;
  WireError e = parse_server_hello(body, sh);
  if (e != WireError::kNone) events.push_back(wire_error_event(e));
  if (body.size() < 2) return;

  // Suricata's version rules: TLS 1.3 drafts 1-15 carried 0x0304 or
  // 0x7f01..0x7f0f in the legacy field ("draft-<16"); drafts and 1.3 hide
  // the certificate, so the session is logged without one.
  uint16_t v = sh.version;
  if (v == kTls13 || (v >> 8) == 0x7f) tx.log_without_cert = true;
  if ((v >= 0x7f01 && v < 0x7f10) || v == kTls13) v = kTls13PreDraft16;
  if (sh.selected_version) {
    bool client_offered = std::find(tx.client_hello.extensions.begin(),
                                    tx.client_hello.extensions.end(),
                                    kExtSupportedVersions) != tx.client_hello.extensions.end();
    if (client_offered && *sh.selected_version > kTls12) tx.log_without_cert = true;
    v = *sh.selected_version;
  }
  tx.version = v;

  const auto& cid = tx.client_hello.session_id;
  if (!sh.session_id.empty() && sh.session_id == cid) tx.session_resumed = true;

  if (e == WireError::kHandshakeInvalidLength) return;
  if (config_.ja3) {
    tx.ja3s_string = ja3s_string(sh);
    tx.ja3s_hash = md5_hex(tx.ja3s_string);
  }
}

void TlsParser::on_certificate(bool to_server, core::Bytes body) {
  Side& s = side(to_server);
  if (s.certificate_seen) return;  // the first chain per direction
  s.certificate_seen = true;
  TlsTx& tx = *tx_;
  std::vector<core::Bytes> certs;
  WireError e = parse_certificate_list(body, false, certs);
  if (e != WireError::kNone) {
    events.push_back(wire_error_event(e));
    return;
  }
  auto& chain = to_server ? tx.client_chain : tx.server_chain;
  for (core::Bytes c : certs) chain.emplace_back(c.begin(), c.end());
  if (certs.empty()) return;
  CertInfo info;
  std::string_view event;
  if (!parse_certificate(certs[0], info, event)) {
    events.push_back(event);
    return;
  }
  if (to_server) {
    tx.client_cert = std::move(info);
  } else {
    tx.not_before = info.not_before;
    tx.not_after = info.not_after;
    tx.server_cert = std::move(info);
  }
}

}  // namespace pasban::app::tls
