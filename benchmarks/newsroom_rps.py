"""Requests per second: the newsroom list (/tin-bao-chi/) against a static file, same stack.

    .venv/bin/python benchmarks/newsroom_rps.py http://127.0.0.1:8401 [--seconds 15]
        [--connections 16] [--static /static/favicon.svg] [--path /tin-bao-chi/]

Start the stack first (gunicorn -w 4 + WhiteNoise, DEBUG=false; docs/operations.md has
the command). Uses `wrk` (Debian package) when present, else a threaded Python client.
Prints each rate and the ratio newsroom/static; the target is at least 50 %.
Both are asked as an anonymous visitor without cookies, as a spike of readers would.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import threading
import time
import urllib.request


def _wrk(url: str, seconds: int, connections: int) -> float:
    out = subprocess.run(  # noqa: S603 — a fixed program with our own arguments
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", url],  # noqa: S607
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if errors:
        sys.exit(f"{url}: {errors.group(1)} error responses\n{out}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))


def _python(url: str, seconds: int, connections: int) -> float:
    done = [0] * connections
    stop = time.monotonic() + seconds

    def worker(i: int) -> None:
        while time.monotonic() < stop:
            with urllib.request.urlopen(url, timeout=10) as r:  # noqa: S310 — our own URL
                r.read()
                if r.status != 200:
                    raise RuntimeError(f"{url}: {r.status}")
            done[i] += 1

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(connections)]
    start = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(done) / (time.monotonic() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base_url")
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--static", default="/static/favicon.svg")
    parser.add_argument("--path", default="/tin-bao-chi/")
    args = parser.parse_args()
    base = args.base_url.rstrip("/")
    measure = _wrk if shutil.which("wrk") else _python
    tool = "wrk" if measure is _wrk else "python"
    for url in (base + args.static, base + args.path):  # warm up (caches, connections)
        urllib.request.urlopen(url, timeout=10).read()  # noqa: S310
    static = measure(base + args.static, args.seconds, args.connections)
    newsroom = measure(base + args.path, args.seconds, args.connections)
    print(f"tool: {tool}, {args.connections} connections, {args.seconds} s each")
    print(f"static file   {args.static}: {static:8.1f} req/s")
    print(f"newsroom list {args.path}: {newsroom:8.1f} req/s")
    print(f"ratio newsroom/static: {newsroom / static:.0%} (target ≥ 50 %)")


if __name__ == "__main__":
    main()
