"""Two MQTT 5.0 sessions.  The first, on port 1883, cuts its CONNECT into
7-byte segments and coalesces two PUBLISH packets in one segment, answers
a SUBSCRIBE, sends a PUBLISH longer than the configured max-msg-length
(skipped, logged as truncated) and ends with PINGREQ/PINGRESP and
DISCONNECT.  The second, on port 8080, is found by the CONNECT probe
alone and PUBLISHes with the invalid QoS 3."""
import os
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "..", "..", "..", "tools", "pcapgen"))
from pcapgen import TcpConversation, Writer, mqtt  # noqa: E402


packet, s, props = mqtt.packet, mqtt.string, mqtt.props


CONNECT = packet(0x10, s("MQTT") + b"\x05" + b"\xc2" + struct.pack("!H", 60) +
                 props(b"\x21" + struct.pack("!H", 20) + b"\x26" + s("site") + s("plant-7")) +
                 s("sensor-42") + s("operator") + s("hunter2"))
CONNACK = packet(0x20, b"\x00\x00" + props(b"\x22" + struct.pack("!H", 10)))
PUB1 = packet(0x30, s("factory/line1/temp") + props(b"") + b"21.5")
PUB2 = packet(0x32, s("factory/line1/cmd") + struct.pack("!H", 1) +
              props(b"\x03" + s("text/plain")) + b"STOP")
PUBACK = packet(0x40, struct.pack("!H", 1))
SUBSCRIBE = packet(0x82, struct.pack("!H", 2) + props(b"") + s("factory/#") + b"\x01" +
                   s("alerts/+") + b"\x00")
SUBACK = packet(0x90, struct.pack("!H", 2) + props(b"") + b"\x01\x00")
BIG = packet(0x30, s("firmware/blob") + props(b"") + b"\x7fELF" + b"\x00" * 900)
PINGREQ = packet(0xC0, b"")
PINGRESP = packet(0xD0, b"")
DISCONNECT = packet(0xE0, b"")

with Writer(sys.argv[1]) as w:
    c = TcpConversation(w, ("10.0.7.1", 51000), ("10.0.7.2", 1883))
    c.handshake()
    c.send(CONNECT, from_client=True, segment_size=7)
    w.advance(0.01)
    c.send(CONNACK, from_client=False)
    c.send(PUB1 + PUB2, from_client=True)
    c.send(PUBACK, from_client=False)
    c.send(SUBSCRIBE, from_client=True)
    c.send(SUBACK, from_client=False)
    w.advance(0.01)
    c.send(BIG, from_client=True, segment_size=300)
    c.send(PINGREQ, from_client=True)
    c.send(PINGRESP, from_client=False)
    c.send(DISCONNECT, from_client=True)
    c.close()

    w.advance(1)
    d = TcpConversation(w, ("10.0.7.3", 52000), ("10.0.7.2", 8080))
    d.handshake()
    d.send(packet(0x10, s("MQTT") + b"\x04" + b"\x02" + struct.pack("!H", 60) + s("probe-me")),
           from_client=True)
    d.send(packet(0x20, b"\x00\x00"), from_client=False)
    d.send(packet(0x36, s("bad/qos") + struct.pack("!H", 5) + b"x"), from_client=True)
    d.close()
