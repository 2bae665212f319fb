// SmtpParser and MimeSmtp: a session with a base64 attachment (envelope,
// headers, file content, EVE), the split test (every split point of every
// message, and one byte at a time, give the same transactions, files and
// EVE), BDAT octet counting, pipelining anomalies, RSET / HELO resets,
// line limits, MIME helpers and the probe.
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "app/smtp/mime_smtp.h"
#include "app/smtp/smtp_parser.h"
#include "app/smtp/smtp_register.h"
#include "parser_feed.h"

namespace pasban::app::smtp {
namespace {

using Step = std::pair<bool, std::string>;  // to_server, bytes

std::vector<Step> attachment_session() {
  return {
      {false, "220 mx.example ESMTP\r\n"},
      {true, "EHLO client.example\r\n"},
      {false, "250-mx.example\r\n250-PIPELINING\r\n250 CHUNKING\r\n"},
      {true, "MAIL FROM:<alice@example.com> SIZE=100\r\n"},
      {false, "250 OK\r\n"},
      {true, "RCPT TO:<bob@example.com>\r\n"},
      {false, "250 OK\r\n"},
      {true, "RCPT TO:<carol@example.com>\r\n"},
      {false, "250 OK\r\n"},
      {true, "DATA\r\n"},
      {false, "354 go ahead\r\n"},
      {true,
       "From: Alice <alice@example.com>\r\n"
       "To: bob@example.com, \"Carol, C\" <carol@example.com>\r\n"
       "Subject: report\r\n"
       "Received: from a\r\n by b\r\n"
       "Content-Type: multipart/mixed; boundary=\"XYZ\"\r\n"
       "\r\n"
       "--XYZ\r\n"
       "Content-Type: text/plain\r\n"
       "\r\n"
       "see http://example.com/x.exe now\r\n"
       "--XYZ\r\n"
       "Content-Type: application/octet-stream; name=\"ignored.bin\"\r\n"
       "Content-Disposition: attachment;\r\n filename*0=rep;\r\n filename*1=ort.txt\r\n"
       "Content-Transfer-Encoding: base64\r\n"
       "\r\n"
       "aGVsbG8g\r\nd29ybGQ=\r\n"
       "--XYZ--\r\n"
       ".\r\n"},
      {false, "250 queued\r\n"},
      {true, "QUIT\r\n"},
      {false, "221 bye\r\n"},
  };
}

struct Result {
  std::vector<std::string> json;
  std::vector<std::string> files;  // name=content
  std::vector<std::string_view> events;
};

using test_util::tx_json;

// Feeds each step cut into pieces of at most `chunk` bytes (0: whole), or
// cut once at `split` (when non-zero and inside the step).
Result run(const std::vector<Step>& steps, size_t chunk = 0, size_t split = 0,
           const SmtpConfig& config = SmtpConfig{}) {
  SmtpParser p(config);
  Result r;
  for (const auto& [to_server, bytes] : steps) {
    test_util::feed_pieces(p, to_server, bytes, chunk, split);
    r.events.insert(r.events.end(), p.events.begin(), p.events.end());
    p.events.clear();
  }
  p.on_close();
  for (size_t i = 0; i < p.tx_count(); ++i) {
    auto* tx = static_cast<SmtpTx*>(p.tx(i));
    r.json.push_back(tx_json(*tx));
    for (size_t f = 0; f < tx->file_list.size(); ++f)
      r.files.push_back(tx->file_list[f]->name() + "=" + tx->file_data[f]);
  }
  return r;
}

TEST(SmtpParser, SessionWithAttachment) {
  SmtpParser p;
  for (const auto& [to_server, bytes] : attachment_session()) {
    p.feed(to_server, core::as_bytes(bytes), {});
    if (bytes == "250 queued\r\n") {
      ASSERT_EQ(p.tx_count(), 1u);
      EXPECT_TRUE(p.tx(0)->complete(true));
      EXPECT_TRUE(p.tx(0)->complete(false));
    }
  }
  EXPECT_TRUE(p.events.empty());
  ASSERT_EQ(p.tx_count(), 1u);  // QUIT does not open a transaction
  auto* tx = static_cast<SmtpTx*>(p.tx(0));
  EXPECT_EQ(p.helo(), "client.example");
  EXPECT_EQ(tx->mail_from, "<alice@example.com>");
  ASSERT_EQ(tx->rcpt_to.size(), 2u);
  EXPECT_EQ(tx->rcpt_to[1], "<carol@example.com>");
  ASSERT_EQ(tx->file_list.size(), 1u);
  EXPECT_EQ(tx->file_list[0]->name(), "report.txt");
  EXPECT_EQ(tx->file_list[0]->state(), files::FileState::kClosed);
  EXPECT_EQ(tx->file_data[0], "hello world");
  core::Bytes b;
  ASSERT_TRUE(tx->buffer(AppBuffer::kEmailSubject, 0, b));
  EXPECT_EQ(core::as_chars(b), "report");
  ASSERT_TRUE(tx->buffer(AppBuffer::kEmailReceived, 0, b));
  EXPECT_EQ(core::as_chars(b), "from aby b");
  ASSERT_TRUE(tx->buffer(AppBuffer::kSmtpRcptTo, 1, b));
  EXPECT_FALSE(tx->buffer(AppBuffer::kSmtpRcptTo, 2, b));
  ASSERT_TRUE(tx->buffer(AppBuffer::kFileData, 0, b));
  EXPECT_EQ(tx_json(*tx),
            "{\"smtp\":{\"helo\":\"client.example\",\"mail_from\":\"<alice@example.com>\","
            "\"rcpt_to\":[\"<bob@example.com>\",\"<carol@example.com>\"]},"
            "\"email\":{\"from\":\"Alice <alice@example.com>\",\"to\":[\"bob@example.com\","
            "\"\\\"Carol, C\\\" <carol@example.com>\"],\"status\":\"PARSE_DONE\","
            "\"attachment\":[\"report.txt\"],\"url\":[\"example.com/x.exe\"]}}");
}

TEST(SmtpParser, SplitAtEveryPointAndByteByByte) {
  const auto steps = attachment_session();
  const Result whole = run(steps);
  ASSERT_EQ(whole.json.size(), 1u);
  ASSERT_EQ(whole.files.size(), 1u);
  size_t longest = 0;
  for (const auto& s : steps) longest = std::max(longest, s.second.size());
  for (size_t split = 1; split < longest; ++split) {
    const Result r = run(steps, 0, split);
    EXPECT_EQ(r.json, whole.json) << "split " << split;
    EXPECT_EQ(r.files, whole.files) << "split " << split;
  }
  const Result bytes = run(steps, 1);
  EXPECT_EQ(bytes.json, whole.json);
  EXPECT_EQ(bytes.files, whole.files);
}

TEST(SmtpParser, ExtendedAndCustomFields) {
  SmtpConfig c;
  c.log_fields = kLogExtendedFields | kLogReceived;
  c.log_subject_md5 = true;
  const Result r = run(attachment_session(), 0, 0, c);
  ASSERT_EQ(r.json.size(), 1u);
  EXPECT_NE(r.json[0].find("\"subject\":\"report\""), std::string::npos);
  EXPECT_NE(r.json[0].find("\"received\":[\"from aby b\"]"), std::string::npos);
  EXPECT_NE(r.json[0].find("\"subject_md5\":"), std::string::npos);
}

TEST(SmtpParser, BdatChunksPipelinedWithNextMail) {
  const std::vector<Step> steps = {
      {false, "220 mx ESMTP\r\n"},
      {true, "EHLO c\r\n"},
      {false, "250-mx\r\n250-PIPELINING\r\n250 CHUNKING\r\n"},
      {true, "MAIL FROM:<a@x>\r\n"},
      {false, "250 OK\r\n"},
      {true, "RCPT TO:<b@x>\r\n"},
      {false, "250 OK\r\n"},
      {true, "BDAT 5\r\nhelloBDAT 3 LAST\r\nab\nMAIL FROM:<c@x>\r\nRCPT TO:<d@x>\r\n"},
      {false, "250 5 octets\r\n250 queued\r\n250 OK\r\n250 OK\r\n"},
  };
  SmtpParser p;
  for (const auto& [ts, b] : steps) p.feed(ts, core::as_bytes(b), {});
  EXPECT_TRUE(p.events.empty());
  ASSERT_EQ(p.tx_count(), 2u);
  auto* t0 = static_cast<SmtpTx*>(p.tx(0));
  auto* t1 = static_cast<SmtpTx*>(p.tx(1));
  EXPECT_TRUE(t0->complete(false));
  EXPECT_EQ(t0->mail_from, "<a@x>");
  EXPECT_FALSE(t0->mime);  // BDAT content is not MIME-parsed
  EXPECT_EQ(t1->mail_from, "<c@x>");
  ASSERT_EQ(t1->rcpt_to.size(), 1u);
  EXPECT_FALSE(t1->complete(false));
}

TEST(SmtpParser, InvalidBdatIsRecoverable) {
  SmtpParser p;
  for (const char* s : {"220 mx\r\n"}) p.feed(false, core::as_bytes(std::string(s)), {});
  p.feed(true, core::as_bytes(std::string("EHLO c\r\nMAIL FROM:<a@x>\r\nBDAT 5 X\r\n")), {});
  p.feed(false, core::as_bytes(std::string("250 ok\r\n250 ok\r\n521 syntax\r\n")), {});
  p.feed(true, core::as_bytes(std::string("BDAT 2 LAST\r\nhiMAIL FROM:<b@x>\r\n")), {});
  EXPECT_EQ(p.parser_errors(), 0u);
  ASSERT_EQ(p.tx_count(), 2u);
  ASSERT_EQ(p.events.size(), 1u);
  EXPECT_EQ(p.events[0], "smtp.invalid_bdat");
}

TEST(SmtpParser, PipelinedDataEndRaisesInvalidSequence) {
  SmtpParser p;
  p.feed(false, core::as_bytes(std::string("220 mx\r\n")), {});
  p.feed(true, core::as_bytes(std::string("EHLO c\r\n")), {});
  p.feed(false, core::as_bytes(std::string("250-mx\r\n250 OK\r\n")), {});
  p.feed(true, core::as_bytes(std::string("RSET\r\nDATA\r\n.\r\n")), {});
  for (const char* s : {"250 reset\r\n", "354 go\r\n", "250 queued\r\n"})
    p.feed(false, core::as_bytes(std::string(s)), {});
  ASSERT_EQ(p.tx_count(), 1u);
  ASSERT_EQ(p.events.size(), 1u);
  EXPECT_EQ(p.events[0], "smtp.invalid_pipelined_sequence");
  EXPECT_TRUE(p.tx(0)->complete(false));
}

TEST(SmtpParser, HeloInMailTransactionResets) {
  SmtpParser p;
  p.feed(false, core::as_bytes(std::string("220 mx\r\n")), {});
  for (const char* c : {"EHLO c\r\n", "MAIL FROM:<a@x>\r\n", "RCPT TO:<b@x>\r\n", "HELO c\r\n",
                        "MAIL FROM:<b@x>\r\n"}) {
    p.feed(true, core::as_bytes(std::string(c)), {});
    p.feed(false, core::as_bytes(std::string("250 OK\r\n")), {});
  }
  ASSERT_EQ(p.tx_count(), 2u);
  EXPECT_TRUE(p.tx(0)->complete(false));
  EXPECT_EQ(static_cast<SmtpTx*>(p.tx(1))->mail_from, "<b@x>");
  ASSERT_EQ(p.events.size(), 1u);
  EXPECT_EQ(p.events[0], "smtp.duplicate_fields");
}

TEST(SmtpParser, DataRejectedAndInvalidReply) {
  SmtpParser p;
  p.feed(false, core::as_bytes(std::string("220 mx\r\n")), {});
  p.feed(true, core::as_bytes(std::string("HELO c\r\nDATA\r\n")), {});
  p.feed(false, core::as_bytes(std::string("250 OK\r\n503 need RCPT\r\n")), {});
  ASSERT_EQ(p.events.size(), 1u);
  EXPECT_EQ(p.events[0], "smtp.data_command_rejected");
  p.feed(false, core::as_bytes(std::string("472 nope\r\n")), {});
  EXPECT_EQ(p.parser_errors(), 1u);
  EXPECT_EQ(p.events.back(), "smtp.invalid_reply");
  // Parsing stopped for the flow.
  p.feed(true, core::as_bytes(std::string("MAIL FROM:<x>\r\n")), {});
  EXPECT_FALSE(static_cast<SmtpTx*>(p.tx(0))->has_mail_from);
}

TEST(SmtpParser, LongCommandIsTruncated) {
  SmtpParser p;
  p.feed(false, core::as_bytes(std::string("220 mx\r\n")), {});
  std::string line = "EHLO " + std::string(5000, 'A') + "\r\nMAIL FROM:<a@x>\r\n";
  p.feed(true, core::as_bytes(line), {});
  EXPECT_EQ(p.helo().size(), kSmtpLineLimit - 5);
  ASSERT_EQ(p.events.size(), 1u);
  EXPECT_EQ(p.events[0], "smtp.truncated_line");
  EXPECT_EQ(static_cast<SmtpTx*>(p.tx(0))->mail_from, "<a@x>");
}

TEST(SmtpParser, StartTlsEndsParsing) {
  SmtpParser p;
  p.feed(false, core::as_bytes(std::string("220 mx\r\n")), {});
  p.feed(true, core::as_bytes(std::string("EHLO c\r\n")), {});
  p.feed(false, core::as_bytes(std::string("250 OK\r\n")), {});
  p.feed(true, core::as_bytes(std::string("STARTTLS\r\n")), {});
  p.feed(false, core::as_bytes(std::string("220 ready\r\n")), {});
  EXPECT_TRUE(p.tls_upgraded());
  p.feed(true, core::as_bytes(std::string("\x16\x03\x01\x00\x05hello")), {});
  ASSERT_EQ(p.tx_count(), 1u);
  EXPECT_TRUE(p.tx(0)->complete(false));
  EXPECT_EQ(tx_json(*p.tx(0)), "{\"smtp\":{\"helo\":\"c\"}}");
}

TEST(MimeSmtp, HeaderTokens) {
  std::string v;
  EXPECT_TRUE(mime_header_token("attachment; filename=\"a b.txt\"", "filename", v));
  EXPECT_EQ(v, "a b.txt");
  EXPECT_TRUE(mime_header_token("text/plain; name=x.txt ; charset=utf-8", "name", v));
  EXPECT_EQ(v, "x.txt");
  EXPECT_TRUE(mime_header_token("attachment;filename*0=ab;filename*1=cd", "filename", v));
  EXPECT_EQ(v, "abcd");
  EXPECT_FALSE(mime_header_token("attachment", "filename", v));
  EXPECT_FALSE(mime_header_token("attachment; filename=\"open", "filename", v));
}

TEST(MimeSmtp, AddressLists) {
  auto v = mime_split_addresses("a@x,  \"b, c\" <b@x>, ,d@x");
  ASSERT_EQ(v.size(), 3u);
  EXPECT_EQ(v[1], "\"b, c\" <b@x>");
  EXPECT_TRUE(mime_split_addresses(" ").empty());
}

TEST(MimeSmtp, QuotedPrintableAndInvalidBase64) {
  MimeConfig c;
  MimeSmtp m(c);
  std::string file;
  MimeSink sink{nullptr, &file, 1000};
  uint32_t w = 0;
  auto line = [&](std::string s) {
    std::string full = s + "\r\n";
    return m.parse_line(core::as_bytes(full).first(s.size()), core::as_bytes(full), sink, w);
  };
  line("Content-Disposition: attachment; filename=q.txt");
  line("Content-Transfer-Encoding: quoted-printable");
  EXPECT_EQ(line(""), MimeResult::kFileOpen);
  line("caf=C3=A9 soft=");
  line("break");
  EXPECT_EQ(w, 0u);
  line("bad =G1");
  EXPECT_EQ(w, uint32_t(kMimeInvalidQp));
  EXPECT_EQ(file, "caf\xC3\xA9 softbreak\r\nbad ");
}

TEST(SmtpProbe, CommandsAndGreeting) {
  auto probe = [](const char* s, bool ts) { return smtp_probe(core::as_bytes(std::string(s)), ts); };
  EXPECT_EQ(probe("EHLO x\r\n", true), 1);
  EXPECT_EQ(probe("he", true), 0);
  EXPECT_EQ(probe("GET / HTTP/1.1", true), -1);
  EXPECT_EQ(probe("220 mx ESMTP\r\n", false), 1);
  EXPECT_EQ(probe("22", false), 0);
  EXPECT_EQ(probe("HTTP/1.1 200", false), -1);
}

}  // namespace
}  // namespace pasban::app::smtp
