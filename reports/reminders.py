"""Remind heads and spokespersons of the annual report from 1 December until it is issued
(NĐ 244/2026 Art. 10: sent before 20 December). Each reminder goes out once."""

from datetime import date

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

import audit
from roles.models import Membership, Organisation, Role, SpokespersonAssignment
from workflows.notifications.services import notify
from workflows.statements.models import Statement

from .annual import annual_due_at, annual_report_people
from .models import AnnualReport

# Days of December that remind, while the year's report is not issued.
REMINDER_DAYS = (1, 10, 17, 19)


def _mark(today: date) -> int | None:
    """The latest reminder day reached this December (None outside 1–19 December): a beat
    that catches up after a pause sends that one, not every mark it missed."""
    if today.month != 12:
        return None
    reached = [day for day in REMINDER_DAYS if day <= today.day]
    if not reached or today.day > REMINDER_DAYS[-1]:
        return None
    return reached[-1]


def annual_report_reminders_sweep(now=None) -> int:
    """Send the day's reminder to each organisation with a spokesperson whose report for this
    year is not issued yet; return the number of notifications created."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    mark = _mark(today)
    if mark is None:
        return 0
    year = today.year
    members = Membership.objects.current(today).filter(role=Role.SPOKESPERSON)
    assigned = SpokespersonAssignment.objects.current(today)
    organisations = Organisation.objects.filter(is_active=True).filter(
        Q(pk__in=members.values("organisation_id")) | Q(pk__in=assigned.values("organisation_id"))
    )
    reports = {
        r.organisation_id: r
        for r in AnnualReport.objects.filter(year=year).select_related("statement")
    }
    due = timezone.localtime(annual_due_at(year))
    sent = 0
    for organisation in organisations.order_by("pk"):
        report = reports.get(organisation.pk)
        if report is not None and report.statement.status == Statement.Status.RELEASED:
            continue
        if report is None:
            message = _(
                "%(org)s: báo cáo công tác phát ngôn năm %(y)d chưa được lập; hạn gửi "
                "%(due)s (NĐ 244/2026/NĐ-CP, Điều 10)."
            )
        else:
            message = _(
                "%(org)s: báo cáo công tác phát ngôn năm %(y)d chưa được ký ban hành; hạn gửi "
                "%(due)s (NĐ 244/2026/NĐ-CP, Điều 10)."
            )
        message %= {"org": organisation.name, "y": year, "due": date_format(due, "H:i d/m/Y")}
        url = reverse("reports:annual", args=[year]) + f"?organisation={organisation.code}"
        new = 0
        for user in annual_report_people(organisation):
            note = notify(
                user=user,
                statement=report.statement if report else None,
                key=f"annual-report:{organisation.pk}:{year}:{mark:02d}:{user.pk}",
                url=url,
                message=message,
            )
            new += note is not None
        if new:
            audit.record(
                action="annual_report.reminder",
                organisation=organisation,
                actor_role="system",
                target_type="reports.annualreport",
                target_id=f"{organisation.code}:{year}",
                after={"year": year, "day": mark, "message": message, "notified": new},
            )
        sent += new
    return sent
