"""Shared parts of the evasion cases under tests/pcap/evasion/.

Every case sends the same attack once to each host of POLICIES; the
case's engine arguments (`-c ../policies.yaml`) give each of those hosts a
different host-os-policy, so one pcap shows what the engine sees under
every policy.  A case's gen.py writes its pcap (argv[1]) and, beside
itself, its case.yaml and test.rules from the expectations it declares
with Expectations below: each check carries a `row` (case, policy,
expected) that tools/evasion_table.py groups into the evasion table.

The expectations come from the documented semantics of each policy
(Suricata's stream and defrag overlap tables, RFC 793/9293, RFC 6093),
never from what the engine prints.
"""

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "tools", "pcapgen"))

from pcapgen import ACK, FIN, PSH, RST, SYN, URG, TcpConversation, Writer  # noqa: E402,F401

# host-os-policy names, in the order policies.yaml gives them addresses.
POLICIES = ["bsd", "bsd-right", "linux", "old-linux", "windows", "windows2k3", "vista",
            "solaris", "old-solaris", "hpux10", "hpux11", "irix", "macos", "first", "last"]
CLIENT = "10.66.0.1"


def host(policy):
    """The address policies.yaml maps to `policy`."""
    return "10.77.0.%d" % (POLICIES.index(policy) + 1)


def client_port(case_no, policy, variant=0):
    """A distinct client port per (case, variant, policy): flows never collide."""
    return 20000 + case_no * 1000 + variant * 20 + POLICIES.index(policy)


# --------------------------------------------------------------------------
# Stream overlap semantics (Suricata's stream engine, by receiving host)
# --------------------------------------------------------------------------

# The stream engine reassembles bsd-right as bsd and old-solaris as solaris;
# windows2k3 decides like windows.
_STREAM_ALIAS = {"bsd-right": "bsd", "old-solaris": "solaris", "windows2k3": "windows"}


def stream_new_wins(policy, new_start, new_end, old_start, old_end):
    """Whether a later segment's bytes replace an earlier buffered one's,
    by where it starts and ends relative to the earlier segment."""
    p = _STREAM_ALIAS.get(policy, policy)
    if p == "last":
        return True
    solaris_like = p in ("solaris", "hpux11")
    if new_start < old_start:
        if p in ("bsd", "hpux10", "irix", "windows", "old-linux", "linux", "macos"):
            return True
        return solaris_like and new_end >= old_end
    if new_start == old_start:
        if new_end < old_end:
            return False
        if new_end == old_end:
            return p == "old-linux" or solaris_like
        return p in ("linux", "old-linux") or solaris_like
    return solaris_like and new_end > old_end


def rst_accepted(policy, exact):
    """Whether the receiving host takes a RST: most stacks only at the next
    expected sequence number; Linux and Solaris anywhere in the window;
    HP-UX 11 at or after the next expected one (Suricata's ValidReset)."""
    p = _STREAM_ALIAS.get(policy, policy)
    if exact:
        return True
    return p in ("linux", "old-linux", "solaris", "hpux11")


# --------------------------------------------------------------------------
# Case files
# --------------------------------------------------------------------------

def http_request(uri, extra_headers=b""):
    return b"GET " + uri + b" HTTP/1.1\r\nHost: target\r\n" + extra_headers + b"\r\n"


HTTP_OK = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"


class Expectations:
    """Collects the rules and the checks of a case and writes them."""

    def __init__(self, case, args=("-k", "none", "-c", "../policies.yaml")):
        self.case = case
        self.args = list(args)
        self.rules = []
        self.checks = []

    def rule(self, text):
        self.rules.append(text)

    def expect(self, row_case, policy, expected, sid, count, dest=None, known=None, **fields):
        """Expect `count` alerts of `sid` (towards `dest`, default the
        policy's host; more EVE fields to match in `fields`); the row
        (row_case, policy, expected) is PASS when all of its checks hold.
        `known` marks a known difference of the engine (run_case.py)."""
        match = {"event_type": "alert", "alert.signature_id": sid}
        if dest is not False:
            match["dest_ip"] = dest or host(policy)
        match.update(fields)
        check = {"row": [row_case, policy, expected], "filter": {"count": count, "match": match}}
        if known:
            check["known-difference"] = known
        self.checks.append(check)

    def write(self, case_dir):
        with open(os.path.join(case_dir, "test.rules"), "w") as fh:
            fh.write("\n".join(self.rules) + "\n")
        lines = ["# Written by gen.py: the expectations of each policy are declared there.",
                 "pcap: input.pcap",
                 "args: [%s]" % ", ".join(self.args),
                 "checks:"]
        for c in self.checks:
            m = c["filter"]["match"]
            fields = ", ".join("%s: %s" % (k, _yaml_scalar(v)) for k, v in m.items())
            lines.append("  - row: [%s]" % ", ".join(_yaml_scalar(x) for x in c["row"]))
            lines.append("    filter: {count: %d, match: {%s}}" % (c["filter"]["count"], fields))
            if "known-difference" in c:
                lines.append("    known-difference: %s" % _yaml_scalar(c["known-difference"]))
        with open(os.path.join(case_dir, "case.yaml"), "w") as fh:
            fh.write("\n".join(lines) + "\n")


def _yaml_scalar(v):
    if isinstance(v, int):
        return str(v)
    return '"%s"' % str(v).replace("\\", "\\\\").replace('"', '\\"')


def case_dir_of(gen_file):
    return os.path.dirname(os.path.abspath(gen_file))


def conversation(w, case_no, policy, variant=0, port=80, **kw):
    """A TCP conversation from CLIENT to the host of `policy`."""
    return TcpConversation(w, (CLIENT, client_port(case_no, policy, variant)),
                           (host(policy), port), **kw)


def uri_rule(e, sid, uri, msg):
    e.rule('alert http any any -> any any (msg:"%s"; http.uri; content:"%s"; bsize:%d; sid:%d;)'
           % (msg, uri.decode(), len(uri), sid))
