"""Reminders of the annual report from 1 December until it is issued: 1, 10, 17 and 19
December, each at most once (a sweep run twice, or a beat catching up, sends no duplicate)."""

import pytest
import time_machine
from django.conf import settings

from audit.models import LedgerEvent
from outbox.models import OutgoingMail
from reports import annual
from reports.reminders import annual_report_reminders_sweep
from reports.tasks import annual_report_reminders_sweep_task
from workflows.notifications.models import Notification
from workflows.statements.models import Statement

from .conftest import vn

pytestmark = pytest.mark.django_db


def _sweep(*when) -> int:
    with time_machine.travel(vn(*when), tick=False):
        return annual_report_reminders_sweep()


def _keys() -> list[str]:
    return sorted(Notification.objects.values_list("key", flat=True))


def test_reminders_go_out_once_on_1_10_17_and_19_december(
    organisation, other_organisation, head, spokesperson, outsider
):
    assert _sweep(2026, 11, 30, 23) == 0
    assert _sweep(2026, 12, 1, 7, 5) == 2  # the head and the spokesperson
    assert _sweep(2026, 12, 1, 7, 6) == 0  # run twice: no duplicate
    assert _sweep(2026, 12, 5, 7) == 0  # between marks: nothing new
    assert _sweep(2026, 12, 10, 7) == 2
    assert _sweep(2026, 12, 10, 7, 1) == 0
    assert {n.user for n in Notification.objects.all()} == {head, spokesperson}
    assert all(f":{organisation.pk}:2026:" in key for key in _keys())  # no spokesperson there
    assert OutgoingMail.objects.count() == 4  # e-mail through the outbox too
    note = Notification.objects.order_by("pk").first()
    assert "chưa được lập" in note.message and "19/12/2026" in note.message
    assert note.url == f"/workspace/reports/nam/2026/?organisation={organisation.code}"
    assert LedgerEvent.objects.filter(action="annual_report.reminder").count() == 2


def test_a_beat_catching_up_sends_the_latest_mark_only(organisation, head, spokesperson):
    assert _sweep(2026, 12, 18, 7) == 2
    assert _keys() == [
        f"annual-report:{organisation.pk}:2026:17:{head.pk}",
        f"annual-report:{organisation.pk}:2026:17:{spokesperson.pk}",
    ]
    assert _sweep(2026, 12, 20, 7) == 0  # the due date passed: the sweep is over


def test_no_reminder_once_the_report_is_issued(organisation, head, spokesperson):
    with time_machine.travel(vn(2026, 12, 2, 9), tick=False):
        report = annual.annual_report_create(organisation=organisation, year=2026, by=head)
    assert _sweep(2026, 12, 10, 7) == 2
    assert "chưa được ký ban hành" in Notification.objects.latest("pk").message
    Statement.objects.filter(pk=report.statement_id).update(status=Statement.Status.RELEASED)
    assert _sweep(2026, 12, 17, 7) == 0


def test_the_sweep_is_in_the_beat_schedule(organisation, head, spokesperson):
    entry = settings.CELERY_BEAT_SCHEDULE["annual-report-reminders"]
    assert entry["task"] == annual_report_reminders_sweep_task.name
    with time_machine.travel(vn(2026, 12, 1, 7, 5), tick=False):
        assert annual_report_reminders_sweep_task.apply().get() == 2
