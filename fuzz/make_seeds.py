#!/usr/bin/env python3
"""Writes the seed corpus of every fuzz target into OUTDIR/<target>/.

Everything is made here: packets come from the project's own generator
(tools/pcapgen), protocol messages are written below by hand, rules come
from the project's own rule files (tests/pcap/*/*/*.rules) and the
engine_fuzz rule set, YAML from snippets below. No capture or rule set of
/work/shared is copied. The output is deterministic and small (a few KB
per seed, a handful of seeds per target), so it is generated at run time
rather than committed; fuzz/seeds/ holds the few hand-made extras.

    python3 fuzz/make_seeds.py /tmp/pasban-seeds
"""

import gzip
import os
import re
import struct
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(ROOT, "tools", "pcapgen"))

import pcapgen  # noqa: E402
from pcapgen import (ACK, PSH, SYN, TcpConversation, UdpExchange,  # noqa: E402
                     IcmpEcho, Writer, dns)
from seed_messages import (http_exchange, mqtt_dialog, sip_exchange, smtp_dialog,  # noqa: E402
                           tls_client_hello, tls_server_flight, yaml_seeds)


# --------------------------------------------------------------------------
# fuzz/conversation.h records
# --------------------------------------------------------------------------

def conversation(messages, chunk=126):
    """Encode [(to_server, bytes) | ("gap", to_server, n)] as records, each
    message cut into pieces of at most `chunk` bytes (chunk > 126 uses the
    2-byte length form)."""
    out = bytearray()
    for m in messages:
        if m[0] == "gap":
            out += bytes([0 if m[1] else 0x80, m[2]])
            continue
        to_server, data = m
        dirbit = 0 if to_server else 0x80
        for i in range(0, len(data), chunk):
            piece = data[i:i + chunk]
            if len(piece) <= 126:
                out += bytes([dirbit | len(piece)]) + piece
            else:
                out += bytes([dirbit | 127]) + struct.pack("!H", len(piece)) + piece
    return bytes(out)


# --------------------------------------------------------------------------
# Captures from pcapgen, as frames
# --------------------------------------------------------------------------

def capture(script, linktype=pcapgen.LINKTYPE_ETHERNET):
    """Runs script(writer) into a scratch pcap; returns [(ts_us, frame)]."""
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "x.pcap")
        with Writer(path, linktype=linktype) as w:
            script(w)
        return pcapgen.read_pcap(path)


def engine_input(mode, frames):
    """engine_fuzz format: mode byte, then [len:2][step:1][frame]."""
    out = bytearray([mode])
    prev = frames[0][0] if frames else 0
    for ts, frame in frames:
        step_ms = max(0, min(127, (ts - prev) // 1000))
        prev = ts
        out += struct.pack("!HB", len(frame), step_ms) + frame
    return bytes(out)


def http_script(w):
    c = TcpConversation(w, ("10.1.1.5", 49152), ("192.0.2.10", 80))
    c.handshake()
    req, resp = http_exchange()
    c.send(req)
    c.send(resp, from_client=False, segment_size=400)
    c.close()


def dns_script(w):
    u = UdpExchange(w, ("10.1.1.5", 53001), ("10.1.1.1", 53))
    u.exchange(dns.query(0x1234, "www.example.org"),
               dns.response(0x1234, "www.example.org",
                            [("CNAME", "evil.example.net"), ("A", "192.0.2.1")]))
    u.exchange(dns.query(0x4321, "example.org", "MX"),
               dns.response(0x4321, "example.org", [("MX", (10, "mail.example.org"))], qtype="MX"))


def tls_script(w):
    c = TcpConversation(w, ("10.1.1.5", 49200), ("192.0.2.20", 443))
    c.handshake()
    c.send(tls_client_hello("www.example.com"))
    c.send(tls_server_flight(), from_client=False, segment_size=700)
    c.close()


def smtp_script(w):
    c = TcpConversation(w, ("10.1.1.5", 49300), ("192.0.2.25", 25))
    c.handshake()
    for to_server, data in smtp_dialog():
        c.send(data, from_client=to_server)
    c.close()


def ips_script(w):
    c = TcpConversation(w, ("10.66.66.66", 40000), ("192.0.2.30", 7000))
    c.handshake()
    c.send(b"hello DROPME user=alice TAGME CNT b64:ZXZpbA==")
    c.send(b"REJECTME", from_client=False)
    c.close()
    IcmpEcho(w, ("10.1.1.5", 0), ("192.0.2.1", 0)).ping(2)


def fragments_script(w):
    payload = pcapgen.udp("10.1.1.5", "192.0.2.40", 4000, 5000, b"A" * 24 + b"EVILEVIL")
    # Two first fragments that overlap with different data, then the rest.
    for off, data, more in ((0, payload[:16], True), (8, b"BBBBBBBB", True), (16, payload[16:], False)):
        w.write_l3(pcapgen.ipv4_fragment("10.1.1.5", "192.0.2.40", 17, 77, off, data, more),
                   "10.1.1.5", "192.0.2.40")


def ipv6_vlan_script(w):
    u = UdpExchange(w, ("2001:db8::5", 5353), ("2001:db8::1", 53), vlans=(100, 200))
    u.exchange(dns.query(7, "v6.example.org", "AAAA"),
               dns.response(7, "v6.example.org", [("AAAA", "2001:db8::99")], qtype="AAAA"))


ENGINE_SCRIPTS = {
    "http": (http_script, 0), "dns": (dns_script, 0), "tls": (tls_script, 0),
    "smtp": (smtp_script, 0), "ips": (ips_script, 1), "frag": (fragments_script, 0),
    "v6vlan": (ipv6_vlan_script, 0), "midstream": (http_script, 2),
}

# engine_fuzz link types: index 1 raw IP, 2 Linux SLL, 3 BSD null.
OTHER_LINKS = {"raw": (pcapgen.LINKTYPE_RAW, 1), "sll": (pcapgen.LINKTYPE_LINUX_SLL, 2),
               "null": (pcapgen.LINKTYPE_NULL, 3)}


def engine_seeds():
    seeds = {}
    for name, (script, mode) in ENGINE_SCRIPTS.items():
        frames = capture(script)
        if name == "midstream":
            frames = frames[3:]  # no handshake: only midstream pick-up parses it
        seeds[name] = engine_input(mode, frames)
    for name, (linktype, index) in OTHER_LINKS.items():
        seeds[name] = engine_input(index << 2, capture(dns_script, linktype))
    return seeds


def decode_seeds():
    """Single frames: one of each kind the captures above hold."""
    seeds = {}
    for name, (script, _) in ENGINE_SCRIPTS.items():
        frames = capture(script)
        for i in sorted({0, 3, len(frames) // 2}):
            if i < len(frames):
                seeds["%s_%d" % (name, i)] = frames[i][1]
    return seeds


# --------------------------------------------------------------------------
# Per-parser conversations
# --------------------------------------------------------------------------

def http_seeds():
    req, resp = http_exchange()
    post = (b"POST /upload HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=XX\r\n"
            b"Content-Length: 103\r\n\r\n--XX\r\nContent-Disposition: form-data; name=\"f\"; "
            b"filename=\"a.exe\"\r\n\r\nMZ\x90\x00PE\r\n--XX--\r\n")
    chunked = (b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Encoding: gzip\r\n\r\n"
               b"5\r\nhello\r\n0\r\n\r\n")
    packed = gzip.compress(b"<html>" + b"gzip body " * 20 + b"</html>", mtime=0)
    gzipped = (b"HTTP/1.1 206 Partial Content\r\nContent-Encoding: gzip\r\n"
               b"Content-Range: bytes 0-%d/9999\r\nContent-Length: %d\r\n\r\n"
               % (len(packed) - 1, len(packed))) + packed
    return {
        "gzip_range": b"\x07" + conversation([(True, req), (False, gzipped)], chunk=40),
        "get": b"\x07" + conversation([(True, req), (False, resp)]),
        "small_pieces": b"\x01" + conversation([(True, req), (False, resp)], chunk=7),
        "gap": b"\x03" + conversation([(True, req), (False, resp[:60]), ("gap", False, 40),
                                       (False, resp[100:])]),
        "upload": b"\x00" + conversation([(True, post), (False, chunked)]),
        "pipelined": b"\x05" + conversation([(True, req + req), (False, resp + resp)], chunk=200),
    }


def dns_seeds():
    q = dns.query(0x1234, "www.example.org")
    r = dns.response(0x1234, "www.example.org", [("CNAME", "evil.example.net"), ("A", "192.0.2.1"),
                                                  ("TXT", "v=spf1 -all")])
    mx = dns.response(9, "example.org", [("MX", (10, "mail.example.org"))], qtype="MX",
                      rcode="NXDOMAIN")
    tcp = lambda m: struct.pack("!H", len(m)) + m  # noqa: E731
    return {
        "udp": b"\x00" + conversation([(True, q), (False, r)], chunk=1000),
        "udp_mx": b"\x00" + conversation([(True, dns.query(9, "example.org", "MX")), (False, mx)],
                                         chunk=1000),
        "tcp": b"\x01" + conversation([(True, tcp(q)), (False, tcp(r))], chunk=13),
        "tcp_two": b"\x01" + conversation([(True, tcp(q) + tcp(q)), ("gap", False, 0),
                                           (False, tcp(r))], chunk=1000),
    }


def tls_seeds():
    hello = tls_client_hello("www.example.com")
    flight = tls_server_flight()
    return {
        "handshake": b"\x07" + conversation([(True, hello), (False, flight)], chunk=1000),
        "pieces": b"\x0b" + conversation([(True, hello), (False, flight)], chunk=5),
        "gap": b"\x03" + conversation([(True, hello), ("gap", False, 20), (False, flight)],
                                      chunk=300),
    }


def smtp_seeds():
    dialog = smtp_dialog()
    bdat = [(False, b"220 mx ESMTP\r\n"), (True, b"EHLO c\r\n"), (False, b"250-mx\r\n250 CHUNKING\r\n"),
            (True, b"MAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nBDAT 12 LAST\r\n"),
            (False, b"250 ok\r\n250 ok\r\n"), (True, b"Subject: x\r\n\r\n"), (False, b"250 ok\r\n"),
            (True, b"STARTTLS\r\n"), (False, b"220 go\r\n"), (True, b"\x16\x03\x01\x00\x05hello")]
    return {
        "mime": b"\x08" + conversation(dialog),
        "mime_pieces": b"\x4c" + conversation(dialog, chunk=9),
        "bdat_starttls": b"\x00" + conversation(bdat),
    }


def mqtt_seeds():
    v311, v5 = mqtt_dialog(4), mqtt_dialog(5)
    coalesced = [(True, b"".join(d for ts, d in v5 if ts)), (False, b"".join(d for ts, d in v5 if not ts))]
    return {
        "v311": b"\x04" + conversation(v311),
        "v5_pieces": b"\x0c" + conversation(v5, chunk=3),
        "v5_coalesced_gap": b"\x06" + conversation(v5[:2] + coalesced[1:] + [("gap", True, 4)] +
                                                    coalesced[:1]),
        "small_limits": b"\x3b" + conversation(v5, chunk=40),
    }


def sip_seeds():
    invite, ok = sip_exchange()
    return {
        "udp": b"\x00" + conversation([(True, b"\r\n\r\n"), (True, invite), (False, ok)], chunk=1000),
        "tcp_pieces": b"\x01" + conversation([(True, invite), (False, ok)], chunk=11),
        "tcp_coalesced": b"\x01" + conversation([(True, invite + b"\r\n" + invite), (False, ok[:30]),
                                                 ("gap", False, 0), (False, ok + ok)], chunk=1000),
    }


# --------------------------------------------------------------------------
# Unit-level targets: defrag, stream, multipart
# --------------------------------------------------------------------------

def defrag_seeds():
    # [flags][id][off hi][off lo][len/4][fill]: v4 and v6 overlapping sets.
    v4 = bytes([2, 1, 0, 0, 4, 0x41, 2, 1, 0, 8, 4, 0x42, 0, 1, 0, 16, 2, 0x43])
    v6 = bytes([3 | 4, 2, 0, 0, 4, 0x61, 1 | 0x10 | 4, 2, 0, 16, 2, 0x62, 3 | 4, 2, 0, 8, 4, 0x63])
    return {"v4_overlap": v4, "v6_overlap": v6, "mixed": v4 + v6 + v4}


def stream_seeds():
    def rec(to_server, flags, seq, length, ack=0, win=0x10, extra=0):
        return bytes([(0x80 if to_server else 0) | flags]) + struct.pack("!hBhBB", seq, length, ack, win,
                                                                         extra)[:7]
    head = bytes([4, 0, 0, 0]) + struct.pack("!II", 1000, 5000)
    session = (rec(True, 0x02, 0, 0) + rec(False, 0x12, 0, 0, 1) + rec(True, 0x10, 1, 0, 1) +
               rec(True, 0x18, 1, 20, 1) + rec(False, 0x18, 1, 30, 21) + rec(True, 0x18, 11, 20, 31) +
               rec(True, 0x11, 31, 0, 31) + rec(False, 0x11, 31, 0, 32))
    return {"session": head + session, "overlap_midstream": bytes([0x27, 3, 0, 0]) + head[4:] + session}


def multipart_seeds():
    body = (b"--B1\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nvalue\r\n"
            b"--B1\r\nContent-Disposition: form-data; name=\"f\"; filename=\"x.pdf\"\r\n"
            b"Content-Type: application/pdf\r\n\r\n%PDF-1.4\r\n--B1--\r\n")
    return {"two_parts": bytes([2]) + b"B1" + body}


# --------------------------------------------------------------------------
# Rules and configuration
# --------------------------------------------------------------------------

def rule_seeds():
    seeds = {}
    pcap_dir = os.path.join(ROOT, "tests", "pcap")
    for area in sorted(os.listdir(pcap_dir)):
        base = os.path.join(pcap_dir, area)
        if not os.path.isdir(base):
            continue
        for case in sorted(os.listdir(base)):
            path = os.path.join(base, case, "test.rules")
            if os.path.exists(path):
                with open(path, "rb") as fh:
                    seeds["%s_%s" % (area, case)] = fh.read()[:4096]
    with open(os.path.join(HERE, "engine_fuzz.cc")) as fh:
        block = re.search(r'R"rules\((.*?)\)rules"', fh.read(), re.S).group(1)
    seeds["engine_rules"] = block.strip().encode()
    return seeds


# --------------------------------------------------------------------------
# libFuzzer dictionaries (-dict=), from the sources so they never go stale
# --------------------------------------------------------------------------

def _quoted_words(paths, pattern=r'"([a-z][a-z0-9_.-]{2,40})"'):
    words = set()
    for path in paths:
        with open(path, errors="replace") as fh:
            words.update(re.findall(pattern, fh.read()))
    return words


def _sources(sub):
    for dirpath, _, files in os.walk(os.path.join(ROOT, "src", sub)):
        for f in files:
            if f.endswith(".cc"):
                yield os.path.join(dirpath, f)


def dictionaries():
    rule_words = _quoted_words(_sources("detect")) | {
        "alert", "drop", "reject", "pass", "any", "->", "<>", "$HOME_NET", "!", "; ", ":", "|00 01|",
        "sid:", "content:\"", "pcre:\"/", "/i\"", "relative", "(msg:\"", "[1:2,!3]", "10.0.0.0/8",
        "::1", "flowbits:set,", "byte_test:", "threshold:type limit, track by_src, count 1, seconds 1"}
    # Keys of the built-in configuration, and the YAML syntax around them.
    with open(os.path.join(ROOT, "src", "runtime", "default_config.cc")) as fh:
        yaml_words = set(re.findall(r"^\s*-?\s*([a-z][a-z0-9_.-]+):", fh.read(), re.M))
    yaml_words |= {"include: ", "!include ", "%YAML 1.1", "---", ": ", "- ", "yes", "no", "{}", "[]",
                   "&a", "*a", "<<: ", "32mb", "1.5gb", "=", "outputs.1.eve-log.types.", "\x00"}
    http_words = {"GET ", "POST ", "CONNECT ", " HTTP/1.1\r\n", "HTTP/1.0 ", "\r\n\r\n",
                  "Host: ", "Content-Length: ", "Transfer-Encoding: chunked", "Content-Encoding: gzip",
                  "Content-Type: multipart/form-data; boundary=", "Content-Disposition: ",
                  "Content-Range: bytes 0-9/100", "Authorization: Basic ", "Upgrade: ", "Expect: ",
                  "100-continue", "0\r\n\r\n", "Set-Cookie: ", "Location: ", "filename=\""}
    smtp_words = {"EHLO ", "HELO ", "MAIL FROM:<", "RCPT TO:<", "DATA\r\n", "BDAT ", " LAST",
                  "STARTTLS", "RSET", "QUIT", "\r\n.\r\n", "250 ", "354 ", "220 ", "250-",
                  "Content-Type: multipart/mixed; boundary=", "Content-Transfer-Encoding: base64",
                  "quoted-printable", "--", "=?utf-8?B?", "Subject: ", "filename=", "http://"}
    sip_words = {"INVITE ", "REGISTER ", "ACK ", "SIP/2.0", "SIP/2.0 200 OK", "\r\n\r\n", "sip:",
                 "Via: ", "v: ", "f: ", "t: ", "i: ", "c: ", "l: ", "From: ", "To: ", "User-Agent: ",
                 "Content-Length: ", "Content-Type: application/sdp", "\r\n "}
    return {"rule_parse_fuzz": rule_words, "rule_load_fuzz": rule_words, "config_fuzz": yaml_words,
            "http_fuzz": http_words, "smtp_fuzz": smtp_words, "sip_fuzz": sip_words}


def write_dict(path, words):
    def esc(w):
        return "".join(c if 0x20 <= ord(c) < 0x7F and c not in '"\\' else
                       ("\\" + c if c in '"\\' else "\\x%02x" % ord(c)) for c in w)
    with open(path, "w") as fh:
        for w in sorted(words):
            fh.write('"%s"\n' % esc(w.encode().decode("unicode_escape")))


def write(outdir, target, seeds):
    d = os.path.join(outdir, target)
    os.makedirs(d, exist_ok=True)
    for name, data in seeds.items():
        with open(os.path.join(d, name), "wb") as fh:
            fh.write(data)


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: make_seeds.py OUTDIR")
    out = sys.argv[1]
    rules = rule_seeds()
    targets = {
        "engine_fuzz": engine_seeds(), "decode_fuzz": decode_seeds(),
        "http_fuzz": http_seeds(), "dns_fuzz": dns_seeds(), "tls_fuzz": tls_seeds(),
        "smtp_fuzz": smtp_seeds(), "mqtt_fuzz": mqtt_seeds(), "sip_fuzz": sip_seeds(), "defrag_fuzz": defrag_seeds(), "stream_fuzz": stream_seeds(),
        "multipart_fuzz": multipart_seeds(), "rule_parse_fuzz": rules, "rule_load_fuzz": rules,
        "config_fuzz": yaml_seeds(),
    }
    for target, seeds in targets.items():
        write(out, target, seeds)
    os.makedirs(os.path.join(out, "dicts"), exist_ok=True)
    for target, words in dictionaries().items():
        write_dict(os.path.join(out, "dicts", target + ".dict"), words)
    print("%d seeds for %d targets in %s" % (sum(map(len, targets.values())), len(targets), out))


if __name__ == "__main__":
    main()
