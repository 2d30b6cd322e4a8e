"""Time every list page and API list at two data sizes and print how they grow (issue 17).

Usage (one database per size, named after DATABASE_URL's with the size appended; the name must
contain "bench"; each is dropped and loaded first unless --keep finds it loaded):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/phatngon_bench_lists \\
        .venv/bin/python benchmarks/lists_at_scale.py [--sizes 10000,100000] [--runs 20] [--keep]

Loads, per size, the data of benchmarks/reports_dashboard.py (the same loaders, reports/loadgen.py):
a Sở with 10 offices and 40 schools, N cases (each with its process and one task), 3,000
statements, 500 issued and published documents, a real hash chain of 10 × N ledger events.
Then, per list (API cases as a journalist and as staff, API tasks, the web task list, the staff
case list, the journalist's cases page, the register, the inspection list, the newsroom), it
prints p50 / p95 over --runs requests (after one warm-up) and the queries per request at each
size, and the ratio of the p50s (largest size over smallest).
"""

import argparse
import os
import random
import statistics
import sys
import time
from datetime import date
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import reports_dashboard as data  # noqa: E402 — its database set-up (the loaders: reports.loadgen)

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/phatngon_bench_lists"


def load(n: int) -> None:
    """Load the reports benchmark's data at `n` cases and 10 × n ledger events."""
    from django.utils import timezone

    from reports import loadgen
    from roles.models import JournalistProfile
    from workflows.cases.models import Case

    rng = random.Random(17)
    now = timezone.now()
    so, head, offices, schools, units, staff, agencies, journalists = loadgen.load_people()
    # Offices get most of the press's questions (as in benchmarks/reports_dashboard.py).
    organisations = offices * 7 + schools
    loadgen.load_cases(n, rng, now, organisations, units, staff, agencies, journalists)
    loadgen.load_statements(rng, now, head, offices)
    first = Case.objects.order_by("pk").values_list("pk", flat=True).first()
    loadgen.load_ledger(10 * n, rng, now, range(first, first + n), [so, *offices, *schools])
    # One accredited journalist (the journalist's cases page needs a profile).
    JournalistProfile.objects.create(
        user=journalists[0],
        press_agency=agencies[0],
        press_card_number="BM-0001",
        card_expiry=date(2099, 1, 1),
        status=JournalistProfile.Status.VERIFIED,
    )


def measure(runs: int) -> dict[str, tuple[float, float, int]]:
    """{list: (p50 ms, p95 ms, queries)} for every list."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from rest_framework.test import APIClient

    from tests.factories import api_token_key

    User = get_user_model()
    journalist = User.objects.get(username="nhabao0")
    spokesperson = User.objects.get(username="spokesperson-0-4")
    head = User.objects.get(username="giamdoc")
    inspector = User.objects.get(username="inspector-0-7")

    def api(user):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_key(user)}")
        return client

    def web(user=None):
        client = Client()
        if user:
            client.force_login(user)
        return client

    calls = {
        "API cases (journalist)": (api(journalist), "/api/v1/cases/"),
        "API cases (staff)": (api(spokesperson), "/api/v1/cases/"),
        "API tasks (staff)": (api(spokesperson), "/api/v1/tasks/"),
        "web tasks: mine": (web(spokesperson), "/workspace/work/cua-toi/"),
        "web tasks: queue": (web(spokesperson), "/workspace/work/cho-nhan/"),
        "web cases (staff)": (web(spokesperson), "/workspace/cases/pages/"),
        "journalist's cases page": (web(journalist), "/nha-bao/ho-so/"),
        "register (sổ văn bản đi)": (web(head), "/workspace/outgoing/register/"),
        "inspection list": (web(inspector), "/workspace/inspection/"),
        "newsroom": (web(), "/tin-bao-chi/"),
    }
    results = {}
    for name, (client, url) in calls.items():
        response = client.get(url)
        assert response.status_code == 200, (name, response.status_code)
        times = []
        for _ in range(runs):
            with CaptureQueriesContext(connection) as ctx:
                t0 = time.perf_counter()
                response = client.get(url)
                times.append((time.perf_counter() - t0) * 1000)
            assert response.status_code == 200, (name, response.status_code)
        times.sort()
        p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
        results[name] = (statistics.median(times), p95, len(ctx.captured_queries))
    return results


def one_size(url: str, n: int, runs: int, keep: bool) -> dict:
    """Load (unless kept) and measure one size in a child process: Django binds one database."""
    import json
    import subprocess

    out = subprocess.run(
        [sys.executable, __file__, "--child", str(n), "--runs", str(runs)]
        + (["--keep"] if keep else []),
        env={**os.environ, "DATABASE_URL": url},
        check=True,
        capture_output=True,
        text=True,
    )
    sys.stderr.write(out.stderr)
    return json.loads(out.stdout.strip().splitlines()[-1])


def child(n: int, runs: int, keep: bool) -> None:
    import json

    url = os.environ["DATABASE_URL"]
    kept = data.prepare_database(url, keep)
    data.setup_django(url)
    from audit.models import LedgerEvent
    from workflows.cases.models import Case

    if not kept or not Case.objects.exists():
        t0 = time.perf_counter()
        load(n)
        print(f"({n} cases loaded in {time.perf_counter() - t0:.0f} s)", file=sys.stderr)
    from django.db import connection

    # What autovacuum does between loads in production: statistics, and the visibility map
    # that lets a count read only an index.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(
        f"({Case.objects.count()} cases, {LedgerEvent.objects.count()} ledger events)",
        file=sys.stderr,
    )
    print(json.dumps(measure(runs)))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--keep", action="store_true", help="reuse loaded databases")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args.child, args.runs, args.keep)
    base = urlparse(os.environ.get("DATABASE_URL", DEFAULT_URL))
    sizes = [int(s) for s in args.sizes.split(",")]
    results = {}
    for n in sizes:
        url = base._replace(path=f"{base.path}_{n}").geturl()
        if "bench" not in urlparse(url).path:
            sys.exit("the database name must contain 'bench'")
        results[n] = one_size(url, n, args.runs, args.keep)
    small, large = sizes[0], sizes[-1]
    head = f"{'list':28}" + "".join(f"{f'p50/p95 ms @{n:,}':>22}{'queries':>9}" for n in sizes)
    print(head + f"{'p50 ratio':>11}")
    for name in results[small]:
        row = f"{name:28}"
        for n in sizes:
            p50, p95, queries = results[n][name]
            row += f"{f'{p50:.0f} / {p95:.0f}':>22}{queries:>9}"
        ratio = results[large][name][0] / results[small][name][0]
        print(row + f"{ratio:>10.2f}×")


if __name__ == "__main__":
    main()
