#include "app/files/file.h"

#include <magic.h>

#include <mutex>

namespace pasban::app::files {
namespace {

EVP_MD_CTX* start(const EVP_MD* md) {
  EVP_MD_CTX* c = EVP_MD_CTX_new();
  if (c && EVP_DigestInit_ex(c, md, nullptr) != 1) {
    EVP_MD_CTX_free(c);
    c = nullptr;
  }
  return c;
}

std::string finish(EVP_MD_CTX*& c) {
  if (!c) return {};
  unsigned char d[EVP_MAX_MD_SIZE];
  unsigned n = 0;
  std::string hex;
  if (EVP_DigestFinal_ex(c, d, &n) == 1) {
    static const char* kHex = "0123456789abcdef";
    hex.reserve(n * 2);
    for (unsigned i = 0; i < n; ++i) {
      hex.push_back(kHex[d[i] >> 4]);
      hex.push_back(kHex[d[i] & 15]);
    }
  }
  EVP_MD_CTX_free(c);
  c = nullptr;
  return hex;
}

// One libmagic handle for the process; libmagic is not thread-safe per
// handle, so calls are serialised (magic runs once per file, on its head).
std::string describe(const std::string& head) {
  static std::mutex mu;
  static magic_t cookie = [] {
    magic_t m = magic_open(MAGIC_NONE);
    if (m && magic_load(m, nullptr) != 0) {
      magic_close(m);
      m = nullptr;
    }
    return m;
  }();
  if (!cookie || head.empty()) return {};
  std::lock_guard<std::mutex> lock(mu);
  const char* r = magic_buffer(cookie, head.data(), head.size());
  return r ? std::string(r) : std::string();
}

}  // namespace

std::string_view file_state_name(FileState s) {
  switch (s) {
    case FileState::kOpen: return "OPEN";
    case FileState::kClosed: return "CLOSED";
    case FileState::kTruncated: return "TRUNCATED";
    case FileState::kError: return "ERROR";
  }
  return "UNKNOWN";
}

FileSettings& file_settings() {
  static FileSettings s;
  return s;
}

File::File(std::string name, bool to_server, uint32_t file_id)
    : name_(std::move(name)), to_server_(to_server), file_id_(file_id) {
  const FileSettings& s = file_settings();
  if (s.md5) md5_ctx_ = start(EVP_md5());
  if (s.sha1) sha1_ctx_ = start(EVP_sha1());
  if (s.sha256) sha256_ctx_ = start(EVP_sha256());
  want_magic_ = s.magic;
}

File::~File() {
  if (md5_ctx_) EVP_MD_CTX_free(md5_ctx_);
  if (sha1_ctx_) EVP_MD_CTX_free(sha1_ctx_);
  if (sha256_ctx_) EVP_MD_CTX_free(sha256_ctx_);
}

void File::append(core::Bytes data) {
  if (state_ != FileState::kOpen || data.empty()) return;
  const FileSettings& s = file_settings();
  bool cut = false;
  if (s.depth && size_ + data.size() > s.depth) {
    data = data.subspan(0, size_t(s.depth - std::min(s.depth, size_)));
    cut = true;
  }
  size_ += data.size();
  if (head_.size() < s.head_limit && !gaps_) {
    size_t take = std::min(s.head_limit - head_.size(), data.size());
    head_.append(reinterpret_cast<const char*>(data.data()), take);
  }
  if (content_.size() < s.content_limit) {
    size_t take = std::min(s.content_limit - content_.size(), data.size());
    content_.append(reinterpret_cast<const char*>(data.data()), take);
  }
  if (md5_ctx_) EVP_DigestUpdate(md5_ctx_, data.data(), data.size());
  if (sha1_ctx_) EVP_DigestUpdate(sha1_ctx_, data.data(), data.size());
  if (sha256_ctx_) EVP_DigestUpdate(sha256_ctx_, data.data(), data.size());
  if (cut) truncate();
}

void File::gap(uint64_t len) {
  if (state_ != FileState::kOpen) return;
  gaps_ = true;
  const size_t limit = file_settings().content_limit;
  if (content_.size() < limit && content_.size() == size_)
    content_.append(size_t(std::min<uint64_t>(limit - content_.size(), len)), '\0');
  size_ += len;
}

void File::finish_hashes() {
  md5_ = finish(md5_ctx_);
  sha1_ = finish(sha1_ctx_);
  sha256_ = finish(sha256_ctx_);
  if (gaps_) md5_.clear(), sha1_.clear(), sha256_.clear();
}

void File::close() {
  if (state_ != FileState::kOpen) return;
  state_ = gaps_ ? FileState::kTruncated : FileState::kClosed;
  finish_hashes();
}

void File::truncate() {
  if (state_ != FileState::kOpen) return;
  state_ = FileState::kTruncated;
  finish_hashes();
}

std::string_view File::extension() const {
  const size_t dot = name_.rfind('.');
  if (dot == std::string::npos) return {};
  std::string_view ext(name_);
  ext.remove_prefix(dot + 1);
  // "a.b/c" has no extension: the dot belongs to a directory.
  if (ext.find('/') != std::string_view::npos) return {};
  return ext;
}

const std::string& File::magic() const {
  if (want_magic_ && !magic_done_) {
    magic_ = describe(head_);
    magic_done_ = true;
  }
  return magic_;
}

}  // namespace pasban::app::files
