#!/usr/bin/python3
"""Self-tests for pcapgen: /usr/bin/python3 tools/pcapgen/test_pcapgen.py"""

import hashlib
import os
import struct
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import pcapgen  # noqa: E402
from pcapgen import (ACK, PSH, SYN, IcmpEcho, TcpConversation, UdpExchange,  # noqa: E402
                     Writer, decode_frame, dns, mqtt, read_pcap_info)


def script(path, fmt=None, linktype=1):
    with Writer(path, fmt=fmt, linktype=linktype) as w:
        c = TcpConversation(w, ("10.1.1.5", 49152), ("192.0.2.10", 80))
        c.handshake()
        c.send(b"A" * 3000, segment_size=1400)
        c.send(b"reply", from_client=False, corrupt="l4")
        c.close()
        UdpExchange(w, ("10.1.1.5", 53000), ("10.1.1.1", 53)).exchange(
            dns.query(7, "a.example"), dns.response(7, "a.example", [("A", "192.0.2.1")]))
        IcmpEcho(w, "2001:db8::1", "2001:db8::2").ping()
        UdpExchange(w, ("10.1.1.5", 1), ("10.1.1.6", 2), vlans=(5, 6)).request(b"x")


class PcapgenTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()

    def tearDown(self):
        self.dir.cleanup()

    def path(self, name):
        return os.path.join(self.dir.name, name)

    def test_reproducible(self):
        a, b = self.path("a.pcap"), self.path("b.pcap")
        script(a)
        script(b)
        with open(a, "rb") as fa, open(b, "rb") as fb:
            self.assertEqual(hashlib.sha256(fa.read()).digest(),
                             hashlib.sha256(fb.read()).digest())

    def test_packets_and_checksums(self):
        p = self.path("t.pcap")
        script(p)
        linktype, recs = read_pcap_info(p)
        self.assertEqual(linktype, 1)
        infos = [decode_frame(f, linktype) for _, f in recs]
        # 3 handshake + 3 data/ack pairs + 1 pair + 3 close, 2 dns, 2 icmp6, 1 vlan udp
        self.assertEqual(len(infos), 3 + 6 + 2 + 3 + 2 + 2 + 1)
        bad = [i for i in infos if not i["csum_ok"]]
        self.assertEqual(len(bad), 1)
        self.assertEqual(bad[0]["payload"], b"reply")
        self.assertEqual(infos[0]["flags"], SYN)
        data = [i for i in infos if i["proto"] == 6 and i["payload"]]
        self.assertEqual([len(i["payload"]) for i in data], [1400, 1400, 200, 5])
        self.assertEqual(data[1]["seq"], data[0]["seq"] + 1400)
        self.assertEqual(data[0]["flags"], PSH | ACK)
        ack = infos[4]   # server's ACK of the first segment
        self.assertEqual(ack["ack"], data[0]["seq"] + 1400)
        self.assertEqual(infos[-1]["vlans"], [5, 6])
        self.assertEqual(infos[-2]["version"], 6)
        # timestamps: fixed epoch, 1 ms steps
        self.assertEqual(recs[0][0], pcapgen.EPOCH_2026 * 1_000_000)
        self.assertEqual(recs[1][0] - recs[0][0], 1000)

    def test_pcapng_matches_pcap(self):
        a, b = self.path("a.pcap"), self.path("b.pcapng")
        script(a)
        script(b)
        self.assertEqual(read_pcap_info(a), read_pcap_info(b))
        with open(b, "rb") as fh:
            self.assertEqual(struct.unpack("<I", fh.read(4))[0], 0x0A0D0D0A)

    def test_raw_linktype(self):
        p = self.path("raw.pcap")
        script(p, linktype=pcapgen.LINKTYPE_RAW)
        linktype, recs = read_pcap_info(p)
        self.assertEqual(linktype, 101)
        self.assertEqual(decode_frame(recs[0][1], linktype)["dport"], 80)

    def test_dns(self):
        q = dns.query(0x1234, "update.destover-c2.example")
        self.assertEqual(q[:12], bytes.fromhex("123401000001000000000000"))
        self.assertIn(b"\x06update\x0bdestover-c2\x07example\x00\x00\x01\x00\x01", q)
        r = dns.response(0x1234, "x.example", [("A", "192.0.2.1", 60), ("TXT", "hi")])
        self.assertEqual(r[2:4], b"\x81\x80")
        self.assertEqual(struct.unpack("!H", r[6:8])[0], 2)
        self.assertIn(b"\xc0\x0c\x00\x01\x00\x01\x00\x00\x00\x3c\x00\x04\xc0\x00\x02\x01", r)

    def test_mqtt(self):
        self.assertEqual(mqtt.varint(127), b"\x7f")
        self.assertEqual(mqtt.varint(16384), b"\x80\x80\x01")
        self.assertEqual(mqtt.packet(0xC0, b""), b"\xc0\x00")
        body = mqtt.string("t") + mqtt.props(b"") + b"x" * 200
        self.assertEqual(mqtt.packet(0x30, body)[:3], b"\x30\xcc\x01")

    def test_checksum_known_value(self):
        # RFC 1071 example header from Wikipedia's IPv4 checksum article
        hdr = bytes.fromhex("450000730000400040110000c0a80001c0a800c7")
        self.assertEqual(pcapgen.checksum(hdr), 0xB861)


if __name__ == "__main__":
    unittest.main()
