"""Remind whoever holds a case at 50 % and 80 % of its legal time, on the due day and when
overdue; an overdue case is escalated to the head, and so is a step that passed the
organisation's internal limit. Each reminder goes out once."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from roles.models import Membership, Role

from ..notifications.services import notify
from ..rules import deadlines
from . import selectors
from .models import Case

THRESHOLDS = deadlines.REMINDER_THRESHOLDS


def _holders(case: Case, task: Task | None):
    """Who should hear about the case now: the task's owner, else everyone who may take it."""
    if task is not None and task.owner_id:
        return [task.owner]
    if task is not None:
        return selectors.case_step_eligible_users(task.flow_task.name, case)
    return []


def _due_marks(case: Case, now) -> list[str]:
    start = case.clock_started_at  # a complaint's clock runs from its conclusion
    total = (case.due_at - start).total_seconds()
    elapsed = (now - start).total_seconds()
    marks = [name for name, fraction in THRESHOLDS if total > 0 and elapsed >= fraction * total]
    if timezone.localdate(now) >= timezone.localdate(case.due_at):
        marks.append("due_day")
    if now > case.due_at:
        marks.append("overdue")
    return marks


def reminders_sweep(now=None) -> int:
    """Send the reminders that are due; return how many went out (idempotent)."""
    now = now or timezone.now()
    sent = 0
    cases = (
        Case.objects.filter(
            status__in=Case.OPEN_STATUSES, due_at__isnull=False, paused_at__isnull=True
        )
        .exclude(status=Case.Status.RELEASING)
        .select_related("organisation", "rule")
    )
    open_tasks = {
        t.process.artifact_object_id: t
        for t in Task.objects.filter(
            flow_task_type="HUMAN",
            status__in=[STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED],
            process__artifact_content_type=ContentType.objects.get_for_model(Case),
            process__artifact_object_id__in=cases.values("pk"),
        ).select_related("process", "owner")
    }
    for case in cases:
        task = open_tasks.get(case.pk)
        due_text = date_format(timezone.localtime(case.due_at), "H:i d/m/Y")
        stamp = int(case.due_at.timestamp())  # a new due date (extension) resets reminders
        for mark in _due_marks(case, now):
            recipients = list(_holders(case, task))
            if mark == "overdue":
                heads = (
                    Membership.objects.current()
                    .filter(organisation=case.organisation, role=Role.HEAD)
                    .select_related("user")
                )
                recipients += [m.user for m in heads]
            message = {
                "50": _("Hồ sơ %(r)s đã dùng một nửa thời hạn trả lời (hạn %(d)s)."),
                "80": _("Hồ sơ %(r)s đã dùng 80%% thời hạn trả lời (hạn %(d)s)."),
                "due_day": _("Hôm nay là hạn trả lời hồ sơ %(r)s (hạn %(d)s)."),
                "overdue": _("Hồ sơ %(r)s đã quá hạn trả lời (hạn %(d)s); báo cáo người đứng đầu."),
            }[mark] % {"r": case.reference, "d": due_text}
            for user in {u.pk: u for u in recipients}.values():
                note = notify(
                    user=user,
                    case=case,
                    key=f"case:{case.pk}:{stamp}:{mark}:{user.pk}",
                    url=reverse("cases:pages:detail", args=[case.pk]),
                    message=message,
                    record=True,
                )
                sent += note is not None
        sent += _step_overdue(case, task, now)
    return sent


def _step_overdue(case: Case, task: Task | None, now) -> int:
    """A step past the organisation's internal limit (quy chế nội bộ): tell whoever holds it
    and the head, once per task."""
    if task is None or task.flow_task.name not in deadlines.DEFAULT_STEP_LIMITS:
        return 0
    step_deadline = deadlines.step_due(
        organisation=case.organisation, step=task.flow_task.name, kind=case.kind, start=task.created
    )
    # No due date when the step's calendar year has no data (the deadline is "chưa xác định").
    if step_deadline.due_at is None or now <= step_deadline.due_at:
        return 0
    heads = (
        Membership.objects.current()
        .filter(organisation=case.organisation, role=Role.HEAD)
        .select_related("user")
    )
    recipients = [*_holders(case, task), *(m.user for m in heads)]
    message = _(
        "Bước “%(step)s” của hồ sơ %(r)s đã quá thời hạn nội bộ (%(why)s); báo cáo người đứng đầu."
    ) % {
        "step": task.flow_task.task_title,
        "r": case.reference,
        "why": step_deadline.explanation,
    }
    sent = 0
    for user in {u.pk: u for u in recipients}.values():
        note = notify(
            user=user,
            case=case,
            key=f"case:{case.pk}:task:{task.pk}:step_overdue:{user.pk}",
            url=reverse("cases:pages:detail", args=[case.pk]),
            message=message,
            record=True,
        )
        sent += note is not None
    return sent


def overdue_filter(now=None) -> Q:
    now = now or timezone.now()
    return Q(status__in=Case.OPEN_STATUSES, due_at__lt=now)
