"""Celery tasks of the outbox: they take ids, call one service, own their retry policy."""

from celery import shared_task
from django.conf import settings

from . import services


@shared_task(bind=True, name="outbox.send", acks_late=True, max_retries=None)
def outbox_send_task(self, mail_id: int) -> str:
    """Send one queued e-mail (idempotent); back off and retry, then leave it failed."""
    outcome, countdown = services.mail_send(mail_id)
    # The row counts attempts (a sweep may have started a second chain): it decides when to stop.
    if outcome == "retry" and self.request.retries < settings.OUTBOX_MAX_ATTEMPTS:
        raise self.retry(countdown=countdown)
    return outcome


@shared_task(name="outbox.sweep")
def outbox_sweep_task() -> int:
    """Every minute: enqueue again the queued mails whose task was lost."""
    ids = services.mails_lost()
    for mail_id in ids:
        services.mail_dispatch(mail_id)
    return len(ids)
