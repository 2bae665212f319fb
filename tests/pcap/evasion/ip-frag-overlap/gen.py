"""Overlapping IPv4 fragments with different content: the 17 fragments of
the Sturges/Novak test ("Target-Based Fragmentation Reassembly", 2005) sent
to each host of policies.yaml, after an 8-byte first fragment holding the
UDP header. Each 8-byte block is one letter, so the rebuilt datagram reads
as 24 letters that differ by the host's defrag policy. Expected: the rule
for the datagram the host's policy rebuilds fires once, no other does.

Expected datagrams: bsd, linux, windows, solaris, first and last are the
results Suricata's defrag documents for this pattern (its Sturges/Novak
unit tests); bsd-right trims nothing, so fragments are copied in offset
order and a later one at the same offset wins. host-os-policy names map to
defrag policies as Suricata maps them (hpux10/irix -> bsd, old-linux ->
linux, old-solaris/hpux11/macos -> first, vista/windows2k3 -> windows)."""
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from common import CLIENT, POLICIES, Expectations, Writer, case_dir_of, host  # noqa: E402
from pcapgen import PROTO_UDP, ipv4_fragment  # noqa: E402

PIECES = [  # offset, length, letter, more fragments (offsets within the UDP payload)
    (0, 24, "A", True), (32, 16, "B", True), (48, 24, "C", True), (80, 8, "D", True),
    (104, 16, "E", True), (120, 24, "F", True), (144, 16, "G", True), (160, 16, "H", True),
    (176, 8, "I", True), (8, 32, "J", True), (48, 24, "K", True), (72, 24, "L", True),
    (96, 24, "M", True), (128, 8, "N", True), (152, 8, "O", True), (160, 8, "P", True),
    (176, 16, "Q", False),
]
PAYLOAD = 192
NOVAK = {
    "bsd": "AAAJJBCCCLLLMMMFFFGGHHIQ",
    "linux": "AAAJJBKKKLLLMMMFFFGGPHQQ",
    "windows": "AAAJBBCCCLLLMEEFFFGGHHIQ",
    "solaris": "AAAJBBCCCLLLMMMFFFGGHHIQ",
    "first": "AAAJBBCCCLDLMEEFFFGGHHIQ",
    "last": "AJJJJBKKKLLLMMMFNFGOPHQQ",
}
DEFRAG_POLICY = {
    "bsd": "bsd", "hpux10": "bsd", "irix": "bsd", "bsd-right": "bsd-right",
    "linux": "linux", "old-linux": "linux", "old-solaris": "first", "hpux11": "first",
    "macos": "first", "first": "first", "solaris": "solaris", "windows": "windows",
    "vista": "windows", "windows2k3": "windows", "last": "last",
}


def bsd_right_blocks():
    """No trimming: every fragment is copied in (offset, arrival) order."""
    out = [" "] * (PAYLOAD // 8)
    for off, length, letter, _ in sorted(PIECES, key=lambda p: p[0]):
        for b in range(off // 8, (off + length) // 8):
            out[b] = letter
    return "".join(out)


def expected_blocks(policy):
    p = DEFRAG_POLICY[policy]
    return bsd_right_blocks() if p == "bsd-right" else NOVAK[p]


def udp_header(length):
    return struct.pack("!HHHH", 40000, 5000, length, 0)  # checksum 0: none (RFC 768)


def send(w, policy, ident):
    dst = host(policy)
    w.write_l3(ipv4_fragment(CLIENT, dst, PROTO_UDP, ident, 0, udp_header(8 + PAYLOAD), True),
               CLIENT, dst)
    for off, length, letter, more in PIECES:
        frag = ipv4_fragment(CLIENT, dst, PROTO_UDP, ident, 8 + off, letter.encode() * length, more)
        w.write_l3(frag, CLIENT, dst)


def expectations():
    e = Expectations("ip-frag-overlap")
    datagrams = sorted({expected_blocks(p) for p in POLICIES})
    sid_of = {}
    for i, blocks in enumerate(datagrams):
        sid_of[blocks] = 200 + i
        content = "".join(ch * 8 for ch in blocks)
        e.rule('alert udp any any -> any 5000 (msg:"datagram %s"; content:"%s"; depth:%d; '
               'dsize:%d; sid:%d;)' % (blocks, content, PAYLOAD, PAYLOAD, 200 + i))
    for policy in POLICIES:
        want = expected_blocks(policy)
        row = ("ip-frag-overlap/novak", policy,
               "%s (%s)" % (want, DEFRAG_POLICY[policy]))
        for blocks, sid in sid_of.items():
            e.expect(*row, sid=sid, count=1 if blocks == want else 0)
    return e


if __name__ == "__main__":
    with Writer(sys.argv[1]) as w:
        for i, policy in enumerate(POLICIES):
            send(w, policy, 0x5100 + i)
            w.advance(0.01)
    expectations().write(case_dir_of(__file__))
