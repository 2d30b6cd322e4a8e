"""Bulk loaders for large data sets: the reports benchmark and `manage.py generate_load_data`.

Written for speed (bulk inserts, the ledger with COPY), not through the services: nothing
here sends mail, enqueues a task or writes the ledger one event at a time. The ledger they
write is still a genuine hash chain, continued from the current head, so `verify_audit` passes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

VN = ZoneInfo("Asia/Ho_Chi_Minh")
OFFICE_ROLES = (
    "registry_officer",
    "specialist",
    "specialist",
    "specialist",
    "spokesperson",
    "head",
    "deputy_head",
    "inspector",
)


def bulk_users(usernames: list[str], **fields):
    """Create users in bulk (no password: they cannot log in) and return them with their keys."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX

    User = get_user_model()
    User.objects.bulk_create(
        [User(username=name, password=UNUSABLE_PASSWORD_PREFIX, **fields) for name in usernames],
        batch_size=5000,
    )
    by_name = User.objects.filter(username__in=usernames).in_bulk(field_name="username")
    return [by_name[name] for name in usernames]


def load_people(
    offices: int = 10,
    schools_per_office: int = 4,
    *,
    root=None,
    prefix: str = "",
    journalists: int = 300,
    agencies: int = 30,
):
    """A Sở (or `root`), its offices and schools, their staff, press agencies and journalists.

    Each office has a registry officer, three specialists, a spokesperson, a head, a deputy
    and an inspector (in OFFICE_ROLES order), each school one registry officer. Returns
    (root, head, offices, schools, units, staff, agencies, journalists); `staff` maps an
    organisation's pk to its users in that order. Without `root`, the Sở `sgddt-bench` and its
    head `giamdoc` are created.
    """
    from roles.models import Membership, Organisation, PressAgency, Role, Unit

    def org(code, name, kind, parent=None):
        return Organisation(
            code=code,
            name=name,
            kind=kind,
            parent=parent,
            abbreviation=code[:10].upper(),
            place_name="Thủ Dầu Một",
            receives_press_questions=kind != "school",
        )

    since = date(2020, 1, 1)
    memberships = []
    head = None
    if root is None:
        root = org("sgddt-bench", "Sở Giáo dục và Đào tạo (benchmark)", "department")
        root.save()
        (head,) = bulk_users(["giamdoc"], first_name="Giám đốc")
        memberships.append(
            Membership(
                user=head, organisation=root, role=Role.HEAD, title="Giám đốc", valid_from=since
            )
        )
    office_list = Organisation.objects.bulk_create(
        [
            org(f"{prefix}pgddt-{i}", f"Phòng Giáo dục và Đào tạo số {i}", "office", root)
            for i in range(offices)
        ]
    )
    school_list = Organisation.objects.bulk_create(
        [
            org(f"{prefix}truong-{i}-{j}", f"Trường {i}-{j}", "school", office)
            for i, office in enumerate(office_list)
            for j in range(schools_per_office)
        ]
    )
    unit_rows = [
        Unit(organisation=office, name=f"Tổ {j}", abbreviation=f"T{j}")
        for office in office_list
        for j in range(3)
    ] + [Unit(organisation=school, name="Văn phòng", abbreviation="VP") for school in school_list]
    Unit.objects.bulk_create(unit_rows, batch_size=5000)
    units: dict[int, list] = {}
    for unit in unit_rows:
        units.setdefault(unit.organisation_id, []).append(unit)

    names, places = [], []
    for i, office in enumerate(office_list):
        for n, role in enumerate(OFFICE_ROLES):
            names.append(f"{prefix}{role}-{i}-{n}")
            places.append((office, role))
    for i in range(len(office_list)):
        for j in range(schools_per_office):
            names.append(f"{prefix}vanthu-{i}-{j}")
            places.append((school_list[i * schools_per_office + j], Role.REGISTRY_OFFICER))
    staff: dict[int, list] = {}
    for user, (organisation, role) in zip(bulk_users(names), places, strict=True):
        staff.setdefault(organisation.pk, []).append(user)
        memberships.append(
            Membership(
                user=user,
                organisation=organisation,
                role=role,
                title=str(Role(role).label),
                unit=units[organisation.pk][0] if role == Role.SPECIALIST else None,
                valid_from=since,
            )
        )
    Membership.objects.bulk_create(memberships, batch_size=5000)
    agency_list = PressAgency.objects.bulk_create(
        [PressAgency(name=f"Báo {prefix}{i}", licence_number=f"{i}/GP") for i in range(agencies)]
    )
    journalist_list = bulk_users([f"{prefix}nhabao{i}" for i in range(journalists)])
    return root, head, office_list, school_list, units, staff, agency_list, journalist_list


def _step_tasks():
    from workflows.cases.models import Case
    from workflows.flows import CaseFlow

    S = Case.Status
    return {
        S.TRIAGE: CaseFlow.triage,
        S.DRAFTING: CaseFlow.draft,
        S.REVIEW: CaseFlow.review,
        S.SIGNOFF: CaseFlow.signoff,
        S.AWAITING_CLARIFICATION: CaseFlow.triage,
    }


def load_cases(
    n,
    rng,
    now,
    organisations,
    units,
    staff,
    agencies,
    journalists,
    *,
    prefix: str = "BM",
    owner_for: Callable | None = None,
    start: int = 0,
):
    """`n` cases over the last year, each with its viewflow process and one task.

    `organisations` is the list cases draw their organisation from (repeat one to weight it).
    With `owner_for`, `owner_for(case, rng)` says who holds an open case's task (None: in the
    queue) and who gets the step's object permission on the case (as `step_created` grants it
    to the eligible users); a drafting case gets its holder as specialist. Without it, any of
    the organisation's `staff` or nobody holds the task. Open tasks carry viewflow's routing
    permission on their case, as the flow's own tasks do.
    Returns the number of open cases.
    """
    from django.contrib.contenttypes.models import ContentType
    from guardian.models import UserObjectPermission
    from viewflow.workflow.models import Process, Task

    from workflows.cases.models import Case
    from workflows.flows import CaseFlow

    S = Case.Status
    open_steps = [S.TRIAGE, S.DRAFTING, S.DRAFTING, S.REVIEW, S.SIGNOFF, S.AWAITING_CLARIFICATION]
    step_task = _step_tasks()
    kinds = Case.Kind.values
    ct = ContentType.objects.get_for_model(Case)
    perms = {}
    if owner_for is not None:
        from django.contrib.auth.models import Permission

        perms = {
            p.codename: p
            for p in Permission.objects.filter(content_type=ct, codename__endswith="_case")
        }
    batch = 10_000
    opened = 0
    for first in range(start, start + n, batch):
        cases = []
        for i in range(first, min(start + n, first + batch)):
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
                    reference=f"{prefix}-{i:07d}",
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
        tasks, grants, specialists = [], [], []
        for case, process in zip(cases, processes, strict=True):
            if case.is_open:
                opened += 1
                node = step_task[case.status]
                if owner_for is not None:
                    owner, grantees = owner_for(case, rng)
                else:
                    owner, grantees = rng.choice(staff[case.organisation_id] + [None]), []
                tasks.append(
                    Task(
                        process=process,
                        flow_task=node,
                        flow_task_type="HUMAN",
                        status="ASSIGNED" if owner else "NEW",
                        owner=owner,
                        owner_permission=f"workflows.{node.name}_case",
                        owner_permission_obj_pk=case.pk,
                        created=case.received_at,
                    )
                )
                grants += [
                    UserObjectPermission(
                        user=user,
                        permission=perms[f"{node.name}_case"],
                        content_type=ct,
                        object_pk=str(case.pk),
                    )
                    for user in grantees
                ]
                if owner is not None and owner_for is not None and case.status == S.DRAFTING:
                    specialists.append(Case.specialists.through(case_id=case.pk, user_id=owner.pk))
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
        UserObjectPermission.objects.bulk_create(grants, batch_size=5000)
        Case.specialists.through.objects.bulk_create(specialists, batch_size=5000)
    return opened


def load_statements(
    rng,
    now,
    head,
    organisations,
    *,
    statements: int = 3000,
    documents: int = 500,
    subscribers: int = 40,
    prefix: str = "BM",
):
    """Clocked statements, and issued thông cáo published in the newsroom with their e-mails.

    The statements draw their organisation from `organisations`; the documents and their
    publications belong to `organisations[0]` (its register and its newsroom page), each with
    `subscribers` press-list deliveries.
    """
    from django.db import connection

    from release.models import DocType, IssuedDocument, RegisterSeries
    from release.newsroom.models import Delivery, Publication, Subscription
    from workflows.statements.models import Statement

    rows = []
    for i in range(statements):
        start = now - timedelta(seconds=rng.randint(0, 365 * 86400))
        released = start + timedelta(hours=rng.randint(2, 40)) if rng.random() < 0.9 else None
        rows.append(
            Statement(
                reference=f"PN-{prefix}-{i:06d}",
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
    Statement.objects.bulk_create(rows, batch_size=5000)
    org = organisations[0]
    subscriptions = Subscription.objects.bulk_create(
        [Subscription(organisation=org, email=f"toasoan{i}@bao.vn") for i in range(subscribers)]
    )
    deliveries = []
    # Continue each year's TC series after what is already registered, and leave the register
    # at the last number, so that the next real thông cáo is numbered after these.
    numbers: dict[int, int] = dict(
        RegisterSeries.objects.filter(organisation=org, series="TC").values_list(
            "year", "last_number"
        )
    )
    for i in range(documents):
        at = now - timedelta(days=rng.randint(0, 364))
        numbers[at.year] = number = numbers.get(at.year, 0) + 1
        document = IssuedDocument.objects.create(
            organisation=org,
            doc_type=DocType.THONG_CAO,
            series="TC",
            year=at.year,
            number=number,
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
            organisation=org,
            document=document,
            title=f"Thông cáo {i}",
            slug=f"thong-cao-{i}",  # as the publishing service sets it: a blank slug never resolves
            body=".",
            publish_at=at,
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
    for year, last in numbers.items():
        RegisterSeries.objects.update_or_create(
            organisation=org, year=year, series="TC", defaults={"last_number": last}
        )
    # created_at is auto_now_add: spread the e-mails over the year like their publications.
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE release_delivery d SET created_at = p.publish_at FROM release_publication p "
            "WHERE d.publication_id = p.id AND p.organisation_id = %s",
            [org.pk],
        )


LEDGER_ACTIONS = [
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


def load_ledger(target, rng, now, case_ids, organisations, *, since: datetime | None = None):
    """A genuine hash chain of `target` events about the cases, written with COPY.

    Continues the chain from its current head (sequence and hash), with times spread from
    `since` (a year before `now` by default, never before the head's time) up to `now`.
    `case_ids` is a sequence of the cases' keys (e.g. a range).
    """
    from django.db import connection

    from audit.models import LedgerEvent
    from audit.services import (
        _PG_LOCK_KEY,
        GENESIS_HASH,
        canonical_bytes_from_row,
        canonical_json,
        format_at,
    )

    codes = [o.code for o in organisations]
    columns = (
        "seq, at, actor_id, actor_username, actor_role, organisation_code, action, "
        "target_type, target_id, before, after, ip, user_agent, prev_hash, hash"
    )
    if connection.vendor == "postgresql":
        # The appenders' lock, held to the end of the caller's transaction (audit.services).
        with connection.cursor() as cursor:
            cursor.execute("SELECT * FROM audit_ledger_head(%s)", [_PG_LOCK_KEY])
            head = cursor.fetchone()
    else:
        head = LedgerEvent.objects.order_by("-seq").values_list("seq", "hash", "at").first()
    seq, prev = (head[0], head[1]) if head else (0, GENESIS_HASH)
    at = since or now - timedelta(days=365)
    if head and head[2] > at:
        at = head[2]
    step = (now - at) / max(target, 1)
    end = seq + target
    chunk = 100_000
    while seq < end:
        rows = []
        for _ in range(min(chunk, end - seq)):
            seq += 1
            at += step
            case = rng.choice(case_ids)
            fields = (
                seq,
                format_at(at),
                None,
                f"user{seq % 400}",
                "specialist",
                codes[case % len(codes)],
                LEDGER_ACTIONS[seq % len(LEDGER_ACTIONS)],
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
        ],
        ignore_conflicts=True,
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
            if (org, year, 1) not in topics:
                continue
            # Topics 7 and 8 stay uncovered: the dashboard must show them with zeros.
            for number in rng.sample(range(1, 7), rng.choice([1, 1, 2])):
                rows.append(through(**{column: pk, "plantopic_id": topics[(org, year, number)]}))
        through.objects.bulk_create(rows, batch_size=10_000, ignore_conflicts=True)
        return len(rows)

    return tag(Case, 0.33, "received_at") + tag(Statement, 0.5, "created_at")
