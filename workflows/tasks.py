from celery import shared_task

from . import reminders


@shared_task
def reminders_sweep() -> int:
    """Send the case reminders that are due (Celery beat, every 15 minutes)."""
    return reminders.reminders_sweep()
