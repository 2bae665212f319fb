#include "runtime/file_config.h"

#include <algorithm>

#include "app/files/file.h"

namespace pasban::runtime {
namespace {

// Content kept per file while the file-store is on: a stored file is
// written whole when it ends, so what it may hold is bounded here.
constexpr size_t kStoreContentLimit = 64ull << 20;

void want_hash(app::files::FileSettings& s, std::string_view name) {
  if (name == "md5") s.md5 = true;
  else if (name == "sha1") s.sha1 = true;
  else if (name == "sha256") s.sha256 = true;
}

void read_force_hash(const YAML::Node& n, app::files::FileSettings& s) {
  if (!n) return;
  if (n.IsScalar()) {
    // "force-hash: [md5]" is the documented form; a bare "md5, sha1" too.
    std::string v = n.Scalar();
    size_t pos = 0;
    while (pos <= v.size()) {
      size_t comma = v.find(',', pos);
      std::string item = v.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
      item.erase(std::remove_if(item.begin(), item.end(), [](char c) { return c == ' ' || c == '[' || c == ']'; }),
                 item.end());
      want_hash(s, item);
      if (comma == std::string::npos) break;
      pos = comma + 1;
    }
  } else if (n.IsSequence()) {
    for (const auto& item : n)
      if (item.IsScalar()) want_hash(s, item.Scalar());
  }
}

}  // namespace

core::Status configure_files(const Config& config, const std::vector<ConfigView>& eve_outputs,
                             output::FileStoreOptions& store) {
  app::files::FileSettings& s = app::files::file_settings();
  // file.data sees as much of a file as HTTP body inspection would.
  for (const char* side : {"request-body-limit", "response-body-limit"}) {
    auto limit = config.get_size(
        std::string("app-layer.protocols.http.libhtp.default-config.") + side, 100 * 1024);
    if (!limit) return limit.error();
    if (*limit > 0) s.inspect_limit = std::max<size_t>(s.inspect_limit, size_t(*limit));
  }
  s.content_limit = std::max(s.content_limit, s.inspect_limit);
  for (const ConfigView& eve : eve_outputs) {
    if (!eve.get_bool("enabled", true)) continue;
    ConfigView files = eve.eve_type("files");
    if (!files.valid() || !files.node().IsMap()) continue;
    if (files.get_bool("force-magic", false)) s.magic = true;
    read_force_hash(files.get_node("force-hash"), s);
  }
  for (const ConfigView& fs : config.outputs("file-store")) {
    if (!fs.get_bool("enabled", false)) continue;
    // Version 1 (the per-file "file.N" layout) is gone from Suricata 6.
    if (fs.get_int("version", 2) != 2) continue;
    store.enabled = true;
    if (auto d = fs.get_string("dir")) store.dir = *d;
    store.write_fileinfo = fs.get_bool("write-fileinfo", false);
    store.force_filestore = fs.get_bool("force-filestore", false);
    read_force_hash(fs.get_node("force-hash"), s);
    auto depth = fs.get_size("stream-depth", 0);
    if (!depth) return depth.error();
    s.depth = *depth;
    // Stored files are named by their sha256.
    s.sha256 = true;
    s.content_limit = std::max<size_t>(s.content_limit, kStoreContentLimit);
    break;
  }
  return {};
}

}  // namespace pasban::runtime
