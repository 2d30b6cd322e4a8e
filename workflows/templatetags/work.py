"""The work counters of the staff menu: `{% load work %}{% work_counts as counts %}`."""

from django import template

from workflows.engine import worklist

register = template.Library()


@register.simple_tag(takes_context=True)
def work_counts(context):
    """{"mine": tasks I hold, "queue": tasks I may take}, over both flows."""
    from workflows.work_views import FLOWS

    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None:
        return {"mine": 0, "queue": 0}
    return worklist.work_counts(user, FLOWS)


@register.inclusion_tag("workflows/work/_crumbs.html")
def task_crumbs(task, last=""):
    """The breadcrumbs of a task page: register › HS-2026-000011 › Phân loại (› `last`)."""
    process = task.process
    spec = process.flow_class.spec
    artifact = process.artifact
    return {
        "register_title": process.flow_class.process_title,
        "register_url": spec.staff_url(artifact).rsplit("/", 2)[0] + "/",
        "reference": getattr(artifact, "reference", "") or str(artifact),
        "artifact_url": spec.staff_url(artifact),
        "step": task.flow_task.task_title,
        "last": last,
    }


@register.filter
def working_days_left(due):
    """{{ case.due_at|working_days_left }} → "còn 3 ngày làm việc", "đến hạn trong hôm nay",
    or, once past, "quá hạn 2 ngày" (the journalist's one-line deadline)."""
    from django.utils import timezone
    from django.utils.translation import gettext as _

    from core.labels import time_left
    from workflows.rules import calendar

    if not due:
        return ""
    now = timezone.now()
    if due <= now:
        return time_left(due, now)
    n = calendar.count_working_days(calendar.local(now).date(), calendar.local(due).date())
    if n == 0:
        return _("đến hạn trong hôm nay")
    return _("còn %(n)s ngày làm việc") % {"n": n}
