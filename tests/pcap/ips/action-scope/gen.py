"""Inline verdicts and their scope.  Flow 1 (10.0.4.1 -> 10.0.4.2:8080)
sends "EXPLOIT" in its second request: a packet-scoped drop, the flow
goes on.  Flow 2 comes from a blocked host: an IP-only drop on its SYN
drops the rest of the flow.  Flow 3 sends "trusted" to port 9000, which a
content pass rule passes for that packet only; its next request still
alerts.  Flow 4 talks to port 2222, which a header-only pass rule passes
for the whole flow, so the drop-everything-with-"bad" rule never fires."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "..", "..", "..", "tools", "pcapgen"))
from pcapgen import TcpConversation, Writer  # noqa: E402

with Writer(sys.argv[1]) as w:
    a = TcpConversation(w, ("10.0.4.1", 41001), ("10.0.4.2", 8080))
    a.handshake()
    a.send(b"GET /ok\r\n")
    a.send(b"GET /EXPLOIT\r\n")
    a.send(b"GET /after\r\n")
    a.close()
    w.advance(1)
    b = TcpConversation(w, ("10.0.4.66", 41002), ("10.0.4.2", 8080))
    b.handshake()
    b.send(b"GET /x\r\n")
    b.close()
    w.advance(1)
    c = TcpConversation(w, ("10.0.4.1", 41003), ("10.0.4.2", 9000))
    c.handshake()
    c.send(b"trusted hello\r\n")
    c.send(b"hello again\r\n")
    c.close()
    w.advance(1)
    d = TcpConversation(w, ("10.0.4.1", 41004), ("10.0.4.2", 2222))
    d.handshake()
    d.send(b"bad things\r\n")
    d.close()
