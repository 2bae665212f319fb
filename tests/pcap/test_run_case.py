#!/usr/bin/python3
"""Tests for run_case.py: the filter semantics and a whole run against a
fake engine.  Run with `/usr/bin/python3 tests/pcap/test_run_case.py`."""

import doctest
import json
import os
import shutil
import stat
import sys
import tempfile
import textwrap
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import run_case  # noqa: E402
from run_case import EvalError, event_matches, match_one  # noqa: E402

ALERT = {
    "timestamp": "2026-01-01T09:00:04.566000+0000",
    "event_type": "alert", "src_ip": "10.20.30.40", "src_port": 51001,
    "dest_ip": "10.20.30.2", "dest_port": 53, "proto": "UDP",
    "vlan": [200, 100],
    "alert": {"action": "allowed", "gid": 1, "signature_id": 1000001, "rev": 1,
              "signature": "PASBAN SAMPLE DNS query for Destover C2 domain",
              "category": "A Network Trojan was detected", "severity": 1,
              "metadata": {"stage": ["c2-lookup"]}},
}


class FilterSemantics(unittest.TestCase):
    def test_dotted_and_exact(self):
        self.assertTrue(event_matches({"event_type": "alert",
                                       "alert.signature_id": 1000001}, ALERT))
        self.assertFalse(event_matches({"alert.signature_id": 1000002}, ALERT))
        # types matter: "53" is not 53
        self.assertFalse(match_one("dest_port", "53", ALERT))

    def test_index(self):
        self.assertTrue(match_one("vlan[0]", 200, ALERT))
        self.assertTrue(match_one("vlan[1]", 100, ALERT))
        self.assertTrue(match_one("vlan[2]", None, ALERT))  # absent reads as null
        self.assertTrue(match_one("vlan", [200, 100], ALERT))

    def test_has_key(self):
        self.assertTrue(match_one("has-key", "alert.metadata", ALERT))
        self.assertTrue(match_one("not-has-key", ["flow", "payload"], ALERT))
        self.assertFalse(match_one("not-has-key", "vlan", ALERT))

    def test_len(self):
        self.assertTrue(match_one("vlan.__len", 2, ALERT))
        self.assertTrue(match_one("alert.metadata.__len", 1, ALERT))
        self.assertTrue(match_one("alert.gid.__len", -1, ALERT))

    def test_string_ops(self):
        self.assertTrue(match_one("alert.signature.__startswith", "PASBAN SAMPLE", ALERT))
        self.assertTrue(match_one("alert.signature.__endswith", "C2 domain", ALERT))
        self.assertTrue(match_one("alert.signature.__find", "Destover", ALERT))
        self.assertTrue(match_one("alert.signature.__contains", "DNS", ALERT))
        self.assertTrue(match_one("alert.metadata.stage.__contains", "c2-lookup", ALERT))
        self.assertTrue(match_one("alert.metadata.__contains", "stage", ALERT))
        with self.assertRaises(EvalError):
            match_one("alert.gid.__startswith", "1", ALERT)

    def test_compare(self):
        self.assertTrue(match_one("alert.severity.__lte", 1, ALERT))
        self.assertFalse(match_one("alert.severity.__gt", 1, ALERT))
        self.assertFalse(match_one("alert.signature.__gt", 1, ALERT))

    def test_index_into_scalar_is_error(self):
        with self.assertRaises(EvalError):
            match_one("alert.gid.x", 1, ALERT)


FAKE_ENGINE = textwrap.dedent("""\
    #!/usr/bin/python3
    import json, os, sys
    args = sys.argv[1:]
    out = args[args.index("-l") + 1]
    assert os.environ.get("TZ") == "UTC"
    assert "--init-errors-fatal" in args
    assert os.path.exists(args[args.index("-r") + 1])
    with open(os.path.join(out, "eve.json"), "w") as fh:
        for ev in json.loads(os.environ["FAKE_EVENTS"]):
            fh.write(ev if isinstance(ev, str) else json.dumps(ev))
            fh.write("\\n")
    sys.exit(int(os.environ.get("FAKE_RC", "0")))
    """)


class WholeCase(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp()
        self.engine = os.path.join(self.tmp, "fake-engine")
        with open(self.engine, "w") as fh:
            fh.write(FAKE_ENGINE)
        os.chmod(self.engine, stat.S_IRWXU)
        self.case = os.path.join(self.tmp, "case")
        os.mkdir(self.case)
        for name in ("input.pcap", "test.rules"):
            open(os.path.join(self.case, name), "w").close()
        with open(os.path.join(self.case, "case.yaml"), "w") as fh:
            fh.write(textwrap.dedent("""\
                pcap: input.pcap
                args: [-k, none]
                checks:
                  - filter:
                      count: 2
                      match: {event_type: alert, alert.signature_id: 1000001}
                  - filter:
                      count: 0
                      match: {event_type: alert, alert.signature_id: 9}
                """))

    def tearDown(self):
        shutil.rmtree(self.tmp)
        for key in ("FAKE_EVENTS", "FAKE_RC"):
            os.environ.pop(key, None)

    def run_with(self, events, rc=0):
        os.environ["FAKE_EVENTS"] = json.dumps(events)
        os.environ["FAKE_RC"] = str(rc)
        return run_case.run_case(self.engine, self.case)

    def test_pass(self):
        self.assertEqual(self.run_with([ALERT, ALERT, {"event_type": "stats"}]), [])

    def test_wrong_count(self):
        failures = self.run_with([ALERT])
        self.assertEqual(len(failures), 1)
        self.assertIn("expected count 2, found 1", failures[0])

    def test_bad_json_line(self):
        failures = self.run_with([ALERT, "{not json"])
        self.assertIn("line 2 is not valid JSON", failures[0])

    def test_exit_code(self):
        failures = self.run_with([ALERT, ALERT], rc=1)
        self.assertIn("exit code 1, expected 0", failures[0])


def load_tests(loader, tests, ignore):
    tests.addTests(doctest.DocTestSuite(run_case))
    return tests


if __name__ == "__main__":
    unittest.main()
