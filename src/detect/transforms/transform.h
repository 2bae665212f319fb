// Transforms: keywords that turn a sticky buffer's bytes into something
// else before the buffer's contents are inspected (Suricata's
// "transformations": `http.uri; url_decode; content:"..."`). A Transform is
// a value built at rule load; apply() runs on the packet path and writes
// into a caller-owned string that is reused, so steady state allocates
// nothing. A chain applies its transforms in rule order, each one's output
// being the next one's input.
#pragma once
#ifndef PCRE2_CODE_UNIT_WIDTH
#define PCRE2_CODE_UNIT_WIDTH 8
#endif
#include <pcre2.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/bytes.h"
#include "core/result.h"
#include "detect/transforms/base64.h"

namespace pasban::detect::transforms {

enum class Kind : uint8_t {
  kDotPrefix,
  kStripWhitespace,
  kCompressWhitespace,
  kToLowercase,
  kToUppercase,
  kToMd5,
  kToSha1,
  kToSha256,
  kUrlDecode,
  kXor,
  kPcreXform,
  kHeaderLowercase,
  kStripPseudoHeaders,
  kFromBase64,
  kGunzip,
  kZlibDeflate,
};

// gunzip / zlib_deflate output cap when max-size is not given.
constexpr uint32_t kDefaultDecompressMax = 1024;

// from_base64 options (Suricata 8): "[bytes N][, offset N][, mode M]".
struct FromBase64Options {
  uint32_t bytes = 0;   // 0: to the end of the buffer
  uint32_t offset = 0;
  Base64Mode mode = Base64Mode::kRfc4648;
  bool operator==(const FromBase64Options&) const = default;
};

class Transform {
 public:
  // True when name is a transform keyword (whether or not value parses).
  static bool is_transform(std::string_view name);
  // name: the keyword; value: its option text as written ("" when none).
  // Errors name the keyword and the problem.
  static core::Result<Transform> parse(std::string_view name, std::string_view value);

  // Writes the transform of in to out (cleared first). Returns false when
  // the transform fails and the buffer can't match (from_base64 that
  // decodes nothing). md is per-worker match data for pcrexform; when null
  // one is made for the call (tests).
  bool apply(core::Bytes in, std::string& out, pcre2_match_data* md = nullptr) const;

  Kind kind() const { return kind_; }
  std::string_view name() const;
  bool operator==(const Transform& o) const;

 private:
  Kind kind_ = Kind::kDotPrefix;
  std::string key_;          // xor key bytes; pcrexform source
  FromBase64Options b64_;
  uint32_t max_size_ = kDefaultDecompressMax;  // gunzip, zlib_deflate
  std::shared_ptr<pcre2_code> code_;  // pcrexform
};

using TransformChain = std::vector<Transform>;

// Two buffers the chain alternates between.
struct ChainScratch {
  std::string a, b;
};

// Applies chain to in; on success out views the result (in scratch).
// Returns false when a transform failed.
bool apply_chain(const TransformChain& chain, core::Bytes in, ChainScratch& scratch,
                 core::Bytes& out, pcre2_match_data* md = nullptr);

// The individual transforms, one file each (or per small family).
void dotprefix(core::Bytes in, std::string& out);
void strip_whitespace(core::Bytes in, std::string& out);
void compress_whitespace(core::Bytes in, std::string& out);
void to_lowercase(core::Bytes in, std::string& out);
void to_uppercase(core::Bytes in, std::string& out);
void to_md5(core::Bytes in, std::string& out);
void to_sha1(core::Bytes in, std::string& out);
void to_sha256(core::Bytes in, std::string& out);
void url_decode(core::Bytes in, std::string& out);
void xor_bytes(core::Bytes in, std::string_view key, std::string& out);
void header_lowercase(core::Bytes in, std::string& out);
void strip_pseudo_headers(core::Bytes in, std::string& out);
// False when nothing decodes; in is copied to out unchanged when offset or
// bytes reach past the buffer, as Suricata leaves the buffer then.
bool from_base64(core::Bytes in, const FromBase64Options& o, std::string& out);
core::Result<FromBase64Options> parse_from_base64(std::string_view value);
// "max-size N" for gunzip and zlib_deflate.
core::Result<uint32_t> parse_max_size(std::string_view keyword, std::string_view value);
// gzip (gunzip) or zlib (zlib_deflate) decompression of in, at most
// max_size bytes; empty when in does not decompress.
void decompress(core::Bytes in, bool gzip, uint32_t max_size, std::string& out);
core::Result<std::string> parse_xor_key(std::string_view value);
// Compiles a pcrexform regex (it must have a capture group).
core::Result<std::shared_ptr<pcre2_code>> compile_pcrexform(std::string_view value);
// Output: the first capture group of the first match; in unchanged when
// the regex does not match.
void pcrexform(const pcre2_code* code, core::Bytes in, pcre2_match_data* md, std::string& out);

}  // namespace pasban::detect::transforms
