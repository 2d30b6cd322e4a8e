"""Keep the working calendar's cache in step with the rulebook (connected in WorkflowsConfig.ready)."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from . import calendar
from .models import CalendarSwap, CalendarYear


@receiver([post_save, post_delete], sender=CalendarSwap)
@receiver([post_save, post_delete], sender=CalendarYear)
def _calendar_swap_changed(sender, **kwargs):
    # The calendar caches swaps and confirmed years per process: drop them so a change counts
    # at once.
    calendar.invalidate()
