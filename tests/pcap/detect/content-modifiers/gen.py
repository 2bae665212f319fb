"""One client packet per TCP connection (so packet and stream views agree)."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "..", "..", "..", "tools", "pcapgen"))
from pcapgen import TcpConversation, Writer  # noqa: E402

PAYLOADS = [
    b"HELLO world ABCDEF tail",   # A
    b"xxxxHELLO yyy",             # B
    b"hello WORLD",               # C
]

with Writer(sys.argv[1]) as w:
    for i, payload in enumerate(PAYLOADS):
        c = TcpConversation(w, ("10.0.0.1", 40001 + i), ("10.0.0.2", 7777))
        c.handshake()
        c.send(payload)
        c.close()
        w.advance(0.1)
