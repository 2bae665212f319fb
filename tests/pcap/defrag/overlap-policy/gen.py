"""Overlapping fragments whose copies differ, so the datagram an IDS sees
depends on the overlap policy of the destination (Novak, "Target-Based
Fragmentation Reassembly"). With the stock host-os-policy IPv4
destinations reassemble as windows and IPv6 ones as bsd.

IPv4 (windows): a later fragment lying inside held data is ignored, so
"EVILEVIL" never reaches the datagram.
IPv6 (bsd): a later fragment starting before held data replaces it, so
"XXXXXXXXYYYYYYYY" wins over the held "HELDHELD"."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "..", "..", "..", "tools", "pcapgen"))
from pcapgen import PROTO_UDP, Writer, ipv4_fragment, ipv6_fragment, udp  # noqa: E402

V4_SRC, V4_DST = "10.0.9.1", "10.0.9.2"
V6_SRC, V6_DST = "2001:db8:9::1", "2001:db8:9::2"

with Writer(sys.argv[1]) as w:
    # IPv4: A*8 B*8 C*8 after the UDP header; EVILEVIL overlaps B.
    body = b"A" * 8 + b"B" * 8 + b"C" * 8
    dgram = udp(V4_SRC, V4_DST, 40000, 5000, body)
    frags = [(0, dgram[:16], True), (16, dgram[16:24], True),
             (16, b"EVILEVIL", True), (24, dgram[24:], False)]
    for off, data, more in frags:
        w.write_l3(ipv4_fragment(V4_SRC, V4_DST, PROTO_UDP, 0x4242, off, data, more),
                   V4_SRC, V4_DST)
    w.advance(0.5)
    # IPv6: the held HELDHELD at 24 is overlapped by X*8 Y*8 starting at 16.
    body = b"A" * 8 + b"X" * 8 + b"Y" * 8 + b"D" * 8
    dgram = udp(V6_SRC, V6_DST, 40001, 5000, body)
    frags = [(0, dgram[:16], True), (24, b"HELDHELD", True),
             (16, dgram[16:32], True), (32, dgram[32:], False)]
    for off, data, more in frags:
        w.write_l3(ipv6_fragment(V6_SRC, V6_DST, PROTO_UDP, 0x1234567, off, data, more),
                   V6_SRC, V6_DST)
