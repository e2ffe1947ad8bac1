#!/bin/sh
# Writes $1 numbered lines to stdout and $1 to stderr, interleaved, as fast as it can, then exits 0:
#   out 00000001 xxx... (stdout)   err 00000001 xxx... (stderr)
n=${1:-1000}
exec awk -v n="$n" 'BEGIN {
  pad = "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
  for (i = 1; i <= n; i++) {
    printf "out %08d %s\n", i, pad
    printf "err %08d %s\n", i, pad > "/dev/stderr"
  }
}'
