"""Out-of-order delivery: the request is cut into 5-byte segments sent
last-first (every one but the last waits behind a hole), and in a
shuffled order with one segment duplicated. Expected under every policy:
the stream is rebuilt in sequence order, http.uri /ATTACK once per flow;
identical duplicates raise no overlap_different_data."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from common import (ACK, HTTP_OK, POLICIES, PSH, Expectations, Writer, case_dir_of,  # noqa: E402
                    client_port, conversation, http_request, uri_rule)

CASE_NO = 4
REQUEST = http_request(b"/ATTACK")
PIECES = [(i, REQUEST[i:i + 5]) for i in range(0, len(REQUEST), 5)]
SHUFFLE = [3, 0, 5, 1, 3, 6, 2, 4] + list(range(7, len(PIECES)))
VARIANTS = [("reversed", list(reversed(range(len(PIECES))))), ("shuffled", SHUFFLE)]


def expectations():
    e = Expectations("out-of-order")
    uri_rule(e, 1, b"/ATTACK", "attack uri")
    e.rule('alert tcp any any -> any any (msg:"overlap"; '
           'stream-event:reassembly_overlap_different_data; sid:2;)')
    for variant, (name, _) in enumerate(VARIANTS):
        for policy in POLICIES:
            row = ("out-of-order/" + name, policy, "uri /ATTACK, no overlap event")
            port = client_port(CASE_NO, policy, variant)
            e.expect(*row, sid=1, count=1, src_port=port)
            e.expect(*row, sid=2, count=0, src_port=port)
    return e


if __name__ == "__main__":
    with Writer(sys.argv[1]) as w:
        for variant, (_, order) in enumerate(VARIANTS):
            for policy in POLICIES:
                c = conversation(w, CASE_NO, policy, variant)
                c.handshake()
                base = c.next_seq[True]
                for i in order:
                    off, data = PIECES[i]
                    c.packet(PSH | ACK, data, seq=base + off)
                c.next_seq[True] = base + len(REQUEST)
                c.packet(ACK, from_client=False)
                c.send(HTTP_OK, from_client=False)
                c.close()
                w.advance(0.01)
    expectations().write(case_dir_of(__file__))
