#!/usr/bin/python3
"""Run one Pasban pcap case and check the events it writes.

    run_case.py ENGINE CASE_DIR [CASE_DIR...]

A case directory holds case.yaml, the pcap (made by its gen.py with
tools/pcapgen) and test.rules.  case.yaml:

    pcap: input.pcap            # relative to the case dir
    rules: test.rules           # optional, default test.rules
    args: [-k, none]            # optional extra engine arguments
    exit-code: 0                # optional, default 0
    checks:
      - filter:
          count: 1
          match:
            event_type: alert
            alert.signature_id: 1

The engine runs in the case directory with TZ=UTC as

    ENGINE -r PCAP -S RULES -l TMPDIR --init-errors-fatal [ARGS]

A check may carry `known-difference: REASON`: it states what the engine
should do but does not yet; its failure is reported as KNOWN and does not
fail the case, while its passing fails the case (remove the marker).

Filter checks have suricata-verify's semantics: dotted keys, `name[N]`
list indexes, an exact count, has-key / not-has-key, `__len`, and the
`__contains`, `__find`, `__startswith`, `__endswith`, `__gt`, `__gte`,
`__lt`, `__lte` operators.  Every line of eve.json must be JSON.

Exit status: 0 when every case passes, 1 when one fails, 2 on bad usage.
Standard library plus PyYAML only.
"""

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile

try:
    import yaml
except ImportError:  # pragma: no cover
    sys.stderr.write("run_case.py: PyYAML is required (apt-get install python3-yaml)\n")
    sys.exit(2)

TIMEOUT_SECONDS = 120
CMP_SUFFIXES = ("__gt", "__gte", "__lt", "__lte")
STR_SUFFIXES = ("__contains", "__find", "__startswith", "__endswith")
SPECIAL_PARTS = set(CMP_SUFFIXES) | set(STR_SUFFIXES)
INDEX_RE = re.compile(r"^(.*)\[(\d+)\]$")
_ABSENT = object()


class CaseError(Exception):
    """A check did not hold, or the case could not be run."""


class EvalError(Exception):
    """A match key cannot be evaluated on an event (e.g. indexing a number)."""


# --------------------------------------------------------------------------
# Filter semantics (as suricata-verify evaluates them)
# --------------------------------------------------------------------------

def _step(obj, name):
    if isinstance(obj, dict):
        return obj[name] if name in obj else _ABSENT
    if isinstance(obj, (str, list)):
        if name in obj:
            raise EvalError("cannot index %s with %r" % (type(obj).__name__, name))
        return _ABSENT
    raise EvalError("cannot look up %r in %s" % (
        name, "null" if obj is None else type(obj).__name__))


def resolve(path, event):
    """Value at a dotted path, None when absent.  A trailing operator part
    stops the walk; `__len` returns the length (-1 when it has none).

    >>> resolve("alert.signature_id", {"alert": {"signature_id": 7}})
    7
    >>> resolve("vlan[1]", {"vlan": [200, 100]})
    100
    >>> resolve("vlan[2]", {"vlan": [200, 100]}) is None
    True
    >>> resolve("alert.metadata.__len", {"alert": {"metadata": {"a": 1}}})
    1
    >>> resolve("alert.signature_id.__len", {"alert": {"signature_id": 7}})
    -1
    >>> resolve("missing.__len", {}) is None
    True
    """
    obj = event
    for part in path.split("."):
        if part == "__len":
            return len(obj) if isinstance(obj, (str, list, dict)) else -1
        if part in SPECIAL_PARTS:
            break
        m = INDEX_RE.match(part)
        name, index = (m.group(1), int(m.group(2))) if m else (part, None)
        obj = _step(obj, name)
        if obj is _ABSENT:
            return None
        if index is not None:
            if isinstance(obj, (list, str)) and index < len(obj):
                obj = obj[index]
            else:
                return None
    return obj


def _numeric(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _require_str(val, what):
    if not isinstance(val, str):
        raise EvalError("%s applied to %s" % (what, type(val).__name__))


def match_one(key, expected, event):
    """Whether one `key: expected` entry of a match holds for event.

    >>> ev = {"event_type": "alert", "alert": {"signature": "PASBAN x"}}
    >>> match_one("alert.signature.__startswith", "PASBAN", ev)
    True
    >>> match_one("has-key", ["alert.signature", "flow"], ev)
    False
    >>> match_one("not-has-key", "flow", ev)
    True
    """
    if key in ("has-key", "not-has-key"):
        paths = expected if isinstance(expected, list) else [expected]
        for p in paths:
            present = resolve(str(p), event) is not None
            if present != (key == "has-key"):
                return False
        return True
    val = resolve(key, event)
    for op in ("__find", "__startswith", "__endswith"):
        if key.endswith(op):
            _require_str(val, op)
            _require_str(expected, op)
            if op == "__find":
                return val.find(expected) >= 0
            return val.startswith(expected) if op == "__startswith" else val.endswith(expected)
    if key.endswith("__contains"):
        if isinstance(val, str):
            _require_str(expected, "__contains")
            return expected in val
        if isinstance(val, list):
            return expected in val
        if isinstance(val, dict):
            if isinstance(expected, (list, dict)):
                raise EvalError("__contains with unhashable value")
            return expected in val
        raise EvalError("__contains applied to %s" % type(val).__name__)
    suffix = key.rsplit(".", 1)[-1]
    if suffix in CMP_SUFFIXES:
        if not (_numeric(val) and _numeric(expected)):
            return False
        return {"__gt": val > expected, "__gte": val >= expected,
                "__lt": val < expected, "__lte": val <= expected}[suffix]
    return val == expected


def event_matches(match, event):
    return all(match_one(str(k), v, event) for k, v in match.items())


def read_events(path):
    """Parse every line of an EVE file; a line that is not JSON is an error."""
    events = []
    with open(path, "r", encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            try:
                events.append(json.loads(line))
            except ValueError as err:
                raise CaseError("%s line %d is not valid JSON (%s)" % (
                    os.path.basename(path), lineno, getattr(err, "msg", err)))
    return events


def describe(match):
    return ", ".join("%s=%s" % (k, json.dumps(v)) for k, v in match.items())


def check_filter(flt, number, outdir, cache):
    """Evaluate one `filter:` check; return None or a failure message."""
    if not isinstance(flt, dict) or "count" not in flt or \
            not isinstance(flt.get("match"), dict):
        return "check #%d: a filter needs count and a match mapping" % number
    fname = flt.get("filename", "eve.json")
    path = os.path.join(outdir, fname)
    if fname not in cache:
        if not os.path.exists(path):
            return "check #%d: %s does not exist" % (number, fname)
        cache[fname] = read_events(path)
    count, same_type = 0, 0
    want_type = flt["match"].get("event_type")
    for lineno, event in enumerate(cache[fname], 1):
        try:
            ok = event_matches(flt["match"], event)
        except EvalError as err:
            return "check #%d: cannot evaluate on %s line %d: %s" % (
                number, fname, lineno, err)
        if ok:
            count += 1
        elif want_type is not None and isinstance(event, dict) and \
                event.get("event_type") == want_type:
            same_type += 1
    if count != flt["count"]:
        msg = "check #%d (%s): expected count %s, found %d" % (
            number, describe(flt["match"]), flt["count"], count)
        if want_type is not None:
            msg += " (%d other %s events)" % (same_type, want_type)
        return msg
    return None


# --------------------------------------------------------------------------
# Running a case
# --------------------------------------------------------------------------

def engine_argv(engine):
    argv = shlex.split(engine)
    # The engine runs in the case dir, so make a relative program path absolute.
    if argv and os.sep in argv[0] and not os.path.isabs(argv[0]):
        argv[0] = os.path.abspath(argv[0])
    return argv


def run_case(engine, case_dir, keep=None):
    """Run the case; return a list of failure messages (empty = pass)."""
    case_dir = os.path.abspath(case_dir)
    with open(os.path.join(case_dir, "case.yaml"), "rb") as fh:
        case = yaml.safe_load(fh) or {}
    pcap = case.get("pcap")
    if not pcap:
        return ["case.yaml has no pcap:"]
    rules = case.get("rules", "test.rules")
    for f in (pcap, rules):
        if not os.path.exists(os.path.join(case_dir, f)):
            return ["%s does not exist (run tests/pcap/make_cases.py?)" % f]
    outdir = tempfile.mkdtemp(prefix="pasban-case-")
    try:
        argv = engine_argv(engine) + ["-r", pcap, "-S", rules, "-l", outdir,
                                      "--init-errors-fatal"]
        argv += [str(a) for a in case.get("args") or []]
        env = dict(os.environ, TZ="UTC")
        failures = []
        try:
            proc = subprocess.run(argv, cwd=case_dir, env=env, stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT, timeout=TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            return ["engine timed out after %ds: %s" % (TIMEOUT_SECONDS, shlex.join(argv))]
        except OSError as err:
            return ["cannot run engine: %s" % err]
        want_rc = case.get("exit-code", 0)
        if proc.returncode != want_rc:
            tail = proc.stdout.decode("utf-8", "replace").strip().splitlines()[-8:]
            failures.append("exit code %d, expected %d: %s\n    %s" % (
                proc.returncode, want_rc, shlex.join(argv), "\n    ".join(tail)))
            if proc.returncode < 0:
                return failures  # crashed: the checks would only add noise
        cache = {}
        eve = os.path.join(outdir, "eve.json")
        if os.path.exists(eve):
            try:
                cache["eve.json"] = read_events(eve)
            except CaseError as err:
                failures.append(str(err))
                return failures
        for number, check in enumerate(case.get("checks") or [], 1):
            if not isinstance(check, dict) or "filter" not in check:
                failures.append("check #%d: only filter checks are supported" % number)
                continue
            try:
                msg = check_filter(check["filter"], number, outdir, cache)
            except CaseError as err:
                msg = "check #%d: %s" % (number, err)
            known = check.get("known-difference")
            if known and msg:
                print("  KNOWN %s (%s)" % (msg, known))
            elif known:
                failures.append("check #%d passes: remove its known-difference (%s)" % (
                    number, known))
            elif msg:
                failures.append(msg)
        return failures
    finally:
        if keep:
            dest = os.path.join(keep, os.path.basename(case_dir))
            shutil.rmtree(dest, ignore_errors=True)
            shutil.copytree(outdir, dest)
        shutil.rmtree(outdir, ignore_errors=True)


def main(argv):
    keep = None
    if len(argv) >= 2 and argv[0] == "--keep-output":
        keep, argv = argv[1], argv[2:]
    if len(argv) < 2 or argv[0] in ("-h", "--help"):
        sys.stderr.write("usage: run_case.py [--keep-output DIR] ENGINE CASE_DIR [CASE_DIR...]\n")
        return 2
    engine, cases = argv[0], argv[1:]
    failed = 0
    for case_dir in cases:
        name = os.path.relpath(os.path.abspath(case_dir),
                               os.path.dirname(os.path.abspath(__file__)))
        failures = run_case(engine, case_dir, keep)
        if failures:
            failed += 1
            print("FAIL %s" % name)
            for f in failures:
                print("  " + f)
        else:
            print("PASS %s" % name)
    if len(cases) > 1:
        print("%d passed, %d failed" % (len(cases) - failed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
