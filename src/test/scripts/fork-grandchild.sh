#!/bin/sh
# Leaves a background grandchild (which ignores SIGINT, as POSIX shells make background jobs do)
# and waits on it; prints the grandchild's pid.
sleep 1000 &
echo "grandchild $!"
wait
