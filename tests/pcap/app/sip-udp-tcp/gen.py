"""SIP over UDP and TCP. UDP: a keep-alive, an INVITE with compact headers
(v, f, t, i, c, l) and an SDP body, answered by 100 Trying and 200 OK.
TCP (port 5060): a REGISTER with two Via headers split across three
segments, then a 401 and a 200 OK coalesced into one segment, the 401
carrying a body framed by Content-Length."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "..", "..", "..", "tools", "pcapgen"))
from pcapgen import TcpConversation, UdpExchange, Writer  # noqa: E402

SDP = (b"v=0\r\n"
       b"o=alice 2890844526 2890844526 IN IP4 10.0.7.1\r\n"
       b"s=call\r\n"
       b"c=IN IP4 10.0.7.1\r\n"
       b"t=0 0\r\n"
       b"m=audio 49170 RTP/AVP 0\r\n")

INVITE = (b"INVITE sip:bob@biloxi.example SIP/2.0\r\n"
          b"v: SIP/2.0/UDP 10.0.7.1:5060;branch=z9hG4bK776asdhds\r\n"
          b"f: Alice <sip:alice@atlanta.example>;tag=1928301774\r\n"
          b"t: Bob <sip:bob@biloxi.example>\r\n"
          b"i: a84b4c76e66710@10.0.7.1\r\n"
          b"CSeq: 314159 INVITE\r\n"
          b"User-Agent: PasbanPhone/1.0\r\n"
          b"c: application/sdp\r\n"
          b"l: " + str(len(SDP)).encode() + b"\r\n"
          b"\r\n" + SDP)


def response(code, reason, cseq, body=b""):
    return (b"SIP/2.0 " + code + b" " + reason + b"\r\n"
            b"Via: SIP/2.0/UDP 10.0.7.1:5060;branch=z9hG4bK776asdhds\r\n"
            b"From: Alice <sip:alice@atlanta.example>;tag=1928301774\r\n"
            b"To: Bob <sip:bob@biloxi.example>;tag=a6c85cf\r\n"
            b"Call-ID: a84b4c76e66710@10.0.7.1\r\n"
            b"CSeq: " + cseq + b"\r\n"
            b"Content-Length: " + str(len(body)).encode() + b"\r\n"
            b"\r\n" + body)


REGISTER = (b"REGISTER sip:registrar.biloxi.example SIP/2.0\r\n"
            b"Via: SIP/2.0/TCP proxy.biloxi.example:5060;branch=z9hG4bKnashds7\r\n"
            b"Via: SIP/2.0/TCP 10.0.7.5:5060;branch=z9hG4bKnashds8\r\n"
            b"From: Bob <sip:bob@biloxi.example>;tag=456248\r\n"
            b"To: Bob <sip:bob@biloxi.example>\r\n"
            b"Call-ID: 843817637684230@998sdasdh09\r\n"
            b"CSeq: 1826 REGISTER\r\n"
            b"User-Agent: TcpPhone/2.0\r\n"
            b"Content-Length: 0\r\n"
            b"\r\n")

with Writer(sys.argv[1]) as w:
    u = UdpExchange(w, ("10.0.7.1", 5060), ("10.0.7.2", 5060))
    u.send(b"\r\n\r\n")
    u.send(INVITE)
    u.send(response(b"100", b"Trying", b"314159 INVITE"), from_client=False)
    u.send(response(b"200", b"OK", b"314159 INVITE"), from_client=False)
    w.advance(0.1)
    t = TcpConversation(w, ("10.0.7.5", 52100), ("10.0.7.2", 5060))
    t.handshake()
    for part in (REGISTER[:7], REGISTER[7:120], REGISTER[120:]):
        t.send(part)
        w.advance(0.01)
    t.send(response(b"401", b"Unauthorized", b"1826 REGISTER", b"denied-body\r\n") +
           response(b"200", b"OK", b"1826 REGISTER"), from_client=False)
    t.close()
