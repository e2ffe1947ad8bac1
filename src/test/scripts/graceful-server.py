#!/usr/bin/env python3
# A server that needs time to shut down: on SIGINT or SIGTERM it takes FLUSH seconds to "flush",
# then writes "flushed" to the file named by its first argument and exits 0. Python installs its
# handlers even where the shell that started it in the background ignores SIGINT.
import signal
import sys
import time

out = sys.argv[1]
flush = float(sys.argv[2]) if len(sys.argv) > 2 else 0.6


def stop(signum, frame):
    time.sleep(flush)
    with open(out, "w") as f:
        f.write("flushed\n")
    sys.exit(0)


signal.signal(signal.SIGINT, stop)
signal.signal(signal.SIGTERM, stop)
# Serving, with its handlers in place: for a wrapper that waits for it.
open(out + ".serving", "w").close()
print("serving", flush=True)
while True:
    time.sleep(1)
