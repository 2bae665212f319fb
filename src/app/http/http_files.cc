// Request and response bodies as files (app/files/file.h), fed as libhtp
// hands over body data, as Suricata tracks them:
//  - a response body is one file, named by the Content-Disposition
//    filename, else the URI path; a Content-Range gives its start/end;
//  - a POST or PUT body is one file named the same way, unless it is
//    multipart/form-data, where every part with a filename is a file of
//    its own (RFC 7578) and plain form fields are not files;
//  - a gap in a body marks its file (gaps, TRUNCATED); a body cut short by
//    the flow's end leaves its file TRUNCATED.
#include <htp/htp.h>

#include <string_view>

#include "app/http/http_parser.h"

namespace pasban::app::http {
namespace {

bool ieq_prefix(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    char a = s[i], b = prefix[i];
    if (a >= 'A' && a <= 'Z') a = char(a - 'A' + 'a');
    if (a != b) return false;
  }
  return true;
}

std::string_view trim_blanks(std::string_view v) {
  while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
  while (!v.empty() && (v.back() == ' ' || v.back() == '\t' || v.back() == '\r')) v.remove_suffix(1);
  return v;
}

// The value of parameter `name` in a header value ("a; name=v; ..."),
// quotes removed; nullopt when absent.
std::optional<std::string> header_param(std::string_view v, std::string_view name) {
  size_t pos = 0;
  while ((pos = v.find(';', pos)) != std::string_view::npos) {
    ++pos;
    std::string_view rest = trim_blanks(v.substr(pos));
    if (!ieq_prefix(rest, name)) continue;
    rest.remove_prefix(name.size());
    rest = trim_blanks(rest);
    if (rest.empty() || rest.front() != '=') continue;
    rest = trim_blanks(rest.substr(1));
    if (!rest.empty() && rest.front() == '"') {
      const size_t end = rest.find('"', 1);
      return std::string(rest.substr(1, end == std::string_view::npos ? rest.npos : end - 1));
    }
    return std::string(trim_blanks(rest.substr(0, rest.find(';'))));
  }
  return std::nullopt;
}

std::string uri_path(const HttpTx& tx) {
  const std::string& uri = tx.uri_normalized.empty() ? tx.uri_raw : tx.uri_normalized;
  return uri.substr(0, uri.find_first_of("?#"));
}

std::string file_name(const HttpTx& tx, bool request) {
  const std::string* cd =
      request ? tx.request_header("content-disposition") : tx.response_header("content-disposition");
  std::string name = cd ? disposition_filename(*cd) : std::string();
  return name.empty() ? uri_path(tx) : name;
}

// The multipart boundary of a request, "" when the body is not multipart.
std::string multipart_boundary(const HttpTx& tx) {
  const std::string* ct = tx.request_header("content-type");
  if (!ct || !ieq_prefix(trim_blanks(*ct), "multipart/form-data")) return {};
  return header_param(*ct, "boundary").value_or("");
}

}  // namespace

std::string disposition_filename(std::string_view v) {
  // "filename" is also a suffix of other parameters ("xfilename"): only a
  // parameter of that exact name counts.
  std::string with_semicolon = ";" + std::string(v);
  return header_param(with_semicolon, "filename").value_or("");
}

std::vector<MultipartPart> parse_multipart(std::string_view body, std::string_view boundary) {
  std::vector<MultipartPart> parts;
  if (boundary.empty()) return parts;
  const std::string delim = "--" + std::string(boundary);
  // The first delimiter may follow a preamble; later ones follow a CRLF.
  size_t pos = body.starts_with(delim) ? 0 : body.find("\r\n" + delim);
  if (pos == std::string_view::npos) return parts;
  if (pos != 0) pos += 2;
  const std::string next_delim = "\r\n" + delim;
  // Bounded by the body: every round consumes at least the delimiter.
  while (pos + delim.size() <= body.size()) {
    pos += delim.size();
    if (body.substr(pos, 2) == "--") break;  // closing delimiter
    const size_t line_end = body.find("\r\n", pos);
    if (line_end == std::string_view::npos) break;
    const size_t headers_end = body.find("\r\n\r\n", line_end);
    if (headers_end == std::string_view::npos && body.substr(line_end, 4) != "\r\n\r\n") break;
    std::string_view headers = body.substr(line_end + 2, headers_end - line_end);
    MultipartPart part;
    for (size_t h = 0; h < headers.size();) {
      size_t e = headers.find("\r\n", h);
      if (e == std::string_view::npos) e = headers.size();
      std::string_view line = headers.substr(h, e - h);
      if (ieq_prefix(line, "content-disposition:"))
        part.filename = disposition_filename(line.substr(line.find(':') + 1));
      h = e + 2;
    }
    const size_t start = headers_end + 4;
    const size_t end = body.find(next_delim, start);
    part.complete = end != std::string_view::npos;
    part.content = body.substr(start, part.complete ? end - start : body.npos);
    const bool complete = part.complete;
    parts.push_back(std::move(part));
    if (!complete) break;
    pos = end + 2;
  }
  return parts;
}

void HttpParser::file_data(HttpTx* w, bool request, const uint8_t* data, size_t len) {
  if (!w || len == 0) return;
  if (request) {
    if (w->request_body_len == 0 && w->request_file == nullptr) {
      w->multipart_boundary = multipart_boundary(*w);
    }
    if (!w->multipart_boundary.empty()) {
      // Parts are split when the body ends (the body buffer holds it).
      if (!data) w->request_body_gap = true;
      return;
    }
    if (w->method != "POST" && w->method != "PUT") return;
  }
  files::File*& f = request ? w->request_file : w->response_file;
  if (!f) {
    auto file = std::make_unique<files::File>(file_name(*w, request), request, next_file_id_++);
    if (!request) {
      if (const std::string* cr = w->response_header("content-range")) {
        auto r = parse_content_range(*cr);
        if (r && r->start >= 0 && r->end >= r->start) file->set_range(uint64_t(r->start), uint64_t(r->end));
      }
    }
    f = file.get();
    w->file_list.push_back(std::move(file));
  }
  if (data) f->append(core::Bytes(data, len));
  else f->gap(len);
}

void HttpParser::file_end(HttpTx* w, bool request, bool truncated) {
  if (!w) return;
  if (request && !w->multipart_boundary.empty()) {
    if (w->multipart_done) return;
    w->multipart_done = true;
    // The body held is cut at the request body limit: its last part is
    // then incomplete, as it is when the flow ends inside it.
    const bool cut = truncated || w->request_body_len > w->request_body.size();
    for (const MultipartPart& part : parse_multipart(w->request_body, w->multipart_boundary)) {
      if (part.filename.empty()) continue;
      auto file = std::make_unique<files::File>(part.filename, true, next_file_id_++);
      file->append(core::as_bytes(part.content));
      if (w->request_body_gap) file->gap(0);  // its bytes are not all there
      // A part whose delimiter was seen is whole even if the body went on.
      if (part.complete || !cut) file->close();
      else file->truncate();
      w->request_file = file.get();
      w->file_list.push_back(std::move(file));
    }
    return;
  }
  files::File* f = request ? w->request_file : w->response_file;
  if (!f) return;
  // Headers folded or sent late (evasions) may name the file only now.
  if (f->open()) f->set_name(file_name(*w, request));
  if (truncated) f->truncate();
  else f->close();
}

}  // namespace pasban::app::http
