"""Flow A logs in, asks for a secret, logs out and asks again; flow B asks
without logging in.  Every command is its own segment."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "..", "..", "..", "tools", "pcapgen"))
from pcapgen import TcpConversation, Writer  # noqa: E402

with Writer(sys.argv[1]) as w:
    a = TcpConversation(w, ("10.0.2.1", 42001), ("10.0.2.2", 2323))
    a.handshake()
    for cmd in (b"LOGIN alice\r\n", b"SECRET data\r\n", b"LOGOUT\r\n", b"SECRET again\r\n"):
        a.send(cmd)
        a.send(b"OK\r\n", from_client=False)
    a.close()
    w.advance(0.5)
    b = TcpConversation(w, ("10.0.2.3", 42002), ("10.0.2.2", 2323))
    b.handshake()
    b.send(b"SECRET data\r\n")
    b.send(b"OK\r\n", from_client=False)
    b.close()
