"""No request sends e-mail (D5): a page that notifies only queues a mail for the worker, so a
refusing or hanging SMTP server changes neither its answer nor its response time."""

import logging
import time
from datetime import timedelta

import time_machine
from django.core import mail
from django.utils import timezone

from outbox import services as outbox
from outbox.models import OutgoingMail
from outbox.tasks import outbox_sweep_task
from tests.factories import PressAgencyFactory
from tests.outbox.conftest import reset_broker_connections


def _extend(login, staff, case):
    client = login(staff["phatngon"])
    return client.post(
        f"/workspace/cases/pages/{case.pk}/", {"days": 1, "reason": "Cần xác minh tại trường"}
    )


def test_a_refusing_smtp_server_does_not_touch_the_request(
    case, staff, login, journalist, smtp_refusing, broker, django_capture_on_commit_callbacks
):
    OutgoingMail.objects.all().delete()
    mail.outbox.clear()
    # The request and its commit (the on-commit callbacks run as the request's transaction ends).
    with django_capture_on_commit_callbacks(execute=True):
        r = _extend(login, staff, case)
    assert r.status_code == 302
    row = OutgoingMail.objects.get()
    assert row.to == [journalist.email] and "được gia hạn" in row.body
    assert row.status == "queued" and row.attempts == 0 and not mail.outbox
    assert broker() == [("outbox.send", [row.pk])]  # handed to the worker, not run here
    # The worker's attempt meets the refusing server: counted, planned again, nothing raised.
    assert outbox.mail_send(row.pk) == ("retry", 60)
    row.refresh_from_db()
    assert row.status == "queued" and row.attempts == 1
    assert "Connection refused" in row.last_error


def test_a_hanging_smtp_server_does_not_slow_the_request(
    case, staff, act, login, settings, smtp_hanging, broker, django_capture_on_commit_callbacks
):
    settings.OUTBOX_MAX_ATTEMPTS = 1
    assert settings.EMAIL_TIMEOUT == 5
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        act(staff["vanthu"], case, "triage", {"action": "clarify", "message": "Tên trường?"})
        assert _extend(login, staff, case).status_code == 302
    assert time.monotonic() - started < 2
    row = OutgoingMail.objects.get(status="queued", body__contains="làm rõ")
    # The worker, not the request, waits for the server, and no longer than EMAIL_TIMEOUT.
    started = time.monotonic()
    assert outbox.mail_send(row.pk) == ("failed", 0)
    assert 4 < time.monotonic() - started < 9
    row.refresh_from_db()
    assert row.status == "failed" and "timed out" in row.last_error


def test_registration_with_a_hanging_smtp_server_answers_at_once(
    client, db, smtp_hanging, broker, django_capture_on_commit_callbacks
):
    agency = PressAgencyFactory()
    data = {
        "username": "phongvien.moi",
        "full_name": "Ngô Thị Lan",
        "email": "lan@tuoitre.example.vn",
        "phone": "0909 123 456",
        "press_agency": agency.pk,
        "press_card_number": "tt-0042",
        "card_expiry": (timezone.localdate() + timedelta(days=400)).isoformat(),
        "password1": "Mat-khau-rat-dai-2026",
        "password2": "Mat-khau-rat-dai-2026",
    }
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post("/nha-bao/dang-ky/", data)
    assert r.status_code == 302 and time.monotonic() - started < 2
    row = OutgoingMail.objects.get()
    assert row.status == "queued" and "/nha-bao/xac-nhan/" in row.body
    assert broker() == [("outbox.send", [row.pk])]


def test_a_broker_down_at_commit_fails_no_request_and_the_sweep_sends_later(
    case, staff, login, settings, broker_down, django_capture_on_commit_callbacks, caplog
):
    OutgoingMail.objects.all().delete()
    mail.outbox.clear()
    with (
        caplog.at_level(logging.WARNING, logger="core.tasks"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        r = _extend(login, staff, case)
    assert r.status_code == 302
    row = OutgoingMail.objects.get()
    assert row.status == "queued" and not mail.outbox
    assert f"Broker unavailable: outbox.send({row.pk},)" in caplog.text
    # The broker is back (eager: the worker runs at once); the minute sweep finds the lost mail.
    settings.CELERY_BROKER_URL = "memory://"
    settings.CELERY_TASK_ALWAYS_EAGER = True
    reset_broker_connections()
    later = timezone.now() + timedelta(seconds=settings.OUTBOX_LOST_AFTER_SECONDS + 1)
    with time_machine.travel(later, tick=False):
        assert outbox_sweep_task.delay().get() == 1
    row.refresh_from_db()
    assert row.status == "sent" and len(mail.outbox) == 1
