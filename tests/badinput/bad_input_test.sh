#!/usr/bin/env bash
# Bad input gets a clear answer: a message naming the file and the
# problem, a non-zero exit where nothing useful can be done, and nothing
# already written lost.
#   bad_input_test.sh ENGINE SAMPLE_PCAP SAMPLE_RULES
set -uo pipefail
ENGINE=$(readlink -f "$1") PCAP=$(readlink -f "$2") RULES=$(readlink -f "$3")
W=$(mktemp -d /tmp/pasban-badinput.XXXXXX)
chmod 755 "$W"  # the unprivileged run below must reach its log dir
failures=0
cleanup() { mountpoint -q "$W/full" 2>/dev/null && umount "$W/full"; rm -rf "$W"; }
trap cleanup EXIT
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
ok() { echo "ok: $*"; }
# expect NAME WANT_RC PATTERN -- ARGS: runs the engine, checks exit code and stderr
expect() {
  local name=$1 want=$2 pattern=$3; shift 4
  local out rc
  out=$("$ENGINE" "$@" 2>&1 >/dev/null); rc=$?
  if [[ $rc -ne $want ]]; then fail "$name: exit $rc, want $want"; echo "$out" | tail -3; return; fi
  if ! grep -qE -- "$pattern" <<< "$out"; then fail "$name: no message matching '$pattern'"; echo "$out" | tail -3; return; fi
  ok "$name (exit $rc): $(grep -E -- "$pattern" <<< "$out" | head -1)"
}
mkdir -p "$W/out"
head -c 4096 /dev/urandom > "$W/garbage.pcap"
head -c 3000 "$PCAP" > "$W/truncated.pcap"
printf 'alert tcp any any -> any any (msg:"ok"; content:"x"; sid:1;)\nthis is not a rule\nalert tcp any any -> any any (msg:"bad"; nosuchkeyword; sid:2;)\n' > "$W/mixed.rules"
head -c 2048 /dev/urandom > "$W/binary.yaml"
printf 'outputs: [\n  - eve-log: {enabled: yes\n' > "$W/broken.yaml"

expect "missing capture" 1 "nonexistent.pcap.*no such file" -- -r "$W/nonexistent.pcap" -S "$RULES" -l "$W/out"
expect "garbage capture" 1 "garbage.pcap" -- -r "$W/garbage.pcap" -S "$RULES" -l "$W/out"
expect "truncated capture" 0 "truncated.pcap.*truncated" -- -r "$W/truncated.pcap" -S "$RULES" -l "$W/out"
expect "rule errors, others load" 0 "mixed.rules:2: .*mixed.rules:3: sid 2|mixed.rules:3: sid 2" -- -r "$PCAP" -S "$W/mixed.rules" -l "$W/out"
expect "rule errors, --init-errors-fatal" 1 "mixed.rules:3: sid 2" -- -r "$PCAP" -S "$W/mixed.rules" -l "$W/out" --init-errors-fatal
expect "missing rule file" 1 "nope.rules" -- -r "$PCAP" -S "$W/nope.rules" -l "$W/out" --init-errors-fatal
expect "binary config" 1 "binary.yaml: not a YAML text file" -- -r "$PCAP" -S "$RULES" -l "$W/out" -c "$W/binary.yaml"
expect "broken YAML config" 1 "broken.yaml:[0-9]+" -- -r "$PCAP" -S "$RULES" -l "$W/out" -c "$W/broken.yaml"
expect "missing config" 1 "nope.yaml" -- -r "$PCAP" -S "$RULES" -l "$W/out" -c "$W/nope.yaml"
expect "log dir missing" 1 "nope-dir: cannot access: No such file" -- -r "$PCAP" -S "$RULES" -l "$W/nope-dir"
if [[ $(id -u) -eq 0 ]] && command -v setpriv >/dev/null; then
  mkdir -p "$W/ro" && chmod 555 "$W/ro"
  out=$(setpriv --reuid=65534 --regid=65534 --clear-groups "$ENGINE" -r "$PCAP" -S "$RULES" -l "$W/ro" 2>&1); rc=$?
  [[ $rc -eq 1 ]] && grep -q "ro/eve.json: Permission denied" <<< "$out" \
    && ok "log dir not writable (exit 1): $(grep Permission <<< "$out" | head -1)" \
    || { fail "log dir not writable: exit $rc"; echo "$out" | tail -2; }
  # A disk that fills: a 64 KiB file system under a large capture.
  big=$(dirname "$PCAP")/../../shared/bench/web-mix.pcap
  [[ -f "$big" ]] || big=$PCAP
  mkdir -p "$W/full"
  if mount -t tmpfs -o size=64k tmpfs "$W/full" 2>/dev/null; then
    out=$("$ENGINE" -r "$big" -S "$RULES" -l "$W/full" 2>&1); rc=$?
    if [[ $rc -eq 1 ]] && grep -q "eve.json.*No space left on device" <<< "$out"; then
      ok "disk full (exit 1): $(grep 'No space' <<< "$out" | head -1)"
    else fail "disk full: exit $rc"; echo "$out" | tail -3; fi
    # What was written stays: every complete line is a whole JSON record.
    /usr/bin/python3 - "$W/full/eve.json" <<'PY' && ok "records written before the disk filled are whole" || fail "eve.json damaged before the full disk"
import json, sys
data = open(sys.argv[1], "rb").read()
lines = data.split(b"\n")[:-1]  # the last, unterminated piece may be cut
for l in lines: json.loads(l)
print("  %d whole records kept" % len(lines))
PY
    umount "$W/full"
  else echo "SKIP: disk full (cannot mount a tmpfs here)"; fi
else
  echo "SKIP: unwritable log dir and full disk need root (setpriv, mount)"
fi
if (( failures )); then echo "bad_input_test: $failures failure(s)"; exit 1; fi
echo "bad_input_test: all checks passed"
