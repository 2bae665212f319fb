// The sticky buffers an HTTP transaction publishes, with Suricata's
// meaning for each (docs: rules/http-keywords). All bytes live in the
// HttpTx, so they stay valid for as long as the transaction does.
#include "app/http/http_parser.h"

namespace pasban::app::http {
namespace {

bool view(const std::string& s, bool present, core::Bytes& out) {
  if (!present) return false;
  out = core::as_bytes(s);
  return true;
}

bool header(const HttpTx& tx, std::string_view name, bool request, core::Bytes& out) {
  const std::string* v = request ? tx.request_header(name) : tx.response_header(name);
  if (!v) return false;
  out = core::as_bytes(*v);
  return true;
}

}  // namespace

bool HttpTx::buffer(AppBuffer b, uint32_t index, core::Bytes& out) const {
  // http.request_header and http.response_header are the multi-value
  // HTTP buffers: one "Name: value" per header.
  if (index != 0 && b != AppBuffer::kHttpResponseHeader && b != AppBuffer::kHttpRequestHeader)
    return false;
  const bool have_headers = !request_headers.empty() || !request_headers_raw.empty();
  switch (b) {
    case AppBuffer::kHttpMethod: return view(method, has_method && !method.empty(), out);
    case AppBuffer::kHttpUri: return view(uri_normalized, has_uri && !uri_normalized.empty(), out);
    case AppBuffer::kHttpUriRaw: return view(uri_raw, has_uri && !uri_raw.empty(), out);
    case AppBuffer::kHttpProtocol: return view(protocol, has_protocol && !protocol.empty(), out);
    case AppBuffer::kHttpRequestLine: return view(request_line, has_request_line, out);
    case AppBuffer::kHttpHeader:
      return view(request_header_block, !request_header_block.empty(), out);
    case AppBuffer::kHttpHeaderRaw:
      return view(request_headers_raw, !request_headers_raw.empty(), out);
    case AppBuffer::kHttpHeaderNames:
      return view(request_header_names, !request_headers.empty(), out);
    case AppBuffer::kHttpHost: return view(hostname, has_hostname && !hostname.empty(), out);
    case AppBuffer::kHttpHostRaw: return view(host_raw, has_host_raw && !host_raw.empty(), out);
    case AppBuffer::kHttpUserAgent: return header(*this, "user-agent", true, out);
    case AppBuffer::kHttpCookie: return header(*this, "cookie", true, out);
    case AppBuffer::kHttpReferer: return header(*this, "referer", true, out);
    case AppBuffer::kHttpContentType: return header(*this, "content-type", true, out);
    case AppBuffer::kHttpContentLen: return header(*this, "content-length", true, out);
    case AppBuffer::kHttpAccept: return header(*this, "accept", true, out);
    case AppBuffer::kHttpAcceptEnc: return header(*this, "accept-encoding", true, out);
    case AppBuffer::kHttpAcceptLang: return header(*this, "accept-language", true, out);
    case AppBuffer::kHttpConnection: return header(*this, "connection", true, out);
    case AppBuffer::kHttpStart:
      return view(request_start, has_request_line && have_headers, out);
    case AppBuffer::kHttpRequestBody: return view(request_body, !request_body.empty(), out);
    case AppBuffer::kHttpResponseHeader:
      if (index >= response_header_lines.size()) return false;
      out = core::as_bytes(response_header_lines[index]);
      return true;
    case AppBuffer::kHttpRequestHeader:
      if (index >= request_header_lines.size()) return false;
      out = core::as_bytes(request_header_lines[index]);
      return true;
    case AppBuffer::kHttpResponseProtocol:
      return view(response_protocol, !response_protocol.empty(), out);
    case AppBuffer::kHttpResponseHeaders:
      return view(response_header_block, !response_header_block.empty(), out);
    case AppBuffer::kHttpResponseHeaderNames:
      return view(response_header_names, !response_headers.empty(), out);
    case AppBuffer::kHttpResponseStart:
      return view(response_start, has_response_line && !response_headers.empty(), out);
    case AppBuffer::kHttpSetCookie: return header(*this, "set-cookie", false, out);
    case AppBuffer::kHttpResponseHeaderRaw:
      return view(response_headers_raw, !response_headers_raw.empty(), out);
    case AppBuffer::kHttpResponseContentType: return header(*this, "content-type", false, out);
    case AppBuffer::kHttpResponseContentLen: return header(*this, "content-length", false, out);
    case AppBuffer::kHttpStatCode: return view(status, has_status && !status.empty(), out);
    case AppBuffer::kHttpStatMsg: return view(status_msg, has_status_msg && !status_msg.empty(), out);
    case AppBuffer::kHttpResponseLine: return view(response_line, has_response_line, out);
    case AppBuffer::kHttpServer: return header(*this, "server", false, out);
    case AppBuffer::kHttpLocation: return header(*this, "location", false, out);
    case AppBuffer::kHttpResponseBody:
    case AppBuffer::kFileData: return view(response_body, !response_body.empty(), out);
    default: return false;
  }
}

bool HttpTx::complete(bool to_server) const {
  return closed || (to_server ? request_done : response_done);
}

}  // namespace pasban::app::http
