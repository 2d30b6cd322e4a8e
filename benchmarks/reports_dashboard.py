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
import hashlib
import os
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlparse
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

VN = ZoneInfo("Asia/Ho_Chi_Minh")
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/phatngon_reports"
OFFICES, SCHOOLS_PER_OFFICE = 10, 4


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


def _user(username, **kw):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create(username=username, **kw)


def load_people():
    """The Sở, its offices and schools, their staff, press agencies and journalists."""
    from datetime import date

    from roles.models import Membership, Organisation, PressAgency, Role, Unit

    def org(code, name, kind, parent=None):
        return Organisation.objects.create(
            code=code,
            name=name,
            kind=kind,
            parent=parent,
            abbreviation=code[:10].upper(),
            place_name="Thủ Dầu Một",
        )

    so = org("sgddt-bench", "Sở Giáo dục và Đào tạo (benchmark)", "department")
    head = _user("giamdoc", first_name="Giám đốc")
    memberships = [
        Membership(
            user=head,
            organisation=so,
            role=Role.HEAD,
            title="Giám đốc",
            valid_from=date(2020, 1, 1),
        )
    ]
    offices, schools, units, staff = [], [], {}, {}
    for i in range(OFFICES):
        office = org(f"pgddt-{i}", f"Phòng Giáo dục và Đào tạo số {i}", "office", so)
        offices.append(office)
        units[office.pk] = [
            Unit.objects.create(organisation=office, name=f"Tổ {j}", abbreviation=f"T{j}")
            for j in range(3)
        ]
        staff[office.pk] = []
        for role in (
            Role.REGISTRY_OFFICER,
            Role.SPECIALIST,
            Role.SPECIALIST,
            Role.SPECIALIST,
            Role.SPOKESPERSON,
            Role.HEAD,
            Role.DEPUTY_HEAD,
            Role.INSPECTOR,
        ):
            user = _user(f"{role}-{i}-{len(staff[office.pk])}", first_name=f"Cán bộ {i}")
            staff[office.pk].append(user)
            memberships.append(
                Membership(
                    user=user,
                    organisation=office,
                    role=role,
                    title=str(role.label),
                    unit=units[office.pk][0] if role == Role.SPECIALIST else None,
                    valid_from=date(2020, 1, 1),
                )
            )
        for j in range(SCHOOLS_PER_OFFICE):
            school = org(f"truong-{i}-{j}", f"Trường {i}-{j}", "school", office)
            schools.append(school)
            units[school.pk] = [
                Unit.objects.create(organisation=school, name="Văn phòng", abbreviation="VP")
            ]
            user = _user(f"vanthu-{i}-{j}")
            staff[school.pk] = [user]
            memberships.append(
                Membership(
                    user=user,
                    organisation=school,
                    role=Role.REGISTRY_OFFICER,
                    title="Văn thư",
                    valid_from=date(2020, 1, 1),
                )
            )
    Membership.objects.bulk_create(memberships)
    agencies = [
        PressAgency.objects.create(name=f"Báo {i}", licence_number=f"{i}/GP") for i in range(30)
    ]
    journalists = [_user(f"nhabao{i}") for i in range(300)]
    return so, head, offices, schools, units, staff, agencies, journalists


def load_cases(n, rng, now, offices, schools, units, staff, agencies, journalists):
    """`n` cases over the last year, each with its viewflow process and one task."""
    from django.contrib.contenttypes.models import ContentType
    from viewflow.workflow.models import Process, Task

    from workflows.cases.models import Case
    from workflows.flows import CaseFlow

    S = Case.Status
    open_steps = [S.TRIAGE, S.DRAFTING, S.DRAFTING, S.REVIEW, S.SIGNOFF, S.AWAITING_CLARIFICATION]
    step_task = {
        S.TRIAGE: CaseFlow.triage,
        S.DRAFTING: CaseFlow.draft,
        S.REVIEW: CaseFlow.review,
        S.SIGNOFF: CaseFlow.signoff,
        S.AWAITING_CLARIFICATION: CaseFlow.triage,
    }
    organisations = offices * 7 + schools  # offices get most of the press's questions
    kinds = Case.Kind.values
    ct = ContentType.objects.get_for_model(Case)
    batch = 10_000
    for start in range(0, n, batch):
        cases = []
        for i in range(start, min(n, start + batch)):
            org = rng.choice(organisations)
            received = now - timedelta(seconds=rng.randint(0, 365 * 86400))
            limit = timedelta(days=rng.choice([7, 7, 7, 21, 30]))
            age = now - received
            fields = {}
            if age > timedelta(days=45) or rng.random() < 0.6:
                status = rng.choices(
                    [S.ANSWERED, S.REFUSED, S.FORWARDED, S.DUPLICATE], [80, 8, 7, 5]
                )[0]
                closed = received + timedelta(
                    seconds=rng.randint(3600, int(limit.total_seconds() * 1.3))
                )
                fields["closed_at"] = min(closed, now)
            else:
                status = rng.choice(open_steps)
                if status == S.AWAITING_CLARIFICATION:
                    fields["paused_at"] = received + timedelta(days=1)
            journalist = rng.choice(journalists)
            cases.append(
                Case(
                    reference=f"BM-{i:07d}",
                    organisation=org,
                    kind=rng.choice(kinds),
                    channel="portal",
                    journalist=journalist,
                    press_agency=rng.choice(agencies),
                    subject=f"Câu hỏi số {i}",
                    questions=["?"],
                    received_at=received,
                    due_at=received + limit,
                    status=status,
                    assigned_unit=rng.choice(units[org.pk]) if status != S.TRIAGE else None,
                    **fields,
                )
            )
        Case.objects.bulk_create(cases, batch_size=5000)
        processes = Process.objects.bulk_create(
            [
                Process(
                    flow_class=CaseFlow,
                    status="DONE" if not c.is_open else "NEW",
                    artifact_content_type=ct,
                    artifact_object_id=c.pk,
                    created=c.received_at,
                )
                for c in cases
            ],
            batch_size=5000,
        )
        tasks = []
        for case, process in zip(cases, processes, strict=True):
            if case.is_open:
                owner = rng.choice(staff[case.organisation_id] + [None])
                tasks.append(
                    Task(
                        process=process,
                        flow_task=step_task[case.status],
                        flow_task_type="HUMAN",
                        status="ASSIGNED" if owner else "NEW",
                        owner=owner,
                        created=case.received_at,
                    )
                )
            else:
                tasks.append(
                    Task(
                        process=process,
                        flow_task=CaseFlow.draft,
                        flow_task_type="HUMAN",
                        status="DONE",
                        owner=rng.choice(staff[case.organisation_id]),
                        created=case.received_at,
                        finished=case.closed_at,
                    )
                )
        Task.objects.bulk_create(tasks, batch_size=5000)


def load_statements(rng, now, head, organisations):
    from release.models import DocType, IssuedDocument
    from release.newsroom.models import Delivery, Publication, Subscription
    from workflows.statements.models import Statement

    statements = []
    for i in range(3000):
        start = now - timedelta(seconds=rng.randint(0, 365 * 86400))
        released = start + timedelta(hours=rng.randint(2, 40)) if rng.random() < 0.9 else None
        statements.append(
            Statement(
                reference=f"PN-BM-{i:06d}",
                organisation=rng.choice(organisations),
                kind=rng.choice(Statement.CLOCKED_KINDS),
                doc_type="TC",
                title=f"Thông tin {i}",
                author=head,
                clock_start_at=start,
                due_at=start + timedelta(hours=24),
                status="released" if released else "review",
                released_at=released,
            )
        )
    Statement.objects.bulk_create(statements, batch_size=5000)
    org = organisations[0]
    subscriptions = Subscription.objects.bulk_create(
        [Subscription(organisation=org, email=f"toasoan{i}@bao.vn") for i in range(40)]
    )
    deliveries = []
    for i in range(500):
        at = now - timedelta(days=rng.randint(0, 364))
        document = IssuedDocument.objects.create(
            organisation=org,
            doc_type=DocType.THONG_CAO,
            series="TC",
            year=at.year,
            number=i + 1,
            symbol="TC-BM",
            summary=f"Thông cáo {i}",
            body=".",
            signer=head,
            signer_title="Giám đốc",
            signer_name="Giám đốc",
            place_name="Thủ Dầu Một",
            doc_date=at.date(),
            numbered_at=at,
            issued_at=at,
            status=IssuedDocument.Status.ISSUED,
        )
        publication = Publication.objects.create(
            organisation=org, document=document, title=f"Thông cáo {i}", body=".", publish_at=at
        )
        for sub in subscriptions:
            deliveries.append(
                Delivery(
                    publication=publication,
                    subscription=sub,
                    email=sub.email,
                    status=rng.choices(["sent", "failed", "pending"], [95, 3, 2])[0],
                )
            )
    Delivery.objects.bulk_create(deliveries, batch_size=5000)
    # created_at is auto_now_add: spread the e-mails over the year like their publications.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE release_delivery d SET created_at = p.publish_at FROM release_publication p "
            "WHERE d.publication_id = p.id"
        )


def load_ledger(target, rng, now, case_count, organisations):
    """A genuine hash chain of `target` events about the cases, written with COPY."""
    from django.db import connection

    from audit.services import GENESIS_HASH, canonical_bytes_from_row, canonical_json, format_at

    actions = [
        "case.submit",
        "case.triage",
        "case.draft.save",
        "case.review",
        "case.signoff",
        "case.release",
        "case.close",
        "task.assign",
        "notification.sent",
        "page.view",
    ]
    codes = [o.code for o in organisations]
    columns = (
        "seq, at, actor_id, actor_username, actor_role, organisation_code, action, "
        "target_type, target_id, before, after, ip, user_agent, prev_hash, hash"
    )
    seq, prev, at = 0, GENESIS_HASH, now - timedelta(days=365)
    step = timedelta(days=365) / target
    chunk = 100_000
    while seq < target:
        rows = []
        for _ in range(min(chunk, target - seq)):
            seq += 1
            at += step
            case = rng.randint(1, case_count)
            fields = (
                seq,
                format_at(at),
                None,
                f"user{seq % 400}",
                "specialist",
                codes[case % len(codes)],
                actions[seq % len(actions)],
                "workflows.case",
                str(case),
                None,
                canonical_json({"status": "review", "case": case}),
                f"10.0.{seq % 250}.{case % 250}",
                "Mozilla/5.0",
                prev,
            )
            digest = hashlib.sha256(canonical_bytes_from_row(*fields)).hexdigest()
            rows.append((seq, at, *fields[2:], digest))
            prev = digest
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(
                f"COPY audit_ledgerevent ({columns}) FROM STDIN"  # noqa: S608 — constant
            ) as copy,
        ):
            for row in rows:
                copy.write_row(row)


def load_topics(rng, now, organisations):
    """Eight plan topics per organisation for this year and the last; tag cases and statements
    with topics of their organisation and year (through-table rows written in bulk)."""
    from roles.models import PlanTopic
    from workflows.cases.models import Case
    from workflows.statements.models import Statement

    years = (now.year - 1, now.year)
    PlanTopic.objects.bulk_create(
        [
            PlanTopic(organisation=o, year=y, number=n, title=f"Nội dung {n} năm {y}")
            for o in organisations
            for y in years
            for n in range(1, 9)
        ]
    )
    topics = {
        (t.organisation_id, t.year, t.number): t.pk
        for t in PlanTopic.objects.all().only("pk", "organisation_id", "year", "number")
    }

    def tag(model, share, moment_field):
        through = model.topics.through
        column = f"{model._meta.model_name}_id"
        rows = []
        for pk, org, moment in model.objects.values_list("pk", "organisation_id", moment_field):
            if moment is None or rng.random() >= share:
                continue
            year = moment.astimezone(VN).year
            # Topics 7 and 8 stay uncovered: the dashboard must show them with zeros.
            for number in rng.sample(range(1, 7), rng.choice([1, 1, 2])):
                rows.append(through(**{column: pk, "plantopic_id": topics[(org, year, number)]}))
        through.objects.bulk_create(rows, batch_size=10_000)
        return len(rows)

    return tag(Case, 0.33, "received_at") + tag(Statement, 0.5, "created_at")


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

    from reports import selectors
    from roles.models import Organisation, PlanTopic
    from tests.factories import api_token_key
    from workflows.cases.models import Case

    now = timezone.now()
    if not kept or not Case.objects.exists():
        rng = random.Random(14)
        t0 = time.perf_counter()
        so, head, offices, schools, units, staff, agencies, journalists = load_people()
        load_cases(args.cases, rng, now, offices, schools, units, staff, agencies, journalists)
        load_statements(rng, now, head, offices)
        load_ledger(args.events, rng, now, args.cases, [so, *offices, *schools])
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        print(f"(loaded in {time.perf_counter() - t0:.0f} s)")
    so = Organisation.objects.get(code="sgddt-bench")
    office = Organisation.objects.get(code="pgddt-0")
    if not PlanTopic.objects.exists():
        tagged = load_topics(random.Random(15), now, list(Organisation.objects.all()))
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
