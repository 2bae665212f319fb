"""One client packet per TCP connection to port 7001."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "..", "..", "..", "tools", "pcapgen"))
from pcapgen import TcpConversation, Writer  # noqa: E402

PAYLOADS = [
    b"USER admin\r\nPASS hunter2\r\n",   # A
    b"user guest\r\n",                    # B
    b"id=12345&token=abcdef",             # C
    b"line one\nSECOND line\n",           # D
]

with Writer(sys.argv[1]) as w:
    for i, payload in enumerate(PAYLOADS):
        c = TcpConversation(w, ("10.0.1.1", 41001 + i), ("10.0.1.2", 7001))
        c.handshake()
        c.send(payload)
        c.close()
        w.advance(0.1)
