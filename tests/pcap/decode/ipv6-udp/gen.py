"""IPv6: a DNS query and answer, a plain UDP datagram, an ICMPv6 echo."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "..", "..", "..", "tools", "pcapgen"))
from pcapgen import IcmpEcho, UdpExchange, Writer, dns  # noqa: E402

with Writer(sys.argv[1]) as w:
    UdpExchange(w, ("2001:db8::10", 46001), ("2001:db8::53", 53)).exchange(
        dns.query(0x6006, "www.example.org", "AAAA"),
        dns.response(0x6006, "www.example.org", [("AAAA", "2001:db8::80", 300)], qtype="AAAA"))
    w.advance(0.1)
    UdpExchange(w, ("2001:db8::10", 46002), ("2001:db8:1::20", 9999)).request(b"IPV6-PAYLOAD\n")
    w.advance(0.1)
    IcmpEcho(w, "2001:db8::10", "2001:db8::1", ident=0x66).ping(count=1)
