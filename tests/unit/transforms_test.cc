// Transforms (Suricata's "transformations") and base64_decode/base64_data:
// each transform's output on table inputs (Suricata's documented examples
// and its own unit-test vectors), chains, parse errors, and how the rule
// builder places transforms and base64 keywords into lists.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "detect/build/rule_builder.h"
#include "detect/eval/inspect.h"
#include "detect/rules/rule_text.h"
#include "detect/transforms/base64.h"
#include "detect/transforms/transform.h"

namespace pasban::detect::transforms {
namespace {

std::string run(std::string_view name, std::string_view value, std::string_view input,
                bool* ok = nullptr) {
  auto t = Transform::parse(name, value);
  EXPECT_TRUE(t.ok()) << name << ":" << value << ": " << (t.ok() ? "" : t.error().message);
  if (!t.ok()) return "<parse error>";
  std::string out = "garbage";  // apply must clear what the caller reuses
  bool r = t->apply(core::as_bytes(input), out);
  if (ok) *ok = r;
  return out;
}

std::string hex(std::string_view s) {
  static const char* d = "0123456789abcdef";
  std::string h;
  for (unsigned char c : s) {
    h.push_back(d[c >> 4]);
    h.push_back(d[c & 15]);
  }
  return h;
}

struct Case {
  const char* name;
  const char* value;
  std::string input;
  std::string expect;
};

TEST(Transforms, Table) {
  const Case cases[] = {
      // dotprefix (docs: hello.google.com -> .hello.google.com)
      {"dotprefix", "", "hello.google.com", ".hello.google.com"},
      {"dotprefix", "", "", ""},
      // strip_whitespace: every isspace byte goes
      {"strip_whitespace", "", " A\tB\r\nC\v\fD ", "ABCD"},
      {"strip_whitespace", "", "window.navigate (", "window.navigate("},
      // compress_whitespace: a run becomes its first byte (Suricata's tests)
      {"compress_whitespace", "", " A B C D ", " A B C D "},
      {"compress_whitespace", "", "EFGH", "EFGH"},
      {"compress_whitespace", "", "I  \t J", "I J"},
      {"compress_whitespace", "", "a\t\t b", "a\tb"},
      {"to_lowercase", "", "At PatPoopy, WE Have 1|", "at patpoopy, we have 1|"},
      {"to_uppercase", "", "At PatPoopy, we have 1|", "AT PATPOOPY, WE HAVE 1|"},
      // url_decode (Suricata's test vector)
      {"url_decode", "", "Suricata%20is+%27%61wesome%21%27%25%30%30%ZZ%4",
       "Suricata is 'awesome!'%00%ZZ%4"},
      {"url_decode", "", "%2fetc%2Fpasswd", "/etc/passwd"},
      {"url_decode", "", "100%", "100%"},
      // xor: key repeats over the buffer
      {"xor", "\"0d0ac8ff\"", std::string("\x7d\x6b\xbb\x8c\x7a\x65\xba\x9b", 8), "passwor\x64"},
      {"xor", "\"01\"", "ABC", "@CB"},
      // pcrexform: first capture group; no match leaves the buffer
      {"pcrexform", "\"[a-zA-Z]+\\s+(.*)\\s+HTTP\"", "GET /z4d4kWk.jpg HTTP/1.1", "/z4d4kWk.jpg"},
      {"pcrexform", "\"^x(y)\"", "abc", "abc"},
      // header_lowercase / strip_pseudo_headers (Suricata's tests)
      {"header_lowercase", "", "Header1: Value1\nheader2:Value2\n", "header1: Value1\nheader2:Value2\n"},
      {"strip_pseudo_headers", "", "Header1: Value1\n:method:get\nheader2:Value2\n",
       "Header1: Value1\nheader2:Value2\n"},
      {"strip_pseudo_headers", "", ":method:get", ""},
      {"strip_pseudo_headers", "", "Header1: Value1\n:method:get", "Header1: Value1\n"},
      {"strip_pseudo_headers", "", ":method:get\nheader2:Value2", "header2:Value2"},
      // from_base64 (Suricata's tests and the suricata-verify rules)
      {"from_base64", "", "VGhpcyBpcyBTdXJpY2F0YQ==", "This is Suricata"},
      {"from_base64", "mode rfc2045", "Zm 9v Ym Fy", "foobar"},
      {"from_base64", "bytes 12", "VGhpcyBpcyBTdXJpY2F0YQ==", "This is S"},
      {"from_base64", "offset 4", "VGhpcyBpcyBTdXJpY2F0YQ==", "s is Suricata"},
      {"from_base64", "offset 6", "/?arg=dGhpc2lzYXRlc3QK", "thisisatest\n"},
      {"from_base64", "offset 10", "/?arg=dGhpc2lzYXRlc3QK", "sisatest\n"},
      {"from_base64", "bytes 6, offset 6", "/?arg=dGhpc2lzYXRlc3QK", "this"},
      {"from_base64", "offset 6, mode strict", "/?arg=dGhpc2lzYXRlc3QK", "thisisatest\n"},
      {"from_base64", "bytes 15, mode rfc2045", "SGVs bG8 gV29y bGQ=", "Hello Wor"},
      {"from_base64", "mode rfc4648", "Zm 9v Ym Fy", "f"},
      // offset or bytes past the buffer: left as it was
      {"from_base64", "offset 40", "VGhpcyBpcyBTdXJpY2F0YQ==", "VGhpcyBpcyBTdXJpY2F0YQ=="},
      {"from_base64", "bytes 40", "VGhpcyBpcyBTdXJpY2F0YQ==", "VGhpcyBpcyBTdXJpY2F0YQ=="},
  };
  for (const auto& c : cases)
    EXPECT_EQ(run(c.name, c.value, c.input), c.expect) << c.name << ":" << c.value << " on '" << c.input << "'";
}

TEST(Transforms, Hashes) {
  // Raw digest bytes, not hex.
  EXPECT_EQ(hex(run("to_md5", "", "abc")), "900150983cd24fb0d6963f7d28e17f72");
  EXPECT_EQ(hex(run("to_sha1", "", "abc")), "a9993e364706816aba3e25717850c26c9cd0d89d");
  EXPECT_EQ(hex(run("to_sha256", "", "abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(run("to_sha256", "", "").size(), 0u);  // empty stays empty
}

TEST(Transforms, Decompress) {
  // The transform-gunzip / transform-zlib-deflate payloads.
  std::string gz, zl;
  ASSERT_TRUE(base64_decode(core::as_bytes("H4sIADfTcWkAAwvJyCxWAKLk/NyCotTi4tQUhZKM1DyFpMTiVDMT3dS85PyU1BQuAFtmgsgnAAAA"),
                            Base64Mode::kRfc4648, gz));
  ASSERT_TRUE(base64_decode(core::as_bytes("eJwLycgsVgCi5PzcgqLU4uLUFIWSjNQ8haTE4lQzE93UvOT8lNQULgAeFA3n"),
                            Base64Mode::kRfc4648, zl));
  const std::string text = "This is compressed then base64-encoded\n";
  EXPECT_EQ(run("gunzip", "", gz), text);
  EXPECT_EQ(run("zlib_deflate", "", zl), text);
  EXPECT_EQ(run("gunzip", "max-size 8", gz), "This is ");
  EXPECT_EQ(run("zlib_deflate", "max-size=8", zl), "This is ");
  EXPECT_EQ(run("gunzip", "", zl), "");  // not gzip: empty
  EXPECT_EQ(run("zlib_deflate", "max-size 1KiB", "not compressed"), "");
  EXPECT_FALSE(Transform::parse("gunzip", "max-size 0").ok());
  EXPECT_FALSE(Transform::parse("gunzip", "size 8").ok());
  EXPECT_FALSE(Transform::parse("gunzip", "max-size toto").ok());
}

TEST(Transforms, FromBase64Failure) {
  bool ok = true;
  run("from_base64", "mode strict", "Zm 9v Ym Fy", &ok);
  EXPECT_FALSE(ok);  // strict rejects the spaces: the buffer can't match
  run("from_base64", "", "!!!!", &ok);
  EXPECT_FALSE(ok);
  run("from_base64", "", "Zm9v", &ok);
  EXPECT_TRUE(ok);
}

TEST(Transforms, Chain) {
  // Docs: http_request_line; compress_whitespace; to_sha256;
  TransformChain chain;
  for (auto name : {"compress_whitespace", "to_uppercase", "dotprefix"}) chain.push_back(*Transform::parse(name, ""));
  ChainScratch scratch;
  core::Bytes out;
  std::string in = "a  b\t\tc";
  ASSERT_TRUE(apply_chain(chain, core::as_bytes(in), scratch, out));
  EXPECT_EQ(core::as_chars(out), ".A B\tC");
  // detect-xor's rule: pcrexform then xor.
  chain.clear();
  chain.push_back(*Transform::parse("pcrexform", "\"/get\\?data=(.*)\""));
  chain.push_back(*Transform::parse("xor", "\"0d0ac8ff\""));
  in = std::string("/get?data=") + std::string("\x7d\x6b\xbb\x8c", 4);
  ASSERT_TRUE(apply_chain(chain, core::as_bytes(in), scratch, out));
  EXPECT_EQ(core::as_chars(out), "pass");
  // A failing link fails the chain.
  chain.clear();
  chain.push_back(*Transform::parse("from_base64", "mode strict"));
  chain.push_back(*Transform::parse("to_lowercase", ""));
  in = "@@@@";
  EXPECT_FALSE(apply_chain(chain, core::as_bytes(in), scratch, out));
  // An empty chain is the identity.
  chain.clear();
  ASSERT_TRUE(apply_chain(chain, core::as_bytes(in), scratch, out));
  EXPECT_EQ(core::as_chars(out), "@@@@");
}

TEST(Transforms, ParseErrors) {
  const std::pair<const char*, const char*> bad[] = {
      {"xor", ""},                         // key required
      {"xor", "\"0d0\""},                  // odd length
      {"xor", "\"zz\""},                   // not hex
      {"pcrexform", "\"abc\""},            // no capture group
      {"pcrexform", "\"(abc\""},           // does not compile
      {"from_base64", "mode unknown"},
      {"from_base64", "bytes 4, offset 70000, mode strict"},
      {"from_base64", "bytes 4, offset 3933, mode strict, mode rfc2045"},
      {"from_base64", "bytes var, offset 1"},
      {"from_base64", "bytes 1, bytes 2"},
      {"from_base64", "size 3"},
      {"to_lowercase", "x"},               // takes no value
      {"no_such_transform", ""},
  };
  for (const auto& [name, value] : bad)
    EXPECT_FALSE(Transform::parse(name, value).ok()) << name << ":" << value;
  EXPECT_TRUE(Transform::is_transform("url_decode"));
  EXPECT_FALSE(Transform::is_transform("content"));
  // Equality: same keyword and options.
  EXPECT_EQ(*Transform::parse("xor", "\"01\""), *Transform::parse("xor", "\"01\""));
  EXPECT_FALSE(*Transform::parse("xor", "\"01\"") == *Transform::parse("xor", "\"02\""));
  auto o = parse_from_base64("offset 3933, bytes 4");
  ASSERT_TRUE(o.ok());
  EXPECT_EQ(o->bytes, 4u);
  EXPECT_EQ(o->offset, 3933u);
  EXPECT_EQ(o->mode, Base64Mode::kRfc4648);
}

TEST(Base64, Modes) {
  struct B {
    const char* in;
    Base64Mode mode;
    bool ok;
    const char* out;
  };
  const B cases[] = {
      // RFC 2045 vectors (Suricata's B64TestVectorsRFC2045)
      {"", Base64Mode::kRfc2045, true, ""},
      {"Zg==", Base64Mode::kRfc2045, true, "f"},
      {"Zm8=", Base64Mode::kRfc2045, true, "fo"},
      {"Zm9v", Base64Mode::kRfc2045, true, "foo"},
      {"Zm9vYmE=", Base64Mode::kRfc2045, true, "fooba"},
      {"Zm 9v Ym Fy", Base64Mode::kRfc2045, true, "foobar"},
      {"Zm$9vYm.Fy", Base64Mode::kRfc2045, true, "foobar"},
      {"SGVsbG8gV29ybGR", Base64Mode::kRfc2045, true, "Hello Wor"},  // partial group dropped
      // RFC 4648: stop at the first non-alphabet byte, pad the rest
      {"Zm9vYmFy", Base64Mode::kRfc4648, true, "foobar"},
      {"Zm 9v Ym Fy", Base64Mode::kRfc4648, true, "f"},
      {"Zm9vYg", Base64Mode::kRfc4648, true, "foob"},
      {"Zm9vYmE", Base64Mode::kRfc4648, true, "fooba"},
      {"Zm9vY", Base64Mode::kRfc4648, false, ""},  // a lone symbol can't decode
      {"=Zm9", Base64Mode::kRfc4648, false, ""},
      // strict: canonical only
      {"Zm9vYg==", Base64Mode::kStrict, true, "foob"},
      {"Zm9vYg", Base64Mode::kStrict, true, "foob"},
      {"Zm9vYh==", Base64Mode::kStrict, false, ""},  // non-zero trailing bits
      {"Zm9v Yg==", Base64Mode::kStrict, false, ""},
      {"Zm9vY", Base64Mode::kStrict, false, ""},
      {"Zm9v=", Base64Mode::kStrict, false, ""},
  };
  for (const auto& c : cases) {
    std::string out;
    EXPECT_EQ(base64_decode(core::as_bytes(c.in), c.mode, out), c.ok) << c.in;
    EXPECT_EQ(out, c.out) << c.in << " mode " << int(c.mode);
  }
}

// Rules through the builder.
core::Result<Rule> build(const std::string& options, const std::string& proto = "tcp") {
  std::string text = "alert " + proto + " any any -> any any (" + options + " sid:1;)";
  auto raw = rules::parse_rule_text(text);
  if (!raw) return raw.error();
  build::BuildContext ctx;
  ctx.vars = [](std::string_view) { return std::optional<std::string>(); };
  ctx.intern_flowbit = [](std::string_view) { return 0u; };
  build::BuildResult outcome;
  return build::build_rule(*raw, ctx, outcome);
}

TEST(TransformRules, Placement) {
  // Transforms go with the sticky buffer to a list of their own.
  auto r = build("http.request_body; url_decode; content:\"/etc/passwd\";", "http");
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->buffers.size(), 1u);
  EXPECT_EQ(r->buffers[0].transforms.size(), 1u);
  // Transaction rules prefilter on the transformed buffer (the database is
  // keyed by buffer and transform chain).
  EXPECT_EQ(r->fp_buffer, 0);
  // Contents before the transform stay on the plain buffer (from_base64-01).
  r = build("http.uri; content:\"/?arg=\"; from_base64: offset 6 ; content:\"thisisatest\";", "http");
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->buffers.size(), 2u);
  EXPECT_TRUE(r->buffers[0].transforms.empty());
  EXPECT_EQ(r->buffers[1].transforms.size(), 1u);
  EXPECT_EQ(r->buffers[1].items.size(), 1u);
  EXPECT_EQ(r->fp_buffer, 1);  // the longest content, in the transformed list
  EXPECT_FALSE(r->buffers[0].same_buffer(r->buffers[1]));
  // The same sticky buffer again, then transforms (detect-xor).
  r = build("http.uri; content:\"/get?data=\"; startswith; http.uri; pcrexform:\"/get\\?data=(.*)\"; "
            "xor:\"0d0ac8ff\"; content:\"password=\";", "http");
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->buffers.size(), 2u);
  EXPECT_EQ(r->buffers[1].transforms.size(), 2u);
  // Several transformed buffers (detect-pcrexform-05).
  r = build("http.request_line; pcrexform:\"[a-zA-Z]+\\s+(.*)\\s+HTTP\"; content:\"/z\"; "
            "http.user_agent; pcrexform:\"(curl)\"; content:\"curl\";", "http");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->buffers.size(), 2u);
}

TEST(TransformRules, Errors) {
  const std::pair<const char*, const char*> bad[] = {
      {"content:\"a\"; to_lowercase;", "transforms must directly follow stickybuffers"},
      {"http.uri; url_decode; content:\"a\"; to_lowercase; content:\"b\";",
       "transforms must directly follow stickybuffers"},
      {"http.uri; to_lowercase; http.host; content:\"a\";", "no matches following transform(s)"},
      {"http.uri; to_lowercase;", "no matches following transform(s)"},
      {"http.uri; to_lowercase; pkt_data; content:\"a\";", "no matches following transform(s)"},
      {"content:\"a\"; base64_data; content:\"b\";", "found without base64_decode"},
      {"content:\"a\"; base64_decode; base64_data; http.uri; content:\"b\";",
       "cannot be reset after base64_data"},
      {"content:\"a\"; base64_decode; base64_data; content:\"b\"; fast_pattern;",
       "cannot be used on base64_data"},
      {"content:\"a\"; base64_decode:bytes 1, offset 2, relatve;", "invalid argument"},
      {"content:\"a\"; base64_decode:byts 1;", "invalid argument"},
  };
  for (const auto& [options, message] : bad) {
    auto r = build(options, "http");
    ASSERT_FALSE(r.ok()) << options;
    EXPECT_NE(r.error().message.find(message), std::string::npos) << options << ": " << r.error().message;
  }
}

TEST(Base64Keywords, Parse) {
  using keywords::Base64Decode;
  auto k = Base64Decode::parse("bytes 17, offset 1, relative");
  ASSERT_TRUE(k.ok());
  EXPECT_EQ(k->bytes, 17u);
  EXPECT_EQ(k->offset, 1u);
  EXPECT_TRUE(k->relative);
  k = Base64Decode::parse("");
  ASSERT_TRUE(k.ok());
  EXPECT_EQ(k->bytes, Base64Decode::kMaxBytes);
  EXPECT_FALSE(k->relative);
  k = Base64Decode::parse("bytes 2,relative");
  ASSERT_TRUE(k.ok());
  EXPECT_EQ(k->bytes, 2u);
  EXPECT_TRUE(k->relative);
  k = Base64Decode::parse("offset 9");
  ASSERT_TRUE(k.ok());
  EXPECT_EQ(k->offset, 9u);
  EXPECT_FALSE(Base64Decode::parse("relative, bytes 2").ok());  // Suricata's order only
}

// base64_decode/base64_data evaluated through inspect_buffer, as the
// detector runs them.
bool matches(const std::string& options, const std::string& payload) {
  auto r = build(options);
  EXPECT_TRUE(r.ok()) << options << ": " << (r.ok() ? "" : r.error().message);
  if (!r.ok()) return false;
  eval::InspectScratch s;
  s.match_data = pcre2_match_data_create(32, nullptr);
  for (const auto& list : r->buffers)
    if (list.base64_data) s.base64_data = &list.items;
  bool all = true;
  for (const auto& list : r->buffers) {
    if (list.base64_data) continue;
    all = all && eval::inspect_buffer(list.items, core::as_bytes(payload), s);
  }
  pcre2_match_data_free(s.match_data);
  return all;
}

TEST(Base64Keywords, Inspect) {
  const std::string p = "GET /?arg=dGhpc2lzYXRlc3QK HTTP/1.1";  // "thisisatest\n"
  EXPECT_TRUE(matches("content:\"arg\"; base64_decode:bytes 17, offset 1, relative; base64_data; "
                      "content:\"thisisatest\";", p));
  EXPECT_TRUE(matches("content:\"arg\"; base64_decode:bytes 10, offset 1, relative; base64_data; "
                      "content:\"test\";", p) == false);  // 10 bytes decode "thisisa"
  EXPECT_TRUE(matches("content:\"arg\"; base64_decode:bytes 10, offset 1, relative; base64_data; "
                      "content:\"thisisa\";", p));
  EXPECT_FALSE(matches("content:\"arg\"; base64_decode:bytes 17, offset 1, relative; base64_data; "
                       "content:\"toast\";", p));
  // Without relative, offset counts from the start of the buffer.
  EXPECT_TRUE(matches("content:\"GET\"; base64_decode:offset 10; base64_data; content:\"thisis\"; "
                      "startswith;", p));
  // RFC 4648: decoding stops at the space after the base64 text.
  EXPECT_TRUE(matches("content:\"arg=\"; base64_decode:relative; base64_data; content:\"test|0a|\"; "
                      "endswith;", p));
  // Offset past the end: no match.
  EXPECT_FALSE(matches("content:\"1.1\"; base64_decode:offset 5, relative; base64_data; "
                       "content:\"x\";", p) );
  // base64_decode without base64_data never matches (Suricata).
  EXPECT_FALSE(matches("content:\"arg\"; base64_decode:relative;", p));
}

}  // namespace
}  // namespace pasban::detect::transforms
