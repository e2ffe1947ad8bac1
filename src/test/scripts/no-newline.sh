#!/bin/sh
# Writes $1 bytes of 'x' without a single newline, then exits 0.
head -c "${1:-1000}" /dev/zero | tr '\0' x
