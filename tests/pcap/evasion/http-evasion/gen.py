"""HTTP evasions: one flow per trick, each hiding "ATTACK" from a naive
byte match, sent to a windows host (the stock policy). Expected with
Suricata's default HTTP server personality (libhtp "IDS"):

chunked-*: the request body is de-chunked (RFC 9112 7.1): chunk
  extensions are ignored, sizes are hex in any case with leading zeros,
  Transfer-Encoding is matched case-insensitively, and a body split at
  odd points across segments reads the same -> http.request_body ATTACK.
uri-percent: %XX escapes are decoded once -> http.uri /ATTACK.
uri-double-percent: decoded once only, as Suricata does by default ->
  http.uri /%41TTACK, not /ATTACK.
uri-dot-segments: "/static/../ATTACK" is normalised (RFC 3986 5.2.4) ->
  http.uri /ATTACK.
header-folding: an obsolete folded continuation line (RFC 9112 5.2)
  belongs to the header before it -> http.user_agent holds ATTACK.
pipelining: two requests in one segment are two transactions -> the
  second one's http.uri /ATTACK alerts once.
gzip-response: Content-Encoding gzip is inflated -> http.response_body
  holds ATTACK."""
import gzip
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from common import (CLIENT, HTTP_OK, Expectations, Writer, case_dir_of, client_port, conversation,  # noqa: E402
                    host)

CASE_NO = 8
POLICY = "windows"


def post_chunked(body, te=b"chunked"):
    return b"POST /upload HTTP/1.1\r\nHost: target\r\nTransfer-Encoding: " + te + \
        b"\r\n\r\n" + body


def gzip_response():
    body = gzip.compress(b"<html>ATTACK payload</html>", mtime=0)
    return b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: %d\r\n\r\n" % \
        len(body) + body


# name, request, segment size, response, rule options, expected text
FLOWS = [
    ("chunked-extensions", post_chunked(b"3;name=val\r\nATT\r\n3 ; x\r\nACK\r\n0\r\n\r\n"), 1400,
     HTTP_OK, 'http.request_body; content:"ATTACK";', "request body ATTACK"),
    ("chunked-hex-case", post_chunked(b"0000A\r\n....ATTACK\r\n0\r\n\r\n"), 1400,
     HTTP_OK, 'http.request_body; content:"ATTACK";', "request body ATTACK"),
    ("chunked-te-case", post_chunked(b"6\r\nATTACK\r\n0\r\n\r\n", te=b"ChUnKeD"), 1400,
     HTTP_OK, 'http.request_body; content:"ATTACK";', "request body ATTACK"),
    ("chunked-split", post_chunked(b"2\r\nAT\r\n4\r\nTACK\r\n0\r\n\r\n"), 3,
     HTTP_OK, 'http.request_body; content:"ATTACK";', "request body ATTACK"),
    ("uri-percent", b"GET /%41TT%41CK HTTP/1.1\r\nHost: target\r\n\r\n", 1400,
     HTTP_OK, 'http.uri; content:"/ATTACK"; bsize:7;', "uri /ATTACK"),
    ("uri-double-percent", b"GET /%2541TTACK HTTP/1.1\r\nHost: target\r\n\r\n", 1400,
     HTTP_OK, 'http.uri; content:"/%41TTACK"; bsize:9;', "uri /%41TTACK (one decode)"),
    ("uri-dot-segments", b"GET /static/../ATTACK HTTP/1.1\r\nHost: target\r\n\r\n", 1400,
     HTTP_OK, 'http.uri; content:"/ATTACK"; bsize:7;', "uri /ATTACK"),
    ("header-folding",
     b"GET / HTTP/1.1\r\nHost: target\r\nUser-Agent: Mozilla/5.0\r\n ATTACK\r\n\r\n", 1400,
     HTTP_OK, 'http.user_agent; content:"ATTACK";', "user agent holds ATTACK"),
    ("pipelining",
     b"GET /index HTTP/1.1\r\nHost: target\r\n\r\nGET /ATTACK HTTP/1.1\r\nHost: target\r\n\r\n",
     1400, HTTP_OK + HTTP_OK, 'http.uri; content:"/ATTACK"; bsize:7;', "second request uri /ATTACK"),
    ("gzip-response", b"GET /page HTTP/1.1\r\nHost: target\r\n\r\n", 1400, gzip_response(),
     'http.response_body; content:"ATTACK";', "response body ATTACK (inflated)"),
]


def expectations():
    e = Expectations("http-evasion")
    for variant, (name, _, _, _, options, expected) in enumerate(FLOWS):
        sid = 1 + variant
        e.rule('alert http any any -> any any (msg:"%s"; %s sid:%d;)' % (name, options, sid))
        port = client_port(CASE_NO, POLICY, variant)
        if name == "gzip-response":  # a response alert goes from the server to the client
            e.expect("http-evasion/" + name, "default", expected, sid=sid, count=1,
                     dest=CLIENT, dest_port=port)
        else:
            e.expect("http-evasion/" + name, "default", expected, sid=sid, count=1,
                     dest=host(POLICY), src_port=port)
    e.rule('alert http any any -> any any (msg:"naive uri"; http.uri; content:"/ATTACK"; '
           'bsize:7; sid:100;)')
    e.expect("http-evasion/uri-double-percent", "default", "uri /%41TTACK (one decode)",
             sid=100, count=0, dest=host(POLICY), src_port=client_port(CASE_NO, POLICY, 5))
    return e


if __name__ == "__main__":
    with Writer(sys.argv[1]) as w:
        for variant, (_, request, size, response, _, _) in enumerate(FLOWS):
            c = conversation(w, CASE_NO, POLICY, variant)
            c.handshake()
            c.send(request, segment_size=size)
            c.send(response, from_client=False)
            c.close()
            w.advance(0.01)
    expectations().write(case_dir_of(__file__))
