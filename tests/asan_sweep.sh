#!/usr/bin/env bash
# Runs an ASan+UBSan build of pasban over every capture under the given
# roots, once with `-k none` and once with the default checksum mode, and
# reports one line per capture: OK, or FAIL with the reason (sanitizer
# report, leak, signal, timeout, unexpected exit status).
#
#   tests/asan_sweep.sh BUILD_DIR RULES CAPTURE_ROOT...
#
# BUILD_DIR holds a pasban built with -DPASBAN_SANITIZE=ON
#   (cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DPASBAN_SANITIZE=ON).
# RULES is one rule file, or a directory whose *.rules are concatenated into
#   one temporary file (rules that fail to load are expected and ignored).
# CAPTURE_ROOTS are searched recursively; a capture is recognised by its
#   magic number (pcap, pcap-ns, pcapng), gzip-compressed ones included
#   (those are unpacked to a temporary file first). Data is read in place,
#   e.g. ../shared/data/pcaps and ../shared/data/tcpdump-tests; nothing is
#   copied into the project.
#
# Environment: SWEEP_TIMEOUT (seconds per run, default 300), SWEEP_BATCH
# (captures per process, default 1; see below), SWEEP_MODES
# (default "none default"; "none" alone halves the time), SWEEP_KEEP=1 keeps
# the logs of failed runs in the temporary directory and prints its path,
# SWEEP_ARGS adds pasban arguments to every run (e.g. "--simulate-ips").
# Exit status: 0 when every capture passed, 1 otherwise, 2 on bad usage.
set -u

if [ $# -lt 3 ]; then
  echo "usage: $0 BUILD_DIR RULES CAPTURE_ROOT..." >&2
  exit 2
fi
build_dir=$1
rules=$2
shift 2
pasban="$build_dir/pasban"
if [ ! -x "$pasban" ]; then
  echo "$0: $pasban: not an executable" >&2
  exit 2
fi
timeout_s=${SWEEP_TIMEOUT:-300}
modes=${SWEEP_MODES:-"none default"}

work=$(mktemp -d /tmp/asan-sweep.XXXXXX)
if [ "${SWEEP_KEEP:-0}" != 1 ]; then trap 'rm -rf "$work"' EXIT; fi

if [ -d "$rules" ]; then
  cat "$rules"/*.rules > "$work/all.rules" || exit 2
  rules="$work/all.rules"
elif [ ! -r "$rules" ]; then
  echo "$0: $rules: cannot read" >&2
  exit 2
fi

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

# Prints the kind of capture a file holds by its first four bytes:
# pcap, pcapng, or nothing.
capture_kind() {
  local magic
  magic=$(head -c 4 "$1" 2>/dev/null | od -An -tx1 | tr -d ' \n')
  case "$magic" in
    d4c3b2a1|a1b2c3d4|4d3cb2a1|a1b23c4d) echo pcap ;;
    0a0d0d0a) echo pcapng ;;
  esac
}

# The reason a run failed, from its exit status and stderr; empty if none.
failure_reason() {
  local rc=$1 err=$2 line
  line=$(grep -m1 -E 'ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:|SUMMARY: (Address|Leak|UndefinedBehavior)Sanitizer' "$err")
  if [ -n "$line" ]; then
    echo "sanitizer: ${line#*: }"
    return
  fi
  if [ "$rc" -eq 124 ]; then echo "hang: no exit within ${timeout_s}s"; return; fi
  if [ "$rc" -gt 128 ]; then echo "signal $((rc - 128))"; return; fi
  # 1 is pasban's status for an input it rejects (a capture it cannot
  # read); that is reported on stderr and is not a crash.
  if [ "$rc" -ne 0 ] && [ "$rc" -ne 1 ]; then echo "exit status $rc"; return; fi
  if [ "$rc" -eq 1 ] && ! grep -q '^pasban: ' "$err"; then
    echo "exit status 1 without a diagnostic"
  fi
}

# Every capture under the roots, in name order: the original path and the
# file pasban reads (a gzip one is unpacked into the temporary directory).
originals=()
inputs=()
while IFS= read -r -d '' file; do
  kind=$(capture_kind "$file")
  input=$file
  if [ -z "$kind" ] && [ "$(head -c 2 "$file" | od -An -tx1 | tr -d ' \n')" = 1f8b ]; then
    input="$work/unpacked-${#inputs[@]}.cap"
    gzip -dc "$file" > "$input" 2>/dev/null
    kind=$(capture_kind "$input")
  fi
  [ -n "$kind" ] || continue
  originals+=("$file")
  inputs+=("$input")
done < <(find "$@" -type f -print0 | sort -z)

# Runs pasban once in checksum mode $1 over the captures given after it.
# Sets rc, secs and reason (empty when the run is clean).
run_pasban() {
  local mode=$1 logdir="$work/log" start
  shift
  rm -rf "$logdir"
  mkdir -p "$logdir"
  local args=(-S "$rules" -l "$logdir")
  [ "$mode" = default ] || args+=(-k "$mode")
  # shellcheck disable=SC2206  # SWEEP_ARGS is split into words on purpose
  args+=(${SWEEP_ARGS:-})
  for f in "$@"; do args+=(-r "$f"); done
  start=$(date +%s)
  timeout "$timeout_s" "$pasban" "${args[@]}" > "$work/out" 2> "$work/err"
  rc=$?
  secs=$(( $(date +%s) - start ))
  reason=$(failure_reason "$rc" "$work/err")
}

# Checks capture $1 (an index) alone in every mode and prints its line.
check_one() {
  local i=$1 status=OK detail="" mode
  for mode in $modes; do
    run_pasban "$mode" "${inputs[$i]}"
    if [ -n "$reason" ]; then
      status=FAIL
      detail+=" [-k $mode] $reason;"
      if [ "${SWEEP_KEEP:-0}" = 1 ]; then cp "$work/err" "$work/fail-$i-$mode.stderr"; fi
    elif [ "$rc" -eq 1 ]; then
      detail+=" [-k $mode] rejected: $(grep '^pasban: ' "$work/err" | grep -v -E 'rules loaded|^pasban: error: ' | tail -1);"
    fi
    if [ "$secs" -gt 60 ]; then detail+=" [-k $mode] slow: ${secs}s;"; fi
  done
  echo "$status ${originals[$i]}${detail:+ --$detail}"
  if [ "$status" = OK ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
}

# SWEEP_BATCH=N (default 1: one process per capture) gives N captures to
# one process (-r repeated), which saves the rule load per capture; a batch
# that is not clean in every mode is re-run one capture at a time, so every
# failure is still named by its capture. A batch that fails while each of
# its captures passes alone is reported too (state carried across files).
batch=${SWEEP_BATCH:-1}
passed=0
failed=0
total=${#inputs[@]}
for ((b = 0; b < total; b += batch)); do
  idx=()
  for ((i = b; i < b + batch && i < total; ++i)); do idx+=("$i"); done
  if [ "$batch" -gt 1 ]; then
    clean=1
    files=()
    for i in "${idx[@]}"; do files+=("${inputs[$i]}"); done
    for mode in $modes; do
      run_pasban "$mode" "${files[@]}"
      if [ -n "$reason" ] || [ "$rc" -ne 0 ]; then clean=0; break; fi
    done
    if [ "$clean" = 1 ]; then
      for i in "${idx[@]}"; do echo "OK ${originals[$i]}"; done
      passed=$((passed + ${#idx[@]}))
      continue
    fi
    batch_reason=$reason
    before=$failed
    for i in "${idx[@]}"; do check_one "$i"; done
    if [ -n "$batch_reason" ] && [ "$failed" -eq "$before" ]; then
      echo "FAIL batch of ${originals[${idx[0]}]} .. ${originals[${idx[-1]}]} -- [-k $mode] $batch_reason (each capture passes alone)"
      failed=$((failed + 1))
    fi
  else
    check_one "$b"
  fi
done

[ "${SWEEP_KEEP:-0}" = 1 ] && echo "logs kept in $work"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
