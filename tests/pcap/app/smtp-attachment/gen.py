"""An SMTP session (ESMTP, pipelining announced) delivering one message with
a base64 attachment, then QUIT."""
import base64
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "..", "..", "..", "tools", "pcapgen"))
from pcapgen import TcpConversation, Writer  # noqa: E402

ATTACHMENT = b"quarterly numbers: MARKER-7731 inside the attachment\r\n" * 3
B64 = base64.encodebytes(ATTACHMENT).replace(b"\n", b"\r\n")

MESSAGE = (
    b"From: Mallory <mallory@evil.example>\r\n"
    b"To: victim@corp.example\r\n"
    b"Subject: Invoice 2024-17\r\n"
    b"Content-Type: multipart/mixed; boundary=\"b1\"\r\n"
    b"\r\n"
    b"--b1\r\n"
    b"Content-Type: text/plain\r\n"
    b"\r\n"
    b"Please see http://evil.example/pay now.\r\n"
    b"--b1\r\n"
    b"Content-Type: application/octet-stream\r\n"
    b"Content-Disposition: attachment; filename=\"invoice.txt\"\r\n"
    b"Content-Transfer-Encoding: base64\r\n"
    b"\r\n" + B64 +
    b"--b1--\r\n"
    b".\r\n"
)

DIALOG = [
    (False, b"220 mx.corp.example ESMTP\r\n"),
    (True, b"EHLO evil.example\r\n"),
    (False, b"250-mx.corp.example\r\n250-PIPELINING\r\n250 8BITMIME\r\n"),
    (True, b"MAIL FROM:<mallory@evil.example>\r\n"),
    (False, b"250 OK\r\n"),
    (True, b"RCPT TO:<victim@corp.example>\r\n"),
    (False, b"250 OK\r\n"),
    (True, b"DATA\r\n"),
    (False, b"354 End data with <CR><LF>.<CR><LF>\r\n"),
    (True, MESSAGE),
    (False, b"250 OK queued\r\n"),
    (True, b"QUIT\r\n"),
    (False, b"221 bye\r\n"),
]

with Writer(sys.argv[1]) as w:
    c = TcpConversation(w, ("10.0.5.1", 52000), ("10.0.5.2", 25))
    c.handshake()
    for from_client, data in DIALOG:
        c.send(data, from_client=from_client)
        w.advance(0.01)
    c.close()
