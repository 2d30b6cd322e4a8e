"""Remind whoever holds a statement as its clock runs: at 12, 20 and 23 hours of a 24-hour
clock, at 50 % and 80 % of a day-based one; an overdue statement is escalated to the head.
Each reminder goes out once."""

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from roles.models import Membership, Role

from ..notifications.services import notify
from ..rules.deadlines import REMINDER_THRESHOLDS as THRESHOLDS
from ..rules.models import TimeUnit
from . import selectors
from .models import Statement

# Hour marks of a 24-hour clock (NĐ 244 Art. 7.3–7.4): elapsed hours → reminder.
STATEMENT_HOUR_MARKS = (("12h", 12), ("20h", 20), ("23h", 23))


def _statement_marks(statement, now) -> list[str]:
    elapsed_h = (now - statement.clock_start_at).total_seconds() / 3600
    total_h = (statement.due_at - statement.clock_start_at).total_seconds() / 3600
    # Hour marks only for an hours-based rule: a one-working-day correction opened just
    # before midnight also lasts about 24 h, yet keeps the day marks.
    hourly = abs(total_h - 24) < 0.01 and (
        statement.rule is None or statement.rule.unit == TimeUnit.HOURS
    )
    if hourly:
        # Only the latest mark reached: a statement entered late (say 21 h after the event)
        # gets the 20 h reminder, not the 12 h one as well.
        reached = [name for name, hours in STATEMENT_HOUR_MARKS if elapsed_h >= hours]
        marks = reached[-1:]
    else:  # a day-based clock (e.g. a correction): the case marks
        marks = [name for name, f in THRESHOLDS if total_h > 0 and elapsed_h >= f * total_h]
        if timezone.localdate(now) >= timezone.localdate(statement.due_at):
            marks.append("due_day")
    if now > statement.due_at:
        return ["overdue"]  # the deadline passed: the earlier marks say nothing new
    return marks


def statement_reminders_sweep(now=None) -> int:
    """Remind at 12, 20 and 23 hours of a 24-hour clock; escalate to the head when overdue."""
    now = now or timezone.now()
    sent = 0
    statements = Statement.objects.filter(
        # RELEASING too: a signature that keeps failing must not let the clock run out unseen.
        status__in=[
            Statement.Status.DRAFTING,
            Statement.Status.REVIEW,
            Statement.Status.SIGNOFF,
            Statement.Status.RELEASING,
        ],
        due_at__isnull=False,
        clock_start_at__isnull=False,
    ).select_related("organisation", "author", "rule", "signer")
    open_tasks = {
        t.process.artifact_object_id: t
        for t in Task.objects.filter(
            flow_task_type="HUMAN",
            status__in=[STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED],
            process__artifact_content_type=ContentType.objects.get_for_model(Statement),
            process__artifact_object_id__in=statements.values("pk"),
        ).select_related("process", "owner")
    }
    for statement in statements:
        task = open_tasks.get(statement.pk)
        if task is not None and task.owner_id:
            holders = [task.owner]
        elif task is not None:
            holders = selectors.statement_step_eligible_users(task.flow_task.name, statement)
        else:  # releasing: the signer and the registry officers, who retry a failed issue
            registry = (
                Membership.objects.current()
                .filter(organisation=statement.organisation, role=Role.REGISTRY_OFFICER)
                .select_related("user")
            )
            holders = [statement.author, *(m.user for m in registry)]
            if statement.signer_id:
                holders.append(statement.signer)
        due_text = date_format(timezone.localtime(statement.due_at), "H:i d/m/Y")
        left = statement.due_at - now
        left_text = _("%(h)d giờ %(m)d phút") % {
            "h": max(0, left.total_seconds()) // 3600,
            "m": max(0, left.total_seconds()) % 3600 // 60,
        }
        for mark in _statement_marks(statement, now):
            recipients = list(holders)
            if mark in ("23h", "overdue"):
                heads = (
                    Membership.objects.current()
                    .filter(organisation=statement.organisation, role=Role.HEAD)
                    .select_related("user")
                )
                recipients += [m.user for m in heads]
            if mark == "overdue":
                message = _(
                    "Thông tin %(r)s “%(t)s” đã quá hạn phát ngôn (hạn %(d)s); báo cáo người "
                    "đứng đầu."
                )
            else:
                message = _("Thông tin %(r)s “%(t)s”: còn %(left)s đến hạn phát ngôn %(d)s.")
            message = message % {
                "r": statement.reference,
                "t": statement.title,
                "d": due_text,
                "left": left_text,
            }
            for user in {u.pk: u for u in recipients}.values():
                note = notify(
                    user=user,
                    statement=statement,
                    key=f"statement:{statement.pk}:{int(statement.due_at.timestamp())}:{mark}:{user.pk}",
                    url=statement.get_absolute_url(),
                    message=message,
                    record=True,
                )
                sent += note is not None
    return sent
