"""SYN with data: the client's SYN carries the whole request (RFC 9293
3.10.7.2 lets a receiver queue data that arrives on a SYN; TCP Fast Open,
RFC 7413, relies on it). Expected under every policy (Suricata takes SYN
data into the stream, as for Fast Open): http.uri /ATTACK once per flow,
and the SYN's payload itself matches a packet rule."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from common import (ACK, HTTP_OK, POLICIES, SYN, Expectations, Writer, case_dir_of,  # noqa: E402
                    client_port, conversation, http_request, uri_rule)

CASE_NO = 5
REQUEST = http_request(b"/ATTACK")


def expectations():
    e = Expectations("syn-with-data")
    uri_rule(e, 1, b"/ATTACK", "attack uri")
    e.rule('alert tcp any any -> any 80 (msg:"SYN payload"; flags:S; content:"/ATTACK"; sid:2;)')
    for policy in POLICIES:
        row = ("syn-with-data", policy, "uri /ATTACK, SYN payload match")
        port = client_port(CASE_NO, policy)
        e.expect(*row, sid=1, count=1, src_port=port)
        e.expect(*row, sid=2, count=1, src_port=port)
    return e


if __name__ == "__main__":
    with Writer(sys.argv[1]) as w:
        for policy in POLICIES:
            c = conversation(w, CASE_NO, policy)
            c.packet(SYN, REQUEST)  # the SYN takes one sequence number, the data follows
            c.packet(SYN | ACK, from_client=False)
            c.packet(ACK)
            c.send(HTTP_OK, from_client=False)
            c.close()
            w.advance(0.01)
    expectations().write(case_dir_of(__file__))
