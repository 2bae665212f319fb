"""RST injection: after the handshake a forged RST reaches the sensor
with a sequence number inside the window but not the next expected one,
then the client sends the attack. Hosts that accept an in-window RST
(Linux, Solaris; HP-UX 11 takes any RST at or after the next expected
sequence number) drop the connection, so the attack never reaches the
application; the others ignore the RST (RFC 5961 3.2 asks for an exact
match) and read it. A second variant sends the RST at exactly the next
sequence number: every host resets.

Two more forge a RST before the SYN/ACK (Suricata bug 3286): one from the
"server" whose timestamp echo is not the SYN's TSval (RFC 7323: the
client's stack discards it, as Linux does in SYN-SENT), one from the
"client" that is not the form a stack resets its own SYN in (seq = ISN,
ack = ISN + 1, window 0). Every host goes on with the handshake the real
server answers.

Expected: http.uri /ATTACK where the host ignores the RST, no alert where
it resets (the target never read it either)."""
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from common import (ACK, HTTP_OK, POLICIES, RST, SYN, Expectations, Writer, case_dir_of,  # noqa: E402
                    client_port, conversation, http_request, rst_accepted, uri_rule)

CASE_NO = 6
VARIANTS = [("in-window", 100), ("exact", 0)]
EARLY = ["server-rst-bad-tsecr", "client-rst-before-synack"]


def timestamp_option(tsval, tsecr):
    return b"\x01\x01" + struct.pack("!BBII", 8, 10, tsval, tsecr)


def send_early(w, policy, variant, name):
    c = conversation(w, CASE_NO, policy, variant)
    isn = c.next_seq[True]
    if name == "server-rst-bad-tsecr":
        c.packet(SYN, options=timestamp_option(1000, 0))
        c.packet(RST | ACK, from_client=False, options=timestamp_option(100, 100), advance=False)
    else:
        c.packet(SYN)
        c.packet(RST, seq=isn + 1, advance=False)
    c.packet(SYN | ACK, from_client=False)
    c.packet(ACK)
    c.send(http_request(b"/ATTACK"))
    c.send(HTTP_OK, from_client=False)
    c.close()


def expectations():
    e = Expectations("rst-injection")
    uri_rule(e, 1, b"/ATTACK", "attack uri")
    for variant, (name, ahead) in enumerate(VARIANTS):
        for policy in POLICIES:
            reset = rst_accepted(policy, exact=ahead == 0)
            row = ("rst-injection/" + name, policy,
                   "no alert (host resets)" if reset else "uri /ATTACK (RST ignored)")
            e.expect(*row, sid=1, count=0 if reset else 1, src_port=client_port(CASE_NO, policy, variant))
    for variant, name in enumerate(EARLY, len(VARIANTS)):
        for policy in POLICIES:
            e.expect("rst-injection/" + name, policy, "uri /ATTACK (forged RST ignored)", sid=1,
                     count=1, src_port=client_port(CASE_NO, policy, variant))
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
        for variant, name in enumerate(EARLY, len(VARIANTS)):
            for policy in POLICIES:
                send_early(w, policy, variant, name)
                w.advance(0.01)
    expectations().write(case_dir_of(__file__))
