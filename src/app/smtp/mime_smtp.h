// MIME decoding of a mail message fed line by line, with Suricata 8's
// semantics (rust/src/mime/smtp.rs): one header list (the message's main
// headers, then the current part's), one boundary taken from the main
// Content-Type, each part's Content-Disposition filename / Content-Type
// name opening an attachment, base64 and quoted-printable bodies decoded
// into that attachment, URLs extracted from text parts, an optional MD5 of
// the body. Anomalies are returned as MimeWarning bits per line.
#pragma once
#include <openssl/evp.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "app/files/file.h"
#include "core/bytes.h"

namespace pasban::app::smtp {

struct MimeConfig {
  bool decode_base64 = true;
  bool decode_quoted_printable = true;
  bool extract_urls = true;
  bool log_url_scheme = false;
  bool body_md5 = false;
  uint32_t header_value_depth = 2000;
  // Schemes searched for, with "://" appended ("http://").
  std::vector<std::string> url_schemes = {"http://"};
};

enum MimeWarning : uint32_t {
  kMimeInvalidBase64 = 1u << 0,
  kMimeInvalidQp = 1u << 1,
  kMimeLongLine = 1u << 2,
  kMimeLongEncLine = 1u << 3,
  kMimeLongHeaderName = 1u << 4,
  kMimeLongHeaderValue = 1u << 5,
  kMimeLongBoundary = 1u << 6,
  kMimeLongFilename = 1u << 7,
};

enum class MimeResult : uint8_t { kNeedsMore, kFileOpen, kFileClose, kFileChunk };

struct MimeHeader {
  std::string name;  // as sent
  std::string value;
};

// RFC 2045 limits and Suricata's own.
inline constexpr size_t kMimeMaxLine = 998;          // excluding CRLF
inline constexpr size_t kMimeMaxEncLine = 76;        // encoded line
inline constexpr size_t kMimeMaxHeaderName = 75;     // 75 + ':' = 76
inline constexpr size_t kMimeMaxHeaderValue = 2000;  // arbitrary
inline constexpr size_t kMimeMaxBoundary = 254;
inline constexpr size_t kMimeMaxToken = 255;          // filename
inline constexpr size_t kMimeMaxDecodedLine = 8192;  // URL line buffer
inline constexpr size_t kMimeMaxHeaders = 1024;      // per message

// Pure helpers (exposed for tests).
// The value of parameter `token` in a header value such as
// `attachment; filename="a.txt"`, joining RFC 2231 sections
// (filename*0, filename*1, ...). False when absent.
bool mime_header_token(std::string_view value, std::string_view token, std::string& out);
// Splits an address list at commas outside double quotes, dropping leading
// blanks and empty items (To, Cc, Bcc).
std::vector<std::string> mime_split_addresses(std::string_view value);

// Where decoded attachment bytes go: the transaction's open file and the
// copy file.data inspects (bounded by `copy_limit`).
struct MimeSink {
  files::File* file = nullptr;
  std::string* copy = nullptr;
  size_t copy_limit = 0;
  void append(core::Bytes data) {
    if (file) file->append(data);
    if (copy && copy->size() < copy_limit)
      copy->append(core::as_chars(data.first(std::min(data.size(), copy_limit - copy->size()))));
  }
};

class MimeSmtp {
 public:
  explicit MimeSmtp(const MimeConfig& config);
  ~MimeSmtp();
  MimeSmtp(const MimeSmtp&) = delete;
  MimeSmtp& operator=(const MimeSmtp&) = delete;

  // One line: `line` without its delimiter, `full` the line with it.
  // Decoded attachment bytes go to `sink`. `warnings` receives
  // MimeWarning bits.
  MimeResult parse_line(core::Bytes line, core::Bytes full, MimeSink& sink, uint32_t& warnings);
  // The message ended (the "." line).
  void complete();

  // The filename of the part being parsed ("" when not an attachment).
  const std::string& filename() const { return filename_; }
  // The message's main headers.
  size_t main_header_count() const { return main_headers_; }
  const std::vector<MimeHeader>& headers() const { return headers_; }
  // First main header with this (lowercase) name, or nullptr.
  const MimeHeader* main_header(std::string_view lower_name) const;
  const std::vector<std::string>& attachments() const { return attachments_; }
  const std::vector<std::string>& urls() const { return urls_; }
  // Lowercase hex MD5 of the body once complete with body-md5 on, else "".
  const std::string& body_md5() const { return body_md5_; }

 private:
  enum class State : uint8_t { kStart, kHeader, kBody };
  enum class Encoding : uint8_t { kPlain, kBase64, kQuotedPrintable };
  enum class ContentType : uint8_t { kMessage, kPlainText, kHtml, kUnknown };

  uint32_t add_header(std::string_view line);
  uint32_t end_of_headers();
  uint32_t process_part_headers();
  MimeResult body_line(core::Bytes line, core::Bytes full, MimeSink& sink, uint32_t& warnings);
  void decode_base64(core::Bytes line, MimeSink& sink, uint32_t& warnings);
  void decode_qp(core::Bytes line, core::Bytes full, MimeSink& sink, uint32_t& warnings);
  void find_urls(core::Bytes data);
  void extract_urls(std::string_view text);

  const MimeConfig& config_;
  State state_ = State::kStart;
  std::vector<MimeHeader> headers_;
  size_t main_headers_ = 0;
  bool main_done_ = false;
  std::string filename_;
  std::vector<std::string> attachments_;
  std::vector<std::string> urls_;
  std::string boundary_;
  Encoding encoding_ = Encoding::kPlain;
  ContentType content_type_ = ContentType::kMessage;
  uint8_t b64_quad_[4] = {};
  uint8_t b64_count_ = 0;
  std::string url_line_;  // partial decoded line kept for URL search
  // Line ending of the previous plain line, held back in case the next
  // line is the boundary (the CRLF before a boundary is not file data).
  uint8_t held_eol_[2] = {};
  uint8_t held_eol_len_ = 0;
  EVP_MD_CTX* md5_ = nullptr;
  bool md5_started_ = false;
  std::string body_md5_;
};

}  // namespace pasban::app::smtp
