#!/bin/sh
# Times `bin/pmux upgrade` on an unpacked installation and the gap it leaves in programs' output:
# N programs print a numbered, timestamped line every 5 ms; after each upgrade the longest pause
# between two consecutive lines of one program is reported, with the upgrade's own wall time
# (pre-flight JVM, hand-over, new JVM, until `ctl` reaches the new pmux).
#   bench/upgrade.sh /path/to/unpacked/pmux-VERSION [programs] [upgrades]
set -eu
home=$1
programs=${2:-10}
upgrades=${3:-3}
work=$(mktemp -d)
trap 'PMUX_RUN_DIR=$work/run "$home/bin/pmux" stop 20 >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
{
  echo 'timeFormat: "15:04:05.000000"'
  echo 'processes:'
  i=0
  while [ "$i" -lt "$programs" ]; do
    cat <<YAML
  - name: c$i
    cmd: python3
    args: ["-u", "-c", "import itertools, time\\nfor i in itertools.count(1):\\n  print(i, flush=True)\\n  time.sleep(0.005)"]
YAML
    i=$((i + 1))
  done
} >"$work/pmux.yml"
export PMUX_RUN_DIR="$work/run"
out=$home/logs/pmux.out
offset=0
if [ -f "$out" ]; then
  offset=$(wc -c <"$out")
fi
"$home/bin/pmux" start -c "$work/pmux.yml" >/dev/null
sleep 3
n=1
while [ "$n" -le "$upgrades" ]; do
  start=$(date +%s%N)
  "$home/bin/pmux" upgrade >/dev/null
  end=$(date +%s%N)
  echo "upgrade $n: $(((end - start) / 1000000)) ms from the command to the new pmux answering"
  sleep 2
  n=$((n + 1))
done
# The longest pause between two consecutive lines of one program, over the whole run.
tail -c +$((offset + 1)) "$out" | grep -E '^[0-9:.]+ +. c[0-9]+ +. [0-9]+$' | awk '
  { split($1, t, ":"); s = t[1] * 3600 + t[2] * 60 + t[3]; p = $3
    if (p in last && s - last[p] > gap) { gap = s - last[p]; at = $1 " " p }
    last[p] = s }
  END { printf "longest pause between two lines of one program: %.0f ms (%s)\n", gap * 1000, at }'
