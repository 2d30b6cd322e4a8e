from celery import shared_task

from . import reminders


@shared_task(name="reports.tasks.annual_report_reminders_sweep")
def annual_report_reminders_sweep_task() -> int:
    """Remind of the annual report from 1 December until it is issued (daily)."""
    return reminders.annual_report_reminders_sweep()
