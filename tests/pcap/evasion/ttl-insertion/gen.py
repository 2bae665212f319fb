"""TTL-expiry insertion (Ptacek & Newsham 1998): a copy of a segment sent
with a TTL too small to reach the target is seen by the sensor only. The
target reads the copy that reaches it; the sensor, which does not know the
hops to the target, resolves the two copies by the target's overlap policy.

decoy-first: the expiring copy ("benign") is sent before the real one
("ATTACK") at the same sequence numbers, both before the server's ACK.
decoy-after: the real copy first, then the expiring decoy.

Expected (Suricata semantics in IDS mode: data goes to the app layer once
acknowledged, so both copies meet in the segment list and the policy
decides): a same-edges overlap takes the later copy under old-linux,
solaris, old-solaris, hpux11 and last, the earlier one elsewhere. The URI
rule of the copy kept fires; every flow raises overlap_different_data."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from common import (ACK, HTTP_OK, POLICIES, PSH, Expectations, Writer, case_dir_of,  # noqa: E402
                    client_port, conversation, stream_new_wins, uri_rule)

CASE_NO = 2
# Pasban hands in-order data to the parsers at once, so the first copy of
# in-order bytes is final; Suricata in IDS mode waits for the receiver's
# ACK, so a later copy can still replace an unacknowledged one.
KNOWN = "in-order data is final at once (Suricata IDS mode waits for the ACK)"
REAL, DECOY = b"/ATTACK", b"/benign"
VARIANTS = [("decoy-first", True), ("decoy-after", False)]


def send(w, policy, variant, decoy_first):
    c = conversation(w, CASE_NO, policy, variant)
    c.handshake()
    base = c.next_seq[True]
    real = b"GET " + REAL + b" HTTP/1.1\r\nHost: target\r\n\r\n"
    decoy = b"GET " + DECOY + b" HTTP/1.1\r\nHost: target\r\n\r\n"
    copies = [(decoy, 1), (real, None)] if decoy_first else [(real, None), (decoy, 1)]
    for data, ttl in copies:
        c.packet(PSH | ACK, data, seq=base, ttl=ttl, advance=False)
    c.next_seq[True] = base + len(real)
    c.packet(ACK, from_client=False)
    c.send(HTTP_OK, from_client=False)
    c.close()


def expectations():
    e = Expectations("ttl-insertion")
    uri_rule(e, 1, REAL, "real request")
    uri_rule(e, 2, DECOY, "decoy request")
    e.rule('alert tcp any any -> any any (msg:"overlap"; '
           'stream-event:reassembly_overlap_different_data; sid:3;)')
    for variant, (name, decoy_first) in enumerate(VARIANTS):
        for policy in POLICIES:
            later_wins = stream_new_wins(policy, 0, 1, 0, 1)
            sees_real = later_wins == decoy_first
            row = ("ttl-insertion/" + name, policy,
                   "uri %s, overlap event" % (REAL if sees_real else DECOY).decode())
            port = client_port(CASE_NO, policy, variant)
            known = KNOWN if later_wins else None
            e.expect(*row, sid=1, count=1 if sees_real else 0, src_port=port, known=known)
            e.expect(*row, sid=2, count=0 if sees_real else 1, src_port=port, known=known)
    for policy in POLICIES:
        e.expect("ttl-insertion/event", policy, "overlap_different_data x2", sid=3, count=2)
    return e


if __name__ == "__main__":
    with Writer(sys.argv[1]) as w:
        for variant, (_, decoy_first) in enumerate(VARIANTS):
            for policy in POLICIES:
                send(w, policy, variant, decoy_first)
                w.advance(0.01)
    expectations().write(case_dir_of(__file__))
