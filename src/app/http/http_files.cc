// Request and response bodies as files, named as Suricata names them: the
// Content-Disposition filename, else the URI path.
#include <string_view>

#include "app/http/http_parser.h"

namespace pasban::app::http {
namespace {

// `attachment; filename="eicar.txt"` -> eicar.txt (quotes optional).
std::string disposition_filename(std::string_view v) {
  for (size_t pos = 0; (pos = v.find("filename", pos)) != std::string_view::npos; pos += 8) {
    size_t i = pos + 8;
    while (i < v.size() && (v[i] == ' ' || v[i] == '\t')) ++i;
    if (i >= v.size() || v[i] != '=') continue;
    ++i;
    while (i < v.size() && (v[i] == ' ' || v[i] == '\t')) ++i;
    if (i < v.size() && v[i] == '"') {
      size_t end = v.find('"', i + 1);
      return std::string(v.substr(i + 1, end == std::string_view::npos ? v.npos : end - i - 1));
    }
    size_t end = v.find(';', i);
    std::string_view name = v.substr(i, end == std::string_view::npos ? v.npos : end - i);
    while (!name.empty() && (name.back() == ' ' || name.back() == '\t')) name.remove_suffix(1);
    return std::string(name);
  }
  return {};
}

std::string uri_path(const std::string& uri) {
  return uri.substr(0, uri.find_first_of("?#"));
}

}  // namespace

void HttpTx::files(std::vector<FileInfo>& out) const {
  auto name_for = [&](const std::string* disposition) {
    std::string name = disposition ? disposition_filename(*disposition) : std::string();
    if (name.empty()) name = uri_path(uri_normalized.empty() ? uri_raw : uri_normalized);
    return name;
  };
  if (request_body_len > 0)
    out.push_back({name_for(request_header("Content-Disposition")), request_body_len, true,
                   request_done, false});
  if (response_body_len > 0)
    out.push_back({name_for(response_header("Content-Disposition")), response_body_len, false,
                   response_done, false});
}

}  // namespace pasban::app::http
