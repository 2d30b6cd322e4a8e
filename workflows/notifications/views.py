"""The notification list: on the staff site and, for journalists, on the public site."""

from django.shortcuts import render
from django.utils import timezone

from .models import Notification


def notification_list(request, template: str = "workflows/notifications.html"):
    """The current user's notifications, newest first; opening the page marks them read."""
    notes = list(
        Notification.objects.filter(user=request.user).select_related("case", "statement")[:100]
    )
    Notification.objects.filter(user=request.user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    return render(request, template, {"notes": notes})


def notification_list_public(request):
    """The same list in the public layout (journalists have no staff site)."""
    return notification_list(request, template="workflows/portal/notifications.html")
