"""RST injection: after the handshake a forged RST reaches the sensor
with a sequence number inside the window but not the next expected one,
then the client sends the attack. Hosts that accept an in-window RST
(Linux, Solaris; HP-UX 11 takes any RST at or after the next expected
sequence number) drop the connection, so the attack never reaches the
application; the others ignore the RST (RFC 5961 3.2 asks for an exact
match) and read it. A second variant sends the RST at exactly the next
sequence number: every host resets.

Expected: http.uri /ATTACK where the host ignores the RST, no alert where
it resets (the target never read it either)."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from common import (ACK, HTTP_OK, POLICIES, RST, Expectations, Writer, case_dir_of,  # noqa: E402
                    client_port, conversation, http_request, rst_accepted, uri_rule)

CASE_NO = 6
VARIANTS = [("in-window", 100), ("exact", 0)]


def expectations():
    e = Expectations("rst-injection")
    uri_rule(e, 1, b"/ATTACK", "attack uri")
    for variant, (name, ahead) in enumerate(VARIANTS):
        for policy in POLICIES:
            reset = rst_accepted(policy, exact=ahead == 0)
            row = ("rst-injection/" + name, policy,
                   "no alert (host resets)" if reset else "uri /ATTACK (RST ignored)")
            e.expect(*row, sid=1, count=0 if reset else 1, src_port=client_port(CASE_NO, policy, variant))
    return e


if __name__ == "__main__":
    with Writer(sys.argv[1]) as w:
        for variant, (_, ahead) in enumerate(VARIANTS):
            for policy in POLICIES:
                c = conversation(w, CASE_NO, policy, variant)
                c.handshake()
                c.packet(RST | ACK, seq=c.next_seq[True] + ahead, advance=False)
                c.send(http_request(b"/ATTACK"))
                c.send(HTTP_OK, from_client=False)
                c.close()
                w.advance(0.01)
    expectations().write(case_dir_of(__file__))
