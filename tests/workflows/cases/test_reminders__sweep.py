"""Reminders at 50 %, 80 %, on the due day and when overdue — each once — with time travel."""

from datetime import datetime
from zoneinfo import ZoneInfo

import time_machine

from audit.models import LedgerEvent
from outbox.models import OutgoingMail
from tests.workflows.helpers import submit
from workflows.cases.reminders import reminders_sweep
from workflows.notifications.models import Notification

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def _marks(user):
    return sorted(
        k.split(":")[3]
        for k in Notification.objects.filter(user=user, key__contains=":").values_list(
            "key", flat=True
        )
        if k.count(":") == 4
    )


def test_reminders_follow_the_legal_clock_and_go_out_once(journalist, organisation, staff):
    # Monday 7/12/2026 09:00: a question has 5 working days → ends 23:59:59 Monday 14/12.
    with time_machine.travel(datetime(2026, 12, 7, 9, 0, tzinfo=VN), tick=False):
        case = submit(journalist, organisation)
    assert case.due_at.astimezone(VN).date().isoformat() == "2026-12-14"
    vanthu, head = staff["vanthu"], staff["lanhdao"]

    with time_machine.travel(datetime(2026, 12, 8, 9, 0, tzinfo=VN), tick=False):
        assert reminders_sweep() == 0
    with time_machine.travel(datetime(2026, 12, 11, 6, 0, tzinfo=VN), tick=False):
        assert reminders_sweep() > 0
        assert _marks(vanthu) == ["50"]
        assert reminders_sweep() == 0  # idempotent
    with time_machine.travel(datetime(2026, 12, 13, 12, 0, tzinfo=VN), tick=False):
        reminders_sweep()
        assert _marks(vanthu) == ["50", "80"]
    with time_machine.travel(datetime(2026, 12, 14, 8, 0, tzinfo=VN), tick=False):
        reminders_sweep()
        assert "due_day" in _marks(vanthu)
        assert "overdue" not in _marks(head)
    with time_machine.travel(datetime(2026, 12, 15, 8, 0, tzinfo=VN), tick=False):
        reminders_sweep()
        assert "overdue" in _marks(vanthu)
        assert "overdue" in _marks(head)  # escalated to the head
        assert reminders_sweep() == 0
    assert (
        LedgerEvent.objects.filter(action="notification.sent", target_id=str(case.pk)).count()
        == Notification.objects.filter(case=case, key__contains=":")
        .exclude(key__endswith="received")
        .count()
    )
    # Queued for the worker (the test never commits, so nothing is sent from here).
    assert any("quá hạn" in m.body for m in OutgoingMail.objects.filter(status="queued"))


def test_the_assignee_alone_is_reminded_once_the_task_is_claimed(
    journalist, organisation, staff, client
):
    from tests.workflows.helpers import open_task, task_url

    with time_machine.travel(datetime(2026, 12, 7, 9, 0, tzinfo=VN), tick=False):
        case = submit(journalist, organisation)
        client.force_login(staff["phatngon"])
        client.post(task_url(open_task(case, "triage"), "assign"), {})
    with time_machine.travel(datetime(2026, 12, 11, 6, 0, tzinfo=VN), tick=False):
        reminders_sweep()
    assert _marks(staff["phatngon"]) == ["50"]
    assert _marks(staff["vanthu"]) == []


def test_a_paused_case_gets_no_reminders(journalist, organisation, staff, act):
    with time_machine.travel(datetime(2026, 12, 7, 9, 0, tzinfo=VN), tick=False):
        case = submit(journalist, organisation)
        act(staff["vanthu"], case, "triage", {"action": "clarify", "message": "Làm rõ tên trường"})
    assert case.paused_at is not None
    with time_machine.travel(datetime(2026, 12, 20, 9, 0, tzinfo=VN), tick=False):
        assert reminders_sweep() == 0


def test_a_step_past_its_internal_limit_is_escalated_once(journalist, organisation, staff):
    """Triage has one working day by default (quy chế nội bộ): the day after, the holders and
    the head hear about it, once per task."""
    with time_machine.travel(datetime(2026, 12, 7, 9, 0, tzinfo=VN), tick=False):
        case = submit(journalist, organisation)
    with time_machine.travel(datetime(2026, 12, 8, 23, 0, tzinfo=VN), tick=False):
        reminders_sweep()
    assert not Notification.objects.filter(key__contains="step_overdue").exists()
    with time_machine.travel(datetime(2026, 12, 9, 8, 0, tzinfo=VN), tick=False):
        reminders_sweep()
        assert reminders_sweep() == 0
    notified = set(
        Notification.objects.filter(key__contains="step_overdue").values_list(
            "user__username", flat=True
        )
    )
    assert notified == {"vanthu", "phatngon", "lanhdao"}
    message = Notification.objects.filter(key__contains="step_overdue").first().message
    assert case.reference in message and "thời hạn nội bộ" in message
