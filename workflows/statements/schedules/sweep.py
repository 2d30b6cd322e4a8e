"""The daily sweep of periodic schedules: remind before a period ends with nothing released,
and warn once a period passed with nothing released."""

from datetime import date

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

import audit
from roles.models import Membership, Role, SpokespersonAssignment

from ...notifications.services import notify
from ..models import PeriodicSchedule
from . import selectors


def _people(schedule: PeriodicSchedule):
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
    today = today or timezone.localdate()
    sent = 0
    for schedule in PeriodicSchedule.objects.filter(is_active=True).select_related("organisation"):
        recent = selectors.periods(schedule, today=today, last=2)
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
                note = notify(
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
