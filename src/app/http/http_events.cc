// libhtp 0.5 reports anomalies as log messages (its codes are all 0), so
// the message text is the key. Each entry is a message prefix and the
// Suricata event it means (names from http-events.rules); a message that
// matches nothing is http.unknown_error, as in Suricata.
#include <array>
#include <string_view>

#include "app/http/http_parser.h"

namespace pasban::app::http {
namespace {

struct MessageEvent {
  std::string_view prefix;
  std::string_view event;
};

// Longer, more specific prefixes first: the first match wins.
constexpr std::array kMessageEvents = {
    MessageEvent{"GZip decompressor:", "http.gzip_decompression_failed"},
    MessageEvent{"LZMA decompressor: memory limit reached", "http.lzma_memlimit_reached"},
    MessageEvent{"Compression bomb:", "http.compression_bomb"},
    MessageEvent{"Too many response content encoding layers", "http.too_many_encoding_layers"},
    MessageEvent{"C-E gzip has abnormal value", "http.abnormal_ce_header"},
    MessageEvent{"C-E deflate has abnormal value", "http.abnormal_ce_header"},
    MessageEvent{"C-E unknown setting", "http.abnormal_ce_header"},
    // Request line.
    MessageEvent{"Request line: leading whitespace", "http.request_line_leading_whitespace"},
    MessageEvent{"Request line: non-compliant delimiter between Method and URI",
                 "http.method_delim_non_compliant"},
    MessageEvent{"Request line: URI contains non-compliant delimiter", "http.uri_delim_non_compliant"},
    MessageEvent{"Request line: missing protocol", "http.request_line_missing_protocol"},
    MessageEvent{"Request line: unknown method", "http.request_line_invalid"},
    MessageEvent{"Request line incomplete", "http.request_line_incomplete"},
    // Request headers.
    MessageEvent{"Request field invalid: colon missing", "http.request_field_missing_colon"},
    MessageEvent{"Request field invalid", "http.request_header_invalid"},
    MessageEvent{"Request header name is not a token", "http.request_header_invalid"},
    MessageEvent{"Invalid request field folding", "http.invalid_request_field_folding"},
    MessageEvent{"Request field length exceeds folded maximum", "http.request_field_too_long"},
    MessageEvent{"Request buffer over", "http.request_field_too_long"},
    MessageEvent{"Too many request headers", "http.request_too_many_headers"},
    MessageEvent{"Ambiguous request C-L value", "http.duplicate_content_length_field_in_request"},
    MessageEvent{"Invalid C-L field in request", "http.invalid_content_length_field_in_request"},
    MessageEvent{"Invalid T-E value in request", "http.invalid_transfer_encoding_value_in_request"},
    MessageEvent{"Host information in request headers required by HTTP/1.1",
                 "http.missing_host_header"},
    MessageEvent{"Host information ambiguous", "http.host_header_ambiguous"},
    MessageEvent{"Invalid server port information in request", "http.invalid_server_port_in_request"},
    MessageEvent{"Invalid authority port", "http.invalid_authority_port"},
    // Request body.
    MessageEvent{"Request chunk encoding: Invalid chunk length", "http.invalid_request_chunk_len"},
    MessageEvent{"Request chunk extension", "http.request_chunk_extension"},
    MessageEvent{"Unexpected request body", "http.request_body_unexpected"},
    // Response line and headers.
    MessageEvent{"Invalid response line: invalid protocol", "http.response_invalid_protocol"},
    MessageEvent{"Invalid response line: invalid response status", "http.response_invalid_status"},
    MessageEvent{"Response field invalid: missing colon", "http.response_field_missing_colon"},
    MessageEvent{"Response field invalid", "http.response_header_invalid"},
    MessageEvent{"Response header name is not a token", "http.response_header_invalid"},
    MessageEvent{"Response header value contains null", "http.response_header_invalid"},
    MessageEvent{"Invalid response field folding", "http.invalid_response_field_folding"},
    MessageEvent{"Response field length exceeds folded maximum", "http.response_field_too_long"},
    MessageEvent{"Response buffer over", "http.response_field_too_long"},
    MessageEvent{"Response the buffer limit", "http.response_field_too_long"},
    MessageEvent{"Too many response headers", "http.response_too_many_headers"},
    MessageEvent{"Ambiguous response C-L value", "http.duplicate_content_length_field_in_response"},
    MessageEvent{"Invalid C-L field in response", "http.invalid_content_length_field_in_response"},
    MessageEvent{"Invalid T-E value in response", "http.invalid_transfer_encoding_value_in_response"},
    MessageEvent{"Transfer-encoding has abnormal chunked value",
                 "http.response_abnormal_transfer_encoding"},
    MessageEvent{"Chunked transfer-encoding on HTTP/0.9 or HTTP/1.0", "http.response_chunked_old_proto"},
    MessageEvent{"C-T multipart/byteranges in responses not supported",
                 "http.response_multipart_byteranges"},
    MessageEvent{"Already seen 100-Continue", "http.100_continue_already_seen"},
    MessageEvent{"Unable to match response to request", "http.unable_to_match_response_to_request"},
    // Response body.
    MessageEvent{"Response chunk encoding: Invalid chunk length", "http.invalid_response_chunk_len"},
    MessageEvent{"Response chunk extension", "http.response_chunk_extension"},
};

}  // namespace

std::string_view http_event_for_message(std::string_view msg, bool request) {
  for (const auto& m : kMessageEvents)
    if (msg.substr(0, m.prefix.size()) == m.prefix) return m.event;
  // Messages libhtp words the same for both directions.
  if (msg.starts_with("Repetition for header"))
    return request ? "http.request_header_repetition" : "http.response_header_repetition";
  if (msg.starts_with("C-L value with extra data"))
    return request ? "http.invalid_content_length_field_in_request"
                   : "http.invalid_content_length_field_in_response";
  return "http.unknown_error";
}

}  // namespace pasban::app::http
