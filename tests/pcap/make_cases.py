#!/usr/bin/python3
"""(Re)generate the pcap of every case under tests/pcap/ by running its gen.py.

    /usr/bin/python3 tests/pcap/make_cases.py            # rewrite the pcaps
    /usr/bin/python3 tests/pcap/make_cases.py --check    # fail if any differs

Each <area>/<case>/gen.py uses tools/pcapgen and takes one argument, the
output path; make_cases.py passes the `pcap:` named in the case's case.yaml
(the sample case's gen.py writes samples/intrusion-arc.pcap that way).  The generator
is deterministic, so --check regenerates into a temporary directory and
compares bytes with the committed files.
"""

import filecmp
import os
import subprocess
import sys
import tempfile

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))


def gen_scripts():
    for dirpath, dirnames, filenames in os.walk(HERE):
        dirnames.sort()
        if "gen.py" in filenames:
            yield os.path.join(dirpath, "gen.py")


def main(argv):
    check = "--check" in argv
    stale = 0
    with tempfile.TemporaryDirectory() as tmp:
        for script in gen_scripts():
            case_dir = os.path.dirname(script)
            name = os.path.relpath(case_dir, HERE)
            with open(os.path.join(case_dir, "case.yaml"), "rb") as fh:
                pcap = yaml.safe_load(fh)["pcap"]
            out = os.path.normpath(os.path.join(case_dir, pcap))
            cmd = [sys.executable, script]
            if check:
                tmp_out = os.path.join(tmp, name.replace(os.sep, "_") + ".pcap")
                cmd.append(tmp_out)
            else:
                cmd.append(out)
            subprocess.run(cmd, cwd=case_dir, check=True)
            if check:
                if not os.path.exists(out) or not filecmp.cmp(out, tmp_out, shallow=False):
                    print("STALE %s: %s differs from what gen.py writes" % (name, pcap))
                    stale += 1
                else:
                    print("ok    %s" % name)
            else:
                print("wrote %s" % os.path.relpath(out, HERE))
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
