#!/usr/bin/env python3
"""End-to-end test of the process lifecycle with the real pasban binary.

The engine reads a FIFO (`-r FIFO`) that this test feeds packet by packet,
so the run lasts as long as the test wants. While traffic flows the test:
  - reloads rules with SIGUSR2: a rule only the new file has alerts on
    packets after the reload, a removed rule stops alerting, and a flowbit
    set before the reload still satisfies an isset after it (the new file
    names another flowbit first, so its id would move without seeding);
  - reloads through the control socket (reload-rules blocks until the new
    set inspects the next packet), and sees a reload with a missing rule
    file refused while the old rules keep working;
  - moves eve.json away and sends SIGHUP: records of later packets go to a
    fresh eve.json, none lost or written twice;
  - checks dump-counters against the packets sent, and --pidfile;
  - ends with SIGTERM: exit 0, every eve line valid JSON, the last one the
    stats record.
A second run stops through the socket's shutdown command.

    test_lifecycle.py PASBAN_BINARY
"""

import json
import os
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tools", "pcapgen"))
sys.path.insert(0, os.path.join(ROOT, "tools"))

from pcapgen import UdpExchange, Writer  # noqa: E402
import pasbanctl  # noqa: E402

WAIT_SECONDS = 20  # bound on every wait for the engine

RULES_V1 = """\
alert udp any any -> any any (msg:"login"; content:"LOGIN"; flowbits:set,logged_in; flowbits:noalert; sid:1;)
alert udp any any -> any any (msg:"old word"; content:"OLDWORD"; sid:2;)
"""
# Names another flowbit before logged_in, drops sid 2, adds 3 and 4.
RULES_V2 = """\
alert udp any any -> any any (msg:"other bit"; content:"OTHER"; flowbits:set,aaa_other; sid:5;)
alert udp any any -> any any (msg:"login"; content:"LOGIN"; flowbits:set,logged_in; flowbits:noalert; sid:1;)
alert udp any any -> any any (msg:"new word"; content:"NEWWORD"; sid:3;)
alert udp any any -> any any (msg:"command after login"; content:"CMD"; flowbits:isset,logged_in; sid:4;)
"""
RULES_V3 = RULES_V2 + """\
alert udp any any -> any any (msg:"third word"; content:"THIRDWORD"; sid:6;)
"""


class Failure(Exception):
    pass


def check(cond, what):
    if not cond:
        raise Failure(what)
    print("ok   " + what)


def wait_for(pred, what):
    deadline = time.time() + WAIT_SECONDS
    while time.time() < deadline:
        value = pred()
        if value:
            return value
        time.sleep(0.05)
    raise Failure("timed out waiting for " + what)


class Run:
    """One pasban process reading a FIFO the test writes."""

    def __init__(self, binary, work, rules_text):
        self.work = work
        self.rules = os.path.join(work, "test.rules")
        with open(self.rules, "w") as f:
            f.write(rules_text)
        self.fifo = os.path.join(work, "in.pcap")
        os.mkfifo(self.fifo)
        self.sock = os.path.join(work, "ctl.sock")
        self.pidfile = os.path.join(work, "pasban.pid")
        self.logs = os.path.join(work, "logs")
        os.mkdir(self.logs)
        self.stderr = open(os.path.join(work, "stderr.txt"), "w+")
        self.proc = subprocess.Popen(
            [binary, "-r", self.fifo, "-S", self.rules, "-l", self.logs, "-k", "none",
             "--pidfile", self.pidfile, "--unix-socket=" + self.sock,
             "--set", "threshold-file=", "--set", "classification-file="],
            stdout=subprocess.DEVNULL, stderr=self.stderr)
        # The socket is up before pasban opens its input; opening the FIFO
        # for writing then waits for pasban to open it.
        try:
            wait_for(lambda: os.path.exists(self.sock) or self.proc.poll() is not None,
                     "the control socket")
        except Failure:
            self.proc.kill()
            raise
        if self.proc.poll() is not None:
            raise Failure("pasban exited at start-up with code %d" % self.proc.returncode)
        self.writer = Writer(self.fifo)
        self.flow = UdpExchange(self.writer, client=("10.9.0.1", 40000), server=("10.9.0.2", 5000))
        self.sent = 0

    def send(self, payload, flow=None):
        (flow or self.flow).send(payload)
        self.writer._fh.flush()
        self.sent += 1
        return self.sent  # its pcap_cnt

    def command(self, name, **arguments):
        return pasbanctl.send_command(self.sock, name, arguments or None, timeout=WAIT_SECONDS)

    def counters(self):
        answer = self.command("dump-counters")
        if answer.get("return") != "OK":
            raise Failure("dump-counters: %r" % answer)
        return answer["message"]

    def wait_processed(self):
        """Until the engine has decoded every packet sent."""
        wait_for(lambda: self.counters()["decoder"]["pkts"] >= self.sent,
                 "pasban to process %d packets" % self.sent)

    def rules_loaded(self):
        return self.command("ruleset-stats")["message"][0]["rules_loaded"]

    def kill(self):
        """After a failure: no engine is left running."""
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self.writer.close()

    def finish(self, how):
        how()
        rc = self.proc.wait(timeout=WAIT_SECONDS)
        self.writer.close()
        self.stderr.seek(0)
        return rc, self.stderr.read()


def eve_lines(path):
    with open(path) as f:
        text = f.read()
    check(text.endswith("\n") or text == "", "%s ends with a complete line" % os.path.basename(path))
    return [json.loads(line) for line in text.splitlines()]


def alerts(records):
    return [(r["alert"]["signature_id"], r["pcap_cnt"]) for r in records if r["event_type"] == "alert"]


def with_engine(binary, work, checks):
    """Runs checks against a fresh engine; none is left running after."""
    run = Run(binary, work, RULES_V1)
    try:
        checks(run)
    finally:
        run.kill()


def checks_while_running(run):
    check(open(run.pidfile).read().strip() == str(run.proc.pid), "--pidfile holds the engine's pid")
    answer = run.command("version")
    check(answer["return"] == "OK" and "RELEASE" in answer["message"], "version answers")
    check(run.command("no-such-command")["return"] == "NOK", "an unknown command is NOK")

    # Phase 1: the first rules.
    p_login = run.send(b"LOGIN alice")
    p_old1 = run.send(b"OLDWORD")
    p_new0 = run.send(b"NEWWORD before the reload")
    run.wait_processed()
    check(run.counters()["decoder"]["pkts"] == run.sent, "dump-counters counts every packet sent")

    # SIGUSR2 with the second rules; filler packets carry the swap.
    with open(run.rules, "w") as f:
        f.write(RULES_V2)
    os.kill(run.proc.pid, signal.SIGUSR2)
    filler = UdpExchange(run.writer, client=("10.9.0.7", 41000), server=("10.9.0.8", 6000))
    deadline = time.time() + WAIT_SECONDS
    while run.rules_loaded() != 4:
        if time.time() > deadline:
            raise Failure("SIGUSR2 reload never went live")
        run.send(b"filler", filler)
        time.sleep(0.05)
    check(True, "SIGUSR2 reload went live (4 rules)")
    p_cmd = run.send(b"CMD ls")
    p_new1 = run.send(b"NEWWORD after the reload")
    p_old2 = run.send(b"OLDWORD after the reload")
    run.wait_processed()

    # Socket reload: blocking, then the very next packet sees the new rule.
    with open(run.rules, "w") as f:
        f.write(RULES_V3)
    answer = run.command("reload-rules")
    check(answer == {"return": "OK", "message": "done"}, "reload-rules answers done")
    p_third = run.send(b"THIRDWORD")
    run.wait_processed()
    check(run.rules_loaded() == 5, "socket reload went live (5 rules)")

    # A broken reload keeps the running rules.
    os.rename(run.rules, run.rules + ".away")
    answer = run.command("reload-rules")
    check(answer["return"] == "NOK" and "cannot open rule file" in answer["message"],
          "a reload with a missing rule file is refused: " + answer.get("message", ""))
    os.rename(run.rules + ".away", run.rules)
    p_third2 = run.send(b"THIRDWORD again")
    run.wait_processed()
    check(run.rules_loaded() == 5, "the refused reload left the running rules")

    # Log rotation.
    eve = os.path.join(run.logs, "eve.json")
    os.rename(eve, eve + ".1")
    os.kill(run.proc.pid, signal.SIGHUP)
    time.sleep(0.2)
    p_after_hup = run.send(b"NEWWORD after the rotation")
    run.wait_processed()

    rc, err = run.finish(lambda: os.kill(run.proc.pid, signal.SIGTERM))
    check(rc == 0, "SIGTERM: exit code 0" + ("" if rc == 0 else " (stderr: %s)" % err))
    check(not os.path.exists(run.pidfile), "the pid file is removed at exit")
    check(not os.path.exists(run.sock), "the socket file is removed at exit")

    old = eve_lines(eve + ".1")
    new = eve_lines(eve)
    old_alerts, new_alerts = alerts(old), alerts(new)
    check(all(c < p_after_hup for _, c in old_alerts), "rotated file: only records from before SIGHUP")
    check(all(c >= p_after_hup for _, c in new_alerts), "fresh eve.json: only records from after SIGHUP")
    everything = old_alerts + new_alerts
    check(len(everything) == len(set(everything)), "no alert written twice")
    got = set(everything)
    expected = {(2, p_old1), (4, p_cmd), (3, p_new1), (6, p_third), (6, p_third2), (3, p_after_hup)}
    check(got == expected, "alerts are exactly the expected ones: %s" % sorted(got))
    check((3, p_new0) not in got and (2, p_old2) not in got,
          "each packet was inspected by the rule set in force when it arrived")
    check((4, p_cmd) in got and p_login < p_cmd,
          "the flowbit set before the reload satisfied isset after it")
    check(new and new[-1]["event_type"] == "stats", "eve.json ends with the stats record")
    check(new[-1]["stats"]["decoder"]["pkts"] == run.sent, "the stats record counts every packet")


def checks_with_shutdown(run):
    run.send(b"OLDWORD")
    run.wait_processed()
    answer = {}

    def shutdown():
        answer.update(run.command("shutdown"))

    rc, err = run.finish(shutdown)
    check(answer.get("return") == "OK", "shutdown answers OK")
    check(rc == 0, "shutdown: exit code 0")
    records = eve_lines(os.path.join(run.logs, "eve.json"))
    check(alerts(records) == [(2, 1)], "shutdown: the alert is logged")
    check(records[-1]["event_type"] == "stats", "shutdown: eve.json ends with the stats record")


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    binary = os.path.abspath(sys.argv[1])
    try:
        with tempfile.TemporaryDirectory(prefix="pasban-lc-") as work:
            with_engine(binary, work, checks_while_running)
        with tempfile.TemporaryDirectory(prefix="pasban-lc-") as work:
            with_engine(binary, work, checks_with_shutdown)
    except (Failure, OSError, subprocess.TimeoutExpired, KeyError, ValueError) as e:
        print("FAIL " + str(e))
        return 1
    print("lifecycle: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
