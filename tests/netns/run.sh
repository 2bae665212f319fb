#!/usr/bin/env bash
# ctest entry for the network test: ET_DIR (a folder of .rules files, may
# be absent) is joined into one file for the NFQUEUE figures.
#   run.sh ENGINE [ET_DIR]
set -uo pipefail
engine=$1 et_dir=${2:-}
here=$(cd "$(dirname "$0")" && pwd)
et_file=""
if [[ -n "$et_dir" && -d "$et_dir" ]]; then
  et_file=$(mktemp /tmp/pasban-et.XXXXXX.rules)
  trap 'rm -f "$et_file"' EXIT
  cat "$et_dir"/*.rules > "$et_file"
fi
bash "$here/inline_test.sh" "$engine" $et_file
