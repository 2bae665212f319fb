// Files (app/files/file.h), HTTP bodies as files (multipart included), and
// the file keywords (detect/keywords/file_keywords.h).
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <string>

#include "app/files/file.h"
#include "app/http/http_parser.h"
#include "detect/keywords/file_keywords.h"

namespace pasban {
namespace {

using app::files::File;
using app::files::FileState;

core::Bytes B(const std::string& s) { return core::as_bytes(s); }

// Restores the process-wide settings a test changed.
struct SettingsGuard {
  app::files::FileSettings saved = app::files::file_settings();
  ~SettingsGuard() { app::files::file_settings() = saved; }
};

TEST(File, HashesWhenClosed) {
  SettingsGuard g;
  auto& s = app::files::file_settings();
  s.md5 = s.sha1 = s.sha256 = true;
  File f("a.txt", false, 1);
  f.append(B("ab"));
  f.append(B("c"));
  EXPECT_TRUE(f.open());
  f.close();
  EXPECT_EQ(f.state(), FileState::kClosed);
  EXPECT_EQ(f.size(), 3u);
  EXPECT_EQ(f.md5(), "900150983cd24fb0d6963f7d28e17f72");
  EXPECT_EQ(f.sha1(), "a9993e364706816aba3e25717850c26c9cd0d89d");
  EXPECT_EQ(f.sha256(), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(f.content(), "abc");
  EXPECT_TRUE(f.content_complete());
  f.append(B("more"));  // ignored once ended
  EXPECT_EQ(f.size(), 3u);
}

TEST(File, GapMakesItTruncatedWithoutHashes) {
  SettingsGuard g;
  app::files::file_settings().sha256 = true;
  File f("x", true, 2);
  f.append(B("abc"));
  f.gap(5);
  f.append(B("d"));
  f.close();
  EXPECT_EQ(f.state(), FileState::kTruncated);
  EXPECT_TRUE(f.gaps());
  EXPECT_EQ(f.size(), 9u);
  EXPECT_TRUE(f.sha256().empty());
  EXPECT_EQ(f.content(), std::string("abc") + std::string(5, '\0') + "d");
}

TEST(File, DepthTruncates) {
  SettingsGuard g;
  app::files::file_settings().depth = 4;
  File f("x", false, 3);
  f.append(B("abcdef"));
  EXPECT_EQ(f.state(), FileState::kTruncated);
  EXPECT_EQ(f.size(), 4u);
  EXPECT_EQ(f.content(), "abcd");
}

TEST(File, ContentLimitKeepsCounting) {
  SettingsGuard g;
  app::files::file_settings().content_limit = 2;
  File f("x", false, 4);
  f.append(B("abcdef"));
  f.close();
  EXPECT_EQ(f.content(), "ab");
  EXPECT_FALSE(f.content_complete());
  EXPECT_EQ(f.size(), 6u);
}

TEST(File, Extension) {
  EXPECT_EQ(File("/a/b/report.PDF", false, 1).extension(), "PDF");
  EXPECT_EQ(File("/a.b/c", false, 1).extension(), "");
  EXPECT_EQ(File("noext", false, 1).extension(), "");
  EXPECT_EQ(app::files::file_state_name(FileState::kTruncated), "TRUNCATED");
}

TEST(HttpFiles, DispositionFilename) {
  using app::http::disposition_filename;
  EXPECT_EQ(disposition_filename("attachment; filename=\"eicar.txt\""), "eicar.txt");
  EXPECT_EQ(disposition_filename("attachment; filename=a.bin; size=3"), "a.bin");
  EXPECT_EQ(disposition_filename("form-data; name=\"f\"; filename=\"r.pdf\""), "r.pdf");
  EXPECT_EQ(disposition_filename("attachment; xfilename=\"no\""), "");
  EXPECT_EQ(disposition_filename("inline"), "");
}

TEST(HttpFiles, Multipart) {
  const std::string body =
      "preamble\r\n--BB\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nfield\r\n"
      "--BB\r\nContent-Disposition: form-data; name=\"f\"; filename=\"x.txt\"\r\n"
      "Content-Type: text/plain\r\n\r\nfile\r\nbody\r\n--BB--\r\n";
  auto parts = app::http::parse_multipart(body, "BB");
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(parts[0].filename, "");
  EXPECT_EQ(parts[0].content, "field");
  EXPECT_EQ(parts[1].filename, "x.txt");
  EXPECT_EQ(parts[1].content, "file\r\nbody");
  EXPECT_TRUE(parts[1].complete);
  // Cut inside the file part: incomplete, content up to the cut.
  // Parts view into the body they were cut from, so the cut body must outlive them.
  const std::string cut_body = body.substr(0, body.find("body") + 2);
  auto cut = app::http::parse_multipart(cut_body, "BB");
  ASSERT_EQ(cut.size(), 2u);
  EXPECT_FALSE(cut[1].complete);
  EXPECT_EQ(cut[1].content, "file\r\nbo");
  // Every prefix parses without reading out of bounds.
  for (size_t i = 0; i <= body.size(); ++i) (void)app::http::parse_multipart(body.substr(0, i), "BB");
  EXPECT_TRUE(app::http::parse_multipart(body, "").empty());
}

void feed(app::http::HttpParser& p, bool to_server, const std::string& s) {
  p.feed(to_server, B(s), core::Timestamp{1700000000, 0});
}

TEST(HttpFiles, ResponseAndUploadFiles) {
  app::http::HttpParser p;
  feed(p, true, "GET /dl/file.exe?x=1 HTTP/1.1\r\nHost: h\r\n\r\n");
  feed(p, false, "HTTP/1.1 206 Partial\r\nContent-Range: bytes 10-14/100\r\nContent-Length: 5\r\n\r\nhel");
  ASSERT_EQ(p.tx_count(), 1u);
  ASSERT_EQ(p.tx(0)->file_list.size(), 1u);
  const File& dl = *p.tx(0)->file_list[0];
  EXPECT_TRUE(dl.open());
  feed(p, false, "lo");
  EXPECT_EQ(dl.state(), FileState::kClosed);
  EXPECT_EQ(dl.name(), "/dl/file.exe");
  EXPECT_FALSE(dl.to_server());
  EXPECT_TRUE(dl.has_range());
  EXPECT_EQ(dl.range_start(), 10u);
  EXPECT_EQ(dl.range_end(), 14u);
  const std::string body =
      "--q\r\nContent-Disposition: form-data; name=\"f\"; filename=\"up.bin\"\r\n\r\nDATA\r\n--q--\r\n";
  feed(p, true, "POST /u HTTP/1.1\r\nHost: h\r\nContent-Type: multipart/form-data; boundary=q\r\n"
                "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body);
  ASSERT_EQ(p.tx_count(), 2u);
  ASSERT_EQ(p.tx(1)->file_list.size(), 1u);
  const File& up = *p.tx(1)->file_list[0];
  EXPECT_EQ(up.name(), "up.bin");
  EXPECT_TRUE(up.to_server());
  EXPECT_EQ(up.content(), "DATA");
  EXPECT_EQ(up.state(), FileState::kClosed);
  EXPECT_NE(up.file_id(), dl.file_id());
}

TEST(HttpFiles, FlowEndTruncates) {
  app::http::HttpParser p;
  feed(p, true, "GET / HTTP/1.1\r\nHost: h\r\n\r\n");
  feed(p, false, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nabc");
  p.on_close();
  ASSERT_EQ(p.tx(0)->file_list.size(), 1u);
  EXPECT_EQ(p.tx(0)->file_list[0]->state(), FileState::kTruncated);
  EXPECT_EQ(p.tx(0)->file_list[0]->size(), 3u);
}

// A transaction holding given files, for the keywords.
struct FileTx final : app::Transaction {
  bool buffer(app::AppBuffer, uint32_t, core::Bytes&) const override { return false; }
  bool complete(bool) const override { return true; }
  void log(app::JsonWriter&) const override {}
  File& add(const std::string& name, bool to_server, const std::string& data) {
    file_list.push_back(std::make_unique<File>(name, to_server, uint32_t(file_list.size() + 1)));
    file_list.back()->append(B(data));
    file_list.back()->close();
    return *file_list.back();
  }
};

using detect::keywords::make_filehash;
using detect::keywords::make_filesize;
using detect::keywords::make_filestore;

TEST(FileKeywords, Filesize) {
  FileTx tx;
  tx.add("a", false, std::string(60, 'x'));
  decode::Packet p{};
  core::Error err;
  EXPECT_TRUE(make_filesize("filesize", "<70", err)->match(tx, p));
  EXPECT_TRUE(make_filesize("filesize", "50<>61", err)->match(tx, p));
  EXPECT_FALSE(make_filesize("filesize", ">60", err)->match(tx, p));
  EXPECT_FALSE(make_filesize("filesize", "to_server, 60", err)->match(tx, p));
  EXPECT_TRUE(make_filesize("filesize", "to_client, 60", err)->match(tx, p));
  EXPECT_EQ(make_filesize("filesize", "sideways, 60", err), nullptr);
  EXPECT_NE(err.message.find("filesize"), std::string::npos);
}

TEST(FileKeywords, HashLists) {
  SettingsGuard g;
  app::files::file_settings().md5 = false;
  const std::string path = ::testing::TempDir() + "/pasban_md5.list";
  {
    std::ofstream out(path);
    out << "# comment\n900150983CD24FB0D6963F7D28E17F72\n\n";
  }
  core::Error err;
  auto k = make_filehash("filemd5", path, err);
  ASSERT_NE(k, nullptr) << err.message;
  EXPECT_TRUE(app::files::file_settings().md5);  // loading switched md5 on
  auto neg = make_filehash("filemd5", "!" + path, err);
  FileTx tx;
  tx.add("a", false, "abc");
  decode::Packet p{};
  EXPECT_TRUE(k->match(tx, p));
  EXPECT_FALSE(neg->match(tx, p));
  FileTx other;
  other.add("b", false, "abd");
  EXPECT_FALSE(k->match(other, p));
  EXPECT_TRUE(neg->match(other, p));
  EXPECT_EQ(make_filehash("filesha1", path, err), nullptr);  // wrong length
  EXPECT_EQ(make_filehash("filemd5", "/nonexistent/list", err), nullptr);
  std::remove(path.c_str());
}

TEST(FileKeywords, FilestoreMarksFiles) {
  core::Error err;
  auto k = make_filestore("filestore", "response", err);
  ASSERT_NE(k, nullptr);
  EXPECT_EQ(make_filestore("filestore", "sideways", err), nullptr);
  EXPECT_EQ(make_filestore("filestore", "both,forever", err), nullptr);
  FileTx tx;
  File& up = tx.add("u", true, "x");
  File& down = tx.add("d", false, "y");
  auto* fs = dynamic_cast<const detect::keywords::FileStoreKeyword*>(k.get());
  ASSERT_NE(fs, nullptr);
  fs->apply(tx, 42, {k});
  EXPECT_FALSE(up.store_requested);
  EXPECT_TRUE(down.store_requested);
  ASSERT_EQ(down.store_sids.size(), 1u);
  EXPECT_EQ(down.store_sids[0], 42u);
  // In file scope only files the rule's other file keywords match.
  auto big = make_filesize("filesize", ">5", err);
  auto all = make_filestore("filestore", "", err);
  FileTx tx2;
  File& small = tx2.add("s", false, "abc");
  dynamic_cast<const detect::keywords::FileStoreKeyword*>(all.get())->apply(tx2, 7, {big, all});
  EXPECT_FALSE(small.store_requested);
}

}  // namespace
}  // namespace pasban
