// HTTP/1.x over libhtp: buffers with Suricata's meaning, the EVE record,
// pipelining, chunked and gzip bodies, CONNECT, anomalies, and the split
// test (every split point and byte by byte give the same transactions).
#include <gtest/gtest.h>
#include <zlib.h>

#include <optional>
#include <string>
#include <vector>

#include "app/http/http_parser.h"
#include "app/http/http_register.h"

namespace pasban::app::http {
namespace {

struct Chunk {
  bool to_server;
  std::string data;
};

core::Bytes B(const std::string& s) { return core::as_bytes(s); }

std::optional<std::string> buf(Transaction* tx, AppBuffer b, uint32_t index = 0) {
  core::Bytes out;
  if (!tx->buffer(b, index, out)) return std::nullopt;
  return std::string(core::as_chars(out));
}

std::string log_json(const Transaction* tx) {
  rapidjson::StringBuffer sb;
  JsonWriter w(sb);
  w.StartObject();
  tx->log(w);
  w.EndObject();
  return sb.GetString();
}

void run(HttpParser& p, const std::vector<Chunk>& chunks) {
  core::Timestamp ts{1700000000, 0};
  for (const auto& c : chunks) p.feed(c.to_server, B(c.data), ts);
}

const std::string kRequest =
    "GET /a/./b/../c%2Fd?x=1&y=%41 HTTP/1.1\r\n"
    "Host: WWW.Example.COM:8080\r\n"
    "User-Agent: Mozilla/5.0\r\n"
    "Accept: */*\r\n"
    "Accept-Encoding: gzip, deflate\r\n"
    "Accept-Language: en-US\r\n"
    "Referer: http://ref.example/\r\n"
    "Cookie: a=b; c=d\r\n"
    "Connection: keep-alive\r\n"
    "X-Forwarded-For: 10.1.1.1\r\n"
    "\r\n";
const std::string kResponse =
    "HTTP/1.1 302 Found\r\n"
    "Server: nginx/1.2\r\n"
    "Location: http://other.example/\r\n"
    "Content-Type: text/html; charset=UTF-8\r\n"
    "Set-Cookie: s=1\r\n"
    "Content-Length: 5\r\n"
    "\r\n"
    "hello";

TEST(HttpParser, RequestBuffers) {
  HttpParser p;
  run(p, {{true, kRequest}});
  ASSERT_EQ(p.tx_count(), 1u);
  Transaction* tx = p.tx(0);
  EXPECT_EQ(tx->tx_id, 0u);
  EXPECT_TRUE(tx->complete(true));
  EXPECT_FALSE(tx->complete(false));
  EXPECT_EQ(buf(tx, AppBuffer::kHttpMethod), "GET");
  EXPECT_EQ(buf(tx, AppBuffer::kHttpUriRaw), "/a/./b/../c%2Fd?x=1&y=%41");
  // Path decoded and dot segments removed; the query URL-decoded too.
  EXPECT_EQ(buf(tx, AppBuffer::kHttpUri), "/a/c/d?x=1&y=A");
  EXPECT_EQ(buf(tx, AppBuffer::kHttpProtocol), "HTTP/1.1");
  EXPECT_EQ(buf(tx, AppBuffer::kHttpRequestLine), "GET /a/./b/../c%2Fd?x=1&y=%41 HTTP/1.1");
  EXPECT_EQ(buf(tx, AppBuffer::kHttpHost), "www.example.com");
  EXPECT_EQ(buf(tx, AppBuffer::kHttpHostRaw), "WWW.Example.COM:8080");
  EXPECT_EQ(buf(tx, AppBuffer::kHttpUserAgent), "Mozilla/5.0");
  EXPECT_EQ(buf(tx, AppBuffer::kHttpCookie), "a=b; c=d");
  EXPECT_EQ(buf(tx, AppBuffer::kHttpReferer), "http://ref.example/");
  EXPECT_EQ(buf(tx, AppBuffer::kHttpAccept), "*/*");
  EXPECT_EQ(buf(tx, AppBuffer::kHttpAcceptEnc), "gzip, deflate");
  EXPECT_EQ(buf(tx, AppBuffer::kHttpAcceptLang), "en-US");
  EXPECT_EQ(buf(tx, AppBuffer::kHttpConnection), "keep-alive");
  EXPECT_EQ(buf(tx, AppBuffer::kHttpContentType), std::nullopt);
  EXPECT_EQ(buf(tx, AppBuffer::kHttpContentLen), std::nullopt);
  // Normalised headers leave the cookie out.
  EXPECT_EQ(buf(tx, AppBuffer::kHttpHeader),
            "Host: WWW.Example.COM:8080\r\nUser-Agent: Mozilla/5.0\r\nAccept: */*\r\n"
            "Accept-Encoding: gzip, deflate\r\nAccept-Language: en-US\r\n"
            "Referer: http://ref.example/\r\nConnection: keep-alive\r\n"
            "X-Forwarded-For: 10.1.1.1\r\n");
  const std::string raw_headers = kRequest.substr(kRequest.find("\r\n") + 2);
  EXPECT_EQ(buf(tx, AppBuffer::kHttpHeaderRaw), raw_headers);
  EXPECT_EQ(buf(tx, AppBuffer::kHttpHeaderNames),
            "\r\nHost\r\nUser-Agent\r\nAccept\r\nAccept-Encoding\r\nAccept-Language\r\n"
            "Referer\r\nCookie\r\nConnection\r\nX-Forwarded-For\r\n\r\n");
  EXPECT_EQ(buf(tx, AppBuffer::kHttpStart), kRequest);
  EXPECT_EQ(buf(tx, AppBuffer::kHttpRequestBody), std::nullopt);
  EXPECT_EQ(buf(tx, AppBuffer::kHttpStatCode), std::nullopt);
  EXPECT_EQ(buf(tx, AppBuffer::kDnsQuery), std::nullopt);
}

TEST(HttpParser, ResponseBuffersAndLog) {
  HttpParser p;
  run(p, {{true, kRequest}, {false, kResponse}});
  ASSERT_EQ(p.tx_count(), 1u);
  Transaction* tx = p.tx(0);
  EXPECT_TRUE(tx->complete(false));
  EXPECT_EQ(buf(tx, AppBuffer::kHttpStatCode), "302");
  EXPECT_EQ(buf(tx, AppBuffer::kHttpStatMsg), "Found");
  EXPECT_EQ(buf(tx, AppBuffer::kHttpResponseLine), "HTTP/1.1 302 Found");
  EXPECT_EQ(buf(tx, AppBuffer::kHttpServer), "nginx/1.2");
  EXPECT_EQ(buf(tx, AppBuffer::kHttpLocation), "http://other.example/");
  EXPECT_EQ(buf(tx, AppBuffer::kHttpResponseContentType), "text/html; charset=UTF-8");
  EXPECT_EQ(buf(tx, AppBuffer::kHttpResponseContentLen), "5");
  EXPECT_EQ(buf(tx, AppBuffer::kHttpResponseBody), "hello");
  EXPECT_EQ(buf(tx, AppBuffer::kFileData), "hello");
  EXPECT_EQ(buf(tx, AppBuffer::kHttpResponseHeader, 0), "Server: nginx/1.2");
  EXPECT_EQ(buf(tx, AppBuffer::kHttpResponseHeader, 4), "Content-Length: 5");
  EXPECT_EQ(buf(tx, AppBuffer::kHttpResponseHeader, 5), std::nullopt);
  const std::string raw = kResponse.substr(kResponse.find("\r\n") + 2);
  EXPECT_EQ(buf(tx, AppBuffer::kHttpResponseHeaderRaw), raw.substr(0, raw.size() - 5));
  auto* htx = static_cast<HttpTx*>(tx);
  EXPECT_EQ(htx->status_number, 302);
  EXPECT_EQ(htx->response_header_block.find("Set-Cookie"), std::string::npos);
  EXPECT_EQ(log_json(tx),
            R"({"http":{"hostname":"www.example.com","http_port":8080,)"
            R"("url":"/a/./b/../c%2Fd?x=1&y=%41","http_user_agent":"Mozilla/5.0",)"
            R"("xff":"10.1.1.1","http_content_type":"text/html",)"
            R"("http_refer":"http://ref.example/","http_method":"GET","protocol":"HTTP/1.1",)"
            R"("status":302,"redirect":"http://other.example/","length":5}})");
  EXPECT_TRUE(p.events.empty()) << p.events.front();
}

TEST(HttpParser, MinimalLogHasNoPortWithoutOne) {
  HttpParser p;
  run(p, {{true, "GET /x HTTP/1.0\r\nHost: h\r\n\r\n"}, {false, "HTTP/1.0 200 OK\r\n\r\n"}});
  p.on_close();
  ASSERT_EQ(p.tx_count(), 1u);
  EXPECT_EQ(log_json(p.tx(0)),
            R"({"http":{"hostname":"h","url":"/x","http_method":"GET","protocol":"HTTP/1.0",)"
            R"("status":200,"length":0}})");
}

TEST(HttpParser, Pipelining) {
  HttpParser p;
  run(p, {{true, "GET /1 HTTP/1.1\r\nHost: a\r\n\r\nGET /2 HTTP/1.1\r\nHost: b\r\n\r\n"},
          {false,
           "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nA"
           "HTTP/1.1 404 Not Found\r\nContent-Length: 2\r\n\r\nBB"}});
  ASSERT_EQ(p.tx_count(), 2u);
  EXPECT_EQ(p.tx(0)->tx_id, 0u);
  EXPECT_EQ(p.tx(1)->tx_id, 1u);
  EXPECT_EQ(buf(p.tx(0), AppBuffer::kHttpUri), "/1");
  EXPECT_EQ(buf(p.tx(1), AppBuffer::kHttpUri), "/2");
  EXPECT_EQ(buf(p.tx(0), AppBuffer::kHttpStatCode), "200");
  EXPECT_EQ(buf(p.tx(1), AppBuffer::kHttpStatCode), "404");
  EXPECT_EQ(buf(p.tx(0), AppBuffer::kHttpResponseBody), "A");
  EXPECT_EQ(buf(p.tx(1), AppBuffer::kHttpResponseBody), "BB");
  EXPECT_TRUE(p.tx(1)->complete(false));
}

TEST(HttpParser, ChunkedBodies) {
  HttpParser p;
  run(p, {{true,
           "POST /up HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n"
           "Content-Type: text/plain\r\n\r\n"
           "3\r\nabc\r\n4\r\ndefg\r\n0\r\n\r\n"},
          {false, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"}});
  ASSERT_EQ(p.tx_count(), 1u);
  Transaction* tx = p.tx(0);
  EXPECT_EQ(buf(tx, AppBuffer::kHttpRequestBody), "abcdefg");
  EXPECT_EQ(buf(tx, AppBuffer::kHttpContentType), "text/plain");
  EXPECT_EQ(buf(tx, AppBuffer::kHttpResponseBody), "hello world");
  EXPECT_TRUE(tx->complete(true));
  EXPECT_TRUE(tx->complete(false));
  // libhtp counts the chunked message as it crossed the wire, framing
  // included; that is what Suricata logs as "length".
  EXPECT_GT(static_cast<HttpTx*>(tx)->response_message_len, 11);
}

std::string gzip(const std::string& in) {
  z_stream zs{};
  EXPECT_EQ(deflateInit2(&zs, 9, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
  std::string out(compressBound(in.size()) + 64, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&zs, Z_FINISH), Z_STREAM_END);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

TEST(HttpParser, GzipResponseIsDecompressed) {
  std::string plain;
  for (int i = 0; i < 200; ++i) plain += "line " + std::to_string(i) + " of the body\n";
  const std::string z = gzip(plain);
  HttpParser p;
  run(p, {{true, "GET /z HTTP/1.1\r\nHost: a\r\n\r\n"},
          {false, "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: " +
                      std::to_string(z.size()) + "\r\n\r\n" + z}});
  ASSERT_EQ(p.tx_count(), 1u);
  EXPECT_EQ(buf(p.tx(0), AppBuffer::kHttpResponseBody), plain);
  EXPECT_EQ(buf(p.tx(0), AppBuffer::kFileData), plain);
  // EVE "length" is the body as it crossed the wire.
  EXPECT_EQ(static_cast<HttpTx*>(p.tx(0))->response_message_len, static_cast<int64_t>(z.size()));
  EXPECT_TRUE(p.events.empty());
}

TEST(HttpParser, BodyIsBoundedByLimit) {
  const std::string big(kResponseBodyLimit + 5000, 'x');
  HttpParser p;
  run(p, {{true, "GET / HTTP/1.1\r\nHost: a\r\n\r\n"},
          {false, "HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(big.size()) + "\r\n\r\n" + big}});
  ASSERT_EQ(p.tx_count(), 1u);
  EXPECT_EQ(buf(p.tx(0), AppBuffer::kHttpResponseBody)->size(), kResponseBodyLimit);
  EXPECT_EQ(static_cast<HttpTx*>(p.tx(0))->response_body_len, big.size());
  EXPECT_NE(log_json(p.tx(0)).find("\"length\":" + std::to_string(big.size())), std::string::npos);
}

TEST(HttpParser, ConnectTunnelStopsParsing) {
  HttpParser p;
  // The client sends tunnel bytes before the proxy answered: libhtp waits
  // for the answer, then they belong to the tunnel.
  run(p, {{true, "CONNECT abc:443 HTTP/1.1\r\nUser-Agent: Victor/1.0\r\n\r\n\x16\x03\x01"},
          {false, "HTTP/1.1 200 OK\r\nServer: VictorServer/1.0\r\n\r\n"},
          {true, "GET / HTTP/1.1\r\n\r\n"}});
  ASSERT_EQ(p.tx_count(), 1u);
  EXPECT_EQ(p.upgrade(), HttpUpgrade::kConnect);
  EXPECT_EQ(buf(p.tx(0), AppBuffer::kHttpMethod), "CONNECT");
  EXPECT_EQ(buf(p.tx(0), AppBuffer::kHttpUriRaw), "abc:443");
  EXPECT_EQ(p.tunnel_data(true), std::string("\x16\x03\x01") + "GET / HTTP/1.1\r\n\r\n");
  const std::string j = log_json(p.tx(0));
  EXPECT_NE(j.find(R"("http_method":"CONNECT","protocol":"HTTP/1.1","status":200)"), std::string::npos)
      << j;
}

TEST(HttpParser, FailedConnectKeepsParsingHttp) {
  HttpParser p;
  run(p, {{true, "CONNECT abc:443 HTTP/1.1\r\nHost: abc\r\n\r\n"},
          {false, "HTTP/1.1 407 Proxy Auth\r\nContent-Length: 0\r\n\r\n"},
          {true, "GET /next HTTP/1.1\r\nHost: abc\r\n\r\n"},
          {false, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"}});
  EXPECT_EQ(p.upgrade(), HttpUpgrade::kNone);
  ASSERT_EQ(p.tx_count(), 2u);
  EXPECT_EQ(buf(p.tx(1), AppBuffer::kHttpUri), "/next");
  EXPECT_EQ(buf(p.tx(1), AppBuffer::kHttpStatCode), "200");
}

TEST(HttpParser, Upgrade101ToH2c) {
  HttpParser p;
  run(p, {{true, "GET / HTTP/1.1\r\nHost: a\r\nUpgrade: h2c\r\nConnection: Upgrade\r\n\r\n"},
          {false, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\nConnection: Upgrade\r\n\r\n"}});
  EXPECT_EQ(p.upgrade(), HttpUpgrade::kHttp2);
}

TEST(HttpParser, CloseFinishesBodyWithoutLength) {
  HttpParser p;
  run(p, {{true, "GET / HTTP/1.0\r\n\r\n"}, {false, "HTTP/1.0 200 OK\r\n\r\nuntil close"}});
  ASSERT_EQ(p.tx_count(), 1u);
  EXPECT_FALSE(static_cast<HttpTx*>(p.tx(0))->response_done);
  p.on_close();
  EXPECT_TRUE(p.tx(0)->complete(false));
  EXPECT_EQ(buf(p.tx(0), AppBuffer::kHttpResponseBody), "until close");
}

TEST(HttpParser, StatusStringWhenNotANumber) {
  HttpParser p;
  run(p, {{true, "GET / HTTP/1.1\r\nHost: a\r\n\r\n"}, {false, "HTTP/1.1 2XX OK\r\nContent-Length: 0\r\n\r\n"}});
  ASSERT_EQ(p.tx_count(), 1u);
  EXPECT_NE(log_json(p.tx(0)).find(R"("status_string":"2XX")"), std::string::npos) << log_json(p.tx(0));
}

TEST(HttpParser, ContentRangeLogged) {
  HttpParser p;
  run(p, {{true, "GET / HTTP/1.1\r\nHost: a\r\n\r\n"},
          {false, "HTTP/1.1 206 Partial\r\nContent-Range: bytes 500-1000/146515\r\nContent-Length: 0\r\n\r\n"}});
  EXPECT_NE(log_json(p.tx(0)).find(
                R"("content_range":{"raw":"bytes 500-1000/146515","start":500,"end":1000,"size":146515})"),
            std::string::npos)
      << log_json(p.tx(0));
}

TEST(HttpParser, NonUtf8IsEscapedLikeSuricata) {
  EXPECT_EQ(eve_string_from_bytes("abc"), "abc");
  EXPECT_EQ(eve_string_from_bytes("\xc3\xa9"), "\xc3\xa9");
  EXPECT_EQ(eve_string_from_bytes("a\xff" "b"), "a\\xffb");
}

TEST(HttpParser, Anomalies) {
  HttpParser p;
  run(p, {{true, "GET / HTTP/1.1\r\nHost: a\r\nBadHeaderNoColon\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n"}});
  std::vector<std::string> ev(p.events.begin(), p.events.end());
  EXPECT_NE(std::find(ev.begin(), ev.end(), "http.request_field_missing_colon"), ev.end());
  EXPECT_EQ(http_event_for_message("Request line: leading whitespace", true),
            "http.request_line_leading_whitespace");
  EXPECT_EQ(http_event_for_message("Repetition for header", false), "http.response_header_repetition");
  EXPECT_EQ(http_event_for_message("something new", true), "http.unknown_error");

  HttpParser q;
  run(q, {{true, "GET / HTTP/1.1\r\nUser-Agent: x\r\n\r\n"}});
  std::vector<std::string> ev2(q.events.begin(), q.events.end());
  EXPECT_NE(std::find(ev2.begin(), ev2.end(), "http.missing_host_header"), ev2.end());
}

TEST(HttpParser, ResponseWithoutRequest) {
  HttpParser p;
  run(p, {{false, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi"}});
  ASSERT_EQ(p.tx_count(), 1u);
  EXPECT_EQ(buf(p.tx(0), AppBuffer::kHttpStatCode), "200");
  std::vector<std::string> ev(p.events.begin(), p.events.end());
  EXPECT_NE(std::find(ev.begin(), ev.end(), "http.unable_to_match_response_to_request"), ev.end());
}

TEST(HttpParser, GapInsideBodyKeepsFlowGoing) {
  HttpParser p;
  run(p, {{true, "GET /1 HTTP/1.1\r\nHost: a\r\n\r\nGET /2 HTTP/1.1\r\nHost: a\r\n\r\n"},
          {false, "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nab"}});
  p.on_gap_bytes(false, 6);
  run(p, {{false, "ij" "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nz"}});
  ASSERT_EQ(p.tx_count(), 2u);
  EXPECT_TRUE(p.tx(0)->complete(false));
  EXPECT_EQ(buf(p.tx(1), AppBuffer::kHttpStatCode), "200");
  EXPECT_EQ(buf(p.tx(1), AppBuffer::kHttpResponseBody), "z");
}

TEST(HttpParser, StatusLineSplitAfterFinishedResponse) {
  // libhtp 0.5.42 garbles a status line split right after a finished
  // response; the parser repairs it.
  for (size_t extra = 1; extra < 8; ++extra) {
    const std::string first = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi";
    const std::string second = "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n";
    HttpParser p;
    run(p, {{true, "GET /1 HTTP/1.1\r\nHost: a\r\n\r\nGET /2 HTTP/1.1\r\nHost: a\r\n\r\n"},
            {false, first + second.substr(0, extra)},
            {false, second.substr(extra)}});
    ASSERT_EQ(p.tx_count(), 2u);
    EXPECT_EQ(buf(p.tx(1), AppBuffer::kHttpResponseLine), "HTTP/1.1 404 Not Found") << extra;
    EXPECT_EQ(buf(p.tx(1), AppBuffer::kHttpStatMsg), "Not Found") << extra;
  }
}

TEST(HttpParser, TrimDropsLoggedCompleteTransactions) {
  HttpParser p;
  run(p, {{true, "GET /1 HTTP/1.1\r\nHost: a\r\n\r\nGET /2 HTTP/1.1\r\nHost: a\r\n\r\n"},
          {false, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"}});
  ASSERT_EQ(p.tx_count(), 2u);
  p.tx(0)->logged = true;
  p.tx(1)->logged = true;
  p.trim();
  ASSERT_EQ(p.tx_count(), 1u);
  EXPECT_EQ(p.tx(0)->tx_id, 1u);
  run(p, {{false, "HTTP/1.1 204 No Content\r\n\r\n"}, {true, "GET /3 HTTP/1.1\r\nHost: a\r\n\r\n"}});
  ASSERT_EQ(p.tx_count(), 2u);
  EXPECT_EQ(buf(p.tx(0), AppBuffer::kHttpStatCode), "204");
  EXPECT_EQ(p.tx(1)->tx_id, 2u);
}

TEST(HttpProtocol, Probe) {
  const ProtocolSpec& s = http_protocol();
  EXPECT_EQ(s.proto, AppProto::kHttp);
  EXPECT_TRUE(s.tcp);
  auto probe = [&](std::string d, bool ts) { return s.probe(B(d), ts); };
  EXPECT_EQ(probe("GET / HTTP/1.1\r\n", true), 1);
  EXPECT_EQ(probe("get\t/", true), 1);
  EXPECT_EQ(probe("OPTIONS * HTTP/1.1", true), 1);
  EXPECT_EQ(probe("GE", true), 0);
  EXPECT_EQ(probe("GET", true), 0);
  EXPECT_EQ(probe("GETX /", true), -1);
  EXPECT_EQ(probe("\x16\x03\x01", true), -1);
  EXPECT_EQ(probe("HTTP/1.1 200 OK", false), 1);
  EXPECT_EQ(probe("HTTP/1", false), 0);
  EXPECT_EQ(probe("SSH-2.0", false), -1);
  EXPECT_EQ(http_probe(B("POST "), true), 1);
  ASSERT_NE(s.create, nullptr);
  EXPECT_NE(s.create(), nullptr);
}

// Everything observable about a conversation's transactions.
std::vector<std::string> snapshot(HttpParser& p) {
  std::vector<std::string> out;
  for (size_t i = 0; i < p.tx_count(); ++i) {
    Transaction* tx = p.tx(i);
    std::string s = std::to_string(tx->tx_id) + " " + log_json(tx);
    for (uint16_t b = 0; b < static_cast<uint16_t>(AppBuffer::kCount); ++b) {
      for (uint32_t idx = 0; idx < 16; ++idx) {
        auto v = buf(tx, static_cast<AppBuffer>(b), idx);
        if (!v) break;
        s += "|" + std::string(app_buffer_name(static_cast<AppBuffer>(b))) + "=" + *v;
      }
    }
    s += tx->complete(true) ? " req-done" : "";
    s += tx->complete(false) ? " res-done" : "";
    out.push_back(s);
  }
  return out;
}

TEST(HttpParser, SplitPointsAndByteByByteGiveSameTransactions) {
  const std::string z = gzip("compressed body data, compressed body data");
  const std::vector<Chunk> convo = {
      {true, kRequest + "POST /p HTTP/1.1\r\nHost: b\r\nTransfer-Encoding: chunked\r\n\r\n"
                        "3\r\nabc\r\n0\r\n\r\n"},
      {false, kResponse + "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n" +
                  [&] {
                    char h[16];
                    snprintf(h, sizeof h, "%zx", z.size());
                    return std::string(h);
                  }() + "\r\n" + z + "\r\n0\r\n\r\n"},
  };
  HttpParser whole;
  run(whole, convo);
  whole.on_close();
  const auto expected = snapshot(whole);
  ASSERT_EQ(expected.size(), 2u);
  ASSERT_NE(expected[1].find("compressed body data, compressed body data"), std::string::npos);

  for (size_t side = 0; side < convo.size(); ++side) {
    const std::string& d = convo[side].data;
    for (size_t cut = 1; cut < d.size(); ++cut) {
      std::vector<Chunk> split;
      for (size_t i = 0; i < convo.size(); ++i) {
        if (i != side) {
          split.push_back(convo[i]);
          continue;
        }
        split.push_back({convo[i].to_server, d.substr(0, cut)});
        split.push_back({convo[i].to_server, d.substr(cut)});
      }
      HttpParser p;
      run(p, split);
      p.on_close();
      ASSERT_EQ(snapshot(p), expected) << "side " << side << " cut " << cut;
    }
  }
  HttpParser bytes;
  for (const auto& c : convo)
    for (char ch : c.data) bytes.feed(c.to_server, B(std::string(1, ch)), {1, 0});
  bytes.on_close();
  EXPECT_EQ(snapshot(bytes), expected);

  // Interleaved byte by byte: the response trails the request.
  HttpParser inter;
  const std::string& rq = convo[0].data;
  const std::string& rs = convo[1].data;
  constexpr size_t kLag = 200;
  const size_t n = std::max(rq.size(), rs.size() + kLag);
  for (size_t i = 0; i < n; ++i) {
    if (i < rq.size()) inter.feed(true, B(std::string(1, rq[i])), {1, 0});
    if (i >= kLag && i - kLag < rs.size()) inter.feed(false, B(std::string(1, rs[i - kLag])), {1, 0});
  }
  inter.on_close();
  EXPECT_EQ(snapshot(inter), expected);
}

}  // namespace
}  // namespace pasban::app::http
