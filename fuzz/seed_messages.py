"""Hand-written protocol messages and YAML snippets for fuzz/make_seeds.py.

Each builder returns plain bytes of one protocol's messages, written to
reach the parsers' interesting paths (headers, bodies, files, MIME parts,
certificates, extensions) while staying small.
"""

import struct


# --------------------------------------------------------------------------
# HTTP
# --------------------------------------------------------------------------

def http_exchange():
    """A GET that the engine_fuzz rules look at, and a 200 with a body."""
    req = (b"GET /admin/x?user=alice HTTP/1.1\r\nHost: evil.example\r\nUser-Agent: curl/8.0\r\n"
           b"Cookie: a=b\r\nAuthorization: Weird abc\r\nAccept: */*\r\n\r\n")
    body = b"MZ\x90\x00" + b"A" * 60
    resp = (b"HTTP/1.1 200 OK\r\nServer: t\r\nContent-Type: application/octet-stream\r\n"
            b"Content-Disposition: attachment; filename=\"tool.exe\"\r\n"
            b"Content-Length: %d\r\n\r\n" % len(body)) + body
    return req, resp


# --------------------------------------------------------------------------
# SMTP with a MIME message
# --------------------------------------------------------------------------

def smtp_dialog():
    """[(to_server, bytes)]: EHLO, MAIL, RCPT, DATA with a multipart message
    (quoted-printable text with a URL, base64 attachment), QUIT."""
    mail = (b"From: Mallory <mallory@evil.example>\r\nTo: bob@example.org\r\n"
            b"Subject: Invoice 42\r\nMIME-Version: 1.0\r\n"
            b"Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n"
            b"--b1\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
            b"see http://evil.example/pay =3D now=\r\n soon\r\n"
            b"--b1\r\nContent-Type: application/octet-stream; name=\"a.bin\"\r\n"
            b"Content-Disposition: attachment; filename=\"a.bin\"\r\n"
            b"Content-Transfer-Encoding: base64\r\n\r\nTUFSS0VSLTc3MzEgcGF5bG9hZA==\r\n"
            b"--b1--\r\n.\r\n")
    return [
        (False, b"220 mx.example.org ESMTP\r\n"),
        (True, b"EHLO client.example\r\n"),
        (False, b"250-mx.example.org\r\n250-PIPELINING\r\n250 8BITMIME\r\n"),
        (True, b"MAIL FROM:<mallory@evil.example>\r\n"),
        (False, b"250 OK\r\n"),
        (True, b"RCPT TO:<bob@example.org>\r\n"),
        (False, b"250 OK\r\n"),
        (True, b"DATA\r\n"),
        (False, b"354 go ahead\r\n"),
        (True, mail),
        (False, b"250 queued\r\n"),
        (True, b"QUIT\r\n"),
        (False, b"221 bye\r\n"),
    ]


# --------------------------------------------------------------------------
# MQTT (3.1.1 and 5.0)
# --------------------------------------------------------------------------

def mqtt_dialog(version=4):
    """[(to_server, bytes)]: CONNECT (with will, user, password; v5 with
    properties), CONNACK, PUBLISH QoS 1 and 2 with their answers,
    SUBSCRIBE/SUBACK, UNSUBSCRIBE/UNSUBACK, PINGREQ/PINGRESP, DISCONNECT."""
    from pcapgen import mqtt  # make_seeds.py puts tools/pcapgen on the path
    _mqtt, _mqtt_str = mqtt.packet, mqtt.string
    v5 = version == 5
    p = mqtt.props if v5 else (lambda data: b"")
    props = p(b"\x11\x00\x00\x00\x3c\x21\x00\x14\x26" + _mqtt_str(b"k") + _mqtt_str(b"v"))
    will = p(b"\x18\x00\x00\x00\x05\x03" + _mqtt_str(b"text/plain"))
    connect = _mqtt(0x10, _mqtt_str(b"MQTT") + bytes([version, 0xE6]) + b"\x00\x3c" + props +
                    _mqtt_str(b"client-1") + will + _mqtt_str(b"will/topic") +
                    _mqtt_str(b"bye") + _mqtt_str(b"user") + _mqtt_str(b"secret"))
    rc = b"\x00" if v5 else b""
    return [
        (True, connect),
        (False, _mqtt(0x20, b"\x00\x00" + p(b"\x22\x00\x0a"))),
        (True, _mqtt(0x32, _mqtt_str(b"a/b") + b"\x00\x01" + p(b"\x01\x01\x23\x00\x05") +
                     b"payload")),
        (False, _mqtt(0x40, b"\x00\x01" + rc)),
        (True, _mqtt(0x34, _mqtt_str(b"c/d") + b"\x00\x02" + p(b"") + b"\xff\xd8")),
        (False, _mqtt(0x50, b"\x00\x02")),
        (True, _mqtt(0x62, b"\x00\x02")),
        (False, _mqtt(0x70, b"\x00\x02")),
        (True, _mqtt(0x82, b"\x00\x03" + p(b"") + _mqtt_str(b"a/#") + b"\x01" +
                     _mqtt_str(b"+/x") + b"\x02")),
        (False, _mqtt(0x90, b"\x00\x03" + p(b"") + b"\x01\x80")),
        (True, _mqtt(0xA2, b"\x00\x04" + p(b"") + _mqtt_str(b"a/#"))),
        (False, _mqtt(0xB0, b"\x00\x04" + p(b"") + (b"\x11" if v5 else b""))),
        (True, _mqtt(0xC0, b"")),
        (False, _mqtt(0xD0, b"")),
        (True, _mqtt(0xE0, (b"\x04" + p(b"\x11\x00\x00\x00\x01")) if v5 else b"")),
    ]


# --------------------------------------------------------------------------
# SIP
# --------------------------------------------------------------------------

def sip_exchange():
    """An INVITE with compact headers (v, f, t, i, c, l), a second Via and
    an SDP body, and a 200 OK with Content-Length; bytes each."""
    sdp = b"v=0\r\no=a 1 1 IN IP4 192.0.2.1\r\ns=call\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n"
    invite = (b"INVITE sip:bob@example.org SIP/2.0\r\nv: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1\r\n"
              b"Via: SIP/2.0/TCP proxy.example.org;branch=z9hG4bK2\r\n"
              b"f: Alice <sip:alice@example.com>;tag=1\r\nt: <sip:bob@example.org>\r\ni: 42@192.0.2.1\r\n"
              b"CSeq: 1 INVITE\r\nUser-Agent: Phone\r\n 2.0\r\nc: application/sdp\r\n"
              b"l: %d\r\n\r\n" % len(sdp)) + sdp
    ok = (b"SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1\r\n"
          b"From: Alice <sip:alice@example.com>;tag=1\r\nTo: <sip:bob@example.org>;tag=2\r\n"
          b"Content-Length: 4\r\n\r\nabcd")
    return invite, ok


# --------------------------------------------------------------------------
# TLS 1.2 handshake with a certificate
# --------------------------------------------------------------------------

def _der(tag, body):
    n = len(body)
    if n < 0x80:
        head = bytes([n])
    elif n < 0x100:
        head = bytes([0x81, n])
    else:
        head = bytes([0x82]) + struct.pack("!H", n)
    return bytes([tag]) + head + body


def _seq(*parts):
    return _der(0x30, b"".join(parts))


def _oid(dotted):
    nums = [int(x) for x in dotted.split(".")]
    out = bytes([40 * nums[0] + nums[1]])
    for n in nums[2:]:
        enc = [n & 0x7F]
        n >>= 7
        while n:
            enc.insert(0, 0x80 | (n & 0x7F))
            n >>= 7
        out += bytes(enc)
    return _der(0x06, out)


def _name(cn, org):
    def rdn(oid, text):
        return _der(0x31, _seq(_oid(oid), _der(0x0C, text)))
    return _seq(rdn("2.5.4.6", b"XX"), rdn("2.5.4.10", org), rdn("2.5.4.3", cn))


def certificate(cn=b"www.example.com"):
    """A self-signed-looking X.509 v3 certificate (the signature is not
    real: parsers read it, nobody verifies it)."""
    sha256_rsa = _seq(_oid("1.2.840.113549.1.1.11"), b"\x05\x00")
    spki = _seq(_seq(_oid("1.2.840.113549.1.1.1"), b"\x05\x00"),
                _der(0x03, b"\x00" + _seq(_der(0x02, b"\x00" + b"\xc3" * 64), _der(0x02, b"\x01\x00\x01"))))
    san = _seq(_oid("2.5.29.17"), _der(0x04, _seq(_der(0x82, cn), _der(0x82, b"alt.example.com"))))
    tbs = _seq(_der(0xA0, _der(0x02, b"\x02")), _der(0x02, b"\x01\x23\x45\x67"), sha256_rsa,
               _name(b"Example CA", b"Example"),
               _seq(_der(0x17, b"260101000000Z"), _der(0x17, b"270101000000Z")),
               _name(cn, b"Example"), spki, _der(0xA3, _seq(san)))
    return _seq(tbs, sha256_rsa, _der(0x03, b"\x00" + b"\x5a" * 64))


def _handshake(htype, body):
    return bytes([htype]) + struct.pack("!I", len(body))[1:] + body


def _record(ctype, body, version=0x0303):
    return struct.pack("!BHH", ctype, version, len(body)) + body


def _ext(etype, body):
    return struct.pack("!HH", etype, len(body)) + body


def tls_client_hello(sni):
    host = sni.encode()
    exts = (_ext(0x0000, struct.pack("!HBH", len(host) + 3, 0, len(host)) + host) +
            _ext(0x000A, struct.pack("!HHHH", 6, 0x001D, 0x0017, 0x0018)) +
            _ext(0x000B, b"\x01\x00") +
            _ext(0x000D, struct.pack("!HHHH", 6, 0x0403, 0x0804, 0x0401)) +
            _ext(0x0010, b"\x00\x0c\x02h2\x08http/1.1") +
            _ext(0x002B, b"\x04\x03\x04\x03\x03") +
            _ext(0x0A0A, b""))  # a GREASE value, which JA3/JA4 skip
    ciphers = struct.pack("!HHHHH", 0x0A0A, 0x1301, 0xC02F, 0xC030, 0x009C)
    body = (struct.pack("!H", 0x0303) + bytes(range(32)) + b"\x00" +
            struct.pack("!H", len(ciphers)) + ciphers + b"\x01\x00" +
            struct.pack("!H", len(exts)) + exts)
    return _record(0x16, _handshake(1, body), version=0x0301)


def tls_server_flight():
    """ServerHello, Certificate, ServerHelloDone; then ChangeCipherSpec and
    an encrypted record."""
    exts = _ext(0xFF01, b"\x00") + _ext(0x0010, b"\x00\x03\x02h2")
    hello = (struct.pack("!H", 0x0303) + bytes(range(32, 64)) + b"\x00" +
             struct.pack("!HB", 0xC02F, 0) + struct.pack("!H", len(exts)) + exts)
    cert = certificate()
    chain = struct.pack("!I", len(cert))[1:] + cert
    certs = _handshake(11, struct.pack("!I", len(chain))[1:] + chain)
    flight = _handshake(2, hello) + certs + _handshake(14, b"")
    return _record(0x16, flight) + _record(0x14, b"\x01") + _record(0x17, b"\x17" * 40)


# --------------------------------------------------------------------------
# YAML for config_fuzz: text, then NUL-separated --set assignments
# --------------------------------------------------------------------------

def yaml_seeds():
    return {
        "outputs": b"""%YAML 1.1
---
default-log-dir: /tmp
outputs:
  - fast:
      enabled: no
  - eve-log:
      enabled: yes
      filename: eve.json
      types:
        - alert:
            tagged-packets: no
        - dns:
            version: 2
            formats: [detailed]
            types: [a, mx]
        - tls:
            custom: [subject, sni, ja3]
        - http:
            extended: yes
            custom: [accept, x-forwarded-for]
            dump-all-headers: both
        - files:
            force-magic: yes
            force-hash: [md5, sha256]
  - file-store:
      version: 2
      enabled: no
""",
        "engine": b"""stream:
  memcap: 32mb
  midstream: true
  reassembly:
    depth: 1 MiB
    toserver-chunk-size: 2560
flow:
  memcap: 8mb
flow-timeouts:
  tcp: {new: 10, established: 100}
defrag:
  memcap: 1mb
  timeout: 5
host-os-policy:
  windows: [10.0.0.0/8]
  linux: ["2001:db8::/32"]
decoder:
  max-layers: 4
  vxlan: {enabled: true, ports: "[4789, 8472]"}
app-layer:
  protocols:
    smtp:
      mime: {decode-base64: yes, extract-urls: yes, extract-urls-schemes: [http, https]}
    tls: {ja3-fingerprints: yes, enabled: detection-only}
pcap-file:
  checksum-checks: auto
\x00stream.inline=yes\x00outputs.1.eve-log.types.1.frame.enabled=yes\x00vars.address-groups.HOME_NET=[10.0.0.0/8]""",
        "include": b"""include: inc.yaml
vars:
  address-groups: !include sub/more.yaml
threshold-file: /nonexistent
rule-files:
  - a.rules
detect: {packet-alert-max: 3, inspection-recursion-limit: 10}
\x00decoder.max-layers=2\x00outputs.5.x=1""",
        "dotted": b"""vars.address-groups.HOME_NET: "[192.168.0.0/16]"
stream.reassembly.depth: 12qb
stream.midstream: maybe
stream.midstream: no
anchors: &a {x: 1}
ref: *a
""",
    }
