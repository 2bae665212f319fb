"""The shipped sample: delegate to tools/make_sample.py (same output path
semantics: the first argument is where the pcap goes)."""
import os
import runpy
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "..")
runpy.run_path(os.path.join(ROOT, "tools", "make_sample.py"), run_name="__main__")
