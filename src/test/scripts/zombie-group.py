#!/usr/bin/env python3
# Leaves a process group whose only process is a zombie, without orphaning anything: this process
# (in a session of its own) makes a group with a leader, forks a child into that group which exits
# at once, kills and reaps the leader, and never reaps the child. Prints "<group> <zombie>", then
# sleeps until killed.
import os
import signal
import time

os.setsid()
leader = os.fork()
if leader == 0:
    os.setpgid(0, 0)
    time.sleep(60)
    os._exit(0)
os.setpgid(leader, leader)  # as the leader does: whichever runs first
member = os.fork()
if member == 0:
    os.setpgid(0, leader)
    os._exit(0)
os.waitid(os.P_PID, member, os.WEXITED | os.WNOWAIT)  # exited, not reaped: a zombie
os.kill(leader, signal.SIGKILL)
os.waitpid(leader, 0)
print(leader, member, flush=True)
time.sleep(60)
