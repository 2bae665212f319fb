"""The same UDP payload untagged, in one 802.1Q tag and in QinQ
(802.1ad outer 200, 802.1Q inner 100); then a TCP connection in QinQ
(outer 300, inner 30)."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "..", "..", "..", "tools", "pcapgen"))
from pcapgen import TcpConversation, UdpExchange, Writer  # noqa: E402

with Writer(sys.argv[1]) as w:
    for port, vlans in ((45001, ()), (45002, (100,)), (45003, (200, 100))):
        u = UdpExchange(w, ("10.0.6.1", port), ("10.0.6.2", 5555), vlans=vlans)
        u.request(b"VLAN-PAYLOAD tags=%d\n" % len(vlans))
        w.advance(0.1)
    t = TcpConversation(w, ("10.0.6.1", 45010), ("10.0.6.2", 80), vlans=(300, 30))
    t.handshake()
    t.send(b"QINQ-TCP hello\r\n")
    t.send(b"QINQ-TCP world\r\n", from_client=False)
    t.close()
