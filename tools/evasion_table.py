#!/usr/bin/python3
"""Run the engine over every evasion case and print the evasion table.

    tools/evasion_table.py ENGINE [CASE_DIR...]

Cases default to tests/pcap/evasion/*/.  Each check of a case's case.yaml
carries a `row: [case, policy, expected]`; a row is PASS when every check
of that row holds (the checks and their filter semantics are
tests/pcap/run_case.py's); a row whose failing checks are all marked
known-difference is KNOWN DIFFERENCE.  Prints a markdown table (case,
policy, expected, seen) and a closing "N passed, N failed" line; exits 1
when a row fails, 2 on bad usage.
"""

import collections
import glob
import os
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "pcap"))

import run_case  # noqa: E402
import yaml  # noqa: E402


def run_engine(engine, case_dir, case, outdir):
    """Run the engine on the case as run_case.py does; an error message or None."""
    argv = run_case.engine_argv(engine) + ["-r", case["pcap"], "-S", case.get("rules", "test.rules"),
                                           "-l", outdir, "--init-errors-fatal"]
    argv += [str(a) for a in case.get("args") or []]
    try:
        proc = subprocess.run(argv, cwd=case_dir, env=dict(os.environ, TZ="UTC"),
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              timeout=run_case.TIMEOUT_SECONDS)
    except (OSError, subprocess.TimeoutExpired) as err:
        return "cannot run the engine: %s" % err
    if proc.returncode != 0:
        tail = proc.stdout.decode("utf-8", "replace").strip().splitlines()[-3:]
        return "engine exit code %d: %s" % (proc.returncode, " / ".join(tail))
    return None


def case_rows(engine, case_dir):
    """[(case, policy, expected, status)] for one case directory, in check order;
    status is PASS, FAIL: why, or KNOWN DIFFERENCE: reason."""
    with open(os.path.join(case_dir, "case.yaml"), "rb") as fh:
        case = yaml.safe_load(fh) or {}
    rows = collections.OrderedDict()
    outdir = tempfile.mkdtemp(prefix="pasban-evasion-")
    try:
        error = run_engine(engine, case_dir, case, outdir)
        cache = {}
        for number, check in enumerate(case.get("checks") or [], 1):
            key = tuple(str(x) for x in check.get("row") or
                        [os.path.basename(case_dir), "-", "check #%d" % number])
            row = rows.setdefault(key, {"why": [], "known": []})
            if error:
                row["why"].append(error)
                continue
            try:
                msg = run_case.check_filter(check["filter"], number, outdir, cache)
            except run_case.CaseError as err:
                msg = str(err)
            known = check.get("known-difference")
            if msg and known:
                row["known"].append(known)
            elif msg:
                row["why"].append(msg)
            elif known:
                row["why"].append("passes: remove its known-difference")
    finally:
        shutil.rmtree(outdir, ignore_errors=True)
    out = []
    for k, row in rows.items():
        status = "PASS"
        if row["why"]:
            status = "FAIL: " + "; ".join(dict.fromkeys(row["why"]))
        elif row["known"]:
            status = "KNOWN DIFFERENCE: " + "; ".join(dict.fromkeys(row["known"]))
        out.append((k[0], k[1], k[2], status))
    return out


def markdown(rows):
    out = ["| case | policy | expected | seen |", "|---|---|---|---|"]
    for case, policy, expected, status in rows:
        out.append("| %s | %s | %s | %s |" % (case, policy, expected.replace("|", "\\|"),
                                             status.replace("|", "\\|")))
    return "\n".join(out)


def main(argv):
    if not argv or argv[0] in ("-h", "--help"):
        sys.stderr.write("usage: evasion_table.py ENGINE [CASE_DIR...]\n")
        return 2
    engine, dirs = argv[0], argv[1:]
    if not dirs:
        dirs = sorted(os.path.dirname(p) for p in
                      glob.glob(os.path.join(ROOT, "tests", "pcap", "evasion", "*", "case.yaml")))
    rows = []
    for d in dirs:
        if not os.path.exists(os.path.join(d, "case.yaml")):
            sys.stderr.write("evasion_table.py: %s has no case.yaml\n" % d)
            return 2
        rows += case_rows(engine, os.path.abspath(d))
    print(markdown(rows))
    failed = sum(1 for r in rows if r[3].startswith("FAIL"))
    known = sum(1 for r in rows if r[3].startswith("KNOWN"))
    print("\n%d passed, %d failed, %d known differences" % (len(rows) - failed - known, failed, known))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
