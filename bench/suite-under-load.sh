#!/usr/bin/env bash
# Runs the whole suite (.ci/run, which runs README's test command) N times in a row from fresh
# clones of this checkout's HEAD while two CPU hogs keep both cores busy: the check that tests
# assert outcomes, not wall-clock windows. Prints one line a run; logs in $OUT (default /tmp).
# Usage: bench/suite-under-load.sh [N]
set -u
n=${1:-5}
repo=$(cd "$(dirname "$0")/.." && pwd)
out=${OUT:-/tmp}
sh -c 'while :; do :; done' & hog1=$!
sh -c 'while :; do :; done' & hog2=$!
dir=
# Stopped midway (Ctrl-C, SIGTERM to its process group): the hogs go, and so does the run's clone; the test JVMs' guardians
# take care of the programs they started.
trap 'kill "$hog1" "$hog2" 2>/dev/null; [ -n "$dir" ] && rm -rf "$dir"' EXIT
for i in $(seq 1 "$n"); do
  dir=$(mktemp -d)
  git clone -q "$repo" "$dir/pmux"
  start=$(date +%s)
  (cd "$dir/pmux" && CI=true bash .ci/run >"$out/suite-under-load-$i.log" 2>&1 </dev/null)
  rc=$?
  end=$(date +%s)
  summary=$(grep -E 'Tests run: [0-9]+, Failures: [0-9]+, Errors: [0-9]+, Skipped: [0-9]+$' \
    "$out/suite-under-load-$i.log" | sed 's/^\[[A-Z]*\] //' | tr '\n' ';')
  echo "run $i: status $rc, $((end - start)) s; $summary"
  rm -rf "$dir"
done
