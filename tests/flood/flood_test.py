#!/usr/bin/python3
"""Memcaps under flood: peak memory stays under the configured caps.

    flood_test.py PASBAN_BINARY [--keep DIR]

For each flood the project's generator (tools/pcapgen) writes a pcap
under a temporary directory in which a real attack (an HTTP request for
/cgi-bin/exploit.sh in an established session) is interleaved with:

  syn        SYNs from random sources that never complete a handshake
  fragments  first fragments of datagrams whose other fragments never come
  segments   established sessions sending out-of-order segments after a
             hole, with large gaps between them, so all of it is buffered
  flows      UDP datagrams with random tuples: one new flow each
  transactions  one HTTP keep-alive session with tens of thousands of
             requests and responses: finished transactions must leave
             memory (no memcap bounds them; the bound is the slack alone)

The engine runs with small caps (flow.memcap, stream.memcap,
stream.reassembly.memcap, defrag.memcap, defrag.max-frags) and, for
comparison, the stock ones (which these floods do not reach, or only late).
Peak RSS is the child's ru_maxrss.  The baseline is a run on an empty
pcap with the same rules and caps.  Each capped flood must:
  - peak under baseline + the caps that bound that flood x kOverhead + slack,
  - show in its counters (the EVE stats record) what was dropped/evicted,
  - still alert on the attack once.
Prints a table of the figures and "N passed, N failed".
"""

import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tools", "pcapgen"))

from pcapgen import (ACK, PROTO_TCP, PROTO_UDP, PSH, SYN, TcpConversation, Writer,  # noqa: E402
                     ipv4, ipv4_fragment, tcp, udp)

MIB = 1 << 20
CAP = 4 * MIB
CAPPED = {"flow.memcap": CAP, "stream.memcap": CAP, "stream.reassembly.memcap": CAP,
          "defrag.memcap": CAP, "defrag.max-frags": 4096}
# Accounted bytes understate what the allocator holds (headers, hash slack):
# the bound allows each cap to cost up to this factor in RSS, plus SLACK.
OVERHEAD = 2.0
SLACK = 12 * MIB
SERVER = "192.0.2.80"
ATTACK_URI = b"/cgi-bin/exploit.sh?cmd=id"
RULES = ('alert http any any -> any any (msg:"flood attack"; http.uri; '
         'content:"/cgi-bin/exploit.sh"; sid:9000001;)\n')
SEED = 20260101


class Attack:
    """The real session, written a step at a time between flood packets."""

    def __init__(self, w):
        self.c = TcpConversation(w, ("10.9.9.9", 5555), (SERVER, 80))
        self.steps = [self.c.handshake,
                      lambda: self.c.send(b"GET " + ATTACK_URI + b" HTTP/1.1\r\nHost: x\r\n\r\n"),
                      lambda: self.c.send(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
                                          from_client=False),
                      self.c.close]

    def interleave(self, index, total):
        """Run step k when index reaches k/len(steps) of the flood."""
        while self.steps and index >= total * (4 - len(self.steps)) // 4:
            self.steps.pop(0)()


def rand_ip(rng):
    return "10.%d.%d.%d" % (rng.randrange(100, 200), rng.randrange(256), rng.randrange(1, 255))


def flood_syn(w, rng, n):
    attack = Attack(w)
    for i in range(n):
        attack.interleave(i, n)
        src, sport = rand_ip(rng), rng.randrange(1024, 65535)
        seg = tcp(src, SERVER, sport, 80, rng.getrandbits(32), 0, SYN, window=1024)
        w.write_l3(ipv4(src, SERVER, PROTO_TCP, seg, ident=i), src, SERVER)
    attack.interleave(n, n)


def flood_fragments(w, rng, n, size=1200):
    attack = Attack(w)
    data = bytes(size)
    for i in range(n):
        attack.interleave(i, n)
        src = rand_ip(rng)
        frag = ipv4_fragment(src, SERVER, PROTO_UDP, i & 0xFFFF, 0, data, True)
        w.write_l3(frag, src, SERVER)
    attack.interleave(n, n)


def flood_segments(w, rng, sessions, per_session, size=1000, gap=3000):
    attack = Attack(w)
    conns = []
    for s in range(sessions):
        c = TcpConversation(w, ("10.50.%d.%d" % (s // 250, s % 250 + 1), 30000 + s), (SERVER, 8080))
        c.handshake()
        conns.append(c)
    total = sessions * per_session
    data = bytes(size)
    i = 0
    for k in range(per_session):
        for c in conns:
            attack.interleave(i, total)
            # A hole at the start and between segments: nothing is ever in order.
            c.packet(PSH | ACK, data, seq=c.next_seq[True] + 1 + k * (size + gap))
            i += 1
    attack.interleave(total, total)


def flood_flows(w, rng, n):
    attack = Attack(w)
    for i in range(n):
        attack.interleave(i, n)
        src, dst = rand_ip(rng), "172.16.%d.%d" % (rng.randrange(256), rng.randrange(1, 255))
        seg = udp(src, dst, rng.randrange(1024, 65535), rng.randrange(1, 65535), b"x" * 32)
        w.write_l3(ipv4(src, dst, PROTO_UDP, seg, ident=i), src, dst)
    attack.interleave(n, n)


def flood_transactions(w, rng, n):
    attack = Attack(w)
    c = TcpConversation(w, ("10.60.0.1", 40000), (SERVER, 80))
    c.handshake()
    for i in range(n):
        attack.interleave(i, n)
        c.send(b"GET /page/%d HTTP/1.1\r\nHost: flood\r\nUser-Agent: flood/%d\r\n\r\n" % (i, i))
        c.send(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 4\r\n\r\nbody",
               from_client=False)
    c.close()
    attack.interleave(n, n)


# name, generator, the caps that bound it, counters that must be > 0
FLOODS = [
    ("syn", lambda w, rng: flood_syn(w, rng, 60000), ["flow.memcap", "stream.memcap"],
     ["flow.memcap", "flow.emerg_mode_entered"]),
    ("fragments", lambda w, rng: flood_fragments(w, rng, 30000), ["defrag.memcap"],
     ["defrag.tracker_hard_reuse"]),
    ("segments", lambda w, rng: flood_segments(w, rng, 100, 300), ["stream.reassembly.memcap"],
     ["tcp.segment_memcap_drop"]),
    ("flows", lambda w, rng: flood_flows(w, rng, 60000), ["flow.memcap"],
     ["flow.memcap", "flow.emerg_mode_entered"]),
    ("transactions", lambda w, rng: flood_transactions(w, rng, 30000), [],
     ["app_layer.tx.http"]),
]


def write_pcap(path, gen):
    with Writer(path, step_us=100) as w:
        gen(w, random.Random(SEED))
        return w.count


def run_engine(engine, pcap, rules, caps, outdir):
    """(peak RSS bytes, wall seconds, final stats dict, alert count)."""
    shutil.rmtree(outdir, ignore_errors=True)  # eve.json appends: start clean
    os.makedirs(outdir)
    argv = [engine, "-r", pcap, "-S", rules, "-l", outdir, "-k", "none", "--init-errors-fatal"]
    for key, value in caps.items():
        argv += ["--set", "%s=%s" % (key, value)]
    start = time.monotonic()
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.monotonic() - start
    out = proc.stdout.read().decode("utf-8", "replace")
    proc.stdout.close()
    if not os.WIFEXITED(status) or os.WEXITSTATUS(status) != 0:
        raise RuntimeError("engine failed on %s (status %d): %s" % (pcap, status, out[-500:]))
    stats, alerts = {}, 0
    with open(os.path.join(outdir, "eve.json")) as fh:
        for line in fh:
            ev = json.loads(line)
            if ev.get("event_type") == "stats":
                stats = flatten(ev["stats"])
            elif ev.get("event_type") == "alert" and ev["alert"]["signature_id"] == 9000001:
                alerts += 1
    return usage.ru_maxrss * 1024, wall, stats, alerts


def flatten(obj, prefix=""):
    out = {}
    for k, v in obj.items():
        if isinstance(v, dict):
            out.update(flatten(v, prefix + k + "."))
        else:
            out[prefix + k] = v
    return out


def mib(n):
    return "%.1f" % (n / MIB)


def main(argv):
    if not argv or argv[0] in ("-h", "--help"):
        sys.stderr.write("usage: flood_test.py PASBAN_BINARY [--keep DIR]\n")
        return 2
    engine = os.path.abspath(argv[0])
    keep = argv[2] if len(argv) > 2 and argv[1] == "--keep" else None
    tmp = keep or tempfile.mkdtemp(prefix="pasban-flood-")
    os.makedirs(tmp, exist_ok=True)
    try:
        return run_all(engine, tmp)
    finally:
        if not keep:
            shutil.rmtree(tmp, ignore_errors=True)


def run_all(engine, tmp):
    rules = os.path.join(tmp, "flood.rules")
    with open(rules, "w") as fh:
        fh.write(RULES)
    empty = os.path.join(tmp, "empty.pcap")
    Writer(empty).close()
    base_rss, _, _, _ = run_engine(engine, empty, rules, CAPPED, os.path.join(tmp, "out-base"))
    print("baseline peak RSS (empty pcap, same rules and caps): %s MiB" % mib(base_rss))
    print("| flood | packets | caps | peak RSS capped | bound | peak RSS stock caps | "
          "counters (capped) | attack alert | time |")
    print("|---|---|---|---|---|---|---|---|---|")
    failures = []
    for name, gen, bounding, must_count in FLOODS:
        pcap = os.path.join(tmp, name + ".pcap")
        packets = write_pcap(pcap, gen)
        rss, wall, stats, alerts = run_engine(engine, pcap, rules, CAPPED,
                                              os.path.join(tmp, "out-" + name))
        stock_rss, _, _, _ = run_engine(engine, pcap, rules, {}, os.path.join(tmp, "out-stock-" + name))
        bound = base_rss + OVERHEAD * sum(CAPPED[c] for c in bounding) + SLACK
        shown = {k: stats.get(k, 0) for k in must_count + report_counters(name)}
        print("| %s | %d | %s | %s MiB | %s MiB | %s MiB | %s | %d | %.1f s |" % (
            name, packets, ", ".join("%s %s MiB" % (c, mib(CAPPED[c])) for c in bounding) or "none",
            mib(rss), mib(bound), mib(stock_rss),
            ", ".join("%s=%s" % kv for kv in shown.items()), alerts, wall))
        if rss > bound:
            failures.append("%s: peak RSS %s MiB over the bound %s MiB" % (name, mib(rss), mib(bound)))
        for c in must_count:
            if not stats.get(c):
                failures.append("%s: counter %s is %s, expected > 0" % (name, c, stats.get(c)))
        if alerts != 1:
            failures.append("%s: attack alerted %d times, expected once" % (name, alerts))
    for f in failures:
        print("FAIL " + f)
    print("%d passed, %d failed" % (len(FLOODS) - len({f.split(":")[0] for f in failures}),
                                    len({f.split(":")[0] for f in failures})))
    return 1 if failures else 0


def report_counters(name):
    """Counters printed beside the ones checked, to show the whole picture."""
    return {"syn": ["flow.mgr.flows_evicted", "flow.emerg_mode_over", "tcp.ssn_memcap_drop"],
            "fragments": ["defrag.ipv4.fragments", "defrag.max_frags_reached",
                          "defrag.max_trackers_reached", "defrag.memuse"],
            "segments": ["tcp.reassembly_memuse", "tcp.reassembly_gap"],
            "flows": ["flow.mgr.flows_evicted", "flow.emerg_mode_over"],
            "transactions": ["app_layer.flow.http"]}[name]


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
