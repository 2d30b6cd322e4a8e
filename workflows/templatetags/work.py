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
