"""A connection with 10, 100 and 1000 byte segments, then a SYN probe
answered by RST/ACK, an Xmas (FIN|PSH|URG) probe and a null probe."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "..", "..", "..", "tools", "pcapgen"))
from pcapgen import FIN, PSH, SYN, URG, TcpConversation, Writer  # noqa: E402

with Writer(sys.argv[1]) as w:
    a = TcpConversation(w, ("10.0.5.1", 44001), ("10.0.5.2", 9000))
    a.handshake()
    for size in (10, 100, 1000):
        a.send(bytes(b"D" * size))
    a.close()
    w.advance(0.5)
    scan = TcpConversation(w, ("10.0.5.66", 55001), ("10.0.5.2", 9001))
    scan.packet(SYN)
    scan.rst(from_client=False)
    w.advance(0.1)
    xmas = TcpConversation(w, ("10.0.5.66", 55002), ("10.0.5.2", 9002))
    xmas.packet(FIN | PSH | URG)
    w.advance(0.1)
    null = TcpConversation(w, ("10.0.5.66", 55003), ("10.0.5.2", 9003))
    null.packet(0)
