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

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import TruncDate, TruncMonth
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from release.newsroom.models import Delivery
from roles.models import Organisation

# The one import of the working-day calendar (the calendar may move: change this line only).
from workflows import calendar as work_calendar
from workflows.case_models import Case
from workflows.statement_models import Statement

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


def median_working_days(cases: QuerySet[Case], by: str | None = None) -> dict:
    """Median working days from receipt to answer, per value of the field `by` (or None).

    Working days are counted as the law counts a limit (the day of receipt excluded). The
    database groups answered cases by (received day, answered day); the calendar is read
    once per day of the span, never per case.
    """
    keys = [by] if by else []
    rows = list(
        cases.filter(status=Case.Status.ANSWERED, closed_at__isnull=False)
        .annotate(
            received_day=TruncDate("received_at", tzinfo=VN_TZ),
            answered_day=TruncDate("closed_at", tzinfo=VN_TZ),
        )
        .values(*keys, "received_day", "answered_day")
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
        histograms[r[by] if by else None][days] += r["n"]
    return {key: _weighted_median(h) for key, h in histograms.items()}


def case_summary(organisation_ids: Iterable[int], period: Period, now: datetime) -> dict:
    """The figures of the reports API: counts, on-time rate, median, cases by kind."""
    cases = cases_received(organisation_ids, period)
    totals = cases.aggregate(**_counts(now))
    by_kind = {kind: 0 for kind in Case.Kind.values}
    for row in cases.values("kind").annotate(n=Count("pk")):
        by_kind[row["kind"]] = row["n"]
    on_time = totals.pop("on_time")
    return {
        **totals,
        "on_time_rate": _rate(on_time, totals["answered"]),
        "median_working_days_to_answer": median_working_days(cases).get(None),
        "by_kind": by_kind,
    }


def cases_by_month(organisation_ids: Iterable[int], period: Period, now: datetime) -> list[dict]:
    """Per month of the period: cases received by kind, answered, on-time rate."""
    cases = cases_received(organisation_ids, period).annotate(
        month=TruncMonth("received_at", tzinfo=VN_TZ)
    )
    months = {
        m: {"month": m, "by_kind": dict.fromkeys(Case.Kind.values, 0), "received": 0}
        for m in period.months()
    }
    for row in cases.values("month", "kind").annotate(n=Count("pk")).order_by():
        entry = months[_month_start(row["month"])]
        entry["by_kind"][row["kind"]] = row["n"]
        entry["received"] += row["n"]
    counts = {k: v for k, v in _counts(now).items() if k in ("answered", "on_time")}
    for row in cases.values("month").annotate(**counts).order_by():
        entry = months[_month_start(row["month"])]
        entry["answered"] = row["answered"]
        entry["on_time_rate"] = _rate(row["on_time"], row["answered"])
    for entry in months.values():
        entry.setdefault("answered", 0)
        entry.setdefault("on_time_rate", None)
    return list(months.values())


def _month_start(value) -> date:
    if isinstance(value, datetime):
        value = value.astimezone(VN_TZ).date() if value.tzinfo else value.date()
    return value.replace(day=1)


def organisations_side_by_side(
    organisations: list[Organisation], period: Period, now: datetime
) -> list[dict]:
    """One row of figures per organisation (each on its own cases only)."""
    cases = cases_received([o.pk for o in organisations], period)
    rows = {
        r["organisation_id"]: r for r in cases.values("organisation_id").annotate(**_counts(now))
    }
    medians = median_working_days(cases, by="organisation_id")
    out = []
    for organisation in organisations:
        row = rows.get(organisation.pk) or dict.fromkeys(_counts(now), 0)
        out.append(
            {
                "organisation": organisation,
                "received": row["received"],
                "answered": row["answered"],
                "refused": row["refused"],
                "forwarded": row["forwarded"],
                "open": row["open"],
                "overdue": row["overdue"],
                "on_time_rate": _rate(row["on_time"], row["answered"]),
                "median_working_days_to_answer": medians.get(organisation.pk),
            }
        )
    return out


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
    tasks = Task.objects.filter(
        Q(process__case__organisation_id__in=ids) | Q(process__statement__organisation_id__in=ids),
        status__in=OPEN_TASK_STATUSES,
        flow_task_type="HUMAN",
    ).order_by()
    late = Q(process__case__due_at__lt=now, process__case__status__in=Case.OPEN_STATUSES) | Q(
        process__statement__due_at__lt=now,
        process__statement__status__in=Statement.OPEN_STATUSES,
    )
    rows = (
        tasks.values("owner_id", "owner__username", "owner__first_name", "owner__last_name")
        .annotate(n=Count("pk", distinct=True), late=Count("pk", filter=late, distinct=True))
        .order_by("-n", F("owner__username").asc(nulls_last=True))
    )
    return [
        {
            "owner_id": r["owner_id"],
            "name": " ".join(
                p for p in (r["owner__first_name"], r["owner__last_name"]) if p
            ).strip()
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
