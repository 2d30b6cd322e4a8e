from celery import shared_task

from .cases import reminders as case_reminders
from .statements import reminders as statement_reminders
from .statements.schedules import sweep as schedules


@shared_task(name="workflows.tasks.reminders_sweep")
def reminders_sweep_task() -> int:
    """Send the case reminders that are due (Celery beat, every 15 minutes)."""
    return case_reminders.reminders_sweep()


@shared_task(name="workflows.tasks.statement_reminders_sweep")
def statement_reminders_sweep_task() -> int:
    """Remind at 12, 20 and 23 hours of a 24-hour statement clock (Celery beat, every 5 min)."""
    return statement_reminders.statement_reminders_sweep()


@shared_task(name="workflows.tasks.schedules_sweep")
def schedules_sweep_task() -> int:
    """Remind before a periodic-information period ends and warn about a missed one (daily)."""
    return schedules.schedules_sweep()
