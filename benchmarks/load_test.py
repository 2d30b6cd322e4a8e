"""Run the personas' load test (loadtest/locustfile.py) headless and print its figures.

    .venv/bin/python benchmarks/load_test.py BASE_URL [--users 30] [--minutes 5]
        [--spawn-rate 5] [--csv var/loadtest/run] [--label 200k]

Prints, per endpoint (persona and URL pattern): requests, failures, requests/s, p50, p95, p99
and max in ms; then the total, the failures by message, and the issue's targets: 0 errors,
p95 ≤ 300 ms for the staff and journalist lists. Locust's own CSV files stay beside --csv
(<prefix>_stats.csv, _failures.csv, _stats_history.csv). Exit status 0 when there were no
failures.
"""

import argparse
import csv
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCUSTFILE = ROOT / "loadtest" / "locustfile.py"
# The lists whose p95 the issue bounds (≤ 300 ms at 200,000 cases).
LISTS = ["journalist: GET /api/v1/cases/", "staff: GET /api/v1/cases/", "staff: GET /api/v1/tasks/"]
TARGET_P95_MS = 300


def run_locust(base: str, users: int, minutes: float, spawn_rate: float, prefix: Path) -> int:
    prefix.parent.mkdir(parents=True, exist_ok=True)
    locust = Path(sys.executable).with_name("locust")
    command = [
        str(locust) if locust.exists() else "locust",
        "-f",
        str(LOCUSTFILE),
        "--host",
        base,
        "--headless",
        "--users",
        str(users),
        "--spawn-rate",
        str(spawn_rate),
        "--run-time",
        f"{int(minutes * 60)}s",
        "--csv",
        str(prefix),
        "--only-summary",
        "--loglevel",
        "WARNING",
    ]
    print("$", " ".join(command), flush=True)
    return subprocess.run(command, check=False, env=os.environ.copy()).returncode


WARM_UP = ["/tin-bao-chi/", "/tin-bao-chi/feed.atom", "/api/v1/cases/", "/healthz"]


def warm_up(base: str, rounds: int = 8) -> None:
    """Have every web worker import the project before the clock starts (Django loads its URL
    configuration, and with it WeasyPrint and pyHanko, on a worker's first request)."""
    import urllib.request
    from concurrent.futures import ThreadPoolExecutor

    def fetch(path):
        try:
            with urllib.request.urlopen(f"{base}{path}", timeout=180) as r:  # noqa: S310 — our URL
                r.read()
        except OSError:
            pass  # a 401/403 is a warm worker too

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(fetch, WARM_UP * rounds))


def read_stats(prefix: Path) -> list[dict]:
    with open(f"{prefix}_stats.csv", newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def read_failures(prefix: Path) -> list[dict]:
    path = Path(f"{prefix}_failures.csv")
    if not path.exists():
        return []
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def report(rows: list[dict], failures: list[dict], label: str) -> bool:
    """Print the table; return True when there were no failures."""
    header = (
        f"{'endpoint':<52} {'reqs':>6} {'fail':>5} {'req/s':>6} "
        f"{'p50':>6} {'p95':>6} {'p99':>6} {'max':>7}  (ms)"
    )
    print(f"\n{label}".rstrip())
    print(header)
    print("-" * len(header))
    total = None
    for row in rows:
        line = (
            f"{row['Name'][:52]:<52} {int(row['Request Count']):>6} "
            f"{int(row['Failure Count']):>5} {float(row['Requests/s']):>6.2f} "
            f"{row['50%']:>6} {row['95%']:>6} {row['99%']:>6} {float(row['Max Response Time']):>7.0f}"
        )
        if row["Name"] == "Aggregated":
            total = row
            continue
        print(line)
    if total:
        print("-" * len(header))
        print(
            f"{'total':<52} {int(total['Request Count']):>6} {int(total['Failure Count']):>5} "
            f"{float(total['Requests/s']):>6.2f} {total['50%']:>6} {total['95%']:>6} "
            f"{total['99%']:>6} {float(total['Max Response Time']):>7.0f}"
        )
    for failure in failures:
        print(
            f"FAILED {failure['Occurrences']}× {failure['Method']} {failure['Name']}: "
            f"{failure['Error'][:200]}"
        )
    errors = int(total["Failure Count"]) if total else 0
    print(f"\nerrors: {errors} (target 0)")
    by_name = {row["Name"]: row for row in rows}
    for name in LISTS:
        row = by_name.get(name)
        if row is None:
            print(f"{name}: not requested")
            continue
        p95 = float(row["95%"])
        verdict = "ok" if p95 <= TARGET_P95_MS else "OVER"
        print(f"{name}: p95 {p95:.0f} ms (target ≤ {TARGET_P95_MS} ms) {verdict}")
    return errors == 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base", help="e.g. http://127.0.0.1:8301")
    parser.add_argument("--users", type=int, default=30)
    parser.add_argument("--minutes", type=float, default=5)
    parser.add_argument("--spawn-rate", type=float, default=5)
    parser.add_argument("--csv", type=Path, default=ROOT / "var" / "loadtest" / "run")
    parser.add_argument("--label", default="", help="a title printed above the table")
    args = parser.parse_args()
    warm_up(args.base.rstrip("/"))
    code = run_locust(args.base.rstrip("/"), args.users, args.minutes, args.spawn_rate, args.csv)
    if not Path(f"{args.csv}_stats.csv").exists():
        print(f"locust ended with {code} and wrote no statistics", file=sys.stderr)
        return 2
    ok = report(read_stats(args.csv), read_failures(args.csv), args.label)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
