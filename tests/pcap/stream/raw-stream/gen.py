"""Raw stream inspection.  Flow A sends a command split over tiny
segments (an IDS evasion: no single packet holds it); flow B sends 3000
bytes, more than one 2560-byte chunk, with the marker across segment
borders; flow C resends a segment with different bytes (the first copy
is what the stream keeps under the default bsd policy)."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "..", "..", "..", "tools", "pcapgen"))
from pcapgen import ACK, PSH, TcpConversation, Writer  # noqa: E402

with Writer(sys.argv[1]) as w:
    a = TcpConversation(w, ("10.0.3.1", 43001), ("10.0.3.2", 4444))
    a.handshake()
    a.send(b"WIPE-DISK /dev/sda\r\n", segment_size=3)
    a.send(b"OK\r\n", from_client=False)
    a.close()
    w.advance(0.5)
    b = TcpConversation(w, ("10.0.3.3", 43002), ("10.0.3.2", 4444))
    b.handshake()
    body = b"x" * 1390 + b"EXFIL-STAFF" + b"y" * 1599
    b.send(body, segment_size=1395)
    b.send(b"OK\r\n", from_client=False)
    b.close()
    w.advance(0.5)
    c = TcpConversation(w, ("10.0.3.4", 43003), ("10.0.3.2", 4444))
    c.handshake()
    seq = c.next_seq[True]
    c.packet(PSH | ACK, b"GOOD")
    c.packet(PSH | ACK, b"EVIL", seq=seq)
    c.packet(ACK, from_client=False)
    c.close()
