// The SMTP and email sticky buffers: smtp.helo, smtp.mail_from,
// smtp.rcpt_to (one per recipient), email.* (the message's main headers;
// email.url and email.received one per value) and file.data (one per
// attachment); and the transaction's progress.
#include "app/smtp/smtp_parser.h"

namespace pasban::app::smtp {
namespace {

bool set(std::string_view s, core::Bytes& out) {
  out = core::as_bytes(s);
  return true;
}

// The index-th value of list, if any.
bool nth(const std::vector<std::string>& list, uint32_t index, core::Bytes& out) {
  if (index >= list.size()) return false;
  return set(list[index], out);
}

bool header(const MimeSmtp* m, std::string_view name, uint32_t index, core::Bytes& out) {
  if (!m || index != 0) return false;
  const MimeHeader* h = m->main_header(name);
  return h && set(h->value, out);
}

bool header_values(const MimeSmtp* m, std::string_view name, uint32_t index, core::Bytes& out) {
  if (!m) return false;
  uint32_t seen = 0;
  for (size_t i = 0; i < m->main_header_count() && i < m->headers().size(); ++i) {
    const MimeHeader& h = m->headers()[i];
    std::string lower;
    for (char c : h.name) lower.push_back(c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c);
    if (lower == name && seen++ == index) return set(h.value, out);
  }
  return false;
}

}  // namespace

bool SmtpTx::buffer(AppBuffer b, uint32_t index, core::Bytes& out) const {
  const MimeSmtp* m = mime.get();
  switch (b) {
    case AppBuffer::kSmtpHelo:
      return index == 0 && has_helo_ && set(helo_, out);
    case AppBuffer::kSmtpMailFrom:
      return index == 0 && has_mail_from && set(mail_from, out);
    case AppBuffer::kSmtpRcptTo:
      return nth(rcpt_to, index, out);
    case AppBuffer::kEmailFrom:
      return header(m, "from", index, out);
    case AppBuffer::kEmailSubject:
      return header(m, "subject", index, out);
    case AppBuffer::kEmailTo:
      return header(m, "to", index, out);
    case AppBuffer::kEmailCc:
      return header(m, "cc", index, out);
    case AppBuffer::kEmailDate:
      return header(m, "date", index, out);
    case AppBuffer::kEmailMessageId:
      return header(m, "message-id", index, out);
    case AppBuffer::kEmailXMailer:
      return header(m, "x-mailer", index, out);
    case AppBuffer::kEmailReceived:
      return header_values(m, "received", index, out);
    case AppBuffer::kEmailUrl:
      return m && nth(m->urls(), index, out);
    case AppBuffer::kFileData:
      return nth(file_data, index, out);
    default:
      return false;
  }
}

// The request side ends with the message (or RSET, ...); the transaction
// is complete once the server answered it (Suricata 8.0.7).
bool SmtpTx::complete(bool to_server) const { return to_server ? request_done || done : done; }

}  // namespace pasban::app::smtp
