// The per-flow driver around libhtp: configuration, callbacks, and the
// to-and-fro between the two directions when libhtp needs the other side.
#include "app/http/http_parser.h"

#include <htp/htp.h>

#include <algorithm>
#include <cctype>

namespace pasban::app::http {
namespace {

HttpParser* parser_of(htp_tx_t* tx) {
  return tx ? static_cast<HttpParser*>(htp_connp_get_user_data(tx->connp)) : nullptr;
}

int cb_request_start(htp_tx_t* tx) {
  if (auto* p = parser_of(tx)) p->wrap(tx);
  return HTP_OK;
}
int cb_request_line(htp_tx_t* tx) {
  if (auto* p = parser_of(tx)) p->on_request_line(tx);
  return HTP_OK;
}
int cb_request_headers(htp_tx_t* tx) {
  if (auto* p = parser_of(tx)) p->on_request_headers(tx);
  return HTP_OK;
}
int cb_request_complete(htp_tx_t* tx) {
  if (auto* p = parser_of(tx)) p->on_request_complete(tx);
  return HTP_OK;
}
int cb_response_line(htp_tx_t* tx) {
  if (auto* p = parser_of(tx)) p->on_response_line(tx);
  return HTP_OK;
}
int cb_response_headers(htp_tx_t* tx) {
  if (auto* p = parser_of(tx)) p->on_response_headers(tx);
  return HTP_OK;
}
int cb_response_complete(htp_tx_t* tx) {
  if (auto* p = parser_of(tx)) p->on_response_complete(tx);
  return HTP_OK;
}
int cb_request_body(htp_tx_data_t* d) {
  if (auto* p = parser_of(d->tx)) p->on_body(d, true);
  return HTP_OK;
}
int cb_response_body(htp_tx_data_t* d) {
  if (auto* p = parser_of(d->tx)) p->on_body(d, false);
  return HTP_OK;
}
int cb_request_header_data(htp_tx_data_t* d) {
  if (auto* p = parser_of(d->tx)) p->on_header_data(d, true);
  return HTP_OK;
}
int cb_response_header_data(htp_tx_data_t* d) {
  if (auto* p = parser_of(d->tx)) p->on_header_data(d, false);
  return HTP_OK;
}
int cb_log(htp_log_t* log) {
  if (log && log->connp) {
    if (auto* p = static_cast<HttpParser*>(htp_connp_get_user_data(log->connp))) p->on_log(log);
  }
  return HTP_OK;
}

// Built once, never changed afterwards: libhtp requires a configuration
// shared between connections to stay untouched.
struct ConfigDeleter {
  void operator()(htp_cfg_t* c) const { htp_config_destroy(c); }
};

htp_cfg_t* build_config() {
  htp_cfg_t* cfg = htp_config_create();
  if (!cfg) return nullptr;
  // personality: IDS (Suricata's default-config).
  htp_config_set_server_personality(cfg, HTP_SERVER_IDS);
  // The IDS personality lowercases the path; signatures expect the case
  // as sent, so Suricata turns that off and so do we.
  htp_config_set_convert_lowercase(cfg, HTP_DECODER_URL_PATH, 0);
  // Cookies are inspected as the raw header value, never parsed.
  htp_config_set_parse_request_cookies(cfg, 0);
  // '+' stays '+' (Suricata's query-plusspace-decode: no).
  htp_config_set_plusspace_decode(cfg, HTP_DECODER_URLENCODED, 0);
  // gzip/deflate bodies are decompressed for http.response_body/file.data;
  // two encoding layers at most (response-body-decompress-layer-limit: 2).
  htp_config_set_response_decompression(cfg, 1);
  htp_config_set_request_decompression(cfg, 1);
  htp_config_set_response_decompression_layer_limit(cfg, 2);
  // Bounds on decompression work (Suricata's compression bomb defaults).
  htp_config_set_compression_bomb_limit(cfg, 1024 * 1024);
  htp_config_set_compression_time_limit(cfg, 100000);
  htp_config_set_lzma_memlimit(cfg, 1024 * 1024);
  htp_config_set_lzma_layers(cfg, 1);
  // meta-field-limit 18k: longest header line / request line buffered.
  htp_config_set_field_limits(cfg, 9000, 18 * 1024);
  htp_config_set_number_headers_limit(cfg, 1024);
  htp_config_set_tx_auto_destroy(cfg, 0);

  htp_config_register_request_start(cfg, cb_request_start);
  htp_config_register_request_line(cfg, cb_request_line);
  htp_config_register_request_headers(cfg, cb_request_headers);
  htp_config_register_request_trailer(cfg, cb_request_headers);
  htp_config_register_request_complete(cfg, cb_request_complete);
  htp_config_register_response_line(cfg, cb_response_line);
  htp_config_register_response_headers(cfg, cb_response_headers);
  htp_config_register_response_trailer(cfg, cb_response_headers);
  htp_config_register_response_complete(cfg, cb_response_complete);
  htp_config_register_request_body_data(cfg, cb_request_body);
  htp_config_register_response_body_data(cfg, cb_response_body);
  htp_config_register_request_header_data(cfg, cb_request_header_data);
  htp_config_register_request_trailer_data(cfg, cb_request_header_data);
  htp_config_register_response_header_data(cfg, cb_response_header_data);
  htp_config_register_response_trailer_data(cfg, cb_response_header_data);
  htp_config_register_log(cfg, cb_log);
  return cfg;
}

htp_cfg_t* shared_config() {
  static const std::unique_ptr<htp_cfg_t, ConfigDeleter> cfg(build_config());
  return cfg.get();
}

std::string to_string(const bstr* b) {
  if (!b) return {};
  return std::string(reinterpret_cast<const char*>(bstr_ptr(b)), bstr_len(b));
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

void copy_headers(const htp_table_t* table, std::vector<HttpHeader>& out) {
  out.clear();
  if (!table) return;
  const size_t n = htp_table_size(table);
  out.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    auto* h = static_cast<htp_header_t*>(htp_table_get_index(table, i, nullptr));
    if (!h) continue;
    out.push_back({to_string(h->name), to_string(h->value)});
  }
}

// Suricata's normalised header buffer: "Name: value\r\n" per header, in
// order, repeats already merged by libhtp; the cookie header of the
// direction is left out (it has its own buffer).
std::string header_block(const std::vector<HttpHeader>& hs, std::string_view skip) {
  std::string out;
  for (const auto& h : hs) {
    if (iequals(h.name, skip)) continue;
    out += h.name;
    out += ": ";
    out += h.value;
    out += "\r\n";
  }
  return out;
}

// http.header_names: "\r\n" then each name followed by "\r\n", then "\r\n",
// so a rule can anchor a name between line ends.
std::string header_names(const std::vector<HttpHeader>& hs) {
  std::string out = "\r\n";
  for (const auto& h : hs) {
    out += h.name;
    out += "\r\n";
  }
  out += "\r\n";
  return out;
}

// http.uri: the path and query libhtp normalised (URL-decoded path,
// separators compressed, ./.. removed per the IDS personality), rebuilt as
// path[?query][#fragment] like Suricata's request_uri_normalized.
std::string normalized_uri(const htp_tx_t* tx) {
  std::string out;
  const htp_uri_t* u = tx->parsed_uri;
  if (u) {
    if (u->path) out += to_string(u->path);
    if (u->query) {
      // libhtp leaves the query encoded; Suricata URL-decodes a copy of it
      // (query-plusspace-decode: no) so http.uri holds the decoded bytes.
      out += '?';
      if (bstr* q = bstr_dup(u->query)) {
        uint64_t flags = 0;
        htp_urldecode_inplace(tx->cfg, HTP_DECODER_URLENCODED, q, &flags);
        out += to_string(q);
        bstr_free(q);
      }
    }
    if (u->fragment) {
      out += '#';
      out += to_string(u->fragment);
    }
  }
  return out;
}

// libhtp 0.5 knows Basic and Digest only; Suricata's parser also knows
// the Bearer scheme (RFC 6750), which is not an anomaly.
bool bearer_authorization(const HttpTx& tx) {
  const std::string* auth = tx.request_header("authorization");
  if (!auth) return false;
  std::string_view v = *auth;
  while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
  return v.size() >= 6 && iequals(v.substr(0, 6), "bearer") &&
         (v.size() == 6 || v[6] == ' ' || v[6] == '\t');
}

void append_bounded(std::string& dst, const unsigned char* p, size_t n, size_t limit) {
  if (!p || dst.size() >= limit) return;
  dst.append(reinterpret_cast<const char*>(p), std::min(n, limit - dst.size()));
}

}  // namespace

const std::string* HttpTx::request_header(std::string_view name) const {
  for (const auto& h : request_headers)
    if (iequals(h.name, name)) return &h.value;
  return nullptr;
}

const std::string* HttpTx::response_header(std::string_view name) const {
  for (const auto& h : response_headers)
    if (iequals(h.name, name)) return &h.value;
  return nullptr;
}

HttpParser::HttpParser() {
  htp_cfg_t* cfg = shared_config();
  if (cfg) connp_ = htp_connp_create(cfg);
  if (connp_) {
    htp_connp_set_user_data(connp_, this);
  } else {
    stopped_ = true;
  }
}

HttpParser::~HttpParser() {
  if (connp_) {
    // Callbacks must not reach a parser being destroyed.
    htp_connp_set_user_data(connp_, nullptr);
    htp_connp_destroy_all(connp_);
  }
}

void HttpParser::open(core::Timestamp ts) {
  now_sec_ = static_cast<long>(ts.sec);
  now_usec_ = ts.usec;
  if (opened_ || !connp_) return;
  htp_time_t tv{};
  tv.tv_sec = now_sec_;
  tv.tv_usec = now_usec_;
  htp_connp_open(connp_, nullptr, 0, nullptr, 0, &tv);
  opened_ = true;
}

HttpTx* HttpParser::wrap(htp_tx_t* tx) {
  if (!tx) return nullptr;
  if (auto* w = static_cast<HttpTx*>(htp_tx_get_user_data(tx))) return w;
  auto w = std::make_unique<HttpTx>();
  w->tx_id = tx->index;
  HttpTx* raw = w.get();
  txs_.push_back(std::move(w));
  htp_tx_set_user_data(tx, raw);
  return raw;
}

void HttpParser::on_request_line(htp_tx_t* tx) {
  HttpTx* w = wrap(tx);
  if (!w) return;
  w->has_method = tx->request_method != nullptr;
  w->method = to_string(tx->request_method);
  w->method_number = tx->request_method_number;
  w->has_uri = tx->request_uri != nullptr;
  w->uri_raw = to_string(tx->request_uri);
  w->uri_normalized = normalized_uri(tx);
  // No normalised form (CONNECT authority, bare method): the URI as sent.
  if (w->uri_normalized.empty()) w->uri_normalized = w->uri_raw;
  w->has_protocol = tx->request_protocol != nullptr;
  w->protocol = to_string(tx->request_protocol);
  w->has_request_line = tx->request_line != nullptr;
  w->request_line = to_string(tx->request_line);
  // http.start: the request line, then the header block as it arrives
  // (on_header_data appends to both).
  w->request_start = w->request_line + "\r\n" + w->request_headers_raw;
  // The request line is unusable: HTTP/0.9 form, unknown method, and no
  // valid protocol (libhtp parsed it but Suricata flags it).
  if (tx->is_protocol_0_9 && tx->request_method_number == HTP_M_UNKNOWN &&
      (tx->request_protocol_number == HTP_PROTOCOL_INVALID ||
       tx->request_protocol_number == HTP_PROTOCOL_UNKNOWN))
    raise(w, "http.request_line_invalid");
}

void HttpParser::on_request_headers(htp_tx_t* tx) {
  HttpTx* w = wrap(tx);
  if (!w) return;
  if (!w->has_request_line && tx->request_line) on_request_line(tx);
  copy_headers(tx->request_headers, w->request_headers);
  w->request_header_block = header_block(w->request_headers, "cookie");
  w->request_header_names = header_names(w->request_headers);
  w->request_header_lines.clear();
  for (const auto& h : w->request_headers) w->request_header_lines.push_back(h.name + ": " + h.value);
  w->has_hostname = tx->request_hostname != nullptr;
  w->hostname = to_string(tx->request_hostname);
  // libhtp 0.5 keeps a Host header's case; Suricata's http.host (and the
  // EVE hostname) are lowercase.
  for (char& c : w->hostname) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  w->port = tx->request_port_number;
  if (tx->parsed_uri_raw && tx->parsed_uri_raw->hostname) {
    w->has_host_raw = true;
    w->host_raw = to_string(tx->parsed_uri_raw->hostname);
  } else if (const std::string* h = w->request_header("host")) {
    w->has_host_raw = true;
    w->host_raw = *h;
  }
  const uint64_t f = tx->flags;
  if (f & HTP_REQUEST_INVALID_T_E) raise(w, "http.invalid_transfer_encoding_value_in_request");
  if (f & HTP_REQUEST_INVALID_C_L) raise(w, "http.invalid_content_length_field_in_request");
  if (f & HTP_HOST_MISSING) raise(w, "http.missing_host_header");
  if (f & HTP_HOST_AMBIGUOUS) raise(w, "http.host_header_ambiguous");
  if (f & HTP_HOSTU_INVALID) raise(w, "http.request_uri_host_invalid");
  if (f & HTP_HOSTH_INVALID) raise(w, "http.request_header_host_invalid");
  if (tx->request_auth_type == HTP_AUTH_UNRECOGNIZED && !bearer_authorization(*w))
    raise(w, "http.request_auth_unrecognized");
}

void HttpParser::on_request_complete(htp_tx_t* tx) {
  HttpTx* w = wrap(tx);
  if (!w) return;
  // HTTP/0.9 and requests libhtp invents for unmatched responses have no
  // header stage; take what there is now.
  if (!w->has_request_line && tx->request_line) on_request_line(tx);
  if (!w->has_uri && tx->request_uri) on_request_line(tx);
  if (w->request_headers.empty() && tx->request_headers && htp_table_size(tx->request_headers))
    on_request_headers(tx);
  w->request_done = true;
  file_end(w, true, body_cut(tx, true));
}

void HttpParser::on_response_line(htp_tx_t* tx) {
  HttpTx* w = wrap(tx);
  if (!w) return;
  w->has_status = tx->response_status != nullptr;
  w->status = to_string(tx->response_status);
  w->status_number = tx->response_status_number > 0 ? tx->response_status_number : -1;
  w->has_status_msg = tx->response_message != nullptr;
  w->status_msg = to_string(tx->response_message);
  w->has_response_line = tx->response_line != nullptr;
  w->response_line = to_string(tx->response_line);
  w->response_protocol = to_string(tx->response_protocol);
  // libhtp 0.5.42 defect: when a segment ends inside the status line that
  // follows a finished response, the next call re-reads the part it had
  // buffered and the line (and message) come out as "<line>\r\n<tail>".
  // A status line never holds a line feed, so cutting there restores it.
  auto cut_at_lf = [](std::string& s) {
    if (const size_t lf = s.find('\n'); lf != std::string::npos) {
      s.resize(lf);
      if (!s.empty() && s.back() == '\r') s.pop_back();
    }
  };
  cut_at_lf(w->response_line);
  cut_at_lf(w->status_msg);
  w->response_start = w->response_line + "\r\n" + w->response_headers_raw;
}

void HttpParser::on_response_headers(htp_tx_t* tx) {
  HttpTx* w = wrap(tx);
  if (!w) return;
  if (!w->has_response_line && tx->response_line) on_response_line(tx);
  copy_headers(tx->response_headers, w->response_headers);
  w->response_header_block = header_block(w->response_headers, "set-cookie");
  w->response_header_names = header_names(w->response_headers);
  w->response_header_lines.clear();
  for (const auto& h : w->response_headers) w->response_header_lines.push_back(h.name + ": " + h.value);

  // 101 Switching Protocols: libhtp stops parsing both sides; the flow is
  // now another protocol (Suricata hands h2c to HTTP/2, websocket to its
  // parser).
  if (tx->response_status_number == 101 && upgrade_ == HttpUpgrade::kNone) {
    const std::string* up = w->response_header("upgrade");
    if (up && iequals(*up, "h2c"))
      upgrade_ = HttpUpgrade::kHttp2;
    else if (up && iequals(*up, "websocket"))
      upgrade_ = HttpUpgrade::kWebSocket;
    else
      upgrade_ = HttpUpgrade::kOther;
  }
}

void HttpParser::on_response_complete(htp_tx_t* tx) {
  HttpTx* w = wrap(tx);
  if (!w) return;
  if (!w->has_response_line && tx->response_line) on_response_line(tx);
  if (w->response_headers.empty() && tx->response_headers && htp_table_size(tx->response_headers))
    on_response_headers(tx);
  w->response_message_len = tx->response_message_len;
  w->response_done = true;
  file_end(w, false, body_cut(tx, false));
  // A CONNECT answered 2xx opens a tunnel: whatever follows is another
  // protocol (or HTTP again) and is detected afresh, as Suricata does.
  if (tx->request_method_number == HTP_M_CONNECT && tx->response_status_number >= 200 &&
      tx->response_status_number < 300 && upgrade_ == HttpUpgrade::kNone)
    upgrade_ = HttpUpgrade::kConnect;
}

// A body libhtp ends because the connection closed is cut short unless
// the close is what delimits it (no length, not chunked).
bool HttpParser::body_cut(const htp_tx_t* tx, bool request) const {
  if (!closing_) return false;
  const int64_t len = request ? tx->request_content_length : tx->response_content_length;
  const int64_t got = request ? tx->request_message_len : tx->response_message_len;
  if (len >= 0) return got < len;
  return (request ? tx->request_transfer_coding : tx->response_transfer_coding) == HTP_CODING_CHUNKED;
}

void HttpParser::on_body(htp_tx_data_t* d, bool request) {
  HttpTx* w = wrap(d->tx);
  if (!w || d->len == 0) return;  // NULL data and no length mark the end of a body
  file_data(w, request, d->data, d->len);
  if (!d->data) {  // a gap of d->len bytes inside the body
    (request ? w->request_body_len : w->response_body_len) += d->len;
    return;
  }
  if (request) {
    w->request_body_len += d->len;
    append_bounded(w->request_body, d->data, d->len, kRequestBodyLimit);
  } else {
    w->response_body_len += d->len;
    append_bounded(w->response_body, d->data, d->len, kResponseBodyLimit);
    w->response_message_len = d->tx->response_message_len;
  }
}

void HttpParser::on_header_data(htp_tx_data_t* d, bool request) {
  HttpTx* w = wrap(d->tx);
  if (!w || !d->data || d->len == 0) return;
  std::string& raw = request ? w->request_headers_raw : w->response_headers_raw;
  const size_t before = raw.size();
  append_bounded(raw, d->data, d->len, kRawHeaderLimit);
  const bool have_line = request ? w->has_request_line : w->has_response_line;
  if (have_line)
    (request ? w->request_start : w->response_start).append(raw, before, std::string::npos);
}

namespace {
// True when the response's Content-Encoding lists only "identity" tokens.
bool only_identity_coding(htp_tx_t* tx) {
  htp_header_t* ce =
      tx->response_headers ? static_cast<htp_header_t*>(htp_table_get_c(tx->response_headers,
                                                                         "content-encoding"))
                           : nullptr;
  if (!ce || !ce->value) return false;
  std::string_view v(reinterpret_cast<const char*>(bstr_ptr(ce->value)), bstr_len(ce->value));
  bool any = false;
  while (!v.empty()) {
    const size_t comma = v.find(',');
    std::string_view tok = v.substr(0, comma);
    v = comma == std::string_view::npos ? std::string_view() : v.substr(comma + 1);
    while (!tok.empty() && (tok.front() == ' ' || tok.front() == '\t')) tok.remove_prefix(1);
    while (!tok.empty() && (tok.back() == ' ' || tok.back() == '\t')) tok.remove_suffix(1);
    if (tok.empty()) continue;
    if (tok.size() != 8 || !std::equal(tok.begin(), tok.end(), "identity", [](char a, char b) {
          return std::tolower(static_cast<unsigned char>(a)) == b;
        }))
      return false;
    any = true;
  }
  return any;
}
}  // namespace

void HttpParser::on_log(htp_log_t* log) {
  if (!log->msg) return;
  if (messages_ > kMaxMessages) return;
  ++messages_;
  HttpTx* w = log->tx ? static_cast<HttpTx*>(htp_tx_get_user_data(log->tx)) : nullptr;
  if (messages_ > kMaxMessages) {
    raise(w, "http.too_many_warnings");
    return;
  }
  // libhtp 0.5 does not know the "identity" content coding (RFC 9110
  // 8.4.1: no transformation) and calls it an unknown C-E setting;
  // Suricata 8's parser accepts it without an event.
  if (std::string_view(log->msg).starts_with("C-E unknown setting")) {
    htp_tx_t* tx = log->tx ? log->tx : htp_connp_get_out_tx(connp_);
    if (tx && only_identity_coding(tx)) return;
  }
  raise(w, http_event_for_message(log->msg, in_request_));
}

void HttpParser::raise(HttpTx* tx, std::string_view event) {
  if (tx) {
    if (std::find(tx->events.begin(), tx->events.end(), event) != tx->events.end()) return;
    tx->events.push_back(event);
  }
  events.push_back(event);
}

void HttpParser::drive(bool to_server, const uint8_t* data, size_t len) {
  htp_time_t tv{};
  tv.tv_sec = now_sec_;
  tv.tv_usec = now_usec_;
  in_request_ = to_server;
  std::string& pending = to_server ? req_pending_ : res_pending_;
  const int rc = to_server ? htp_connp_req_data(connp_, &tv, data, len)
                           : htp_connp_res_data(connp_, &tv, data, len);
  const size_t consumed = std::min(
      len, to_server ? htp_connp_req_data_consumed(connp_) : htp_connp_res_data_consumed(connp_));
  switch (rc) {
    case HTP_STREAM_DATA_OTHER:
      // libhtp needs the other direction first (a CONNECT waits for its
      // answer); keep the rest until then.
      if (data && len - consumed + pending.size() <= kPendingLimit) {
        pending.append(reinterpret_cast<const char*>(data) + consumed, len - consumed);
      } else {
        stopped_ = true;
      }
      break;
    case HTP_STREAM_TUNNEL:
      if (data && consumed < len)
        (to_server ? req_tunnel_ : res_tunnel_)
            .append(reinterpret_cast<const char*>(data) + consumed,
                    std::min(len - consumed, kPendingLimit));
      if (upgrade_ == HttpUpgrade::kNone) upgrade_ = HttpUpgrade::kOther;
      break;
    case HTP_STREAM_ERROR:
      stopped_ = true;
      break;
    default:
      break;
  }
  in_request_ = true;
}

// Feeds held-back bytes of a direction again after the other side moved.
void HttpParser::pump() {
  for (int round = 0; round < 8 && !stopped_ && upgrade_ == HttpUpgrade::kNone; ++round) {
    bool progress = false;
    for (bool ts : {true, false}) {
      std::string& pending = ts ? req_pending_ : res_pending_;
      if (pending.empty() || stopped_ || upgrade_ != HttpUpgrade::kNone) continue;
      std::string held;
      held.swap(pending);
      drive(ts, reinterpret_cast<const uint8_t*>(held.data()), held.size());
      if (pending.size() < held.size()) progress = true;
    }
    if (!progress) break;
  }
  // After a switch the held-back bytes belong to the new protocol.
  if (upgrade_ != HttpUpgrade::kNone) {
    req_tunnel_.insert(0, req_pending_);
    res_tunnel_.insert(0, res_pending_);
    req_pending_.clear();
    res_pending_.clear();
  }
}

void HttpParser::feed(bool to_server, core::Bytes data, core::Timestamp ts) {
  if (stopped_ || !connp_ || data.empty()) return;
  open(ts);
  if (upgrade_ != HttpUpgrade::kNone) {
    // Past the switch libhtp has nothing to say; keep a bounded copy for
    // whoever takes the flow over.
    std::string& t = to_server ? req_tunnel_ : res_tunnel_;
    if (t.size() < kPendingLimit)
      t.append(reinterpret_cast<const char*>(data.data()), std::min(data.size(), kPendingLimit - t.size()));
    return;
  }
  std::string& pending = to_server ? req_pending_ : res_pending_;
  if (!pending.empty()) {
    if (pending.size() + data.size() > kPendingLimit) {
      stopped_ = true;
      return;
    }
    pending.append(reinterpret_cast<const char*>(data.data()), data.size());
  } else {
    drive(to_server, data.data(), data.size());
  }
  pump();
}

void HttpParser::on_gap(bool to_server) {
  // Without its length a gap cannot be skipped; give the flow up.
  stopped_ = true;
}

void HttpParser::on_gap_bytes(bool to_server, size_t len) {
  if (stopped_ || !connp_ || len == 0 || upgrade_ != HttpUpgrade::kNone) return;
  std::string& pending = to_server ? req_pending_ : res_pending_;
  if (!pending.empty()) {
    stopped_ = true;
    return;
  }
  // NULL data with a length is libhtp's gap: accepted inside a body,
  // an error elsewhere ("Gaps are not allowed during this state").
  drive(to_server, nullptr, len);
  pump();
}

void HttpParser::on_close() {
  if (connp_ && opened_ && !stopped_ && upgrade_ == HttpUpgrade::kNone) {
    htp_time_t tv{};
    tv.tv_sec = now_sec_;
    tv.tv_usec = now_usec_;
    // Lets libhtp finish bodies that end with the connection.
    closing_ = true;
    htp_connp_close(connp_, &tv);
    closing_ = false;
  }
  for (auto& t : txs_) {
    t->closed = true;
    // Bodies still open end here, short of their length.
    file_end(t.get(), true, true);
    file_end(t.get(), false, true);
  }
}

void HttpParser::trim() {
  // Only a prefix can go: transaction order is the logging order.
  size_t n = 0;
  while (n < txs_.size() && txs_[n]->logged && txs_[n]->complete(true) && txs_[n]->complete(false))
    ++n;
  if (n == 0) return;
  if (connp_) {
    htp_conn_t* conn = htp_connp_get_connection(connp_);
    for (size_t i = 0; i < n; ++i) {
      const uint64_t id = txs_[i]->tx_id;
      auto* tx = conn ? static_cast<htp_tx_t*>(htp_list_get(conn->transactions, id)) : nullptr;
      if (tx && htp_tx_get_user_data(tx) == txs_[i].get()) {
        htp_tx_set_user_data(tx, nullptr);
        // libhtp frees only transactions it has finished with; closing the
        // flow (not libhtp) made the others "complete" here.
        if (tx->request_progress == HTP_REQUEST_COMPLETE &&
            tx->response_progress == HTP_RESPONSE_COMPLETE)
          htp_tx_destroy(tx);
      }
    }
  }
  txs_.erase(txs_.begin(), txs_.begin() + static_cast<std::ptrdiff_t>(n));
  txs_removed += n;
}

}  // namespace pasban::app::http
