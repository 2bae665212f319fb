// HTTP odds and ends with Suricata's meaning: config rules that silence a
// transaction's log, relative keywords after legacy HTTP modifiers,
// response-side http.header for flow:to_client, http.request_header
// values, the decoded query in http.uri, Bearer authorization, the eve-log
// http options and absolute output file names.
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "app/http/http_parser.h"
#include "detect/build/rule_builder.h"
#include "detect/keywords/config_keyword.h"
#include "detect/rules/rule_text.h"
#include "output/log_file.h"

namespace pasban {
namespace {

core::Result<detect::Rule> build(std::string_view text) {
  detect::build::BuildContext ctx;
  std::map<std::string, uint32_t, std::less<>> bits;
  ctx.intern_flowbit = [&bits](std::string_view name) {
    auto [it, added] = bits.emplace(std::string(name), uint32_t(bits.size()));
    return it->second;
  };
  auto raw = detect::rules::parse_rule_text(text);
  if (!raw) return raw.error();
  detect::build::BuildResult outcome;
  return detect::build::build_rule(*raw, ctx, outcome);
}

bool has_app_buffer(const detect::Rule& r, app::AppBuffer b) {
  for (const auto& l : r.buffers)
    if (l.is_app && l.app_buffer == b) return true;
  return false;
}

TEST(ConfigKeyword, ParsesTransactionLoggingDisable) {
  EXPECT_TRUE(detect::keywords::ConfigSetting::parse("logging disable, type tx, scope tx").ok());
  EXPECT_TRUE(detect::keywords::ConfigSetting::parse(" logging  disable ,type tx,  scope tx ").ok());
}

TEST(ConfigKeyword, RejectsWhatIsNotSupported) {
  for (const char* v : {"", "logging disable", "logging enable, type tx, scope tx",
                        "tracking disable, type flow, scope packet",
                        "logging disable, type tx, scope flow", "logging disable, tx, scope tx",
                        "logging disable, type tx, scope tx, more"})
    EXPECT_FALSE(detect::keywords::ConfigSetting::parse(v).ok()) << v;
}

TEST(ConfigRule, ActionNeverAlertsAndDisablesTxLogging) {
  auto r = build(R"(config http any any -> any any (http.host; content:"test"; config:logging disable, type tx, scope tx; sid:1;))");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_TRUE(r->noalert);
  EXPECT_TRUE(r->disable_tx_logging);
  auto a = build(R"(alert http any any -> any any (http.host; content:"test"; config:logging disable, type tx, scope tx; sid:2;))");
  ASSERT_TRUE(a.ok());
  EXPECT_FALSE(a->noalert);
  EXPECT_TRUE(a->disable_tx_logging);
}

TEST(RelativeKeywords, FollowTheirContentIntoLegacyHttpBuffers) {
  auto r = build(R"(alert tcp any any -> any any (content:"/c/"; http_raw_uri; isdataat:4,relative; sid:1;))");
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->buffers.size(), 1u);
  EXPECT_EQ(r->buffers[0].app_buffer, app::AppBuffer::kHttpUriRaw);
  EXPECT_EQ(r->buffers[0].items.size(), 2u);

  auto e = build(R"(alert tcp any any -> any any (uricontent:"this"; byte_extract:1,2,one,string,dec,relative; uricontent:"ring"; distance:one; sid:2;))");
  ASSERT_TRUE(e.ok()) << e.error().message;
  ASSERT_EQ(e->buffers.size(), 1u);
  EXPECT_EQ(e->buffers[0].items.size(), 3u);

  // Not relative: stays on the payload.
  auto p = build(R"(alert tcp any any -> any any (content:"/c/"; http_raw_uri; isdataat:4; sid:3;))");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->buffers.size(), 2u);
}

TEST(HttpSides, ToClientRulesReadTheResponseTwins) {
  auto r = build(R"(alert http any any -> any any (flow:established,to_client; content:"x"; http_header; content:"y"; http_cookie; http.protocol; content:"HTTP/1.1"; sid:1;))");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_TRUE(has_app_buffer(*r, app::AppBuffer::kHttpResponseHeaders));
  EXPECT_TRUE(has_app_buffer(*r, app::AppBuffer::kHttpSetCookie));
  EXPECT_TRUE(has_app_buffer(*r, app::AppBuffer::kHttpResponseProtocol));
  EXPECT_EQ(r->app_sides, 2);
  auto q = build(R"(alert http any any -> any any (flow:to_server; content:"x"; http_header; sid:2;))");
  ASSERT_TRUE(q.ok());
  EXPECT_TRUE(has_app_buffer(*q, app::AppBuffer::kHttpHeader));
  EXPECT_EQ(q->app_sides, 1);
}

// ------------------------------------------------------------ the parser

std::string value(app::Transaction* tx, app::AppBuffer b, uint32_t index = 0) {
  core::Bytes out;
  if (!tx->buffer(b, index, out)) return "<absent>";
  return std::string(core::as_chars(out));
}

app::http::HttpTx* parse(app::http::HttpParser& p, const std::string& req, const std::string& resp) {
  core::Timestamp ts{1700000000, 0};
  p.feed(true, core::as_bytes(req), ts);
  if (!resp.empty()) p.feed(false, core::as_bytes(resp), ts);
  return p.tx_count() ? static_cast<app::http::HttpTx*>(p.tx(0)) : nullptr;
}

TEST(HttpUri, QueryIsUrlDecoded) {
  app::http::HttpParser p;
  auto* tx = parse(p, "GET /get?data=%7Dk%BB%20x+y HTTP/1.1\r\nHost: a\r\n\r\n", "");
  ASSERT_NE(tx, nullptr);
  EXPECT_EQ(value(tx, app::AppBuffer::kHttpUri), "/get?data=}k\xBB x+y");
  EXPECT_EQ(value(tx, app::AppBuffer::kHttpUriRaw), "/get?data=%7Dk%BB%20x+y");
}

TEST(HttpRequestHeader, OneValuePerHeader) {
  app::http::HttpParser p;
  auto* tx = parse(p, "GET / HTTP/1.1\r\nHost: a\r\nKey: v\r\n\r\n", "");
  ASSERT_NE(tx, nullptr);
  EXPECT_EQ(value(tx, app::AppBuffer::kHttpRequestHeader, 0), "Host: a");
  EXPECT_EQ(value(tx, app::AppBuffer::kHttpRequestHeader, 1), "Key: v");
  EXPECT_EQ(value(tx, app::AppBuffer::kHttpRequestHeader, 2), "<absent>");
}

TEST(HttpAuth, BearerIsRecognisedOthersAreNot) {
  app::http::HttpParser bearer;
  parse(bearer, "GET / HTTP/1.1\r\nHost: a\r\nAuthorization: Bearer abc\r\n\r\n", "");
  for (auto e : bearer.events) EXPECT_NE(e, "http.request_auth_unrecognized");
  app::http::HttpParser other;
  parse(other, "GET / HTTP/1.1\r\nHost: a\r\nAuthorization: Bearerx abc\r\n\r\n", "");
  bool raised = false;
  for (auto e : other.events) raised |= e == "http.request_auth_unrecognized";
  EXPECT_TRUE(raised);
}

TEST(HttpResponseSide, HeaderBlockProtocolAndSetCookie) {
  app::http::HttpParser p;
  auto* tx = parse(p, "GET / HTTP/1.1\r\nHost: a\r\n\r\n",
                   "HTTP/1.0 200 OK\r\nServer:ng1nx\r\nSet-Cookie: s=1\r\nContent-Length: 0\r\n\r\n");
  ASSERT_NE(tx, nullptr);
  EXPECT_EQ(value(tx, app::AppBuffer::kHttpResponseHeaders), "Server: ng1nx\r\nContent-Length: 0\r\n");
  EXPECT_EQ(value(tx, app::AppBuffer::kHttpResponseProtocol), "HTTP/1.0");
  EXPECT_EQ(value(tx, app::AppBuffer::kHttpSetCookie), "s=1");
}

std::string log_json(const app::http::HttpTx& tx, const app::http::HttpLogOptions& o) {
  rapidjson::StringBuffer sb;
  app::JsonWriter w(sb);
  w.StartObject();
  tx.log_with_options(w, o);
  w.EndObject();
  return sb.GetString();
}

TEST(HttpLogOptions, ExtendedCustomAndHeaderDumps) {
  app::http::HttpParser p;
  auto* tx = parse(p, "GET / HTTP/1.1\r\nHost: a\r\nAccept-Encoding: gzip\r\n\r\n",
                   "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
  ASSERT_NE(tx, nullptr);
  app::http::HttpLogOptions basic;
  basic.extended = false;
  EXPECT_EQ(log_json(*tx, basic), R"({"http":{"hostname":"a","url":"/"}})");

  app::http::HttpLogOptions o;
  o.custom.push_back(app::http::http_custom_field("Accept-Encoding"));
  o.dump_response_headers = true;
  ASSERT_NE(o.custom.front(), nullptr);
  EXPECT_EQ(log_json(*tx, o),
            R"({"http":{"hostname":"a","url":"/","accept_encoding":"gzip","http_method":"GET",)"
            R"("protocol":"HTTP/1.1","status":200,"length":0,)"
            R"("response_headers":[{"name":"Content-Length","value":"0"}]}})");
  EXPECT_EQ(app::http::http_custom_field("accept_encoding"), o.custom.front());
  EXPECT_EQ(app::http::http_custom_field("no-such-header"), nullptr);
}

TEST(LogFile, AbsoluteNamesAreKept) {
  EXPECT_EQ(output::LogFile::resolve("/var/log/x", "/dev/null"), "/dev/null");
  EXPECT_EQ(output::LogFile::resolve("/var/log/x", "eve.json"), "/var/log/x/eve.json");
  EXPECT_EQ(output::LogFile::resolve("/var/log/x/", "eve.json"), "/var/log/x/eve.json");
}

}  // namespace
}  // namespace pasban
