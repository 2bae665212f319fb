"""Urgent-pointer tricks under stream.reassembly.urgent.policy=oob: see
../urgent_common.py for the flows and the expected URIs."""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from urgent_common import generate  # noqa: E402

if __name__ == "__main__":
    generate(sys.argv[1], HERE, "oob")
