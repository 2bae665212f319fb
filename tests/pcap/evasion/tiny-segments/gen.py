"""Tiny segments: the request is sent one byte per segment (each ACKed),
and again in 3-byte segments with the marker split across them, so no
packet holds the attack string. Expected under every policy: the
reassembled stream gives http.uri /ATTACK once per flow, and a raw
stream content rule matches too."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from common import (HTTP_OK, POLICIES, Expectations, Writer, case_dir_of, client_port,  # noqa: E402
                    conversation, http_request, uri_rule)

CASE_NO = 3
VARIANTS = [("1-byte", 1), ("3-byte", 3)]


def expectations():
    e = Expectations("tiny-segments")
    uri_rule(e, 1, b"/ATTACK", "attack uri")
    e.rule('alert tcp any any -> any 80 (msg:"raw stream"; flow:to_server,established; '
           'content:"GET /ATTACK"; sid:2;)')
    for variant, (name, _) in enumerate(VARIANTS):
        for policy in POLICIES:
            row = ("tiny-segments/" + name, policy, "uri /ATTACK, raw stream match")
            port = client_port(CASE_NO, policy, variant)
            e.expect(*row, sid=1, count=1, src_port=port)
            e.expect(*row, sid=2, count=1, src_port=port)
    return e


if __name__ == "__main__":
    with Writer(sys.argv[1]) as w:
        for variant, (_, size) in enumerate(VARIANTS):
            for policy in POLICIES:
                c = conversation(w, CASE_NO, policy, variant)
                c.handshake()
                c.send(http_request(b"/ATTACK"), segment_size=size)
                c.send(HTTP_OK, from_client=False)
                c.close()
                w.advance(0.01)
    expectations().write(case_dir_of(__file__))
