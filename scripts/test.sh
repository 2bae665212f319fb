#!/usr/bin/env bash
# Build, then run every test registered with ctest (unit and pcap cases).
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/build.sh
ctest --test-dir build --output-on-failure -j2
