"""One anomaly of each kind EVE `anomaly` records report:
  decode:   an ICMPv4 message of an unassigned type (decoder.icmpv4.unknown_type);
  stream:   a segment whose TCP timestamp is 0 after both sides negotiated
            timestamps (stream.pkt_invalid_timestamp, RFC 7323 PAWS);
  applayer: an HTTP request header line without a colon (libhtp's
            REQUEST_FIELD_MISSING_COLON, layer proto_parser), and an HTTP
            request answered by an SSH banner
            (APPLAYER_MISMATCH_PROTOCOL_BOTH_DIRECTIONS, layer proto_detect)."""
import os
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "..", "..", "..", "tools", "pcapgen"))
from pcapgen import (ACK, PSH, SYN, PROTO_ICMP, TcpConversation, Writer,  # noqa: E402
                     checksum, ipv4)


def ts_option(tsval, tsecr):
    """NOP, NOP, timestamps (kind 8, length 10)."""
    return b"\x01\x01" + struct.pack("!BBII", 8, 10, tsval, tsecr)


with Writer(sys.argv[1]) as w:
    # decode: ICMP type 99 is unassigned.
    body = struct.pack("!BBHHH", 99, 0, 0, 1, 1) + b"anomaly"
    icmp = body[:2] + struct.pack("!H", checksum(body)) + body[4:]
    w.write_l3(ipv4("10.0.9.1", "10.0.9.2", PROTO_ICMP, icmp), "10.0.9.1", "10.0.9.2")

    # stream: timestamps negotiated, then a data segment with TSval 0.
    c = TcpConversation(w, ("10.0.9.1", 41001), ("10.0.9.2", 9001))
    c.packet(SYN, options=ts_option(1000, 0))
    c.packet(SYN | ACK, from_client=False, options=ts_option(5000, 1000))
    c.packet(ACK, options=ts_option(1001, 5000))
    c.packet(PSH | ACK, b"hello", options=ts_option(1002, 5000))
    c.packet(ACK, from_client=False, options=ts_option(5001, 1002))
    c.packet(PSH | ACK, b"stale", options=ts_option(0, 5001), advance=False)

    # applayer (parser): a request header line without a colon.
    h = TcpConversation(w, ("10.0.9.1", 41002), ("10.0.9.2", 80))
    h.handshake()
    h.send(b"GET /index.html HTTP/1.1\r\nHost: example.com\r\nNoColonHere\r\n\r\n")
    h.send(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", from_client=False)
    h.close()

    # applayer (detection): HTTP one way, SSH the other.
    m = TcpConversation(w, ("10.0.9.1", 41003), ("10.0.9.2", 22))
    m.handshake()
    m.send(b"GET / HTTP/1.1\r\nHost: 10.0.9.2:22\r\n\r\n")
    m.send(b"SSH-2.0-OpenSSH_9.6\r\n", from_client=False)
    m.close()
