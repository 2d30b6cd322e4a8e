"""The worker sends each queued mail once, retries with backoff, then leaves it failed;
the minute sweep enqueues again a mail whose task was lost."""

import logging
from datetime import timedelta

import time_machine
from django.core import mail
from django.utils import timezone

from outbox import services
from outbox.models import OutgoingMail
from outbox.tasks import outbox_send_task, outbox_sweep_task


def _queue(**kw):
    data = {"to": "lan@tuoitre.example.vn", "subject": "[phatngon] Thử", "body": "Nội dung"}
    return services.mail_queue(**{**data, **kw})


def test_the_worker_sends_once_and_marks_sent(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        queued = _queue(reply_to="vanthu@thuanan.example.vn")
    row = OutgoingMail.objects.get(pk=queued.pk)
    assert row.status == "sent" and row.sent_at and row.attempts == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["lan@tuoitre.example.vn"]
    assert mail.outbox[0].reply_to == ["vanthu@thuanan.example.vn"]
    # Idempotent: a second (or swept) task for a sent row sends nothing.
    assert outbox_send_task.delay(row.pk).get() == "skipped"
    assert services.mail_send(row.pk) == ("skipped", 0)
    assert len(mail.outbox) == 1
    assert OutgoingMail.objects.get(pk=row.pk).attempts == 1


def test_a_dedupe_key_queues_one_mail(db):
    assert _queue(dedupe_key="k1") is not None
    assert _queue(dedupe_key="k1") is None
    assert _queue(to="") is None
    assert OutgoingMail.objects.count() == 1


def test_a_refusing_server_is_retried_with_backoff_then_failed(
    db, settings, smtp_refusing, django_capture_on_commit_callbacks, caplog, monkeypatch
):
    from config.celery import app

    settings.OUTBOX_MAX_ATTEMPTS = 3
    settings.OUTBOX_RETRY_SECONDS = 60
    # Eager Celery runs each retry at once (ignoring the countdown) when it does not propagate.
    # Celery reads its configuration once: change the app's, not only Django's settings.
    settings.CELERY_TASK_EAGER_PROPAGATES = False
    monkeypatch.setitem(app.conf, "task_eager_propagates", False)
    with (
        caplog.at_level(logging.WARNING, logger="outbox.services"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        queued = _queue()
    row = OutgoingMail.objects.get(pk=queued.pk)
    assert row.status == "failed" and row.attempts == 3 and row.sent_at is None
    assert "ConnectionRefusedError" in row.last_error
    assert "again in 60 s" in caplog.text and "again in 120 s" in caplog.text
    assert f"Outgoing mail {row.pk}" in caplog.text and "failed after 3 attempt(s)" in caplog.text
    assert not mail.outbox
    # A failed row stays failed: neither a stray task nor the sweep tries it again.
    assert services.mail_send(row.pk) == ("skipped", 0)
    with time_machine.travel(timezone.now() + timedelta(hours=1), tick=False):
        assert outbox_sweep_task.delay().get() == 0
    assert OutgoingMail.objects.get(pk=row.pk).attempts == 3


def test_one_failure_plans_the_next_attempt(db, settings, smtp_refusing):
    settings.OUTBOX_RETRY_SECONDS = 60
    queued = _queue()
    now = timezone.now()
    with time_machine.travel(now, tick=False):
        assert services.mail_send(queued.pk) == ("retry", 60)
    row = OutgoingMail.objects.get(pk=queued.pk)
    assert row.status == "queued" and row.attempts == 1
    assert row.next_attempt_at == now + timedelta(seconds=60)
    assert services.retry_countdown(2) == 120 and services.retry_countdown(3) == 240


def test_the_sweep_enqueues_a_lost_mail_once(db, settings):
    settings.OUTBOX_LOST_AFTER_SECONDS = 120
    now = timezone.now()
    with time_machine.travel(now, tick=False):
        lost = _queue()  # the test never commits: its on-commit dispatch never runs (lost task)
        assert outbox_sweep_task.delay().get() == 0  # not overdue yet
    assert not mail.outbox
    with time_machine.travel(now + timedelta(seconds=121), tick=False):
        assert outbox_sweep_task.delay().get() == 1  # eager: the worker sends it at once
        assert outbox_sweep_task.delay().get() == 0
    row = OutgoingMail.objects.get(pk=lost.pk)
    assert row.status == "sent" and row.attempts == 1
    assert len(mail.outbox) == 1


def test_the_sweep_claims_a_lost_mail_once_per_period(db, settings, broker):
    settings.OUTBOX_LOST_AFTER_SECONDS = 120
    now = timezone.now()
    with time_machine.travel(now, tick=False):
        lost = _queue()
    with time_machine.travel(now + timedelta(seconds=121), tick=False):
        assert outbox_sweep_task.apply().get() == 1
        assert outbox_sweep_task.apply().get() == 0
    assert broker() == [("outbox.send", [lost.pk])]
    with time_machine.travel(now + timedelta(seconds=121 + 121), tick=False):
        assert outbox_sweep_task.apply().get() == 1  # still not sent: enqueued again
    assert broker() == [("outbox.send", [lost.pk])]
