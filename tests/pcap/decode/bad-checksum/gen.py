"""A segment whose TCP checksum is wrong, then its retransmission with a
correct checksum (what a sender does when the receiver drops the bad one)."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "..", "..", "..", "tools", "pcapgen"))
from pcapgen import ACK, PSH, TcpConversation, Writer  # noqa: E402

with Writer(sys.argv[1]) as w:
    c = TcpConversation(w, ("10.0.7.1", 47001), ("10.0.7.2", 7070))
    c.handshake()
    c.send(b"FIRST segment\r\n")
    seq = c.next_seq[True]
    c.packet(PSH | ACK, b"RETRANSMIT-ME\r\n", corrupt="l4", seq=seq)
    w.advance(0.2)
    c.send(b"RETRANSMIT-ME\r\n")
    c.close()
