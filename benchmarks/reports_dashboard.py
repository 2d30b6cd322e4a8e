"""Time the reports dashboard and the reports API on a large agency (issue 14), on PostgreSQL.

Usage (creates its own database, dropped first; the name must contain "bench" or "reports"):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/phatngon_reports \\
        .venv/bin/python benchmarks/reports_dashboard.py [--cases 100000] [--events 1000000] [--keep]

Loads a province department (Sở) with 10 offices and 40 schools under them, --cases cases over
the last twelve months (one viewflow process and one task each), 3,000 clocked statements,
500 publications with 20,000 press-list e-mails, a --events-event ledger (a real hash
chain, written with COPY), and eight plan topics a year for every organisation, carried by
about a third of the cases and half of the statements. Then prints, for the Sở's head looking
at everything below it over the year: the dashboard page's time, the API's time and the topic
coverage's time (median of 5 after one warm-up) with their query counts, beside one
`SELECT COUNT(*)` over the cases (the floor).
Target (issue 14): dashboard and API under 1 s each.
With --keep, an existing loaded database is reused (no reload).
"""

import argparse
import os
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/phatngon_reports"
OFFICES, SCHOOLS_PER_OFFICE = 10, 4  # 51 organisations


def prepare_database(url: str, keep: bool) -> bool:
    """Create the database; return True when an existing one is kept."""
    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    if "bench" not in name and "reports" not in name:
        sys.exit(
            f"refusing to recreate database {name!r}: its name must contain 'bench' or 'reports'"
        )
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and keep:
            return True
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return False


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def timed(fn, runs=5):
    """Run fn once to warm up, then `runs` times; return (median s, min s, queries per run)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    fn()
    times = []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as ctx:
            t0 = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t0)
    return statistics.median(times), min(times), len(ctx.captured_queries)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--keep", action="store_true", help="reuse a loaded database")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", DEFAULT_URL)
    kept = prepare_database(url, args.keep)
    setup_django(url)

    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.utils import timezone
    from rest_framework.test import APIClient

    from reports import loadgen, selectors
    from roles.models import Organisation, PlanTopic
    from tests.factories import api_token_key
    from workflows.cases.models import Case

    now = timezone.now()
    if not kept or not Case.objects.exists():
        rng = random.Random(14)
        t0 = time.perf_counter()
        so, head, offices, schools, units, staff, agencies, journalists = loadgen.load_people(
            OFFICES, SCHOOLS_PER_OFFICE
        )
        # Offices get most of the press's questions.
        organisations = offices * 7 + schools
        loadgen.load_cases(args.cases, rng, now, organisations, units, staff, agencies, journalists)
        loadgen.load_statements(rng, now, head, offices)
        first = Case.objects.order_by("pk").values_list("pk", flat=True).first()
        loadgen.load_ledger(
            args.events, rng, now, range(first, first + args.cases), [so, *offices, *schools]
        )
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        print(f"(loaded in {time.perf_counter() - t0:.0f} s)")
    so = Organisation.objects.get(code="sgddt-bench")
    office = Organisation.objects.get(code="pgddt-0")
    if not PlanTopic.objects.exists():
        tagged = loadgen.load_topics(random.Random(15), now, list(Organisation.objects.all()))
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        print(f"(plan topics loaded, {tagged} topic tags)")
    head = get_user_model().objects.get(username="giamdoc")

    from viewflow.workflow.models import Task

    from audit.models import LedgerEvent

    print(
        f"data: {Case.objects.count()} cases, {Task.objects.count()} tasks, "
        f"{LedgerEvent.objects.count()} ledger events, "
        f"{Organisation.objects.count()} organisations"
    )
    today = timezone.localdate()
    year = {"from": (today - timedelta(days=364)).isoformat(), "to": today.isoformat()}

    web = Client()
    web.force_login(head)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {api_token_key(head)}")

    def page(org, **extra):
        response = web.get("/workspace/reports/", {"organisation": org.code, **year, **extra})
        assert response.status_code == 200, response.status_code
        return response

    def api_call(org, **extra):
        response = api.get("/api/v1/reports/cases/", {"organisation": org.code, **year, **extra})
        assert response.status_code == 200, response.content[:300]
        return response

    subtree = selectors.subtree_ids(so)
    period = selectors.Period(today - timedelta(days=364), today)

    def coverage():
        return selectors.topic_coverage(subtree, period)

    def count_all():
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM workflows_case")
            return cursor.fetchone()[0]

    rows = [
        ("COUNT(*) over the cases (floor)", count_all),
        ("dashboard, Sở + everything below, 1 year", lambda: page(so, subordinates="1")),
        ("dashboard, one Phòng, 1 year", lambda: page(office)),
        ("API, Sở + everything below, 1 year", lambda: api_call(so, subordinates="true")),
        ("API, one Phòng, 1 year", lambda: api_call(office)),
        ("topic coverage, Sở + everything below, 1 year", coverage),
        (
            "topic coverage, one Phòng, 1 year",
            lambda: selectors.topic_coverage([office.pk], period),
        ),
    ]
    received = api_call(so, subordinates="true").json()["received"]
    print(f"the year's cases under the Sở: {received}")
    floor = None
    for label, fn in rows:
        median, best, queries = timed(fn)
        floor = floor or median
        print(
            f"{label:<48} median {median * 1000:8.1f} ms  min {best * 1000:8.1f} ms  "
            f"{queries:3d} queries  ({median / floor:5.1f} × the floor)"
        )


if __name__ == "__main__":
    main()
