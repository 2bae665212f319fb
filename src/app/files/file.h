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
  // The file ended normally.
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

  // Filestore bookkeeping, used by the filestore keyword and output.
  bool store_requested = false;
  bool stored = false;
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
