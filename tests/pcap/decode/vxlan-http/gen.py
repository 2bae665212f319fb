"""An HTTP request and response carried in VXLAN (UDP 4789) between two
tunnel endpoints: the inner TCP session must get its own flow and the rule
on the inner content must alert with a `tunnel` object naming the outer
UDP packet."""
import os
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "..", "..", "..", "tools", "pcapgen"))
from pcapgen import (ETH_IPV4, PROTO_UDP, TcpConversation, Writer,  # noqa: E402
                     ethernet, ipv4, mac_for, udp)

VTEP_A, VTEP_B = "192.0.2.1", "192.0.2.2"


class VxlanWriter:
    """Looks like a Writer to a conversation; wraps each inner frame in
    Ethernet/IPv4/UDP/VXLAN between the two tunnel endpoints."""

    def __init__(self, outer, vni=100):
        self.outer = outer
        self.vni = vni
        self.sport = 40000

    def at_least(self, t):
        self.outer.at_least(t)

    def write_l3(self, packet, src_ip, dst_ip, vlans=(), qinq_tpid=None, **_):
        inner = ethernet(mac_for(src_ip), mac_for(dst_ip), ETH_IPV4, packet)
        vx = struct.pack("!BBHI", 0x08, 0, 0, self.vni << 8) + inner
        a, b = (VTEP_A, VTEP_B) if src_ip.endswith(".10") else (VTEP_B, VTEP_A)
        self.sport += 1
        seg = udp(a, b, self.sport, 4789, vx)
        self.outer.write_l3(ipv4(a, b, PROTO_UDP, seg), a, b)


with Writer(sys.argv[1]) as w:
    c = TcpConversation(VxlanWriter(w), ("10.9.0.10", 51000), ("10.9.0.20", 80))
    c.handshake()
    c.send(b"GET /inner-secret HTTP/1.1\r\nHost: tunnelled.example\r\n\r\n")
    c.send(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", from_client=False)
    c.close()
