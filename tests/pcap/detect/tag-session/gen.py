"""A TCP session whose SYN raises an alert with `tag:session,4,packets`
and an unrelated session from the same client: the three packets after
the SYN are logged as tagged `packet` records (the SYN counts towards the
limit of four), nothing from the other session."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "..", "..", "..", "tools", "pcapgen"))
from pcapgen import TcpConversation, Writer  # noqa: E402

with Writer(sys.argv[1]) as w:
    c = TcpConversation(w, ("10.0.8.1", 46001), ("10.0.8.2", 2222))
    c.handshake()
    c.send(b"tagged session data\r\n")
    c.send(b"more data\r\n", from_client=False)
    c.close()
    other = TcpConversation(w, ("10.0.8.1", 46002), ("10.0.8.3", 8080))
    other.handshake()
    other.close()
