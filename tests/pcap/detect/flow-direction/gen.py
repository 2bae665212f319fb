"""Flow A: full handshake, one data segment each way.  Flow B: a data
segment with no handshake (midstream; Suricata's default stream.midstream
is false, so the flow never becomes established)."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "..", "..", "..", "tools", "pcapgen"))
from pcapgen import ACK, PSH, TcpConversation, Writer  # noqa: E402

with Writer(sys.argv[1]) as w:
    a = TcpConversation(w, ("10.0.3.1", 43001), ("10.0.3.2", 4000))
    a.handshake()
    a.send(b"HELLO-SERVER ping\r\n")
    a.send(b"HELLO-CLIENT pong\r\n", from_client=False)
    a.close()
    w.advance(0.5)
    b = TcpConversation(w, ("10.0.3.3", 50000), ("10.0.3.2", 4000))
    b.packet(PSH | ACK, b"HELLO-SERVER stray\r\n", from_client=True, ack=0x01020304)
