#!/usr/bin/env python3
"""Times `bulletin serve` rebuilds after editing one notice, for bench/run.

    python3 bench/serve_rebuild.py BULLETIN CORPUS OUT EDITS

Starts `bulletin serve --root CORPUS --output OUT --port 0`, waits for the first build, then
EDITS times appends a sentence to one notice and waits for the rebuild, and puts the notice
back as it was at the end (so the corpus stays the generator's). Prints one line:
`<median ms> <min ms> <max ms> <median ms reported by serve>`, where the first three run
from the write to the moment serve reports the rebuild done (they include the 30 ms serve
waits for an editor's burst of events to settle) and the last is serve's own figure (from
the end of that wait to files written).
"""

import os
import re
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from queue import Empty, Queue

TIMEOUT = 600


def main() -> int:
    bulletin, corpus, out, edits = sys.argv[1], Path(sys.argv[2]), sys.argv[3], int(sys.argv[4])
    notice = sorted((corpus / "content").rglob("*.md"))[len(list((corpus / "content").rglob("*.md"))) // 2]
    original = notice.read_bytes()
    proc = subprocess.Popen(
        [bulletin, "serve", "--no-history", "--root", str(corpus), "--output", out, "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines: "Queue[str]" = Queue()
    for stream in (proc.stdout, proc.stderr):
        threading.Thread(target=lambda s=stream: [lines.put(l) for l in s], daemon=True).start()

    def wait_for(pattern: str) -> re.Match:
        deadline = time.monotonic() + TIMEOUT
        while True:
            try:
                line = lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except Empty:
                raise SystemExit(f"serve_rebuild: no `{pattern}` from bulletin serve")
            found = re.search(pattern, line)
            if found:
                return found

    outside, inside = [], []
    try:
        wait_for(r"serving ")
        time.sleep(1)
        for i in range(edits):
            notice.write_bytes(original + f"\nEdited for the benchmark, {i}.\n".encode())
            started = time.monotonic()
            found = wait_for(r"rebuilt in (\d+) ms")
            outside.append((time.monotonic() - started) * 1000)
            inside.append(int(found.group(1)))
            time.sleep(0.5)
    finally:
        notice.write_bytes(original)
        time.sleep(1)
        proc.terminate()
        proc.wait(timeout=60)
    print(
        f"{statistics.median(outside):.0f} {min(outside):.0f} {max(outside):.0f} "
        f"{statistics.median(inside):.0f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
