"""Ten matching datagrams from 10.0.4.5 and two from 10.0.4.6, all inside
a few seconds."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "..", "..", "..", "tools", "pcapgen"))
from pcapgen import UdpExchange, Writer  # noqa: E402

with Writer(sys.argv[1]) as w:
    busy = UdpExchange(w, ("10.0.4.5", 40000), ("10.0.4.9", 6000))
    quiet = UdpExchange(w, ("10.0.4.6", 40000), ("10.0.4.9", 6000))
    for i in range(10):
        busy.request(b"THRESHOLD-TEST %d\n" % i)
        if i in (3, 7):
            quiet.request(b"THRESHOLD-TEST q%d\n" % i)
        w.advance(0.2)
