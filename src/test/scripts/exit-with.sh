#!/bin/sh
# Prints a line, then exits with the status given as $1 (default 0).
echo "exit-with $1"
exit "${1:-0}"
