#!/bin/bash
# Runs fuzz targets for a fixed time each over the generated seeds and
# fuzz/seeds/, JOBS at a time, and prints one result line per target.
#
#   fuzz/run.sh BUILD_DIR SECONDS WORKDIR [TARGET...]
#
# BUILD_DIR  a -DPASBAN_FUZZ=ON build holding the *_fuzz binaries
# SECONDS    -max_total_time of each target
# WORKDIR    scratch: seeds/ and seeds/dicts/ (made by make_seeds.py), corpus/<target>/ (what
#            the run adds), crashes/ (crash-*, leak-*, timeout-*, oom-*
#            inputs, named <target>-crash-<sha1>), logs/<target>.log
# TARGET     default: every *_fuzz binary in BUILD_DIR
# JOBS       environment: targets at the same time (default 1)
# NICE       environment: nice level of the fuzzers (default 0)
# FUZZ_ARGS  environment: extra libFuzzer flags
#
# Exit status 1 when any target stopped on a finding (or did not start).
set -u
if [ $# -lt 3 ]; then
  echo "usage: $0 BUILD_DIR SECONDS WORKDIR [TARGET...]" >&2
  exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "$1" && pwd) || exit 2
seconds=$2
work=$3
shift 3
jobs=${JOBS:-1}
mkdir -p "$work/corpus" "$work/crashes" "$work/logs" || exit 2
work=$(cd "$work" && pwd)
[ -d "$work/seeds" ] || python3 "$here/make_seeds.py" "$work/seeds" || exit 2

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for f in "$build"/*_fuzz; do [ -x "$f" ] && targets+=("$(basename "$f")"); done
fi
if [ ${#targets[@]} -eq 0 ]; then
  echo "run.sh: no *_fuzz binaries in $build (configure with -DPASBAN_FUZZ=ON)" >&2
  exit 2
fi

run_one() {
  local t=$1 dirs=("$work/corpus/$1") args=()
  mkdir -p "$work/corpus/$t"
  [ -d "$work/seeds/$t" ] && dirs+=("$work/seeds/$t")
  [ -d "$here/seeds/${t%_fuzz}" ] && dirs+=("$here/seeds/${t%_fuzz}")
  [ -f "$work/seeds/dicts/$t.dict" ] && args+=("-dict=$work/seeds/dicts/$t.dict")
  # A hang is an input taking over 25 s (ASan builds are ~3x slower).
  nice -n "${NICE:-0}" "$build/$t" -max_total_time="$seconds" -print_final_stats=1 -timeout=25 \
    -artifact_prefix="$work/crashes/$t-" "${args[@]}" ${FUZZ_ARGS:-} "${dirs[@]}" \
    > "$work/logs/$t.log" 2>&1
}

# Executions, coverage and speed from the log: the final stats of a plain
# run, else the last status line (fork mode prints "#N: cov: ... exec/s N").
summary() {
  local t=$1 rc=$2 log="$work/logs/$1.log" last execs
  last=$(grep -E '^#[0-9]+' "$log" | tail -1)
  execs=$(grep -oE 'stat::number_of_executed_units: [0-9]+' "$log" | grep -oE '[0-9]+$')
  [ -n "$execs" ] || execs=$(echo "$last" | grep -oE '^#[0-9]+' | tr -d '#')
  printf '%-16s rc=%-3s %s execs | %s %s | %s\n' "$t" "$rc" "${execs:-0}" \
    "$(echo "$last" | grep -oE 'cov: [0-9]+ ft: [0-9]+ corp: [0-9]+(/[0-9]+[a-zA-Z]*)?')" \
    "$(echo "$last" | grep -oE 'exec/s:? [0-9]+')" \
    "$(echo "$last" | grep -oE 'oom/timeout/crash: [0-9/]+')"
  if [ "$rc" != 0 ]; then
    grep -m3 -E 'ERROR: |runtime error|SUMMARY|Test unit written' "$log" | sed 's/^/    /'
  fi
}

# Each run records its status in logs/<target>.rc: `wait -n` below reaps
# jobs, so their statuses cannot be collected with `wait PID` afterwards.
for t in "${targets[@]}"; do
  while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n; done
  rm -f "$work/logs/$t.rc"
  ( run_one "$t"; rc=$?; echo $rc > "$work/logs/$t.rc"; summary "$t" "$rc" ) &
done
wait
failed=0
for t in "${targets[@]}"; do
  [ "$(cat "$work/logs/$t.rc" 2>/dev/null)" = 0 ] || failed=1
done
exit $failed
