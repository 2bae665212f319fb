#!/usr/bin/env python3
"""Runs captures through pasban with 1, 2 and 4 worker threads and checks
that eve.json and fast.log hold the same records (as multisets), and with
threading.deterministic-output the same bytes.

usage: workers_compare.py PASBAN RULES PCAP [PCAP ...]
RULES is a rule file, or a folder whose *.rules are loaded together.
A PCAP that does not exist is skipped (shared data may be absent); exit 77
(ctest's skip) when none exists.
"""
import collections
import os
import shutil
import subprocess
import sys
import tempfile

WORKERS = (1, 2, 4)


def run(pasban, rules, pcap, workers, ordered, root):
    out = tempfile.mkdtemp(dir=root)
    argv = [pasban, "-r", pcap, "-S", rules, "-k", "none", "-l", out,
            "--set", "threading.cpu-affinity.worker-cpu-set.threads=%d" % workers,
            "--set", "threading.deterministic-output=%s" % ("yes" if ordered else "no")]
    proc = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if proc.returncode != 0:
        raise SystemExit("%s failed (%d): %s" % (" ".join(argv), proc.returncode, proc.stderr[-2000:]))
    files = {}
    for name in ("eve.json", "fast.log"):
        path = os.path.join(out, name)
        files[name] = open(path, "rb").read() if os.path.exists(path) else b""
    return files


def main(argv):
    if len(argv) < 4:
        print(__doc__)
        return 2
    pasban, rules, pcaps = argv[1], argv[2], [p for p in argv[3:] if os.path.exists(p)]
    if not pcaps:
        print("no capture present: skipped")
        return 77
    root = tempfile.mkdtemp(prefix="pasban-workers-")
    failures = 0
    try:
        if os.path.isdir(rules):
            joined = os.path.join(root, "all.rules")
            with open(joined, "wb") as out:
                for name in sorted(os.listdir(rules)):
                    if name.endswith(".rules"):
                        with open(os.path.join(rules, name), "rb") as f:
                            out.write(f.read() + b"\n")
            rules = joined
        for pcap in pcaps:
            for ordered in (False, True):
                runs = {n: run(pasban, rules, pcap, n, ordered, root) for n in WORKERS}
                for name in ("eve.json", "fast.log"):
                    base = runs[1][name]
                    for n in WORKERS[1:]:
                        got = runs[n][name]
                        same = got == base if ordered else \
                            collections.Counter(got.splitlines()) == collections.Counter(base.splitlines())
                        status = "ok" if same else "DIFFERENT"
                        print("%s %s %s 1 vs %d workers (%s): %s, %d lines" % (
                            os.path.basename(pcap), name, "bytes" if ordered else "records", n,
                            "ordered" if ordered else "unordered", status, base.count(b"\n")))
                        failures += not same
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
