#include "app/smtp/smtp_parser.h"

#include <algorithm>
#include <cstring>

namespace pasban::app::smtp {
namespace {

SmtpConfig g_config;

char lower_char(char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; }

// Case-insensitive prefix test; `word` is lowercase.
bool starts_with_word(std::string_view line, std::string_view word) {
  if (line.size() < word.size()) return false;
  for (size_t i = 0; i < word.size(); ++i)
    if (lower_char(line[i]) != word[i]) return false;
  return true;
}

// The reply codes Suricata knows (RFC 5321 4.2.3 and common extensions);
// any other code is an invalid reply.
bool known_reply_code(int code) {
  static constexpr int kCodes[] = {211, 214, 220, 221, 235, 250, 251, 252, 334, 354,
                                   421, 450, 451, 452, 455, 500, 501, 502, 503, 504,
                                   521, 530, 534, 535, 550, 551, 552, 553, 554, 555};
  return std::find(std::begin(kCodes), std::end(kCodes), code) != std::end(kCodes);
}

// Files of a transaction still receiving data are truncated when the
// message is cut short (flow end, gap).
void truncate_open_files(SmtpTx& tx) {
  for (auto& f : tx.file_list)
    if (f->open()) f->truncate();
}

}  // namespace

void set_smtp_config(const SmtpConfig& config) { g_config = config; }
const SmtpConfig& smtp_config() { return g_config; }

std::optional<uint32_t> email_log_field_by_name(std::string_view name) {
  static constexpr std::pair<std::string_view, uint32_t> kFields[] = {
      {"reply-to", kLogReplyTo},       {"bcc", kLogBcc},
      {"message-id", kLogMessageId},   {"subject", kLogSubject},
      {"x-mailer", kLogXMailer},       {"user-agent", kLogUserAgent},
      {"received", kLogReceived},      {"x-originating-ip", kLogXOriginatingIp},
      {"in-reply-to", kLogInReplyTo},  {"references", kLogReferences},
      {"importance", kLogImportance},  {"priority", kLogPriority},
      {"sensitivity", kLogSensitivity}, {"organization", kLogOrganization},
      {"content-md5", kLogContentMd5}, {"date", kLogDate},
      {"relays", kLogRelays},
  };
  // Suricata accepts the header name (any case) or the EVE key
  // ("reply_to").
  std::string n;
  for (char c : name) n.push_back(c == '_' ? '-' : lower_char(c));
  for (const auto& [k, v] : kFields)
    if (k == n) return v;
  return std::nullopt;
}

SmtpParser::SmtpParser(const SmtpConfig& config) : config_(config) {}

void SmtpParser::raise(std::string_view event) {
  // Suricata attaches events to the current transaction and drops those
  // raised before the first one exists.
  if (!curr_) return;
  curr_->events.push_back(event);
  events.push_back(event);
}

SmtpTx* SmtpParser::new_tx() {
  if (txs_.size() >= kSmtpMaxTransactions) {
    fail();
    return nullptr;
  }
  txs_.push_back(std::make_unique<SmtpTx>(config_, helo_, has_helo_));
  curr_ = txs_.back().get();
  curr_->tx_id = next_tx_id_++;
  return curr_;
}

SmtpTx* SmtpParser::find_tx(uint64_t id) {
  for (auto it = txs_.rbegin(); it != txs_.rend(); ++it)
    if ((*it)->tx_id == id) return it->get();
  return nullptr;
}

void SmtpParser::end_request(SmtpTx& tx) { tx.request_done = true; }

void SmtpParser::end_message(SmtpTx& tx) {
  tx.request_done = true;
  tx.done = true;
}

void SmtpParser::queue(SmtpCommand cmd) {
  // RFC 2920 3.1: DATA and STARTTLS must be the last command of a
  // pipelined group; Suricata checks the command queued just before.
  if (last_queued_ && (*last_queued_ == SmtpCommand::kStartTls || *last_queued_ == SmtpCommand::kData))
    raise("smtp.invalid_pipelined_sequence");
  if (pending_.size() >= kSmtpMaxPendingCommands) {
    fail();
    return;
  }
  pending_.push_back({cmd, curr_ ? curr_->tx_id : 0});
  last_queued_ = cmd;
}

// --- line splitting -------------------------------------------------------

template <typename F>
bool SmtpParser::for_each_line(LineBuffer& lb, core::Bytes& data, bool body_mode, F&& handle) {
  while (!data.empty()) {
    const void* lfp = std::memchr(data.data(), '\n', data.size());
    const size_t n = lfp ? size_t(static_cast<const uint8_t*>(lfp) - data.data()) + 1 : data.size();
    if (lb.discard_till_lf) {
      data = data.subspan(n);
      if (lfp) lb.discard_till_lf = false;
      continue;
    }
    const size_t room = kSmtpLineLimit - lb.buf.size();
    if (n <= room && (lfp || n < room)) {
      lb.buf.append(core::as_chars(data.first(n)));
      data = data.subspan(n);
      if (!lfp) return true;
      std::string line = std::move(lb.buf);
      lb.buf.clear();
      size_t delim = line.size() >= 2 && line[line.size() - 2] == '\r' ? 2 : 1;
      core::Bytes full = core::as_bytes(line);
      if (!handle(full.first(full.size() - delim), full, false)) return false;
      continue;
    }
    // The line reaches the 4096-byte limit.
    lb.buf.append(core::as_chars(data.first(room)));
    data = data.subspan(room);
    std::string line = std::move(lb.buf);
    lb.buf.clear();
    if (!body_mode) {
      // Commands and replies are cut; the rest up to the LF is dropped.
      if (lfp) data = data.subspan(n - room);
      else lb.discard_till_lf = true;
    }
    core::Bytes full = core::as_bytes(line);
    // Message bodies continue as the next fragment, without an event.
    if (!handle(full, full, !body_mode)) return false;
  }
  return true;
}

void SmtpParser::feed(bool to_server, core::Bytes data, core::Timestamp) {
  if (failed_ || tls_ || data.empty()) return;
  if (to_server) feed_requests(data);
  else feed_replies(data);
}

void SmtpParser::feed_requests(core::Bytes data) {
  while (!data.empty() && !failed_ && !tls_) {
    if (data_mode_ && current_ == SmtpCommand::kBdat) {
      // RFC 3030 2: the chunk is exactly the announced number of octets;
      // what follows is the next command.
      const size_t n = size_t(std::min<uint64_t>(bdat_remaining_, data.size()));
      bdat_remaining_ -= n;
      data = data.subspan(n);
      if (bdat_remaining_ == 0) {
        data_mode_ = false;
        if (bdat_last_ && curr_) end_request(*curr_);
      }
      continue;
    }
    const bool body = data_mode_ && current_ == SmtpCommand::kData;
    bool stop = false;
    // Stop splitting when a BDAT command switches to octet counting.
    for_each_line(lines_[0], data, body, [&](core::Bytes line, core::Bytes full, bool truncated) {
      const bool ok = process_request(line, full, truncated);
      if (!ok) {
        fail();
        return false;
      }
      if (data_mode_ && current_ == SmtpCommand::kBdat) {
        stop = true;
        return false;
      }
      return !tls_;
    });
    if (!stop) break;
  }
}

void SmtpParser::feed_replies(core::Bytes data) {
  for_each_line(lines_[1], data, false, [&](core::Bytes line, core::Bytes, bool truncated) {
    if (truncated) raise("smtp.truncated_line");
    if (!process_reply(core::as_chars(line))) {
      fail();
      return false;
    }
    return !tls_;
  });
}

// --- client side ----------------------------------------------------------

bool SmtpParser::process_request(core::Bytes line, core::Bytes full, bool truncated) {
  const std::string_view text = core::as_chars(line);
  // RSET and QUIT after a finished transaction stay with it.
  const bool no_new_tx =
      !data_mode_ && (starts_with_word(text, "rset") || starts_with_word(text, "quit"));
  if (!curr_ || (curr_->request_done && !no_new_tx)) {
    if (!new_tx()) return true;
  }
  if (truncated) raise("smtp.truncated_line");
  if (!first_reply_seen_) raise("smtp.no_server_welcome_message");
  if (!data_mode_) return process_command(text);
  if (current_ == SmtpCommand::kData) process_data_line(line, full);
  return true;
}

std::string SmtpParser::command_param(std::string_view line, size_t prefix) const {
  size_t i = prefix + 1;
  while (i < line.size() && line[i] == ' ') ++i;
  if (i >= line.size()) return {};
  size_t end = line.find(' ', i);
  return std::string(line.substr(i, end == std::string_view::npos ? end : end - i));
}

bool SmtpParser::parse_bdat(std::string_view line) {
  // BDAT SP chunk-size [SP LAST] (RFC 3030 4).
  size_t i = 4;
  while (i < line.size() && line[i] == ' ') ++i;
  if (i == 4 || i == line.size()) return false;
  uint64_t n = 0;
  size_t digits = 0;
  while (i < line.size() && line[i] >= '0' && line[i] <= '9') {
    if (n > (uint64_t(1) << 40)) return false;
    n = n * 10 + uint64_t(line[i] - '0');
    ++i, ++digits;
  }
  if (digits == 0) return false;
  while (i < line.size() && line[i] == ' ') ++i;
  std::string_view tail = line.substr(i);
  while (!tail.empty() && tail.back() == ' ') tail.remove_suffix(1);
  if (!tail.empty() && !(tail.size() == 4 && starts_with_word(tail, "last"))) return false;
  bdat_remaining_ = n;
  bdat_last_ = !tail.empty();
  return true;
}

bool SmtpParser::process_command(std::string_view line) {
  SmtpTx& tx = *curr_;
  SmtpCommand cmd = SmtpCommand::kOther;
  if (starts_with_word(line, "starttls")) {
    cmd = SmtpCommand::kStartTls;
  } else if (starts_with_word(line, "data")) {
    if (tx.is_data) {
      // A second DATA before the server confirmed the first.
      raise("smtp.unparsable_content");
      return true;
    }
    cmd = SmtpCommand::kData;
    if (config_.decode_mime && !tx.mime) tx.mime = std::make_unique<MimeSmtp>(config_.mime);
    tx.is_data = true;
    // A pipelining server: the message follows without waiting for 354.
    if (pipelining_) data_mode_ = true;
  } else if (starts_with_word(line, "bdat")) {
    if (parse_bdat(line)) {
      cmd = SmtpCommand::kBdat;
      current_ = cmd;
      queue(cmd);
      data_mode_ = true;
      if (bdat_remaining_ == 0) {
        data_mode_ = false;
        if (bdat_last_) end_request(tx);
      }
      return true;
    }
    // Recoverable: the command still gets its (error) reply.
    raise("smtp.invalid_bdat");
  } else if (starts_with_word(line, "helo") || starts_with_word(line, "ehlo")) {
    if (has_helo_) {
      raise("smtp.duplicate_fields");
      // RFC 5321 4.1.4: a HELO/EHLO in the middle of a mail transaction
      // resets it like RSET.
      if (tx.has_mail_from || !tx.rcpt_to.empty() || tx.is_data) cmd = SmtpCommand::kRset;
    } else {
      helo_ = command_param(line, 4);
      has_helo_ = true;
    }
  } else if (starts_with_word(line, "mail from")) {
    if (tx.has_mail_from) {
      raise("smtp.duplicate_fields");
    } else {
      tx.mail_from = command_param(line, 9);
      tx.has_mail_from = true;
    }
  } else if (starts_with_word(line, "rcpt to")) {
    if (tx.rcpt_to.size() < kSmtpMaxRecipients) tx.rcpt_to.push_back(command_param(line, 7));
  } else if (starts_with_word(line, "rset")) {
    cmd = SmtpCommand::kRset;
  }
  current_ = cmd;
  queue(cmd);
  return true;
}

void SmtpParser::process_data_line(core::Bytes line, core::Bytes full) {
  SmtpTx& tx = *curr_;
  if (line.size() == 1 && line[0] == '.') {
    // RFC 5321 4.1.1.4: end of the message; its reply is matched with a
    // pseudo command.
    data_mode_ = false;
    queue(SmtpCommand::kDataEnd);
    if (tx.mime) tx.mime->complete();
    if (!tx.file_list.empty() && tx.file_list.back()->open()) tx.file_list.back()->close();
    end_request(tx);
    return;
  }
  if (!tx.mime) return;
  MimeSink sink;
  if (!tx.file_list.empty() && tx.file_list.back()->open()) {
    sink.file = tx.file_list.back().get();
    sink.copy = &tx.file_data.back();
    sink.copy_limit = kSmtpFileDataLimit;
  }
  uint32_t w = 0;
  const MimeResult r = tx.mime->parse_line(line, full, sink, w);
  if (w & kMimeInvalidBase64) raise("smtp.mime_invalid_base64");
  if (w & kMimeInvalidQp) raise("smtp.mime_invalid_qp");
  if (w & kMimeLongLine) raise("smtp.mime_long_line");
  if (w & kMimeLongEncLine) raise("smtp.mime_long_enc_line");
  if (w & kMimeLongHeaderName) raise("smtp.mime_long_header_name");
  if (w & kMimeLongHeaderValue) raise("smtp.mime_long_header_value");
  if (w & kMimeLongBoundary) raise("smtp.mime_long_boundary");
  if (w & kMimeLongFilename) raise("smtp.mime_long_filename");
  if (r == MimeResult::kFileOpen && !tx.mime->filename().empty()) {
    tx.file_list.push_back(
        std::make_unique<files::File>(tx.mime->filename(), true, next_file_id_++));
    tx.file_data.emplace_back();
  } else if (r == MimeResult::kFileClose) {
    if (!tx.file_list.empty() && tx.file_list.back()->open()) tx.file_list.back()->close();
  }
}

// --- server side ----------------------------------------------------------

bool SmtpParser::process_reply(std::string_view line) {
  if (line.empty()) return true;  // a bare line ending
  if (line.size() < 3) {
    raise("smtp.invalid_reply");
    return false;
  }
  // RFC 5321 4.2.1: "250-" continues a multi-line reply, "250 " ends it.
  if (line.size() >= 4) {
    if (multiline_) {
      if (line[3] != '-') multiline_ = false;
    } else if (line[3] == '-') {
      multiline_ = true;
    }
  } else {
    multiline_ = false;
  }
  int code = -1;
  if (line[0] >= '0' && line[0] <= '9' && line[1] >= '0' && line[1] <= '9' && line[2] >= '0' &&
      line[2] <= '9')
    code = (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
  if (!known_reply_code(code)) {
    raise("smtp.invalid_reply");
    return false;
  }
  if (pending_.empty()) {
    if (!first_reply_seen_) {
      // The greeting may span lines; it is seen once complete.
      if (!multiline_) first_reply_seen_ = true;
      if (code != 220) raise("smtp.invalid_reply");
    }
    return true;
  }
  if (multiline_) {
    // RFC 2920 3: the server announces pipelining in its EHLO reply.
    if (first_reply_seen_ && code == 250 && line.size() == 14 &&
        starts_with_word(line.substr(4), "pipelining"))
      pipelining_ = true;
    return true;
  }
  const Pending p = pending_.front();
  pending_.pop_front();
  if (pending_.empty()) last_queued_.reset();
  handle_reply(p, code);
  return true;
}

void SmtpParser::handle_reply(const Pending& p, int code) {
  SmtpTx* tx = find_tx(p.tx_id);
  switch (p.cmd) {
    case SmtpCommand::kStartTls:
      if (code == 220) {
        // RFC 3207 4: TLS negotiation starts; SMTP parsing ends here.
        tls_ = true;
        if (curr_) end_message(*curr_);
      } else {
        raise("smtp.tls_rejected");
      }
      break;
    case SmtpCommand::kData:
      if (code == 354) {
        // Unless the client already ended the message (pipelined "."),
        // the message follows.
        if (tx && tx == curr_ && !tx->request_done) data_mode_ = true;
      } else {
        data_mode_ = false;
        raise("smtp.data_command_rejected");
      }
      break;
    case SmtpCommand::kRset:
      if (code == 250 && tx) end_message(*tx);
      break;
    case SmtpCommand::kDataEnd:
      if (tx) end_message(*tx);
      break;
    case SmtpCommand::kBdat:
      if (tx && tx->request_done) end_message(*tx);
      break;
    case SmtpCommand::kOther:
      break;
  }
}

// --- gaps and end ----------------------------------------------------------

void SmtpParser::on_gap(bool) {
  // SMTP cannot resynchronise inside a command stream or a message.
  if (curr_) truncate_open_files(*curr_);
  failed_ = true;
}

void SmtpParser::on_close() {
  for (auto& tx : txs_) {
    truncate_open_files(*tx);
    if (tx->mime) tx->mime->complete();
    end_message(*tx);
  }
}

void SmtpParser::trim() {
  size_t n = 0;
  while (n < txs_.size() && txs_[n]->logged && txs_[n]->done && txs_[n].get() != curr_) ++n;
  if (n) txs_.erase(txs_.begin(), txs_.begin() + long(n));
  txs_removed += n;
}

}  // namespace pasban::app::smtp
