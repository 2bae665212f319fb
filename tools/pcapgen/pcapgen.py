"""pcapgen: scripted network conversations written as pcap or pcapng.

Pure Python 3, standard library only.  Everything is deterministic: the clock
starts at a fixed epoch (2026-01-01T00:00:00Z) and advances by fixed steps,
sequence numbers and IP ids come from fixed seeds, so running a script twice
produces byte-identical files.

    from pcapgen import Writer, TcpConversation, UdpExchange, IcmpEcho, dns

    with Writer("out.pcap") as w:
        c = TcpConversation(w, client=("10.1.1.5", 49152),
                            server=("192.0.2.10", 80))
        c.handshake()
        c.send(b"GET / HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n")
        c.send(b"HTTP/1.1 200 OK\\r\\n\\r\\n", from_client=False)
        c.close()
        u = UdpExchange(w, client=("10.1.1.5", 53001), server=("10.1.1.1", 53))
        u.exchange(dns.query(0x1234, "example.org"),
                   dns.response(0x1234, "example.org", [("A", "192.0.2.1")]))

Checksums are computed for IPv4, TCP, UDP, ICMP and ICMPv6.  Any packet
method takes `corrupt="ip"|"l4"` to write a wrong checksum on purpose (the
correct value xor 0xBEEF, never zero).
"""

import ipaddress
import struct

__all__ = [
    "EPOCH_2026", "Writer", "TcpConversation", "UdpExchange", "IcmpEcho",
    "ethernet", "ipv4", "ipv6", "tcp", "udp", "icmp_echo", "icmpv6_echo",
    "checksum", "mac_for", "dns",
    "FIN", "SYN", "RST", "PSH", "ACK", "URG", "ECE", "CWR",
    "LINKTYPE_NULL", "LINKTYPE_ETHERNET", "LINKTYPE_RAW", "LINKTYPE_LINUX_SLL",
]

EPOCH_2026 = 1767225600  # 2026-01-01T00:00:00Z

LINKTYPE_NULL = 0
LINKTYPE_ETHERNET = 1
LINKTYPE_RAW = 101
LINKTYPE_LINUX_SLL = 113

FIN, SYN, RST, PSH, ACK, URG, ECE, CWR = 0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0x40, 0x80

ETH_IPV4 = 0x0800
ETH_IPV6 = 0x86DD
ETH_VLAN = 0x8100
ETH_QINQ = 0x88A8

PROTO_ICMP = 1
PROTO_TCP = 6
PROTO_UDP = 17
PROTO_ICMPV6 = 58

_CORRUPT_XOR = 0xBEEF


# --------------------------------------------------------------------------
# Checksums and headers (pure functions of bytes)
# --------------------------------------------------------------------------

def checksum(data):
    """RFC 1071 internet checksum of `data`."""
    if len(data) % 2:
        data += b"\x00"
    total = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return (~total) & 0xFFFF


def _corrupted(value):
    bad = value ^ _CORRUPT_XOR
    return bad if bad != 0 else 0x0001


def _addr(ip):
    return ipaddress.ip_address(ip)


def _pseudo_header(src, dst, proto, length):
    s, d = _addr(src), _addr(dst)
    if s.version == 4:
        return s.packed + d.packed + struct.pack("!BBH", 0, proto, length)
    return s.packed + d.packed + struct.pack("!I3xB", length, proto)


def _l4_checksum(src, dst, proto, segment, corrupt):
    value = checksum(_pseudo_header(src, dst, proto, len(segment)) + segment)
    if proto == PROTO_UDP and value == 0:
        value = 0xFFFF  # RFC 768: zero means "no checksum"
    return _corrupted(value) if corrupt else value


def tcp(src, dst, sport, dport, seq, ack, flags, payload=b"", window=64240,
        options=b"", urgent=0, corrupt=False):
    """A TCP segment (header + payload) with its checksum over the pseudo
    header of src/dst (IPv4 or IPv6)."""
    if len(options) % 4:
        options += b"\x00" * (4 - len(options) % 4)  # EOL padding
    offset = (20 + len(options)) // 4
    hdr = struct.pack("!HHIIBBHHH", sport, dport, seq & 0xFFFFFFFF,
                      ack & 0xFFFFFFFF, offset << 4, flags, window, 0, urgent)
    seg = hdr + options + payload
    csum = _l4_checksum(src, dst, PROTO_TCP, seg, corrupt)
    return seg[:16] + struct.pack("!H", csum) + seg[18:]


def udp(src, dst, sport, dport, payload=b"", corrupt=False):
    length = 8 + len(payload)
    seg = struct.pack("!HHHH", sport, dport, length, 0) + payload
    csum = _l4_checksum(src, dst, PROTO_UDP, seg, corrupt)
    return seg[:6] + struct.pack("!H", csum) + seg[8:]


def icmp_echo(ident, seq, payload=b"", reply=False, corrupt=False):
    """ICMPv4 echo request (type 8) or reply (type 0)."""
    msg = struct.pack("!BBHHH", 0 if reply else 8, 0, 0, ident, seq) + payload
    csum = checksum(msg)
    if corrupt:
        csum = _corrupted(csum)
    return msg[:2] + struct.pack("!H", csum) + msg[4:]


def icmpv6_echo(src, dst, ident, seq, payload=b"", reply=False, corrupt=False):
    """ICMPv6 echo request (128) or reply (129); checksum uses the pseudo header."""
    msg = struct.pack("!BBHHH", 129 if reply else 128, 0, 0, ident, seq) + payload
    csum = _l4_checksum(src, dst, PROTO_ICMPV6, msg, corrupt)
    return msg[:2] + struct.pack("!H", csum) + msg[4:]


def ipv4(src, dst, proto, payload, ttl=64, ident=0, dont_fragment=True, tos=0,
         options=b"", corrupt=False):
    if len(options) % 4:
        options += b"\x00" * (4 - len(options) % 4)
    ihl = 5 + len(options) // 4
    total = ihl * 4 + len(payload)
    flags_frag = 0x4000 if dont_fragment else 0
    hdr = struct.pack("!BBHHHBBH4s4s", 0x40 | ihl, tos, total, ident & 0xFFFF,
                      flags_frag, ttl, proto, 0, _addr(src).packed,
                      _addr(dst).packed) + options
    csum = checksum(hdr)
    if corrupt:
        csum = _corrupted(csum)
    return hdr[:10] + struct.pack("!H", csum) + hdr[12:] + payload


def ipv6(src, dst, next_header, payload, hop_limit=64, flow_label=0,
         traffic_class=0):
    first = (6 << 28) | (traffic_class << 20) | (flow_label & 0xFFFFF)
    return struct.pack("!IHBB", first, len(payload), next_header, hop_limit) + \
        _addr(src).packed + _addr(dst).packed + payload


def ipv4_fragment(src, dst, proto, ident, offset, data, more, ttl=64):
    """One IPv4 fragment: data placed at byte offset (a multiple of 8) of
    the datagram's payload; more sets MF. Overlapping or conflicting
    fragments are built by calling this with any offsets and data."""
    if offset % 8:
        raise ValueError("fragment offset must be a multiple of 8")
    flags_frag = (0x2000 if more else 0) | (offset // 8)
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(data), ident & 0xFFFF,
                      flags_frag, ttl, proto, 0, _addr(src).packed, _addr(dst).packed)
    return hdr[:10] + struct.pack("!H", checksum(hdr)) + hdr[12:] + data


def ipv6_fragment(src, dst, next_header, ident, offset, data, more, hop_limit=64):
    """One IPv6 packet carrying a fragment header (RFC 8200 4.5) and data
    at byte offset (a multiple of 8) of the fragmentable part."""
    if offset % 8:
        raise ValueError("fragment offset must be a multiple of 8")
    frag = struct.pack("!BBHI", next_header, 0, offset | (1 if more else 0), ident)
    return ipv6(src, dst, 44, frag + data, hop_limit=hop_limit)


def mac_for(ip):
    """A stable, locally administered MAC address for an IP address."""
    packed = _addr(ip).packed
    return b"\x02\x00" + packed[-4:]


def ethernet(src_mac, dst_mac, ethertype, payload, vlans=(), qinq_tpid=ETH_QINQ):
    """Ethernet II frame.  `vlans` lists VLAN ids outermost first; with two
    or more tags the outer ones use `qinq_tpid` (802.1ad) and the innermost
    uses 0x8100 (802.1Q)."""
    tags = b""
    for i, vid in enumerate(vlans):
        tpid = ETH_VLAN if i == len(vlans) - 1 else qinq_tpid
        tags += struct.pack("!HH", tpid, vid & 0x0FFF)
    return dst_mac + src_mac + tags + struct.pack("!H", ethertype) + payload


# --------------------------------------------------------------------------
# Writers
# --------------------------------------------------------------------------

class Writer:
    """Writes packets to a classic pcap (fmt="pcap", microsecond
    timestamps) or pcapng (fmt="pcapng") file.

    The writer owns the clock: `now_us` starts at `start` (epoch seconds)
    and every written packet advances it by `step_us` unless told otherwise.
    """

    def __init__(self, path, linktype=LINKTYPE_ETHERNET, fmt=None,
                 snaplen=262144, start=EPOCH_2026, step_us=1000):
        if fmt is None:
            fmt = "pcapng" if str(path).endswith(".pcapng") else "pcap"
        if fmt not in ("pcap", "pcapng"):
            raise ValueError("fmt must be pcap or pcapng")
        self.path = path
        self.linktype = linktype
        self.fmt = fmt
        self.snaplen = snaplen
        self.now_us = int(round(start * 1_000_000))
        self.step_us = step_us
        self.count = 0
        self._fh = open(path, "wb")
        if fmt == "pcap":
            self._fh.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0,
                                       snaplen, linktype))
        else:
            self._write_block(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1))
            self._write_block(0x00000001, struct.pack("<HHI", linktype, 0, snaplen))

    # clock ---------------------------------------------------------------
    def advance(self, seconds=0.0, us=0):
        """Move the clock forward (e.g. to separate conversations)."""
        self.now_us += int(round(seconds * 1_000_000)) + us

    def at_least(self, epoch_seconds):
        """Move the clock forward to `epoch_seconds` if it is behind."""
        self.now_us = max(self.now_us, int(round(epoch_seconds * 1_000_000)))

    # output --------------------------------------------------------------
    def _write_block(self, btype, body):
        pad = (-len(body)) % 4
        length = 12 + len(body) + pad
        self._fh.write(struct.pack("<II", btype, length) + body + b"\x00" * pad +
                       struct.pack("<I", length))

    def write(self, frame, ts_us=None):
        """Write one link-layer frame at `ts_us` (default: the clock), then
        advance the clock by step_us."""
        ts = self.now_us if ts_us is None else ts_us
        cap = frame[:self.snaplen]
        sec, usec = divmod(ts, 1_000_000)
        if self.fmt == "pcap":
            self._fh.write(struct.pack("<IIII", sec, usec, len(cap), len(frame)) + cap)
        else:
            body = struct.pack("<IIIII", 0, (ts >> 32) & 0xFFFFFFFF, ts & 0xFFFFFFFF,
                               len(cap), len(frame)) + cap
            self._write_block(0x00000006, body)
        self.count += 1
        if ts_us is None:
            self.now_us += self.step_us

    def write_l3(self, packet, src_ip, dst_ip, vlans=(), src_mac=None, dst_mac=None,
                 qinq_tpid=ETH_QINQ):
        """Wrap an IP packet in this writer's link layer and write it."""
        version = _addr(src_ip).version
        ethertype = ETH_IPV4 if version == 4 else ETH_IPV6
        if self.linktype == LINKTYPE_ETHERNET:
            frame = ethernet(src_mac or mac_for(src_ip), dst_mac or mac_for(dst_ip),
                             ethertype, packet, vlans, qinq_tpid)
        elif self.linktype == LINKTYPE_RAW:
            frame = packet
        elif self.linktype == LINKTYPE_NULL:
            family = 2 if version == 4 else 30  # AF_INET, AF_INET6 (BSD)
            frame = struct.pack("<I", family) + packet
        elif self.linktype == LINKTYPE_LINUX_SLL:
            frame = struct.pack("!HHH", 0, 1, 6) + (src_mac or mac_for(src_ip)) + \
                b"\x00\x00" + struct.pack("!H", ethertype) + packet
        else:
            raise ValueError("unsupported linktype %d" % self.linktype)
        self.write(frame)

    def close(self):
        if self._fh:
            self._fh.close()
            self._fh = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


# --------------------------------------------------------------------------
# Conversations
# --------------------------------------------------------------------------

class _Endpoints:
    """Shared plumbing: two (ip, port) ends, L2 options, IP ids, and the
    builder of an IP packet around an L4 payload."""

    def __init__(self, writer, client, server, start_time=None, vlans=(),
                 qinq_tpid=ETH_QINQ, ttl=64, hop_limit=64):
        self.w = writer
        self.client = (str(client[0]), int(client[1]) if len(client) > 1 else 0)
        self.server = (str(server[0]), int(server[1]) if len(server) > 1 else 0)
        self.v6 = _addr(self.client[0]).version == 6
        if self.v6 != (_addr(self.server[0]).version == 6):
            raise ValueError("client and server must be the same IP version")
        self.vlans = tuple(vlans)
        self.qinq_tpid = qinq_tpid
        self.ttl = ttl
        self.hop_limit = hop_limit
        # IP ids: stable per conversation, distinct per direction.
        seed = sum(_addr(self.client[0]).packed) * 257 + self.client[1]
        self._ipid = {True: (seed * 7) & 0xFFFF, False: (seed * 13 + 4097) & 0xFFFF}
        if start_time is not None:
            writer.at_least(start_time)

    def _ends(self, from_client):
        return (self.client, self.server) if from_client else (self.server, self.client)

    def _emit(self, from_client, proto, l4, corrupt_ip=False, ttl=None):
        (sip, _), (dip, _) = self._ends(from_client)
        if self.v6:
            pkt = ipv6(sip, dip, proto, l4, hop_limit=self.hop_limit if ttl is None else ttl)
        else:
            ident = self._ipid[from_client]
            self._ipid[from_client] = (ident + 1) & 0xFFFF
            pkt = ipv4(sip, dip, proto, l4, ttl=self.ttl if ttl is None else ttl,
                       ident=ident, corrupt=corrupt_ip)
        self.w.write_l3(pkt, sip, dip, self.vlans, qinq_tpid=self.qinq_tpid)


class TcpConversation(_Endpoints):
    """A scripted TCP connection with correct sequence and ack numbers.

    `corrupt` on any method takes "ip" (IPv4 header checksum) or "l4"
    (TCP checksum) and damages only that one packet.
    """

    def __init__(self, writer, client, server, start_time=None, client_isn=None,
                 server_isn=None, window=64240, mss=1460, **kw):
        super().__init__(writer, client, server, start_time, **kw)
        base = (self.client[1] * 2654435761) & 0xFFFFFFFF
        self.isn = {True: base if client_isn is None else client_isn,
                    False: ((base ^ 0x5A5A5A5A) * 3 & 0xFFFFFFFF)
                    if server_isn is None else server_isn}
        self.next_seq = {True: self.isn[True], False: self.isn[False]}
        self.window = window
        self.mss = mss

    def packet(self, flags, payload=b"", from_client=True, seq=None, ack=None,
               corrupt=None, options=b"", window=None, advance=True, ttl=None, urgent=0):
        """Write one segment.  seq/ack default to the conversation state;
        `advance` moves this side's sequence by the payload (and SYN/FIN);
        `urgent` is the urgent pointer (meaningful with the URG flag)."""
        (sip, sport), (dip, dport) = self._ends(from_client)
        s = self.next_seq[from_client] if seq is None else seq
        if ack is None:
            ack = self.next_seq[not from_client] if flags & ACK else 0
        seg = tcp(sip, dip, sport, dport, s, ack, flags, payload,
                  self.window if window is None else window, options, urgent=urgent,
                  corrupt=(corrupt == "l4"))
        self._emit(from_client, PROTO_TCP, seg, corrupt_ip=(corrupt == "ip"), ttl=ttl)
        if advance and seq is None:
            used = len(payload) + (1 if flags & SYN else 0) + (1 if flags & FIN else 0)
            self.next_seq[from_client] = (s + used) & 0xFFFFFFFF

    def handshake(self):
        """SYN, SYN/ACK, ACK (with an MSS option on the SYNs)."""
        mss_opt = struct.pack("!BBH", 2, 4, self.mss)
        self.packet(SYN, from_client=True, options=mss_opt)
        self.packet(SYN | ACK, from_client=False, options=mss_opt)
        self.packet(ACK, from_client=True)
        return self

    def send(self, data, from_client=True, segment_size=1400, ack=True,
             flags=PSH | ACK, corrupt=None):
        """Send `data` in segments of at most `segment_size` bytes, each
        followed by an ACK from the peer (unless ack=False).  `corrupt`
        applies to the first segment only."""
        data = bytes(data)
        for i in range(0, len(data), segment_size) or [0]:
            chunk = data[i:i + segment_size]
            self.packet(flags, chunk, from_client, corrupt=corrupt if i == 0 else None)
            if ack:
                self.packet(ACK, from_client=not from_client)
        return self

    def close(self, from_client=True):
        """FIN/ACK from one side, FIN/ACK from the other, final ACK."""
        self.packet(FIN | ACK, from_client=from_client)
        self.packet(FIN | ACK, from_client=not from_client)
        self.packet(ACK, from_client=from_client)
        return self

    def rst(self, from_client=True):
        self.packet(RST | ACK, from_client=from_client, advance=False)
        return self


class UdpExchange(_Endpoints):
    """UDP datagrams between a client and a server (e.g. DNS)."""

    def send(self, data, from_client=True, corrupt=None, ttl=None):
        (sip, sport), (dip, dport) = self._ends(from_client)
        seg = udp(sip, dip, sport, dport, bytes(data), corrupt=(corrupt == "l4"))
        self._emit(from_client, PROTO_UDP, seg, corrupt_ip=(corrupt == "ip"), ttl=ttl)
        return self

    def request(self, data, **kw):
        return self.send(data, True, **kw)

    def response(self, data, **kw):
        return self.send(data, False, **kw)

    def exchange(self, request, response):
        return self.request(request).response(response)


class IcmpEcho(_Endpoints):
    """ICMP (or ICMPv6) echo request/reply pairs between two hosts."""

    def __init__(self, writer, client, server, ident=0x1234, **kw):
        client = (client, 0) if isinstance(client, str) else client
        server = (server, 0) if isinstance(server, str) else server
        super().__init__(writer, client, server, **kw)
        self.ident = ident
        self.seq = 1

    def ping(self, count=1, payload=bytes(range(0x10, 0x40)), reply=True, corrupt=None):
        for _ in range(count):
            for is_reply in ((False, True) if reply else (False,)):
                from_client = not is_reply
                (sip, _), (dip, _) = self._ends(from_client)
                bad = corrupt == "l4"
                if self.v6:
                    msg = icmpv6_echo(sip, dip, self.ident, self.seq, payload, is_reply, bad)
                    self._emit(from_client, PROTO_ICMPV6, msg)
                else:
                    msg = icmp_echo(self.ident, self.seq, payload, is_reply, bad)
                    self._emit(from_client, PROTO_ICMP, msg, corrupt_ip=(corrupt == "ip"))
            self.seq += 1
        return self


# --------------------------------------------------------------------------
# DNS messages (RFC 1035)
# --------------------------------------------------------------------------

class _Dns:
    """Builders for DNS queries and responses.

    Answers are (type, data) or (type, data, ttl) with type one of
    A, AAAA, CNAME, NS, PTR (data: a name or address), TXT (str or bytes),
    MX (data: (preference, name)).  Answer owner names point back at the
    question with a compression pointer, as real servers do.
    """

    TYPES = {"A": 1, "NS": 2, "CNAME": 5, "PTR": 12, "MX": 15, "TXT": 16, "AAAA": 28}
    RCODES = {"NOERROR": 0, "FORMERR": 1, "SERVFAIL": 2, "NXDOMAIN": 3, "REFUSED": 5}

    @staticmethod
    def name(text):
        out = b""
        for label in text.rstrip(".").split(".") if text.strip(".") else []:
            raw = label.encode("ascii")
            if not 0 < len(raw) < 64:
                raise ValueError("bad DNS label %r" % label)
            out += bytes([len(raw)]) + raw
        return out + b"\x00"

    def _qtype(self, qtype):
        return self.TYPES[qtype] if isinstance(qtype, str) else int(qtype)

    def query(self, qid, qname, qtype="A", recursion_desired=True):
        flags = 0x0100 if recursion_desired else 0
        return struct.pack("!HHHHHH", qid, flags, 1, 0, 0, 0) + \
            self.name(qname) + struct.pack("!HH", self._qtype(qtype), 1)

    def _rdata(self, rtype, data):
        if rtype == "A":
            return ipaddress.IPv4Address(data).packed
        if rtype == "AAAA":
            return ipaddress.IPv6Address(data).packed
        if rtype in ("CNAME", "NS", "PTR"):
            return self.name(data)
        if rtype == "MX":
            return struct.pack("!H", data[0]) + self.name(data[1])
        if rtype == "TXT":
            raw = data.encode() if isinstance(data, str) else bytes(data)
            return b"".join(bytes([len(raw[i:i + 255])]) + raw[i:i + 255]
                            for i in range(0, len(raw), 255)) or b"\x00"
        raise ValueError("unsupported record type %r" % rtype)

    def response(self, qid, qname, answers=(), qtype="A", rcode="NOERROR",
                 recursion_available=True, authoritative=False):
        flags = 0x8000 | 0x0100 | (0x0080 if recursion_available else 0) | \
            (0x0400 if authoritative else 0) | self.RCODES.get(rcode, rcode if isinstance(rcode, int) else 0)
        out = struct.pack("!HHHHHH", qid, flags, 1, len(answers), 0, 0)
        out += self.name(qname) + struct.pack("!HH", self._qtype(qtype), 1)
        for ans in answers:
            rtype, data = ans[0], ans[1]
            ttl = ans[2] if len(ans) > 2 else 300
            rdata = self._rdata(rtype, data)
            out += struct.pack("!HHHIH", 0xC00C, self.TYPES[rtype], 1, ttl, len(rdata)) + rdata
        return out


dns = _Dns()


class _Mqtt:
    """MQTT control packets (MQTT 3.1.1 section 2, 5.0 section 2): the
    fixed header's type/flags byte and Remaining Length, length-prefixed
    strings and (5.0) property blocks.  Bodies are written by the caller."""

    @staticmethod
    def varint(n):
        """A Variable Byte Integer (Remaining Length, property lengths)."""
        out = bytearray()
        while True:
            b = n & 0x7F
            n >>= 7
            out.append(b | (0x80 if n else 0))
            if not n:
                return bytes(out)

    def packet(self, first, body):
        """first: type << 4 | flags (0x10 CONNECT, 0x32 PUBLISH QoS 1, ...)."""
        return bytes([first]) + self.varint(len(body)) + body

    @staticmethod
    def string(text):
        data = text if isinstance(text, bytes) else text.encode()
        return struct.pack("!H", len(data)) + data

    def props(self, data):
        """A 5.0 property block: its length, then the encoded properties."""
        return self.varint(len(data)) + data


mqtt = _Mqtt()


# --------------------------------------------------------------------------
# Reading back (for tests and sanity checks)
# --------------------------------------------------------------------------

def read_pcap(path):
    """List of (ts_us, frame) from a file written by this module."""
    return read_pcap_info(path)[1]


def read_pcap_info(path):
    """(linktype, [(ts_us, frame), ...]) from a little-endian microsecond
    pcap or a pcapng written by this module."""
    with open(path, "rb") as fh:
        data = fh.read()
    magic, = struct.unpack("<I", data[:4])
    if magic == 0x0A0D0D0A:
        return _read_pcapng(data)
    if magic != 0xA1B2C3D4:
        raise ValueError("not a little-endian microsecond pcap")
    linktype = struct.unpack("<I", data[20:24])[0]
    out, pos = [], 24
    while pos < len(data):
        sec, usec, caplen, origlen = struct.unpack("<IIII", data[pos:pos + 16])
        pos += 16
        frame = data[pos:pos + caplen]
        if len(frame) != caplen:
            raise ValueError("truncated record at offset %d" % (pos - 16))
        out.append((sec * 1_000_000 + usec, frame))
        pos += caplen
    return linktype, out


def _read_pcapng(data):
    pos, linktype, out = 0, None, []
    while pos < len(data):
        btype, length = struct.unpack("<II", data[pos:pos + 8])
        body = data[pos + 8:pos + length - 4]
        if btype == 1:
            linktype = struct.unpack("<H", body[:2])[0]
        elif btype == 6:
            _, hi, lo, caplen, _ = struct.unpack("<IIIII", body[:20])
            out.append(((hi << 32) | lo, body[20:20 + caplen]))
        pos += length
    return linktype, out


def decode_frame(frame, linktype=LINKTYPE_ETHERNET):
    """Minimal decoder for frames this module writes, for self-checks:
    returns a dict with vlans, ip version, src, dst, proto, sport, dport,
    flags (TCP), payload and csum_ok (IPv4 header and L4 checksums)."""
    info = {"vlans": [], "csum_ok": True}
    if linktype == LINKTYPE_ETHERNET:
        pos = 12
        ethertype, = struct.unpack("!H", frame[pos:pos + 2])
        while ethertype in (ETH_VLAN, ETH_QINQ):
            info["vlans"].append(struct.unpack("!H", frame[pos + 2:pos + 4])[0] & 0x0FFF)
            pos += 4
            ethertype, = struct.unpack("!H", frame[pos:pos + 2])
        l3 = frame[pos + 2:]
    elif linktype == LINKTYPE_RAW:
        l3 = frame
    elif linktype == LINKTYPE_NULL:
        l3 = frame[4:]
    elif linktype == LINKTYPE_LINUX_SLL:
        l3 = frame[16:]
    else:
        raise ValueError("unsupported linktype %d" % linktype)
    version = l3[0] >> 4
    info["version"] = version
    if version == 4:
        ihl = (l3[0] & 0x0F) * 4
        total, = struct.unpack("!H", l3[2:4])
        proto = l3[9]
        src, dst = str(ipaddress.IPv4Address(l3[12:16])), str(ipaddress.IPv4Address(l3[16:20]))
        if checksum(l3[:ihl]) != 0:
            info["csum_ok"] = False
        l4 = l3[ihl:total]
    else:
        plen, proto = struct.unpack("!HB", l3[4:7])
        src, dst = str(ipaddress.IPv6Address(l3[8:24])), str(ipaddress.IPv6Address(l3[24:40]))
        l4 = l3[40:40 + plen]
    info.update(src=src, dst=dst, proto=proto, sport=None, dport=None, flags=None)
    if proto in (PROTO_TCP, PROTO_UDP, PROTO_ICMPV6):
        if checksum(_pseudo_header(src, dst, proto, len(l4)) + l4) != 0:
            info["csum_ok"] = False
    elif proto == PROTO_ICMP and checksum(l4) != 0:
        info["csum_ok"] = False
    if proto == PROTO_TCP:
        info["sport"], info["dport"] = struct.unpack("!HH", l4[:4])
        info["seq"], info["ack"] = struct.unpack("!II", l4[4:12])
        info["flags"] = l4[13]
        info["payload"] = l4[(l4[12] >> 4) * 4:]
    elif proto == PROTO_UDP:
        info["sport"], info["dport"] = struct.unpack("!HH", l4[:4])
        info["payload"] = l4[8:]
    else:
        info["payload"] = l4[8:]
        info["icmp_type"] = l4[0]
    return info
