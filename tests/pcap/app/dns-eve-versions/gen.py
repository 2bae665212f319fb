"""Two DNS lookups over UDP (an A and an MX query, each answered), for the
EVE dns options: version 2 records in eve.json, and a second eve-log output
(mx-only.json, version 3) that keeps only MX messages."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "..", "..", "..", "tools", "pcapgen"))
from pcapgen import UdpExchange, Writer, dns  # noqa: E402

with Writer(sys.argv[1]) as w:
    a = UdpExchange(w, ("10.0.6.1", 40001), ("10.0.6.53", 53))
    a.send(dns.query(0x1111, "www.example.org", "A"))
    a.send(dns.response(0x1111, "www.example.org", [("A", "192.0.2.10", 60)], "A"),
           from_client=False)
    m = UdpExchange(w, ("10.0.6.1", 40002), ("10.0.6.53", 53))
    m.send(dns.query(0x2222, "example.org", "MX"))
    m.send(dns.response(0x2222, "example.org", [("MX", (10, "mail.example.org"), 60)], "MX"),
           from_client=False)
