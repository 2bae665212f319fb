#!/usr/bin/env bash
# Install dependencies (if missing), configure and build Pasban into build/.
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/install-deps.sh
mkdir -p logs
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build build -j2
