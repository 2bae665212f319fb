// The EVE "smtp" and "email" objects of a transaction, as Suricata 8 writes
// them (output-json-smtp.c, output-json-email-common.c, mime/smtp_log.rs).
#include <openssl/evp.h>

#include "app/smtp/smtp_parser.h"

namespace pasban::app::smtp {
namespace {

void str(JsonWriter& w, std::string_view s) {
  w.String(s.data(), rapidjson::SizeType(s.size()));
}

void key(JsonWriter& w, std::string_view k) { w.Key(k.data(), rapidjson::SizeType(k.size())); }

// Writes `name` as an array of the list's items; nothing when empty.
void string_array(JsonWriter& w, std::string_view name, const std::vector<std::string>& items) {
  if (items.empty()) return;
  key(w, name);
  w.StartArray();
  for (const auto& s : items) str(w, s);
  w.EndArray();
}

std::string md5_hex(std::string_view data) {
  unsigned char d[EVP_MAX_MD_SIZE];
  unsigned n = 0;
  std::string hex;
  if (EVP_Digest(data.data(), data.size(), d, &n, EVP_md5(), nullptr) != 1) return hex;
  static const char* kHex = "0123456789abcdef";
  for (unsigned i = 0; i < n; ++i) {
    hex.push_back(kHex[d[i] >> 4]);
    hex.push_back(kHex[d[i] & 15]);
  }
  return hex;
}

enum class Shape : uint8_t { kString, kArray, kCommaList };

// Suricata's email field table, in its logging order.
struct EmailField {
  uint32_t bit;
  const char* eve;
  const char* header;
  Shape shape;
};
constexpr EmailField kEmailFields[] = {
    {kLogReplyTo, "reply_to", "reply-to", Shape::kString},
    {kLogBcc, "bcc", "bcc", Shape::kCommaList},
    {kLogMessageId, "message_id", "message-id", Shape::kString},
    {kLogSubject, "subject", "subject", Shape::kString},
    {kLogXMailer, "x_mailer", "x-mailer", Shape::kString},
    {kLogUserAgent, "user_agent", "user-agent", Shape::kString},
    {kLogReceived, "received", "received", Shape::kArray},
    {kLogXOriginatingIp, "x_originating_ip", "x-originating-ip", Shape::kString},
    {kLogInReplyTo, "in_reply_to", "in-reply-to", Shape::kString},
    {kLogReferences, "references", "references", Shape::kString},
    {kLogImportance, "importance", "importance", Shape::kString},
    {kLogPriority, "priority", "priority", Shape::kString},
    {kLogSensitivity, "sensitivity", "sensitivity", Shape::kString},
    {kLogOrganization, "organization", "organization", Shape::kString},
    {kLogContentMd5, "content_md5", "content-md5", Shape::kString},
    {kLogDate, "date", "date", Shape::kString},
    {kLogRelays, "relays", "relays", Shape::kString},
};

bool iequals(std::string_view a, std::string_view lower_b) {
  if (a.size() != lower_b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char c = a[i] >= 'A' && a[i] <= 'Z' ? char(a[i] - 'A' + 'a') : a[i];
    if (c != lower_b[i]) return false;
  }
  return true;
}

void custom_field(JsonWriter& w, const MimeSmtp& m, const EmailField& f) {
  if (f.shape == Shape::kArray) {
    std::vector<std::string> values;
    for (size_t i = 0; i < m.main_header_count(); ++i)
      if (iequals(m.headers()[i].name, f.header)) values.push_back(m.headers()[i].value);
    string_array(w, f.eve, values);
    return;
  }
  const MimeHeader* h = m.main_header(f.header);
  if (!h) return;
  if (f.shape == Shape::kCommaList) {
    string_array(w, f.eve, mime_split_addresses(h->value));
  } else {
    key(w, f.eve);
    str(w, h->value);
  }
}

}  // namespace

void SmtpTx::log_email(JsonWriter& w) const {
  const MimeSmtp& m = *mime;
  key(w, "email");
  w.StartObject();
  if (const MimeHeader* h = m.main_header("from")) {
    key(w, "from");
    str(w, h->value);
  }
  if (const MimeHeader* h = m.main_header("to")) string_array(w, "to", mime_split_addresses(h->value));
  if (const MimeHeader* h = m.main_header("cc")) string_array(w, "cc", mime_split_addresses(h->value));
  key(w, "status");
  str(w, "PARSE_DONE");
  string_array(w, "attachment", m.attachments());
  if (!m.urls().empty()) {
    // Suricata lists URLs last found first.
    key(w, "url");
    w.StartArray();
    for (auto it = m.urls().rbegin(); it != m.urls().rend(); ++it) str(w, *it);
    w.EndArray();
  }
  for (const EmailField& f : kEmailFields)
    if (config_.log_fields & f.bit) custom_field(w, m, f);
  if (config_.log_subject_md5) {
    if (const MimeHeader* h = m.main_header("subject")) {
      key(w, "subject_md5");
      str(w, md5_hex(h->value));
    }
  }
  if (config_.log_body_md5 && !m.body_md5().empty()) {
    key(w, "body_md5");
    str(w, m.body_md5());
  }
  w.EndObject();
}

void SmtpTx::log(JsonWriter& w) const {
  key(w, "smtp");
  w.StartObject();
  if (has_helo_) {
    key(w, "helo");
    str(w, helo_);
  }
  if (has_mail_from) {
    key(w, "mail_from");
    str(w, mail_from);
  }
  string_array(w, "rcpt_to", rcpt_to);
  w.EndObject();
  if (mime) log_email(w);
}

}  // namespace pasban::app::smtp
