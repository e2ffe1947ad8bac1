#!/bin/sh
# Writes $2 lines made of the tag $1 and a counter, as fast as it can, then exits 0.
tag=$1
n=${2:-1000}
awk -v tag="$tag" -v n="$n" 'BEGIN { for (i = 1; i <= n; i++) printf "%s %08d xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n", tag, i }'
