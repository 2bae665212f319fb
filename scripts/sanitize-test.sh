#!/usr/bin/env bash
# The unit and pcap tests under AddressSanitizer + UndefinedBehaviorSanitizer.
#
#   scripts/sanitize-test.sh [BUILD_DIR]      (default: build-sanitize)
#
# Builds with clang-14 and -DPASBAN_SANITIZE=ON (ASan, UBSan with no
# recovery, LSan at exit), then runs every ctest test except those that
# measure the machine rather than the code: netns/inline (throughput on a
# real network), flood (peak RSS against the memcaps; ASan's shadow memory
# and quarantine would be measured too) and the slow ET/web-mix comparison.
#
# The build also has the fuzzers' coverage instrumentation (PASBAN_FUZZ, the
# same configuration as fuzz/smoke.sh), so CI builds the engine once for
# both. It changes no behaviour; a plain `cmake -DPASBAN_SANITIZE=ON` build
# (gcc or clang) runs these tests the same way.
#
# Every sanitizer report is written to $BUILD_DIR/sanitizer-reports/ as well
# as failing its test, so a report from a process whose exit status a test
# does not look at (a helper, a process ended by a signal) still fails the
# run. Exit status 1 on any test failure or report.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build-sanitize}
jobs=${JOBS:-$(nproc)}
started=$SECONDS

"$root/scripts/install-deps.sh"
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
CC=clang-14 CXX=clang++-14 cmake -S "$root" -B "$build" -DPASBAN_SANITIZE=ON -DPASBAN_FUZZ=ON \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo "${launcher[@]}" >/dev/null
cmake --build "$build" -j"$jobs" --target pasban pasban_tests >"$build/sanitize-build.log" 2>&1 || {
  tail -40 "$build/sanitize-build.log" >&2
  echo "sanitize-test: build failed (log: $build/sanitize-build.log)" >&2
  exit 1
}
echo "sanitize-test: built in $((SECONDS - started)) s"

reports=$build/sanitizer-reports
rm -rf "$reports"
mkdir -p "$reports"
# exitcode 86: an ASan or LSan report never looks like an expected exit
# status (pcap cases that expect 1 for bad input would otherwise pass).
export ASAN_OPTIONS="detect_leaks=1:exitcode=86:abort_on_error=0:strict_string_checks=1:detect_stack_use_after_return=1:check_initialization_order=1:log_path=$reports/asan"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:log_path=$reports/ubsan"
export LSAN_OPTIONS="exitcode=86"

status=0
ctest --test-dir "$build" -j"$jobs" --timeout 600 --output-on-failure \
  -E '^(netns/inline|flood|workers/web-mix-et)$' || status=1

mapfile -t found < <(find "$reports" -type f | sort)
if (( ${#found[@]} > 0 )); then
  echo "sanitize-test: ${#found[@]} sanitizer report(s):" >&2
  for f in "${found[@]}"; do
    echo "--- $f" >&2
    head -n 30 "$f" >&2
  done
  status=1
fi
echo "sanitize-test: $([ $status = 0 ] && echo passed || echo FAILED), $(ctest --test-dir "$build" -N \
  -E '^(netns/inline|flood|workers/web-mix-et)$' | sed -n 's/^Total Tests: //p') tests, \
${#found[@]} sanitizer reports, in $((SECONDS - started)) s"
exit $status
