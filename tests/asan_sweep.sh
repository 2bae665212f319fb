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
# Environment: SWEEP_TIMEOUT (seconds per run, default 300), SWEEP_MODES
# (default "none default"; "none" alone halves the time), SWEEP_KEEP=1 keeps
# the logs of failed runs in the temporary directory and prints its path.
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

passed=0
failed=0
n=0
while IFS= read -r -d '' file; do
  kind=$(capture_kind "$file")
  input=$file
  if [ -z "$kind" ] && [ "$(head -c 2 "$file" | od -An -tx1 | tr -d ' \n')" = 1f8b ]; then
    input="$work/unpacked.cap"
    gzip -dc "$file" > "$input" 2>/dev/null
    kind=$(capture_kind "$input")
  fi
  [ -n "$kind" ] || continue
  n=$((n + 1))
  status=OK
  detail=""
  for mode in $modes; do
    logdir="$work/log"
    rm -rf "$logdir"
    mkdir -p "$logdir"
    args=(-r "$input" -S "$rules" -l "$logdir")
    [ "$mode" = default ] || args+=(-k "$mode")
    start=$(date +%s)
    timeout "$timeout_s" "$pasban" "${args[@]}" > "$work/out" 2> "$work/err"
    rc=$?
    secs=$(( $(date +%s) - start ))
    reason=$(failure_reason "$rc" "$work/err")
    if [ -n "$reason" ]; then
      status=FAIL
      detail+=" [-k $mode] $reason;"
      if [ "${SWEEP_KEEP:-0}" = 1 ]; then cp "$work/err" "$work/fail-$n-$mode.stderr"; fi
    elif [ "$rc" -eq 1 ]; then
      detail+=" [-k $mode] rejected: $(grep '^pasban: ' "$work/err" | grep -v -E 'rules loaded|^pasban: error: ' | tail -1);"
    fi
    if [ "$secs" -gt 60 ]; then detail+=" [-k $mode] slow: ${secs}s;"; fi
  done
  echo "$status $file${detail:+ --$detail}"
  if [ "$status" = OK ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
done < <(find "$@" -type f -print0 | sort -z)

[ "${SWEEP_KEEP:-0}" = 1 ] && echo "logs kept in $work"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
