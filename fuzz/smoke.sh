#!/bin/bash
# CI smoke test of the fuzz targets: builds every fuzz/*_fuzz.cc with
# clang-14 (-fsanitize=fuzzer,address,undefined; Debian packages clang-14
# and libclang-rt-14-dev, see scripts/install-deps.sh), then runs each for
# SMOKE_SECONDS over the generated seeds, all cores at a time. Fails when
# a target crashes, leaks, hangs or reports undefined behaviour, or when
# the build fails.
#
#   fuzz/smoke.sh [BUILD_DIR]        (default: build-fuzz-smoke)
#
# SMOKE_SECONDS  per target (default 10); JOBS  build and run parallelism
# (default: nproc). Scratch corpora, crash inputs and logs go to
# $BUILD_DIR/smoke/ (crashes/ and logs/ are worth keeping as CI artifacts).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build-fuzz-smoke}
seconds=${SMOKE_SECONDS:-10}
jobs=${JOBS:-$(nproc)}
started=$SECONDS

if ! command -v clang++-14 >/dev/null || ! ls /usr/lib/llvm-14/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a \
    >/dev/null 2>&1; then
  echo "fuzz smoke: needs clang-14 and libFuzzer (apt-get install clang-14 libclang-rt-14-dev)" >&2
  exit 2
fi

launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
targets=()
for f in "$root"/fuzz/*_fuzz.cc; do targets+=("$(basename "$f" .cc)"); done

CC=clang-14 CXX=clang++-14 cmake -S "$root" -B "$build" -DPASBAN_FUZZ=ON -DPASBAN_SANITIZE=ON \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo "${launcher[@]}" >/dev/null
cmake --build "$build" -j"$jobs" --target "${targets[@]}" >"$build/smoke-build.log" 2>&1 || {
  tail -40 "$build/smoke-build.log" >&2
  echo "fuzz smoke: build failed (log: $build/smoke-build.log)" >&2
  exit 1
}
echo "fuzz smoke: built ${#targets[@]} targets in $((SECONDS - started)) s"

rm -rf "$build/smoke"
status=0
JOBS=$jobs "$root/fuzz/run.sh" "$build" "$seconds" "$build/smoke" "${targets[@]}" || status=$?
echo "fuzz smoke: $([ $status = 0 ] && echo passed || echo FAILED) in $((SECONDS - started)) s"
if [ $status != 0 ]; then
  ls "$build/smoke/crashes" >&2 || true
  echo "reproduce: $build/<target> $build/smoke/crashes/<file>" >&2
fi
exit $status
