"""HTTP odds and ends: a query decoded in http.uri (an xor-obfuscated
value), a relative isdataat after http_raw_uri, http.header on the response
for flow:to_client, one http.request_header value per header, a Bearer
token (no auth anomaly), a config rule that keeps one transaction out of the
log, and an eve-log http output with header dumps."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "..", "..", "..", "tools", "pcapgen"))
from pcapgen import TcpConversation, Writer  # noqa: E402

KEY = bytes([0x0d, 0x0a, 0xc8, 0xff])
SECRET = b"password=hunter2"
HIDDEN = "".join("%%%02X" % (b ^ KEY[i % 4]) for i, b in enumerate(SECRET))

REQUESTS = [
    ("GET /get?data=" + HIDDEN + " HTTP/1.1\r\nHost: xor.example\r\n"
     "Authorization: Bearer abc.def\r\n\r\n").encode(),
    b"GET /../a/c/./d.html HTTP/1.1\r\nHost: quiet.example\r\nKey: 0123\r\n\r\n",
]
RESPONSES = [
    b"HTTP/1.1 200 OK\r\nServer:ng1nx\r\nContent-Length: 2\r\n\r\nok",
    b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n",
]

if __name__ == "__main__":
    with Writer(sys.argv[1]) as w:
        c = TcpConversation(w, ("10.0.9.1", 52000), ("10.0.9.2", 80))
        c.handshake()
        for req, resp in zip(REQUESTS, RESPONSES):
            c.send(req, from_client=True)
            w.advance(0.01)
            c.send(resp, from_client=False)
            w.advance(0.01)
        c.close()
