"""Report figures, each from a few SQL aggregates whatever the number of cases (issue 14).

Cases are counted by their received date, from `start` to `end` inclusive, in Vietnam time.
Nothing here loops over cases in Python: the database counts, and Python only walks the
grouped rows (months, kinds, units, pairs of days).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import Count, DateField, F, Field, Func, IntegerField, Q, QuerySet, Value
from django.db.models.functions import TruncDate, TruncMonth
from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from release.newsroom.models import Delivery
from roles.models import Organisation, PlanTopic
from workflows.cases.models import Case

# The one import of the working-day calendar (the calendar may move: change this line only).
from workflows.rules import calendar as work_calendar
from workflows.statements.models import Statement

VN_TZ = work_calendar.VN_TZ
OPEN_TASK_STATUSES = (STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED)


@dataclass(frozen=True)
class Period:
    """Local dates, both included."""

    start: date
    end: date

    @property
    def start_at(self) -> datetime:
        return datetime.combine(self.start, time.min, tzinfo=VN_TZ)

    @property
    def end_before(self) -> datetime:
        """The first instant after the period (the next day's 00:00 +07:00)."""
        return datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=VN_TZ)

    def months(self) -> list[date]:
        """The first day of each month the period touches."""
        out, month = [], self.start.replace(day=1)
        while month <= self.end:
            out.append(month)
            month = (month + timedelta(days=32)).replace(day=1)
        return out


def subtree_ids(organisation: Organisation) -> list[int]:
    """The organisation's id and those of every organisation below it."""
    return [organisation.pk, *(o.pk for o in organisation.descendants())]


def cases_received(organisation_ids: Iterable[int], period: Period) -> QuerySet[Case]:
    return Case.objects.filter(
        organisation_id__in=list(organisation_ids),
        received_at__gte=period.start_at,
        received_at__lt=period.end_before,
    ).order_by()


def _overdue_q(now: datetime) -> Q:
    # A paused clock (waiting for the journalist's clarification) is not running late.
    return Q(status__in=Case.OPEN_STATUSES, due_at__lt=now, paused_at__isnull=True)


def _on_time_q() -> Q:
    # An answer to a case without a legal clock missed no deadline.
    return Q(status=Case.Status.ANSWERED) & (Q(due_at__isnull=True) | Q(closed_at__lte=F("due_at")))


COUNTS = ("received", "answered", "refused", "forwarded", "open", "overdue", "on_time")


def _counts(now: datetime) -> dict:
    """The conditional counts every summary shares."""
    return {
        "received": Count("pk"),
        "answered": Count("pk", filter=Q(status=Case.Status.ANSWERED)),
        "refused": Count("pk", filter=Q(status=Case.Status.REFUSED)),
        "forwarded": Count("pk", filter=Q(status=Case.Status.FORWARDED)),
        "open": Count("pk", filter=Q(status__in=Case.OPEN_STATUSES)),
        "overdue": Count("pk", filter=_overdue_q(now)),
        "on_time": Count("pk", filter=_on_time_q()),
    }


def _rate(on_time: int, answered: int) -> float | None:
    return None if not answered else round(on_time / answered, 4)


def _working_day_index(first: date, last: date) -> dict[date, int]:
    """Working days in (first, d] for each day d from `first` to `last`."""
    index, total, day = {}, 0, first
    while day <= last:
        if day != first and work_calendar.is_working_day(day):
            total += 1
        index[day] = total
        day += timedelta(days=1)
    return index


def _weighted_median(histogram: dict[int, int]) -> float | None:
    total = sum(histogram.values())
    if not total:
        return None
    lower_rank, upper_rank = (total - 1) // 2, total // 2
    lower = upper = None
    seen = 0
    for value in sorted(histogram):
        seen += histogram[value]
        if lower is None and seen > lower_rank:
            lower = value
        if seen > upper_rank:
            upper = value
            break
    return (lower + upper) / 2


class WorkingDayNumber(Func):
    """PostgreSQL: a local date's running count of working days, read from an array.

    Arguments: the array of running counts (a parameter), the date, the array's first date.
    """

    output_field = IntegerField()

    def as_sql(self, compiler, connection, **extra):
        counts, day, first = (compiler.compile(e) for e in self.source_expressions)
        sql = f"({counts[0]}::int[])[({day[0]} - {first[0]}::date) + 1]"
        return sql, [*counts[1], *day[1], *first[1]]


class WorkingDayAt(Func):
    """PostgreSQL: the running count of working days on the local day of a moment, read from
    an array whose first element is the day `first`, when Vietnam time is a fixed offset from
    UTC over the array's span: the local day comes from the moment's epoch by arithmetic,
    with no time-zone lookup per row (a third of the answer histogram's time).

    Arguments: the array of running counts (a parameter), the moment.
    """

    output_field = IntegerField()

    def __init__(self, counts, moment, *, first: date, offset_seconds: int):
        super().__init__(counts, moment)
        self.first_day = (first - date(1970, 1, 1)).days
        self.offset_seconds = offset_seconds

    def as_sql(self, compiler, connection, **extra):
        counts, moment = (compiler.compile(e) for e in self.source_expressions)
        day = f"floor((date_part('epoch', {moment[0]}) + %s) / 86400)::int"
        sql = f"({counts[0]}::int[])[{day} - %s + 1]"
        return sql, [*counts[1], *moment[1], self.offset_seconds, self.first_day]


def _fixed_offset(first: date, last: date) -> int | None:
    """Vietnam's UTC offset in seconds when it is the same at both ends of the span (it has
    been +07:00 since 1975), else None."""
    ends = {datetime.combine(d, time(12), tzinfo=VN_TZ).utcoffset() for d in (first, last)}
    return int(ends.pop().total_seconds()) if len(ends) == 1 else None


# The PostgreSQL path carries the calendar of the last ten years in the query.
CALENDAR_IN_QUERY_DAYS = 3660


def answer_histograms(organisation_ids: Iterable[int], period: Period) -> dict[int, dict]:
    """Per organisation, {working days from receipt to answer: number of answered cases}.

    Working days are counted as the law counts a limit (the day of receipt excluded), with
    the calendar read once per day of the span, never per case. On PostgreSQL the running
    count of working days goes into the query as an array, and the database groups by
    (organisation, working days); elsewhere, or for answers outside the array's span, the
    database groups by (organisation, received day, answered day) and Python counts.
    """
    answered = cases_received(organisation_ids, period).filter(
        status=Case.Status.ANSWERED, closed_at__isnull=False
    )
    if connection.vendor == "postgresql":
        today = timezone.localdate()
        first = max(period.start, today - timedelta(days=CALENDAR_IN_QUERY_DAYS))
        if first > today:
            return {}
        index = _working_day_index(first, today)
        counts = Value([index[d] for d in sorted(index)], output_field=Field())
        offset = _fixed_offset(first, today)
        if offset is not None:
            days = WorkingDayAt(
                counts, F("closed_at"), first=first, offset_seconds=offset
            ) - WorkingDayAt(counts, F("received_at"), first=first, offset_seconds=offset)
        else:
            start = Value(first, output_field=DateField())
            days = WorkingDayNumber(
                counts, TruncDate("closed_at", tzinfo=VN_TZ), start
            ) - WorkingDayNumber(counts, TruncDate("received_at", tzinfo=VN_TZ), start)
        rows = list(
            answered.annotate(days=days)
            .values("organisation_id", "days")
            .annotate(n=Count("pk"))
            .order_by()
        )
        if all(r["days"] is not None for r in rows):
            histograms: dict = defaultdict(lambda: defaultdict(int))
            for r in rows:
                histograms[r["organisation_id"]][max(0, r["days"])] += r["n"]
            return histograms
    return _answer_histograms_by_day(answered)


def _answer_histograms_by_day(answered: QuerySet[Case]) -> dict[int, dict]:
    rows = list(
        answered.annotate(
            received_day=TruncDate("received_at", tzinfo=VN_TZ),
            answered_day=TruncDate("closed_at", tzinfo=VN_TZ),
        )
        .values("organisation_id", "received_day", "answered_day")
        .annotate(n=Count("pk"))
        .order_by()
    )
    if not rows:
        return {}
    first = min(r["received_day"] for r in rows)
    last = max(max(r["answered_day"] for r in rows), first)
    index = _working_day_index(first, last)
    histograms: dict = defaultdict(lambda: defaultdict(int))
    for r in rows:
        days = max(0, index[max(r["answered_day"], first)] - index[r["received_day"]])
        histograms[r["organisation_id"]][days] += r["n"]
    return histograms


def _merge(histograms: Iterable[dict]) -> dict[int, int]:
    merged: dict[int, int] = defaultdict(int)
    for histogram in histograms:
        for days, n in histogram.items():
            merged[days] += n
    return merged


def case_counts(
    organisation_ids: Iterable[int], period: Period, now: datetime, *, by: tuple[str, ...]
) -> list[dict]:
    """Rows of every count (received, answered, …, on_time) grouped by the fields `by`:
    any of "organisation_id", "month" (of receipt, Vietnam time) and "kind". One query."""
    cases = cases_received(organisation_ids, period)
    if "month" in by:
        cases = cases.annotate(month=TruncMonth("received_at", tzinfo=VN_TZ))
    rows = list(cases.values(*by).annotate(**_counts(now)).order_by())
    for row in rows:
        if "month" in row:
            row["month"] = _month_start(row["month"])
    return rows


def _figures(rows: Iterable[dict], histogram: dict[int, int] | None = None) -> dict:
    """Add grouped count rows up into one set of figures (with by_kind when grouped by kind)."""
    totals = dict.fromkeys(COUNTS, 0)
    by_kind = dict.fromkeys(Case.Kind.values, 0)
    for row in rows:
        for name in COUNTS:
            totals[name] += row[name]
        if "kind" in row:
            by_kind[row["kind"]] += row["received"]
    on_time = totals.pop("on_time")
    return {
        **totals,
        "on_time_rate": _rate(on_time, totals["answered"]),
        "median_working_days_to_answer": _weighted_median(histogram or {}),
        "by_kind": by_kind,
    }


def case_summary(organisation_ids: Iterable[int], period: Period, now: datetime) -> dict:
    """The figures of the reports API: counts, on-time rate, median, cases by kind (2 queries)."""
    ids = list(organisation_ids)
    rows = case_counts(ids, period, now, by=("kind",))
    return _figures(rows, _merge(answer_histograms(ids, period).values()))


def case_report(
    organisations: list[Organisation], included: Iterable[int], period: Period, now: datetime
) -> dict:
    """The dashboard's case figures from two queries over the cases.

    `summary` and `months` add up the organisations whose ids are in `included`;
    `side_by_side` has one row per organisation of `organisations` when there are several.
    """
    included = set(included)
    ids = [o.pk for o in organisations]
    rows = case_counts(ids, period, now, by=("organisation_id", "month", "kind"))
    histograms = answer_histograms(ids, period)
    by_organisation: dict[int, list[dict]] = defaultdict(list)
    by_month: dict[date, list[dict]] = defaultdict(list)
    for row in rows:
        by_organisation[row["organisation_id"]].append(row)
        if row["organisation_id"] in included:
            by_month[row["month"]].append(row)
    mine = [row for month_rows in by_month.values() for row in month_rows]
    months = [{"month": month, **_figures(by_month[month])} for month in period.months()]
    side_by_side = []
    if len(organisations) > 1:
        for organisation in organisations:
            figures = _figures(by_organisation[organisation.pk], histograms.get(organisation.pk))
            side_by_side.append({"organisation": organisation, **figures})
    return {
        "summary": _figures(mine, _merge(h for k, h in histograms.items() if k in included)),
        "months": months,
        "side_by_side": side_by_side,
    }


def _month_start(value) -> date:
    if isinstance(value, datetime):
        value = value.astimezone(VN_TZ).date() if value.tzinfo else value.date()
    return value.replace(day=1)


def overdue_now(organisation_ids: Iterable[int], now: datetime) -> dict[str, list[dict]]:
    """Open cases past their due time now, whenever received: by unit and by step."""
    overdue = Case.objects.filter(
        _overdue_q(now), organisation_id__in=list(organisation_ids)
    ).order_by()
    by_unit = [
        {
            "unit": r["assigned_unit__name"],
            "organisation": r["organisation__abbreviation"],
            "n": r["n"],
        }
        for r in overdue.values("assigned_unit__name", "organisation__abbreviation")
        .annotate(n=Count("pk"))
        .order_by("-n", "assigned_unit__name")
    ]
    by_step = [
        {"step": r["status"], "label": Case.Status(r["status"]).label, "n": r["n"]}
        for r in overdue.values("status").annotate(n=Count("pk")).order_by("-n", "status")
    ]
    return {"by_unit": by_unit, "by_step": by_step}


def workload(organisation_ids: Iterable[int], now: datetime) -> list[dict]:
    """Open tasks per person (cases and statements); unclaimed tasks under owner None."""
    ids = list(organisation_ids)
    open_cases = Case.objects.filter(organisation_id__in=ids, status__in=Case.OPEN_STATUSES)
    open_statements = Statement.objects.filter(
        organisation_id__in=ids, status__in=Statement.OPEN_STATUSES
    )
    case_type = ContentType.objects.get_for_model(Case)
    statement_type = ContentType.objects.get_for_model(Statement)

    # The artifact's id in a subquery, not a join: the generic relation casts the primary
    # key, which would make PostgreSQL scan every case.
    def on(cases, statements) -> Q:
        return Q(
            process__artifact_content_type=case_type,
            process__artifact_object_id__in=cases.values("pk"),
        ) | Q(
            process__artifact_content_type=statement_type,
            process__artifact_object_id__in=statements.values("pk"),
        )

    late = on(
        open_cases.filter(_overdue_q(now)),
        open_statements.filter(due_at__lt=now),
    )
    rows = (
        Task.objects.filter(
            on(open_cases, open_statements),
            status__in=OPEN_TASK_STATUSES,
            flow_task_type="HUMAN",
        )
        .values("owner_id", "owner__username", "owner__first_name", "owner__last_name")
        .annotate(n=Count("pk"), late=Count("pk", filter=late))
        .order_by("-n", F("owner__username").asc(nulls_last=True))
    )
    return [
        {
            "owner_id": r["owner_id"],
            "name": " ".join(p for p in (r["owner__first_name"], r["owner__last_name"]) if p)
            or r["owner__username"],
            "username": r["owner__username"],
            "n": r["n"],
            "late": r["late"],
        }
        for r in rows
    ]


def statements_on_time(
    organisation_ids: Iterable[int], period: Period, now: datetime
) -> list[dict]:
    """Statements with a legal clock started in the period, per kind: released on time or not."""
    statements = Statement.objects.filter(
        organisation_id__in=list(organisation_ids),
        kind__in=Statement.CLOCKED_KINDS,
        due_at__isnull=False,
        clock_start_at__gte=period.start_at,
        clock_start_at__lt=period.end_before,
    ).order_by()
    released = Q(released_at__isnull=False)
    rows = {
        r["kind"]: r
        for r in statements.values("kind").annotate(
            total=Count("pk"),
            released=Count("pk", filter=released),
            on_time=Count("pk", filter=released & Q(released_at__lte=F("due_at"))),
            overdue=Count("pk", filter=Q(status__in=Statement.OPEN_STATUSES, due_at__lt=now)),
        )
    }
    out = []
    for kind in Statement.CLOCKED_KINDS:
        r = rows.get(kind.value, {"total": 0, "released": 0, "on_time": 0, "overdue": 0})
        out.append(
            {
                "kind": kind.value,
                "label": kind.label,
                "total": r["total"],
                "released": r["released"],
                "on_time": r["on_time"],
                "late": r["released"] - r["on_time"],
                "overdue": r["overdue"],
                "on_time_rate": _rate(r["on_time"], r["released"]),
            }
        )
    return out


def press_list_delivery(organisation_ids: Iterable[int], period: Period) -> dict:
    """E-mails of published statements to the press list, created in the period, by status."""
    totals = (
        Delivery.objects.filter(
            publication__organisation_id__in=list(organisation_ids),
            created_at__gte=period.start_at,
            created_at__lt=period.end_before,
        )
        .order_by()
        .aggregate(
            total=Count("pk"),
            publications=Count("publication_id", distinct=True),
            sent=Count("pk", filter=Q(status=Delivery.Status.SENT)),
            failed=Count("pk", filter=Q(status=Delivery.Status.FAILED)),
            pending=Count("pk", filter=Q(status=Delivery.Status.PENDING)),
        )
    )
    totals["sent_rate"] = _rate(totals["sent"], totals["total"])
    return totals


def topic_coverage(organisation_ids: Iterable[int], period: Period) -> list[dict]:
    """Cases and statements per plan topic of the organisations, in the period (3 queries).

    One row per topic of the years the period touches, in (organisation, year, number) order:
    {"topic_id", "organisation_id", "year", "number", "title", "is_active", "cases",
    "statements"}. Topics nothing touched are there with zeros (the plan's areas that were not
    covered); an inactive topic is listed only when something in the period carries it.
    Cases count by received date (any outcome); statements by creation date, withdrawn ones
    excepted.
    """
    ids = list(organisation_ids)
    years = list(range(period.start.year, period.end.year + 1))
    cases = (
        # Through the topic's organisation (a case carries only its own organisation's topics):
        # PostgreSQL then hashes the few tags, not every case of the period.
        Case.topics.through.objects.filter(
            plantopic__organisation_id__in=ids,
            plantopic__year__in=years,
            case__received_at__gte=period.start_at,
            case__received_at__lt=period.end_before,
        )
        .values("plantopic_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    statements = (
        Statement.topics.through.objects.filter(
            plantopic__organisation_id__in=ids,
            plantopic__year__in=years,
            statement__created_at__gte=period.start_at,
            statement__created_at__lt=period.end_before,
        )
        .exclude(statement__status=Statement.Status.WITHDRAWN)
        .values("plantopic_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    case_counts = {r["plantopic_id"]: r["n"] for r in cases}
    statement_counts = {r["plantopic_id"]: r["n"] for r in statements}
    topics = (
        PlanTopic.objects.filter(organisation_id__in=ids, year__in=years)
        .order_by("organisation_id", "year", "number")
        .values("pk", "organisation_id", "year", "number", "title", "is_active")
    )
    rows = []
    for t in topics:
        pk = t.pop("pk")
        cases_n, statements_n = case_counts.get(pk, 0), statement_counts.get(pk, 0)
        if t["is_active"] or cases_n or statements_n:
            rows.append({"topic_id": pk, **t, "cases": cases_n, "statements": statements_n})
    return rows
