// A file carried by a transaction (an HTTP body, a mail attachment, later
// an SMB or FTP transfer), fed incrementally by its protocol parser.
// Hashes and the head kept for libmagic are computed as the data arrives,
// so a file is never buffered whole.
#pragma once
#include <openssl/evp.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/bytes.h"

namespace pasban::app::files {

enum class FileState : uint8_t { kOpen, kClosed, kTruncated, kError };
std::string_view file_state_name(FileState s);  // "OPEN", "CLOSED", ...

// What every new file computes. Set once at startup from the config
// (outputs.eve-log fileinfo force-hash / force-magic, file-store) and
// from the loaded rules (filemd5 needs md5, filemagic needs magic, ...).
struct FileSettings {
  bool md5 = false, sha1 = false, sha256 = false;
  bool magic = false;
  size_t head_limit = 4096;  // bytes kept for magic and content checks
  // Content kept per file for file.data inspection and the file-store
  // (which writes it out when the file ends); bytes beyond it are counted
  // and hashed but not kept.
  size_t content_limit = 100 * 1024;
  // file.data inspects at most this much of a file (Suricata's HTTP body
  // inspection limit, response-body-limit).
  size_t inspect_limit = 100 * 1024;
  // file-store stream-depth: a file is truncated after this many bytes
  // (0: unlimited).
  uint64_t depth = 0;
};
FileSettings& file_settings();  // process-wide, written before traffic

class File {
 public:
  File(std::string name, bool to_server, uint32_t file_id);
  ~File();
  File(const File&) = delete;
  File& operator=(const File&) = delete;

  // Appends in-order file bytes; ignored once the file is no longer open.
  void append(core::Bytes data);
  // `len` bytes of the file were lost; hashes become meaningless.
  void gap(uint64_t len);
  // The file ended normally; a file with gaps ends TRUNCATED instead
  // (its content is incomplete), as Suricata reports it.
  void close();
  // The file ended early (flow end, depth or limit reached, parser gave up).
  void truncate();

  const std::string& name() const { return name_; }
  void set_name(std::string n) { name_ = std::move(n); }
  bool to_server() const { return to_server_; }
  uint32_t file_id() const { return file_id_; }
  uint64_t size() const { return size_; }
  FileState state() const { return state_; }
  bool open() const { return state_ == FileState::kOpen; }
  bool gaps() const { return gaps_; }
  // The first FileSettings::head_limit bytes.
  const std::string& head() const { return head_; }

  // Final lowercase hex digests; empty unless computed and the file is
  // closed without gaps (Suricata logs hashes only then).
  const std::string& md5() const { return md5_; }
  const std::string& sha1() const { return sha1_; }
  const std::string& sha256() const { return sha256_; }
  // libmagic's description of head(); empty when magic is off.
  const std::string& magic() const;
  // The first FileSettings::content_limit bytes (gap bytes as zeros).
  const std::string& content() const { return content_; }
  // True when content() holds the whole file.
  bool content_complete() const { return content_.size() == size_; }
  // Name extension after the last '.', "" when none.
  std::string_view extension() const;

  // Byte range of a larger object (HTTP Content-Range), for EVE start/end.
  void set_range(uint64_t start, uint64_t end) {
    has_range_ = true, range_start_ = start, range_end_ = end;
  }
  bool has_range() const { return has_range_; }
  uint64_t range_start() const { return range_start_; }
  uint64_t range_end() const { return range_end_; }

  // Filestore bookkeeping, used by the filestore keyword and output.
  bool store_requested = false;
  bool stored = false;
  // Sids of the filestore rules that matched this file (EVE "sid").
  std::vector<uint32_t> store_sids;
  // Set by the logger once the fileinfo record is written.
  bool logged = false;

 private:
  void finish_hashes();

  std::string name_;
  bool to_server_;
  uint32_t file_id_;
  uint64_t size_ = 0;
  FileState state_ = FileState::kOpen;
  bool gaps_ = false;
  std::string head_;
  std::string content_;
  bool has_range_ = false;
  uint64_t range_start_ = 0, range_end_ = 0;
  EVP_MD_CTX* md5_ctx_ = nullptr;
  EVP_MD_CTX* sha1_ctx_ = nullptr;
  EVP_MD_CTX* sha256_ctx_ = nullptr;
  std::string md5_, sha1_, sha256_;
  mutable std::string magic_;
  mutable bool magic_done_ = false;
  bool want_magic_ = false;
};

// The files of one transaction, in the order they were opened.
using FileList = std::vector<std::unique_ptr<File>>;

}  // namespace pasban::app::files
