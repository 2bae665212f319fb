// Keywords that test the files a transaction carried (app/files/file.h),
// whatever protocol carried them: filesize, filemd5, filesha1,
// filesha256 and filestore. A rule with them matches when one file
// satisfies the keyword, as Suricata's file-match list does. (filename,
// fileext and filemagic are contents on the file.name / file.magic
// buffers: build/rule_options.cc.)
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_set>

#include "app/files/file.h"
#include "detect/keywords/tx_keyword.h"

namespace pasban::detect::keywords {

// Directions of files a keyword (or rule) looks at: bit 0 uploads
// (to_server), bit 1 downloads.
inline bool file_dir_allowed(uint8_t dirs, const app::files::File& f) {
  return dirs & (f.to_server() ? 1 : 2);
}

class FileKeyword : public TxKeyword {
 public:
  explicit FileKeyword(uint8_t dirs = 3) : dirs_(dirs) {}
  app::AppProto proto() const override { return app::AppProto::kUnknown; }
  // The rule's direction decides when it is inspected (rule_options.cc).
  uint8_t sides() const override { return 0; }
  bool match(const app::Transaction& tx, const decode::Packet& p) const override;
  virtual bool match_file(const app::files::File& f) const = 0;
  uint8_t dirs() const { return dirs_; }

 protected:
  uint8_t dirs_;
};

// filestore[:<direction>[,<scope>]]: matches every file; when the rule
// matches, the files it names are stored by the file-store output.
class FileStoreKeyword final : public FileKeyword {
 public:
  enum class Scope : uint8_t { kFile, kTx, kSsn, kFlow };
  FileStoreKeyword(uint8_t dirs, Scope scope) : FileKeyword(dirs), scope_(scope) {}
  bool match_file(const app::files::File&) const override { return true; }
  // Marks the files of tx for storing, with the rule's sid. `file_match`
  // are the rule's file keywords: in file scope only files they match
  // are stored.
  void apply(app::Transaction& tx, uint32_t sid,
             const std::vector<TxKeywordPtr>& file_match) const;

 private:
  Scope scope_;
};

TxKeywordPtr make_filesize(std::string_view name, std::string_view value, core::Error& err);
TxKeywordPtr make_filehash(std::string_view name, std::string_view value, core::Error& err);
TxKeywordPtr make_filestore(std::string_view name, std::string_view value, core::Error& err);

}  // namespace pasban::detect::keywords
