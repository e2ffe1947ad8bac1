#!/bin/bash
# Ignores SIGINT and SIGTERM (saying so on stderr) until SIGKILLed.
trap 'echo "ignoring INT" >&2' INT
trap 'echo "ignoring TERM" >&2' TERM
echo ready
while true; do sleep 0.05; done
