"""Keep the working calendar's cache in step with the rulebook (connected in WorkflowsConfig.ready)."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from . import calendar
from .models import CalendarSwap


@receiver([post_save, post_delete], sender=CalendarSwap)
def _calendar_swap_changed(sender, **kwargs):
    # The working calendar caches swaps per process; drop it so the change counts at once.
    calendar.invalidate()
