"""State that crosses flows and counts within one.  Flow 1: 10.0.3.1 logs
in to 10.0.3.2:8080 and sends three commands.  Flow 2: the same client,
a new connection, fetches.  Flow 3: an unknown host fetches.  Flow 4: the
server opens a connection back to the client and says hello."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "..", "..", "..", "tools", "pcapgen"))
from pcapgen import TcpConversation, Writer  # noqa: E402

with Writer(sys.argv[1]) as w:
    a = TcpConversation(w, ("10.0.3.1", 40001), ("10.0.3.2", 8080))
    a.handshake()
    for cmd in (b"LOGIN bob\r\n", b"CMD a\r\n", b"CMD b\r\n", b"CMD c\r\n"):
        a.send(cmd)
        a.send(b"OK\r\n", from_client=False)
    a.close()
    w.advance(1)
    b = TcpConversation(w, ("10.0.3.1", 40002), ("10.0.3.2", 8080))
    b.handshake()
    b.send(b"FETCH x\r\n")
    b.send(b"OK\r\n", from_client=False)
    b.close()
    w.advance(1)
    c = TcpConversation(w, ("10.0.3.4", 40003), ("10.0.3.2", 8080))
    c.handshake()
    c.send(b"FETCH y\r\n")
    c.close()
    w.advance(1)
    d = TcpConversation(w, ("10.0.3.2", 50000), ("10.0.3.1", 9000))
    d.handshake()
    d.send(b"HELLO\r\n")
    d.close()
