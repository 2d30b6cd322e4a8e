"""Periodic information (NĐ 244 Art. 6): which periods are due, met or missed, and the sweep
that reminds before a period ends and warns when one passed with nothing released."""

from dataclasses import dataclass
from datetime import date, datetime, time

from dateutil.relativedelta import relativedelta
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

import audit
from roles.models import Membership, Role
from roles.selectors import actor_role

from . import notifications
from .engine import selectors
from .statements.models import PeriodicSchedule, Statement

# What counts as meeting a schedule: a statement of this kind released in the period (a press
# conference: held in the period).
SCHEDULE_KINDS = {
    PeriodicSchedule.Kind.INFORMATION: Statement.Kind.PERIODIC,
    PeriodicSchedule.Kind.CONFERENCE: Statement.Kind.CONFERENCE,
}


@dataclass(frozen=True)
class Period:
    schedule: PeriodicSchedule
    starts_on: date
    ends_on: date  # last day of the period (inclusive)
    met_by: Statement | None

    @property
    def met(self) -> bool:
        return self.met_by is not None


def _bounds(start: date, months: int, index: int) -> tuple[date, date]:
    begin = start + relativedelta(months=months * index)
    end = start + relativedelta(months=months * (index + 1)) - relativedelta(days=1)
    return begin, end


def period_index(schedule: PeriodicSchedule, day: date) -> int | None:
    """The index of the period containing `day` (None before the schedule starts)."""
    if day < schedule.starts_on:
        return None
    months = (day.year - schedule.starts_on.year) * 12 + day.month - schedule.starts_on.month
    index = max(0, months // schedule.every_months)
    while _bounds(schedule.starts_on, schedule.every_months, index)[0] > day:
        index -= 1
    while _bounds(schedule.starts_on, schedule.every_months, index)[1] < day:
        index += 1
    return index


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
        _bounds(schedule.starts_on, schedule.every_months, i)
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


def _people(schedule: PeriodicSchedule):
    from roles.models import SpokespersonAssignment

    members = Membership.objects.current().filter(
        organisation=schedule.organisation, role__in=[Role.SPOKESPERSON, Role.HEAD]
    )
    users = {m.user.pk: m.user for m in members.select_related("user")}
    for a in (
        SpokespersonAssignment.objects.current()
        .filter(organisation=schedule.organisation, kind="regular")
        .select_related("user")
    ):
        users.setdefault(a.user.pk, a.user)
    return users.values()


def schedules_sweep(today: date | None = None) -> int:
    """Remind before a period ends with nothing released; warn once a period was missed."""
    from django.urls import reverse

    today = today or timezone.localdate()
    sent = 0
    for schedule in PeriodicSchedule.objects.filter(is_active=True).select_related("organisation"):
        recent = periods(schedule, today=today, last=2)
        if not recent:
            continue
        current = recent[0]
        url = reverse("statements:pages:schedules")
        label = schedule.get_kind_display()
        notes = []
        days_left = (current.ends_on - today).days
        if not current.met and days_left <= schedule.remind_days_before:
            notes.append(
                (
                    f"remind:{current.starts_on:%Y%m%d}",
                    _(
                        "%(org)s: kỳ %(kind)s từ %(a)s đến %(b)s còn %(n)d ngày mà chưa phát hành "
                        "thông tin nào."
                    )
                    % {
                        "org": schedule.organisation.name,
                        "kind": label.lower(),
                        "a": date_format(current.starts_on, "d/m/Y"),
                        "b": date_format(current.ends_on, "d/m/Y"),
                        "n": days_left,
                    },
                )
            )
        if len(recent) > 1 and not recent[1].met:
            missed = recent[1]
            notes.append(
                (
                    f"missed:{missed.starts_on:%Y%m%d}",
                    _(
                        "%(org)s: đã bỏ lỡ kỳ %(kind)s từ %(a)s đến %(b)s — không có thông tin "
                        "nào được phát hành (%(citation)s)."
                    )
                    % {
                        "org": schedule.organisation.name,
                        "kind": label.lower(),
                        "a": date_format(missed.starts_on, "d/m/Y"),
                        "b": date_format(missed.ends_on, "d/m/Y"),
                        "citation": schedule.citation,
                    },
                )
            )
        for key, message in notes:
            new = 0
            for user in _people(schedule):
                note = notifications.notify(
                    user=user,
                    key=f"schedule:{schedule.pk}:{key}:{user.pk}",
                    url=url,
                    message=message,
                )
                new += note is not None
            if new:
                audit.record(
                    action="schedule.missed" if key.startswith("missed") else "schedule.reminder",
                    organisation=schedule.organisation,
                    target=schedule,
                    actor_role="system",
                    after={"period": key.split(":", 1)[1], "message": message, "notified": new},
                )
            sent += new
    return sent


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


# Who keeps an organisation's schedule (NĐ 244 Art. 6: the spokesperson's office, the head).
SCHEDULE_ROLES = (Role.SPOKESPERSON, Role.HEAD)


def schedule_save(*, organisation, by, kind: str, request=None, **fields) -> PeriodicSchedule:
    """Create or change an organisation's schedule of one kind; on the ledger."""
    from django.core.exceptions import PermissionDenied
    from django.db import transaction

    if not (
        Membership.objects.current()
        .filter(user=by, organisation=organisation, role__in=SCHEDULE_ROLES)
        .exists()
    ):
        raise PermissionDenied(
            _("Chỉ người phát ngôn hoặc người đứng đầu được đặt lịch cung cấp thông tin.")
        )
    with transaction.atomic():
        before = PeriodicSchedule.objects.filter(organisation=organisation, kind=kind).first()
        schedule, _created = PeriodicSchedule.objects.update_or_create(
            organisation=organisation, kind=kind, defaults=fields
        )

        def facts(s):
            return {
                "kind": s.kind,
                "every_months": s.every_months,
                "starts_on": s.starts_on.isoformat(),
                "remind_days_before": s.remind_days_before,
                "active": s.is_active,
            }

        audit.record(
            action="schedule.save",
            actor=by,
            actor_role=actor_role(by, organisation),
            organisation=organisation,
            target=schedule,
            before=facts(before) if before else None,
            after=facts(schedule),
            request=request,
        )
    return schedule
