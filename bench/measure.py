#!/usr/bin/env python3
"""Runs one command and records its wall time, CPU time and peak RSS, for bench/run.

    python3 bench/measure.py RESULT LOG -- COMMAND [ARG...]

Writes "wall_s user_s sys_s maxrss_kib" to RESULT and the command's stdout and stderr to LOG;
exits with the command's status.

The command runs under GNU `/usr/bin/time -f %M`, which reports its peak RSS: a small C
program forks it, so the figure is the command's own. (Measured straight from Python, every
child would start with Python's ~10 MiB in its high-water mark, which swamps the floor's
~3 MiB.) Wall time is a monotonic clock around the whole thing and CPU time (user, system) is
wait4(2) on `time`, which includes the command it waited for: both to the microsecond, where
GNU time's `%e %U %S` step by 10 ms, and the floor takes tens of milliseconds at 1,000 notices.
`time` itself adds about a millisecond of wall time and next to no CPU.
"""

import os
import subprocess
import sys
import tempfile
import time

GNU_TIME = "/usr/bin/time"


def main() -> int:
    if len(sys.argv) < 5 or sys.argv[3] != "--":
        print("usage: measure.py RESULT LOG -- COMMAND [ARG...]", file=sys.stderr)
        return 2
    result, log, command = sys.argv[1], sys.argv[2], sys.argv[4:]
    with tempfile.NamedTemporaryFile("r", suffix=".rss") as rss, open(log, "wb") as out:
        start = time.perf_counter()
        child = subprocess.Popen(
            [GNU_TIME, "-f", "%M", "-o", rss.name, *command],
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        lines = rss.read().split()
    peak = lines[-1] if lines and lines[-1].isdigit() else "0"
    with open(result, "w", encoding="utf-8") as f:
        f.write(f"{wall:.6f} {usage.ru_utime:.6f} {usage.ru_stime:.6f} {peak}\n")
    code = child.returncode
    return code if code >= 0 else 128 - code


if __name__ == "__main__":
    sys.exit(main())
