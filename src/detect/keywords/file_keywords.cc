// filesize, filemd5 / filesha1 / filesha256 and filestore (Suricata's
// file keywords; docs: rules/file-keywords).
//   filesize:[to_server|to_client,] N | <N | >N | N<>M | !N   final size
//   filemd5:[!]<list file>   one lowercase/uppercase hex digest a line
//   filestore[:request|response|both|to_server|to_client[,file|tx|ssn|flow]]
// Hash list paths are relative to the working directory unless absolute.
// Loading one switches on that digest for every file
// (app::files::file_settings(), set before traffic starts).
#include "detect/keywords/file_keywords.h"

#include <algorithm>
#include <fstream>
#include <memory>

#include "detect/keywords/numeric.h"
#include "detect/keywords/tx_keyword_impl.h"

namespace pasban::detect::keywords {
namespace {

// A file's size or digest is only final once it ended.
bool final(const app::files::File& f) { return !f.open(); }

class FileSize final : public FileKeyword {
 public:
  FileSize(uint8_t dirs, NumCmp cmp) : FileKeyword(dirs), cmp_(cmp) {}
  bool match_file(const app::files::File& f) const override {
    return final(f) && cmp_.match(f.size());
  }

 private:
  NumCmp cmp_;
};

enum class HashKind : uint8_t { kMd5, kSha1, kSha256 };

class FileHash final : public FileKeyword {
 public:
  FileHash(HashKind kind, bool negated, std::unordered_set<std::string> hashes)
      : kind_(kind), negated_(negated), hashes_(std::move(hashes)) {}
  bool match_file(const app::files::File& f) const override {
    if (!final(f)) return false;
    const std::string& h = kind_ == HashKind::kMd5    ? f.md5()
                           : kind_ == HashKind::kSha1 ? f.sha1()
                                                      : f.sha256();
    if (h.empty()) return false;  // not computed, or gaps made it meaningless
    return hashes_.contains(h) != negated_;
  }

 private:
  HashKind kind_;
  bool negated_;
  std::unordered_set<std::string> hashes_;
};

bool is_hex(std::string_view s) {
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) return false;
  return !s.empty();
}

// "to_server" / "request" -> 1, "to_client" / "response" -> 2, "both" -> 3.
std::optional<uint8_t> direction_word(std::string_view w) {
  if (w == "to_server" || w == "request" || w == "toserver") return 1;
  if (w == "to_client" || w == "response" || w == "toclient") return 2;
  if (w == "both") return 3;
  return std::nullopt;
}

}  // namespace

bool FileKeyword::match(const app::Transaction& tx, const decode::Packet&) const {
  for (const auto& f : tx.file_list)
    if (file_dir_allowed(dirs_, *f) && match_file(*f)) return true;
  return false;
}

void FileStoreKeyword::apply(app::Transaction& tx, uint32_t sid,
                             const std::vector<TxKeywordPtr>& file_match) const {
  for (auto& f : tx.file_list) {
    if (!file_dir_allowed(dirs_, *f)) continue;
    if (scope_ == Scope::kFile) {
      bool all = true;
      for (const auto& k : file_match) {
        const auto* fk = dynamic_cast<const FileKeyword*>(k.get());
        if (fk && fk != this && file_dir_allowed(fk->dirs(), *f) && !fk->match_file(*f)) all = false;
      }
      if (!all) continue;
    }
    f->store_requested = true;
    if (std::find(f->store_sids.begin(), f->store_sids.end(), sid) == f->store_sids.end())
      f->store_sids.push_back(sid);
  }
}

TxKeywordPtr make_filesize(std::string_view name, std::string_view value, core::Error& err) {
  std::string_view v = trim(unquote(value));
  uint8_t dirs = 3;
  if (const size_t comma = v.find(','); comma != std::string_view::npos) {
    auto d = direction_word(trim(v.substr(0, comma)));
    if (!d) {
      err = kw_error(name, "invalid direction", v.substr(0, comma));
      return nullptr;
    }
    dirs = *d;
    v = trim(v.substr(comma + 1));
  }
  auto cmp = parse_num_cmp(name, v, UINT64_MAX);
  if (!cmp) {
    err = cmp.error();
    return nullptr;
  }
  return std::make_shared<FileSize>(dirs, *cmp);
}

TxKeywordPtr make_filehash(std::string_view name, std::string_view value, core::Error& err) {
  HashKind kind = name == "filemd5" ? HashKind::kMd5 : name == "filesha1" ? HashKind::kSha1 : HashKind::kSha256;
  const size_t hex_len = kind == HashKind::kMd5 ? 32 : kind == HashKind::kSha1 ? 40 : 64;
  std::string_view v = trim(unquote(value));
  bool negated = false;
  if (v.starts_with('!')) {
    negated = true;
    v = trim(v.substr(1));
  }
  if (v.empty()) {
    err = kw_error(name, "missing hash list file", value);
    return nullptr;
  }
  std::ifstream in{std::string(v)};
  if (!in) {
    err = kw_error(name, "cannot open hash list", v);
    return nullptr;
  }
  std::unordered_set<std::string> hashes;
  std::string line;
  while (std::getline(in, line)) {
    std::string_view l = trim(line);
    if (l.empty() || l.front() == '#') continue;
    l = l.substr(0, l.find_first_of(" \t\r"));
    if (l.size() != hex_len || !is_hex(l)) {
      err = kw_error(name, "invalid hash in list", l);
      return nullptr;
    }
    hashes.insert(lower(l));
  }
  auto& s = app::files::file_settings();
  (kind == HashKind::kMd5 ? s.md5 : kind == HashKind::kSha1 ? s.sha1 : s.sha256) = true;
  return std::make_shared<FileHash>(kind, negated, std::move(hashes));
}

TxKeywordPtr make_filestore(std::string_view name, std::string_view value, core::Error& err) {
  std::string_view v = trim(unquote(value));
  uint8_t dirs = 3;
  auto scope = FileStoreKeyword::Scope::kFile;
  if (!v.empty()) {
    const size_t comma = v.find(',');
    std::string_view d = trim(v.substr(0, comma));
    auto dir = direction_word(d);
    if (!dir) {
      err = kw_error(name, "invalid direction", d);
      return nullptr;
    }
    dirs = *dir;
    if (comma != std::string_view::npos) {
      std::string_view sc = trim(v.substr(comma + 1));
      if (sc == "file") scope = FileStoreKeyword::Scope::kFile;
      else if (sc == "tx") scope = FileStoreKeyword::Scope::kTx;
      else if (sc == "ssn") scope = FileStoreKeyword::Scope::kSsn;
      else if (sc == "flow") scope = FileStoreKeyword::Scope::kFlow;
      else {
        err = kw_error(name, "invalid scope", sc);
        return nullptr;
      }
    }
  }
  // Stored files are named by their sha256.
  app::files::file_settings().sha256 = true;
  return std::make_shared<FileStoreKeyword>(dirs, scope);
}

}  // namespace pasban::detect::keywords
