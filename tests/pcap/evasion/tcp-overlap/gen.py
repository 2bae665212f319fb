"""Overlapping TCP segments with different content (Ptacek & Newsham 1998;
Novak & Sturges 2007): the client leaves a hole at the start of its
request, sends an "old" segment, then a "new" one overlapping it in one of
seven shapes, then the rest; the receiving host keeps the copy its stack
prefers, so each host of policies.yaml reads a different URI. Expected:
the http.uri rule for the copy the host's policy keeps fires, the other
does not, and the overlap raises stream-event
reassembly_overlap_different_data."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from common import (ACK, CLIENT, HTTP_OK, POLICIES, PSH, Expectations, TcpConversation,  # noqa: E402
                    Writer, case_dir_of, client_port, host, stream_new_wins)

PREFIX = b"GET /"        # stream offsets 0..4; the region starts at 5
SUFFIX = b" HTTP/1.1\r\nHost: target\r\n\r\n"

# name, (old offset, old bytes), (new offset, new bytes), uri if old wins, uri if new wins
SHAPES = [
    ("same-start-ends-inside", (5, b"benign"), (5, b"ATT"), b"/benign", b"/ATTign"),
    ("same-start-same-end", (5, b"benign"), (5, b"ATTACK"), b"/benign", b"/ATTACK"),
    ("same-start-ends-after", (5, b"benign"), (5, b"ATTACKzz"), b"/benignzz", b"/ATTACKzz"),
    ("before-ends-inside", (8, b"benign"), (5, b"ATTACK"), b"/ATTbenign", b"/ATTACKign"),
    ("before-ends-after", (8, b"ben"), (5, b"ATTACKxyz"), b"/ATTbenxyz", b"/ATTACKxyz"),
    ("after-ends-after", (5, b"ATTxxx"), (8, b"ACKzzz"), b"/ATTxxxzzz", b"/ATTACKzzz"),
    ("inside", (5, b"ATTxxxzzz"), (8, b"ACK"), b"/ATTxxxzzz", b"/ATTACKzzz"),
]
CASE_NO = 1


def send_flow(w, policy, variant, shape):
    _, (old_off, old), (new_off, new), _, _ = shape
    c = TcpConversation(w, (CLIENT, client_port(CASE_NO, policy, variant)), (host(policy), 80))
    c.handshake()
    base = c.next_seq[True]
    end = max(old_off + len(old), new_off + len(new))
    for off, data in ((old_off, old), (new_off, new), (end, SUFFIX), (0, PREFIX)):
        c.packet(PSH | ACK, data, seq=base + off)
    c.next_seq[True] = base + end + len(SUFFIX)
    c.packet(ACK, from_client=False)
    c.send(HTTP_OK, from_client=False)
    c.close()


def expectations():
    e = Expectations("tcp-overlap")
    e.rule('alert tcp any any -> any any (msg:"overlap: stream event"; '
           'stream-event:reassembly_overlap_different_data; sid:1;)')
    for variant, shape in enumerate(SHAPES):
        name, (old_off, old), (new_off, new), uri_old, uri_new = shape
        sid_old, sid_new = 100 + variant * 2, 101 + variant * 2
        e.rule('alert http any any -> any any (msg:"%s: old copy"; http.uri; content:"%s"; '
               'bsize:%d; sid:%d;)' % (name, uri_old.decode(), len(uri_old), sid_old))
        e.rule('alert http any any -> any any (msg:"%s: new copy"; http.uri; content:"%s"; '
               'bsize:%d; sid:%d;)' % (name, uri_new.decode(), len(uri_new), sid_new))
        for policy in POLICIES:
            wins = stream_new_wins(policy, new_off, new_off + len(new), old_off, old_off + len(old))
            row = ("tcp-overlap/" + name, policy,
                   "uri %s (%s copy)" % ((uri_new if wins else uri_old).decode(),
                                          "new" if wins else "old"))
            port = client_port(CASE_NO, policy, variant)
            e.expect(*row, sid=sid_new, count=1 if wins else 0, src_port=port)
            e.expect(*row, sid=sid_old, count=0 if wins else 1, src_port=port)
    for policy in POLICIES:
        e.expect("tcp-overlap/event", policy, "stream-event overlap_different_data x%d"
                 % len(SHAPES), sid=1, count=len(SHAPES))
    return e


if __name__ == "__main__":
    with Writer(sys.argv[1]) as w:
        for variant, shape in enumerate(SHAPES):
            for policy in POLICIES:
                send_flow(w, policy, variant, shape)
                w.advance(0.01)
    expectations().write(case_dir_of(__file__))
