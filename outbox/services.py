"""Queue e-mail in the caller's transaction; send it from the worker, with retries."""

import logging
import smtplib
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.tasks import task_send

from .models import OutgoingMail

log = logging.getLogger(__name__)


def max_attempts() -> int:
    return settings.OUTBOX_MAX_ATTEMPTS


def retry_countdown(attempts: int) -> int:
    """Exponential backoff after the n-th failed attempt: base, 2×base, 4×base, …"""
    return settings.OUTBOX_RETRY_SECONDS * 2 ** max(attempts - 1, 0)


def mail_queue(
    *,
    to: str | list[str],
    subject: str,
    body: str,
    reply_to: str = "",
    dedupe_key: str | None = None,
) -> OutgoingMail | None:
    """Queue one e-mail; it exists iff the caller's transaction commits, and is sent after.

    Returns None when there is nobody to send to or the `dedupe_key` was queued before.
    """
    recipients = [a for a in ([to] if isinstance(to, str) else to) if a]
    if not recipients:
        return None
    try:
        with transaction.atomic():
            mail = OutgoingMail.objects.create(
                to=recipients,
                subject=" ".join(subject.split())[:500],  # a header: one line
                body=body,
                reply_to=reply_to,
                dedupe_key=dedupe_key,
            )
    except IntegrityError:
        return None  # already queued under this key
    transaction.on_commit(lambda: mail_dispatch(mail.pk))
    return mail


def mail_dispatch(mail_id: int) -> None:
    """Hand one mail to the broker; never raise into the request (the sweep catches up)."""
    from .tasks import outbox_send_task

    task_send(outbox_send_task, mail_id)


def mail_send(mail_id: int) -> tuple[str, int]:
    """Send one queued mail once; return (outcome, countdown before the next attempt).

    Outcomes: "sent", "retry" (failed, will be tried again), "failed" (last attempt failed or
    the address was refused), "skipped" (gone, already sent or already failed).
    The row stays locked while the SMTP server talks, so two workers never both send it.
    """
    with transaction.atomic():
        mail = OutgoingMail.objects.select_for_update().filter(pk=mail_id).first()
        if mail is None or mail.status != OutgoingMail.Status.QUEUED:
            return "skipped", 0
        message = EmailMessage(
            subject=mail.subject,
            body=mail.body,
            to=mail.to,
            reply_to=[mail.reply_to] if mail.reply_to else None,
        )
        mail.attempts += 1
        try:
            message.send()  # the backend's own timeout: EMAIL_TIMEOUT
        except Exception as exc:  # noqa: BLE001 — any failure counts as one attempt
            mail.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            permanent = isinstance(exc, smtplib.SMTPRecipientsRefused)
            if permanent or mail.attempts >= max_attempts():
                mail.status = OutgoingMail.Status.FAILED
                mail.save(update_fields=["attempts", "last_error", "status"])
                log.error(
                    "Outgoing mail %s to %s failed after %s attempt(s): %s",
                    mail.pk,
                    mail.to,
                    mail.attempts,
                    mail.last_error,
                )
                return "failed", 0
            countdown = retry_countdown(mail.attempts)
            mail.next_attempt_at = timezone.now() + timedelta(seconds=countdown)
            mail.save(update_fields=["attempts", "last_error", "next_attempt_at"])
            log.warning(
                "Outgoing mail %s: attempt %s failed (%s); again in %s s",
                mail.pk,
                mail.attempts,
                mail.last_error,
                countdown,
            )
            return "retry", countdown
        mail.status = OutgoingMail.Status.SENT
        mail.sent_at = timezone.now()
        mail.save(update_fields=["attempts", "status", "sent_at"])
    return "sent", 0


def mails_lost(*, now=None, limit: int = 500) -> list[int]:
    """Claim the queued mails whose task is overdue (lost at dispatch or in the broker).

    Each is claimed once per `OUTBOX_LOST_AFTER_SECONDS`: its `next_attempt_at` moves to now.
    """
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.OUTBOX_LOST_AFTER_SECONDS)
    with transaction.atomic():
        ids = list(
            OutgoingMail.objects.select_for_update(skip_locked=True)
            .filter(status=OutgoingMail.Status.QUEUED, next_attempt_at__lte=cutoff)
            .order_by("next_attempt_at")
            .values_list("pk", flat=True)[:limit]
        )
        OutgoingMail.objects.filter(pk__in=ids).update(next_attempt_at=now)
    return ids
