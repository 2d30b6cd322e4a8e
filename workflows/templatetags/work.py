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
    """The breadcrumbs of a task page: register › PA-2026-000011 › Phân loại (› `last`)."""
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
