"""Measure the audit ledger on PostgreSQL: append rate, append latency vs size, verification speed.

Usage (creates and drops its own database, whose name must contain "bench"):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/phatngon_bench \\
        .venv/bin/python benchmarks/bench_audit.py [--events 1000000] [--appends 1500] [--keep]

Prints: append events/s with 1, 4 and 16 concurrent writers (each append its own transaction,
as in the application); append latency (p50/p95) on a small ledger and again after bulk-loading
the chain up to --events; verification throughput of the whole chain (read from PostgreSQL +
canonical encoding + SHA-256, the same function `manage.py verify_audit` runs) beside the raw
hashlib SHA-256 rate over the same canonical records, measured in the same run.
Targets (issue #4): verification >= 25 % of the raw rate, append >= 500 events/s with 16
writers, append latency flat in the ledger size.
"""

import argparse
import hashlib
import multiprocessing
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/phatngon_bench"


def prepare_database(url: str, keep: bool) -> None:
    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    if "bench" not in name:
        sys.exit(f"refusing to recreate database {name!r}: its name must contain 'bench'")
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and keep:
            return
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.AUDIT_DEV_SIGNER_DIR = Path(tempfile.mkdtemp(prefix="bench-audit-"))
    call_command("migrate", verbosity=0)


def pct(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


def _writer(n: int, per: int, go, out) -> None:
    from django.db import connections

    import audit

    lat = []
    try:
        go.wait()
        for i in range(per):
            t0 = time.perf_counter()
            audit.record(
                action="bench.append",
                actor_role="specialist",
                organisation="pgddt-thuan-an",
                target_type="workflows.case",
                target_id=i,
                after={"writer": n, "i": i, "ghi chú": "Thuận An"},
            )
            lat.append(time.perf_counter() - t0)
        out.put(("ok", lat))
    except Exception as exc:  # reported by the parent
        out.put(("error", repr(exc)))
    finally:
        connections.close_all()


def append_rate(writers: int, total: int) -> tuple[float, list[float]]:
    """Append `total` events from `writers` processes (as web/Celery workers would).

    Processes, not threads: with threads the GIL hand-over, not the database, would set
    the pace while one thread holds the ledger lock.
    """
    from django.db import connections

    connections.close_all()  # never share a connection across fork()
    ctx = multiprocessing.get_context("fork")
    go, out = ctx.Event(), ctx.Queue()
    per = total // writers
    procs = [ctx.Process(target=_writer, args=(n, per, go, out)) for n in range(writers)]
    for p in procs:
        p.start()
    time.sleep(0.5)  # let every writer connect
    t0 = time.perf_counter()
    go.set()
    results = [out.get() for _ in procs]
    elapsed = time.perf_counter() - t0
    for p in procs:
        p.join()
    latencies: list[float] = []
    for status, value in results:
        if status != "ok":
            raise RuntimeError(value)
        latencies.extend(value)
    return per * writers / elapsed, latencies


def commit_floor(n: int = 300) -> float:
    """Milliseconds per durable commit of a one-row insert: the floor of any serialised append."""
    from django.db import connection

    with connection.cursor() as cursor:
        # A regular (WAL-logged) table: a temporary one would skip the WAL flush.
        cursor.execute("CREATE TABLE IF NOT EXISTS bench_commit (x int)")
        t0 = time.perf_counter()
        for i in range(n):
            cursor.execute("INSERT INTO bench_commit VALUES (%s)", [i])
        return (time.perf_counter() - t0) / n * 1000


def set_synchronous_commit(url: str, value: str) -> None:
    from django.db import connections

    name = urlparse(url).path.lstrip("/")
    with connections["default"].cursor() as cursor:
        cursor.execute(f'ALTER DATABASE "{name}" SET synchronous_commit = {value}')
    connections.close_all()


def latency(n: int) -> tuple[float, float]:
    _, lat = append_rate(1, n)
    return statistics.median(lat) * 1000, pct(lat, 0.95) * 1000


ACTIONS = [
    "case.submit",
    "case.accept",
    "case.assign",
    "case.draft",
    "case.review",
    "auth.login",
    "membership.grant",
    "document.download",
]
ORGS = ["pgddt-thuan-an", "pgddt-di-an", "sgddt-binh-duong"]
AGENT = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0"


def bulk_load(target: int, chunk: int = 50_000) -> tuple[int, float, list[float]]:
    """Continue the chain with precomputed rows up to `target` events, via COPY.

    Returns (rows loaded, seconds, raw-hash timings per chunk as (records, seconds)).
    """
    from django.db import connection

    from audit.models import LedgerEvent
    from audit.services import canonical_bytes_from_row, canonical_json, format_at

    head = LedgerEvent.objects.order_by("-seq").values_list("seq", "hash", "at").first()
    seq, prev, at = head
    rng = random.Random(4)
    columns = (
        "seq, at, actor_id, actor_username, actor_role, organisation_code, action, "
        "target_type, target_id, before, after, ip, user_agent, prev_hash, hash"
    )
    loaded = 0
    raw_samples = []
    t_start = time.perf_counter()
    sha256 = hashlib.sha256
    while seq < target:
        rows, records = [], []
        for _ in range(min(chunk, target - seq)):
            seq += 1
            at = at + timedelta(milliseconds=rng.randint(1, 2000))
            actor = rng.randint(1, 400)
            case = rng.randint(1, 50_000)
            before = canonical_json({"state": "draft", "case": case}) if seq % 2 else None
            after = canonical_json({"state": "review", "case": case, "ghi chú": "đã xem"})
            fields = (
                seq,
                format_at(at),
                actor,
                f"user{actor}",
                "specialist",
                ORGS[actor % 3],
                ACTIONS[seq % len(ACTIONS)],
                "workflows.case",
                str(case),
                before,
                after,
                f"10.0.{actor % 250}.{seq % 250}",
                AGENT,
                prev,
            )
            record = canonical_bytes_from_row(*fields)
            digest = sha256(record).hexdigest()
            rows.append((seq, at, *fields[2:], digest))
            records.append(record)
            prev = digest
        # Raw hashlib rate over exactly these canonical records (bytes already in memory).
        t0 = time.perf_counter()
        for record in records:
            sha256(record).hexdigest()
        raw_samples.append((len(records), time.perf_counter() - t0))
        copy_sql = f"COPY audit_ledgerevent ({columns}) FROM STDIN"
        with connection.cursor() as cursor, cursor.cursor.copy(copy_sql) as copy:
            for row in rows:
                copy.write_row(row)
        loaded += len(rows)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE audit_ledgerevent")
        # Flush the bulk load's dirty pages now, so that the latency measured next is not
        # the checkpoint's I/O (it needs a superuser; skipped otherwise).
        try:
            cursor.execute("CHECKPOINT")
        except Exception as exc:  # noqa: BLE001
            print(f"(no CHECKPOINT: {exc})")
    return loaded, time.perf_counter() - t_start, raw_samples


def bare_copy_rate() -> float:
    """Rows/s PostgreSQL streams the verified columns with COPY when Python does nothing."""
    from django.db import connection, transaction

    from audit.services import _PG_COLUMNS

    sql = f"COPY (SELECT {_PG_COLUMNS} FROM audit_ledgerevent ORDER BY seq) TO STDOUT"  # noqa: S608
    n = 0
    t0 = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor, cursor.cursor.copy(sql):
        pg = cursor.cursor.connection.pgconn
        while pg.get_copy_data(0)[0] > 0:
            n += 1
        while pg.get_result() is not None:
            pass
    return n / (time.perf_counter() - t0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--appends", type=int, default=1600, help="events per writer setting")
    parser.add_argument("--keep", action="store_true", help="reuse an existing bench database")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", DEFAULT_URL)
    if not url.startswith("postgres"):
        sys.exit("DATABASE_URL must point at PostgreSQL")
    prepare_database(url, args.keep)
    setup_django(url)

    from django.db import connection

    from audit.models import LedgerEvent
    from audit.services import verify_chain

    print(
        f"PostgreSQL {connection.cursor().connection.info.server_version}, "
        f"{os.cpu_count()} CPUs, Python {sys.version.split()[0]}"
    )

    print("\n== append rate (processes; each append = its own transaction, advisory-locked) ==")
    for writers in (1, 4, 16):
        rate, lat = append_rate(writers, args.appends)
        print(
            f"{writers:>2} writer(s): {rate:8.0f} events/s   latency p50 "
            f"{statistics.median(lat) * 1000:6.2f} ms  p95 {pct(lat, 0.95) * 1000:6.2f} ms"
        )

    floor = commit_floor()
    print(
        f"durable commit of a one-row INSERT on this server: {floor:.2f} ms "
        f"(=> at most {1000 / floor:.0f} serialised appends/s)"
    )
    set_synchronous_commit(url, "off")
    try:
        rate, lat = append_rate(16, args.appends)
        print(
            f"16 writers with synchronous_commit=off (storage-independent cost): {rate:8.0f} "
            f"events/s   p50 {statistics.median(lat) * 1000:6.2f} ms"
        )
    finally:
        set_synchronous_commit(url, "on")

    small = LedgerEvent.objects.count()
    p50_small, p95_small = latency(500)
    print(
        f"\n== append latency vs ledger size ==\n{small:>9} events: p50 {p50_small:.2f} ms  p95 {p95_small:.2f} ms"
    )

    loaded, seconds, raw_samples = bulk_load(args.events - 500)
    total = LedgerEvent.objects.order_by("-seq").values_list("seq", flat=True).first()
    print(f"(bulk-loaded {loaded} precomputed events with COPY in {seconds:.1f} s)")
    p50_big, p95_big = latency(500)
    print(
        f"{total:>9} events: p50 {p50_big:.2f} ms  p95 {p95_big:.2f} ms  "
        f"(p50 ratio large/small {p50_big / p50_small:.2f})"
    )

    total = LedgerEvent.objects.order_by("-seq").values_list("seq", flat=True).first()
    print(f"\n== verification of the {total}-event chain ==")
    copy_rate = bare_copy_rate()
    raw_n = sum(n for n, _ in raw_samples)
    raw_s = sum(s for _, s in raw_samples)
    raw_rate = raw_n / raw_s
    t0 = time.perf_counter()
    result = verify_chain()
    elapsed = time.perf_counter() - t0
    assert result.ok, result
    rate = result.events_checked / elapsed
    print(
        f"raw hashlib SHA-256 over the same canonical records: {raw_rate:10.0f} records/s "
        f"({raw_n} records)"
    )
    print(
        f"verify_chain (PostgreSQL read + encode + SHA-256): {rate:10.0f} events/s "
        f"({result.events_checked} events in {elapsed:.1f} s)"
    )
    print(f"ratio verification / raw hashing: {rate / raw_rate:.1%} (target >= 25 %)")
    print(
        f"context: PostgreSQL alone streams the 15 columns (COPY, rows discarded) at "
        f"{copy_rate:.0f} rows/s = {copy_rate / raw_rate:.1%} of the raw hashing rate; "
        f"verification runs at {rate / copy_rate:.0%} of that read rate"
    )


if __name__ == "__main__":
    main()
