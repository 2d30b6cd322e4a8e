"""Read periodic schedules: each period with the statement that met it, and who sees which."""

from datetime import date, datetime, time

from django.db.models import Q
from django.utils import timezone

from roles.models import Membership

from ...engine import selectors
from ..models import PeriodicSchedule, Statement
from .periods import Period, period_bounds, period_index

# What counts as meeting a schedule: a statement of this kind released in the period (a press
# conference: held in the period).
SCHEDULE_KINDS = {
    PeriodicSchedule.Kind.INFORMATION: Statement.Kind.PERIODIC,
    PeriodicSchedule.Kind.CONFERENCE: Statement.Kind.CONFERENCE,
}


def _aware(day: date, end=False) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.max if end else time.min))


def periods(
    schedule: PeriodicSchedule, *, today: date | None = None, last: int = 6
) -> list[Period]:
    """The current period and up to `last - 1` before it, newest first, with what met each."""
    today = today or timezone.localdate()
    current = period_index(schedule, today)
    if current is None:
        return []
    bounds = [
        period_bounds(schedule.starts_on, schedule.every_months, i)
        for i in range(current, max(-1, current - last), -1)
    ]
    first, last = _aware(bounds[-1][0]), _aware(bounds[0][1], end=True)
    released = list(
        Statement.objects.filter(
            organisation_id=schedule.organisation_id,
            kind=SCHEDULE_KINDS[schedule.kind],
            status=Statement.Status.RELEASED,
        )
        .filter(
            Q(released_at__gte=first, released_at__lte=last)
            | Q(conference_at__gte=first, conference_at__lte=last)
        )
        .order_by("released_at")
    )

    def counted_on(statement: Statement) -> date:
        # A press conference counts on the day it is held (its invitation may go out earlier).
        return timezone.localdate(statement.conference_at or statement.released_at)

    result = []
    for begin, end in bounds:
        met = next((s for s in released if begin <= counted_on(s) <= end), None)
        result.append(Period(schedule=schedule, starts_on=begin, ends_on=end, met_by=met))
    return result


def schedules_for(user):
    """Schedules of the organisations where `user` sees statements, with their recent periods."""
    orgs = (
        Membership.objects.current()
        .filter(user=user, role__in=selectors.ORGANISATION_WIDE_ROLES)
        .values("organisation_id")
    )
    qs = PeriodicSchedule.objects.select_related("organisation")
    if not user.is_superuser:
        qs = qs.filter(organisation_id__in=orgs)
    return [(s, periods(s)) for s in qs.order_by("organisation__name", "kind")]
