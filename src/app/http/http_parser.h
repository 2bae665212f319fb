// HTTP/1.0 and 1.1 on top of libhtp (the library Suricata uses), with
// Suricata's configuration, buffers, EVE record and anomaly names.
//
// One htp_connp_t per flow; one shared, immutable htp_cfg_t. libhtp calls
// back into the parser as it goes; every callback copies what the buffers
// and the log need into an HttpTx, so an HttpTx never points into libhtp
// memory and can outlive (and be trimmed independently of) the htp_tx_t.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "app/parser.h"

struct htp_connp_t;
struct htp_tx_t;
struct htp_tx_data_t;
struct htp_log_t;

namespace pasban::app::http {

// Suricata's stock libhtp default-config (suricata.yaml).
inline constexpr size_t kRequestBodyLimit = 100 * 1024;   // request-body-limit: 100kb
inline constexpr size_t kResponseBodyLimit = 100 * 1024;  // response-body-limit: 100kb
// Raw header blocks are bounded by libhtp's field limit times its header
// count limit; this cap keeps one transaction's copy small regardless.
inline constexpr size_t kRawHeaderLimit = 256 * 1024;
// Bytes held back while libhtp waits for the other direction (a CONNECT
// request's follow-up data waits for the response that says "tunnel").
inline constexpr size_t kPendingLimit = 1024 * 1024;
// libhtp log messages turned into events per flow before we stop listening
// and raise http.too_many_warnings once (Suricata's HTP_MAX_MESSAGES).
inline constexpr size_t kMaxMessages = 512;

struct HttpHeader {
  std::string name, value;
};

// A header an eve-log `http` output lists under `custom:`, logged as its
// own key ("accept_encoding") with the header's value.
struct HttpCustomField {
  std::string_view key;     // EVE key and config name ("accept_encoding")
  std::string_view header;  // header name, lowercase ("accept-encoding")
  bool request = false;     // a request header (else a response header)
  bool extended = false;    // already logged by the extended set
};
// The custom field named by a `custom:` entry (its EVE key, or the header
// name in any case); nullptr for a name Suricata does not know.
const HttpCustomField* http_custom_field(std::string_view name);

// What an eve-log `http` type writes (Suricata's output-json-http.c): the
// basic fields, the custom ones, the extended ones with `extended: yes`,
// and the arrays request_headers / response_headers for `dump-all-headers:
// both|request|response`.
struct HttpLogOptions {
  bool extended = true;
  bool dump_request_headers = false, dump_response_headers = false;
  std::vector<const HttpCustomField*> custom;
};

class HttpTx final : public Transaction {
 public:
  bool buffer(AppBuffer b, uint32_t index, core::Bytes& out) const override;
  bool complete(bool to_server) const override;
  // The "http" object of alerts and file records: basic and extended fields.
  void log(JsonWriter& w) const override;
  // The "http" object of an event_type http record, as the output asks.
  void log_with_options(JsonWriter& w, const HttpLogOptions& o) const;

  // Request side (filled from libhtp as it parses).
  std::string method;          // http.method
  std::string uri_raw;         // http.uri.raw, EVE "url"
  std::string uri_normalized;  // http.uri
  std::string protocol;        // http.protocol, EVE "protocol"
  std::string request_line;    // http.request_line
  std::vector<HttpHeader> request_headers;  // libhtp's table, repeats merged ", "
  std::string request_headers_raw;          // http.header.raw (incl. trailers)
  std::string request_header_block;         // http.header (no Cookie)
  std::string request_header_names;         // http.header_names
  std::vector<std::string> request_header_lines;  // http.request_header: "Name: value" each
  std::string request_start;                // http.start
  std::string hostname;        // http.host, EVE "hostname" (lowercased by libhtp)
  std::string host_raw;        // http.host.raw
  bool has_hostname = false, has_host_raw = false;
  int port = -1;               // EVE "http_port": port given in Host/URI, else -1
  std::string request_body;    // http.request_body (dechunked, first 100kb)
  uint64_t request_body_len = 0;  // entity bytes seen, beyond the limit too
  int method_number = 0;          // htp_method_t (HTP_M_CONNECT = 6, ...)
  bool has_method = false, has_uri = false, has_protocol = false, has_request_line = false;

  // Response side.
  std::string status;          // http.stat_code (as sent)
  int status_number = -1;      // parsed status code, -1 when invalid/absent
  std::string status_msg;      // http.stat_msg
  std::string response_line;   // http.response_line
  std::string response_protocol;
  std::vector<HttpHeader> response_headers;
  std::string response_headers_raw;   // http.response_header.raw
  std::string response_header_block;  // Suricata http.header on the response (no Set-Cookie)
  std::string response_header_names;  // Suricata http.header_names on the response
  std::string response_start;         // Suricata http.start on the response
  std::vector<std::string> response_header_lines;  // http.response_header: "Name: value" each
  std::string response_body;   // http.response_body, file.data (decompressed, first 100kb)
  uint64_t response_body_len = 0;  // decompressed entity bytes seen
  int64_t response_message_len = 0;  // EVE "length": body bytes on the wire, dechunked
  bool has_status = false, has_status_msg = false, has_response_line = false;

  bool request_done = false, response_done = false, closed = false;

  // File tracking (http_files.cc): the file each body feeds, owned by
  // file_list. A multipart/form-data request body is kept (up to the
  // request body limit) and split into its parts' files when it ends.
  files::File* request_file = nullptr;
  files::File* response_file = nullptr;
  std::string multipart_boundary;  // non-empty: the request body is multipart
  bool request_body_gap = false;
  bool multipart_done = false;

  // Anomalies raised on this transaction (each name once).
  std::vector<std::string_view> events;

  // Request header value by name, case-insensitive; nullptr when absent.
  const std::string* request_header(std::string_view name) const;
  const std::string* response_header(std::string_view name) const;

 private:
  void log_basic(JsonWriter& w) const;     // hostname .. content_range
  void log_extended(JsonWriter& w) const;  // http_refer .. length
  void log_custom(JsonWriter& w, const HttpLogOptions& o) const;
};

// What the flow turned into, decided by the HTTP exchange itself.
enum class HttpUpgrade : uint8_t {
  kNone,
  kConnect,    // CONNECT answered 2xx: re-run protocol detection on what follows
  kHttp2,      // 101 with "Upgrade: h2c"
  kWebSocket,  // 101 with "Upgrade: websocket"
  kOther,      // any other 101: stop parsing
};

class HttpParser final : public Parser {
 public:
  HttpParser();
  ~HttpParser() override;
  HttpParser(const HttpParser&) = delete;
  HttpParser& operator=(const HttpParser&) = delete;

  void feed(bool to_server, core::Bytes data, core::Timestamp ts) override;
  // Without a length nothing can be resynchronised: parsing stops (as
  // Suricata does for a gap in a state that cannot skip).
  void on_gap(bool to_server) override;
  // A gap of known length: inside a body libhtp skips it and carries on.
  void on_gap_bytes(bool to_server, size_t len) override;
  void on_close() override;
  size_t tx_count() const override { return txs_.size(); }
  Transaction* tx(size_t i) override { return i < txs_.size() ? txs_[i].get() : nullptr; }
  void trim() override;

  // Set once the exchange switched protocols; bytes after the switch point
  // that libhtp did not consume are in tunnel_data().
  HttpUpgrade upgrade() const { return upgrade_; }
  std::string_view tunnel_data(bool to_server) const {
    return to_server ? req_tunnel_ : res_tunnel_;
  }
  // True once libhtp gave up on the flow (stream error) or a gap stopped it.
  bool stopped() const { return stopped_; }

  // libhtp callbacks (C trampolines in http_parser.cc forward here).
  HttpTx* wrap(htp_tx_t* tx);
  void on_request_line(htp_tx_t* tx);
  void on_request_headers(htp_tx_t* tx);
  void on_request_complete(htp_tx_t* tx);
  void on_response_line(htp_tx_t* tx);
  void on_response_headers(htp_tx_t* tx);
  void on_response_complete(htp_tx_t* tx);
  void on_body(htp_tx_data_t* d, bool request);
  void on_header_data(htp_tx_data_t* d, bool request);
  void on_log(htp_log_t* log);

  // Body bytes (data == nullptr: a gap of len bytes) for the side's file.
  void file_data(HttpTx* tx, bool request, const uint8_t* data, size_t len);
  // The side's body ended: complete, or cut short (flow end, give-up).
  void file_end(HttpTx* tx, bool request, bool truncated);
  bool body_cut(const htp_tx_t* tx, bool request) const;

 private:
  void open(core::Timestamp ts);
  // One call into libhtp; false when that direction cannot take more now.
  void drive(bool to_server, const uint8_t* data, size_t len);
  void pump();
  void raise(HttpTx* tx, std::string_view event);

  htp_connp_t* connp_ = nullptr;
  bool opened_ = false;
  bool stopped_ = false;
  bool in_request_ = true;  // direction of the libhtp call in progress
  HttpUpgrade upgrade_ = HttpUpgrade::kNone;
  std::string req_pending_, res_pending_;
  std::string req_tunnel_, res_tunnel_;
  size_t messages_ = 0;
  uint32_t next_file_id_ = 1;  // per flow, as Suricata numbers files
  bool closing_ = false;       // inside htp_connp_close (flow end)
  long now_sec_ = 0, now_usec_ = 0;
  std::vector<std::unique_ptr<HttpTx>> txs_;
};

// Maps a libhtp log message to Suricata's event name (without "http.");
// unknown messages map to "unknown_error". Direction picks between the
// request_/response_ twins of messages libhtp shares ("Repetition for header").
std::string_view http_event_for_message(std::string_view msg, bool request);

// EVE strings the way Suricata writes raw bytes: valid UTF-8 as is,
// otherwise ASCII kept and every byte >= 0x80 as the four characters \xHH.
std::string eve_string_from_bytes(std::string_view bytes);

// Content-Range "bytes 500-1000/146515" (RFC 7233 4.2); -1 where absent.
struct ContentRange {
  int64_t start = -1, end = -1, size = -1;
};
std::optional<ContentRange> parse_content_range(std::string_view v);

// One part of a multipart/form-data body (RFC 7578).
struct MultipartPart {
  std::string filename;  // Content-Disposition filename; "" for a plain field
  std::string_view content;
  bool complete = false;  // its closing delimiter was seen
};
// Splits body on `--boundary` delimiters; the last part is incomplete when
// the body was cut before its delimiter. Views point into body.
std::vector<MultipartPart> parse_multipart(std::string_view body, std::string_view boundary);
// The filename parameter of a Content-Disposition value, "" when none.
std::string disposition_filename(std::string_view v);

}  // namespace pasban::app::http
