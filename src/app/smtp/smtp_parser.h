// SMTP per-flow state with Suricata 8.0.7's semantics: one transaction per
// mail transaction (envelope and message); HELO/EHLO kept for the flow;
// commands queued and matched in order with the server's replies
// (pipelining, multi-line replies); DATA bodies MIME-decoded, BDAT chunks
// counted octet by octet; RSET, and HELO/EHLO in the middle of a mail
// transaction (RFC 5321 4.1.4), end the transaction; STARTTLS accepted
// with 220 ends SMTP parsing of the flow (what follows is TLS).
#pragma once
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/parser.h"
#include "app/smtp/mime_smtp.h"

namespace pasban::app::smtp {

// EVE email fields beyond the defaults, Suricata's `custom:` names
// (eve-log.types.smtp).
enum EmailLogField : uint32_t {
  kLogReplyTo = 1u << 0,
  kLogBcc = 1u << 1,
  kLogMessageId = 1u << 2,
  kLogSubject = 1u << 3,
  kLogXMailer = 1u << 4,
  kLogUserAgent = 1u << 5,
  kLogReceived = 1u << 6,
  kLogXOriginatingIp = 1u << 7,
  kLogInReplyTo = 1u << 8,
  kLogReferences = 1u << 9,
  kLogImportance = 1u << 10,
  kLogPriority = 1u << 11,
  kLogSensitivity = 1u << 12,
  kLogOrganization = 1u << 13,
  kLogContentMd5 = 1u << 14,
  kLogDate = 1u << 15,
  kLogRelays = 1u << 16,
};
// `extended: yes` adds these.
inline constexpr uint32_t kLogExtendedFields = kLogBcc | kLogMessageId | kLogSubject | kLogXMailer;
// "reply-to" / "reply_to" -> kLogReplyTo, ...; nullopt when unknown.
std::optional<uint32_t> email_log_field_by_name(std::string_view name);

struct SmtpConfig {
  // app-layer.protocols.smtp
  bool decode_mime = true;
  bool raw_extraction = false;
  MimeConfig mime;
  // outputs.eve-log.types.smtp
  uint32_t log_fields = 0;
  bool log_body_md5 = false;
  bool log_subject_md5 = false;
};
// Set once at load time, before flows exist; parsers copy it when created.
void set_smtp_config(const SmtpConfig& config);
const SmtpConfig& smtp_config();

// What the server's replies are matched with (Suricata's command buffer).
enum class SmtpCommand : uint8_t { kStartTls, kData, kBdat, kDataEnd, kRset, kOther };

// Limits (Suricata's): a line is cut at 4096 bytes; at most this many
// commands wait for replies; at most this many recipients per mail.
inline constexpr size_t kSmtpLineLimit = 4096;
inline constexpr size_t kSmtpMaxPendingCommands = 65535;
inline constexpr size_t kSmtpMaxRecipients = 4096;
inline constexpr size_t kSmtpMaxTransactions = 4096;
// Attachment bytes kept per file for file.data inspection.
inline constexpr size_t kSmtpFileDataLimit = 1 << 20;

class SmtpParser;

class SmtpTx : public Transaction {
 public:
  SmtpTx(const SmtpConfig& config, const std::string& helo, const bool& has_helo)
      : config_(config), helo_(helo), has_helo_(has_helo) {}

  bool buffer(AppBuffer b, uint32_t index, core::Bytes& out) const override;
  bool complete(bool to_server) const override;
  void log(JsonWriter& w) const override;

  bool has_mail_from = false;
  std::string mail_from;
  std::vector<std::string> rcpt_to;
  // DATA seen: the message is MIME-decoded (when decode-mime is on).
  bool is_data = false;
  std::unique_ptr<MimeSmtp> mime;
  // The decoded bytes of each file in file_list (file.data), bounded.
  std::vector<std::string> file_data;
  // The client side is over (message sent, RSET, ...): the next command
  // starts a new transaction.
  bool request_done = false;
  // The server answered the command that ended the transaction (or the
  // flow ended): the transaction is complete.
  bool done = false;
  // Events raised while this transaction was current ("smtp.*").
  std::vector<std::string_view> events;

 private:
  friend class SmtpParser;
  void log_email(JsonWriter& w) const;
  const SmtpConfig& config_;
  const std::string& helo_;
  const bool& has_helo_;
};

class SmtpParser : public Parser {
 public:
  SmtpParser() : SmtpParser(smtp_config()) {}
  explicit SmtpParser(const SmtpConfig& config);

  void feed(bool to_server, core::Bytes data, core::Timestamp ts) override;
  void on_gap(bool to_server) override;
  void on_close() override;
  size_t tx_count() const override { return txs_.size(); }
  Transaction* tx(size_t i) override { return i < txs_.size() ? txs_[i].get() : nullptr; }
  void trim() override;

  const std::string& helo() const { return helo_; }
  // True once STARTTLS was accepted: the rest of the flow is TLS.
  bool tls_upgraded() const { return tls_; }
  // Parser errors (Suricata's app_layer.error.smtp.parser); parsing of
  // the flow stops at the first.
  uint32_t parser_errors() const { return errors_; }

 private:
  struct Pending {
    SmtpCommand cmd;
    uint64_t tx_id;
  };
  struct LineBuffer {
    std::string buf;
    bool discard_till_lf = false;
  };

  void feed_requests(core::Bytes data);
  void feed_replies(core::Bytes data);
  // Splits `data` into lines for `side`; calls handle(line, full).
  template <typename F>
  bool for_each_line(LineBuffer& lb, core::Bytes& data, bool body_mode, F&& handle);
  bool process_request(core::Bytes line, core::Bytes full, bool truncated);
  bool process_command(std::string_view line);
  void process_data_line(core::Bytes line, core::Bytes full);
  bool process_reply(std::string_view line);
  void handle_reply(const Pending& p, int code);
  bool parse_bdat(std::string_view line);
  std::string command_param(std::string_view line, size_t prefix) const;
  void queue(SmtpCommand cmd);
  void raise(std::string_view event);
  SmtpTx* new_tx();
  SmtpTx* find_tx(uint64_t id);
  void end_request(SmtpTx& tx);
  void end_message(SmtpTx& tx);
  void fail() { ++errors_, failed_ = true; }

  SmtpConfig config_;
  std::vector<std::unique_ptr<SmtpTx>> txs_;
  SmtpTx* curr_ = nullptr;
  uint64_t next_tx_id_ = 0;
  uint32_t next_file_id_ = 0;
  std::string helo_;
  bool has_helo_ = false;
  LineBuffer lines_[2];  // [0] client, [1] server
  std::deque<Pending> pending_;
  std::optional<SmtpCommand> last_queued_;  // Suricata's cmds[cnt-1]
  SmtpCommand current_ = SmtpCommand::kOther;
  bool data_mode_ = false;
  bool bdat_last_ = false;
  uint64_t bdat_remaining_ = 0;
  bool first_reply_seen_ = false;
  bool multiline_ = false;
  bool pipelining_ = false;
  bool tls_ = false;
  bool failed_ = false;
  uint32_t errors_ = 0;
};

}  // namespace pasban::app::smtp
