"""The urgent-pointer cases (urgent-oob/, urgent-inline/): one generator,
run with the stream.reassembly.urgent.policy each case sets.

RFC 9293 3.8.5 / RFC 6093: the urgent pointer marks the end of urgent
data, and stacks deliver the last byte before it out of band (not in the
stream) unless the application asked for it inline (SO_OOBINLINE). An
attacker writes "/ATTXACK" with the X urgent: the server application reads
"/ATTACK", a sensor that keeps the byte reads "/ATTXACK".

Flows: 1-byte: "X" alone in a URG segment with pointer 1 (the byte is the
urgent one); 2-byte: "XY" with pointer 2 (only Y, the last urgent byte, is
out of band, so the stream is "/ATTXACK" from "/ATTXYACK").

Expected (Suricata's urgent.policy): oob removes the byte before the
pointer from the stream; inline keeps every byte."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import (ACK, HTTP_OK, PSH, URG, Expectations, Writer, client_port, host,  # noqa: E402
                    conversation, uri_rule)

CASE_NO = 7
VARIANTS = [("1-byte", b"X", b"/ATTACK", b"/ATTXACK"),
            ("2-byte", b"XY", b"/ATTXACK", b"/ATTXYACK")]


def generate(path, case_dir, urgent_policy):
    with Writer(path) as w:
        for variant, (_, urgent, _, _) in enumerate(VARIANTS):
            c = conversation(w, CASE_NO, "windows", variant)
            c.handshake()
            c.send(b"GET /ATT", ack=False)
            c.packet(PSH | ACK | URG, urgent, urgent=len(urgent))
            c.send(b"ACK HTTP/1.1\r\nHost: target\r\n\r\n")
            c.send(HTTP_OK, from_client=False)
            c.close()
            w.advance(0.01)
    e = Expectations("urgent-" + urgent_policy,
                     args=("-k", "none", "--set", "stream.reassembly.urgent.policy=" + urgent_policy))
    sid = 1
    for variant, (name, _, oob_uri, inline_uri) in enumerate(VARIANTS):
        want = oob_uri if urgent_policy == "oob" else inline_uri
        port = client_port(CASE_NO, "windows", variant)
        row = ("urgent-pointer/" + name, "urgent.policy=" + urgent_policy, "uri %s" % want.decode())
        for uri in (oob_uri, inline_uri):
            uri_rule(e, sid, uri, "%s %s" % (name, uri.decode()))
            e.expect(*row, sid=sid, count=1 if uri == want else 0, dest=host("windows"),
                     src_port=port)
            sid += 1
    e.write(case_dir)
