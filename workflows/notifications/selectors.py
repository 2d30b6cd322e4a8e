"""Read a user's notifications."""

from .models import Notification


def notifications_unread_count(user) -> int:
    """How many of `user`'s notifications are unread (one indexed COUNT query)."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()
