"""Reminders on a statement's clock — at 12, 20 and 23 hours of a 24-hour clock, at 50 %, 80 %
and on the due day of a correction, and when overdue — each once, with time travel."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import get_resolver
from django.utils import timezone

from audit.models import LedgerEvent
from outbox.models import OutgoingMail
from tests.workflows.helpers import new_statement, open_task, submit, task_url
from workflows.cases.reminders import reminders_sweep
from workflows.notifications.models import Notification
from workflows.statements.models import Statement
from workflows.statements.reminders import statement_reminders_sweep

VN = ZoneInfo("Asia/Ho_Chi_Minh")
T0 = datetime(2026, 12, 7, 9, 0, tzinfo=VN)  # Monday


def _marks(user, prefix="statement"):
    """The marks of the keyed reminders `user` got ("<prefix>:<pk>:<stamp>:<mark>:<user>")."""
    keys = Notification.objects.filter(user=user, key__startswith=f"{prefix}:").values_list(
        "key", flat=True
    )
    return sorted(k.split(":")[3] for k in keys if k.count(":") == 4)


def _at(moment):
    return time_machine.travel(moment, tick=False)


def _claim(client, user, artifact, step):
    get_resolver().url_patterns  # noqa: B018 — viewflow names its URLs when they load
    client.force_login(user)
    task = open_task(artifact, step)
    if task.owner_id == user.pk:  # a statement's draft is held by its author from the start
        return
    r = client.post(task_url(task, "assign"), {})
    assert r.status_code == 302, r.content.decode()[:500]


def _ledger_matches_notifications(statement):
    sent = LedgerEvent.objects.filter(
        action="notification.sent", target_type="workflows.statement", target_id=str(statement.pk)
    )
    keyed = {
        k
        for k in Notification.objects.filter(statement=statement).values_list("key", flat=True)
        if k and k.count(":") == 4  # the reminders (not e.g. "statement:1:released:7")
    }
    assert sent.count() == len(keyed) > 0
    assert {e.after_data["key"] for e in sent} == keyed


def test_a_24_hour_statement_is_reminded_at_12_20_and_23_hours_then_overdue(
    staff, organisation, client
):
    chuyenvien, head = staff["chuyenvien"], staff["lanhdao"]
    with _at(T0):
        statement = new_statement(chuyenvien, organisation, clock_start_at=T0)
        _claim(client, chuyenvien, statement, "draft")  # the holder is the author alone
    assert statement.due_at == T0 + timedelta(hours=24)

    with _at(T0 + timedelta(hours=11, minutes=59)):
        assert statement_reminders_sweep() == 0
    with _at(T0 + timedelta(hours=12)):
        assert statement_reminders_sweep() == 1
        assert statement_reminders_sweep() == 0  # keyed: once
    assert _marks(chuyenvien) == ["12h"]
    assert _marks(head) == []
    assert _marks(staff["phatngon"]) == []
    note = Notification.objects.get(user=chuyenvien, key__contains=":12h:")
    assert statement.reference in note.message and "còn 12 giờ 0 phút" in note.message
    assert note.url == f"/workspace/statements/pages/{statement.pk}/"

    with _at(T0 + timedelta(hours=19, minutes=59)):
        assert statement_reminders_sweep() == 0
    with _at(T0 + timedelta(hours=20)):
        assert statement_reminders_sweep() == 1
        assert statement_reminders_sweep() == 0
    assert _marks(chuyenvien) == ["12h", "20h"]
    assert _marks(head) == []

    with _at(T0 + timedelta(hours=23)):
        assert statement_reminders_sweep() == 2  # the holder and the head
        assert statement_reminders_sweep() == 0
    assert _marks(chuyenvien) == ["12h", "20h", "23h"]
    assert _marks(head) == ["23h"]

    with _at(T0 + timedelta(hours=24)):
        assert statement_reminders_sweep() == 0  # due at 24 h sharp: not yet overdue
    with _at(T0 + timedelta(hours=24, minutes=1)):
        assert statement_reminders_sweep() == 2
        assert statement_reminders_sweep() == 0
    assert _marks(chuyenvien) == ["12h", "20h", "23h", "overdue"]
    assert _marks(head) == ["23h", "overdue"]
    overdue = Notification.objects.get(user=head, key__contains=":overdue:")
    assert "quá hạn phát ngôn" in overdue.message
    queued = OutgoingMail.objects.all()
    assert any("quá hạn phát ngôn" in m.body for m in queued if head.email in m.to)
    _ledger_matches_notifications(statement)


def test_a_late_first_sweep_sends_only_the_latest_mark(staff, organisation, client):
    """Entered 21 h after the event: one reminder (20 h), not a burst of stale ones; once
    overdue, only the overdue notice."""
    chuyenvien = staff["chuyenvien"]
    with _at(T0):
        statement = new_statement(chuyenvien, organisation, clock_start_at=T0)
        _claim(client, chuyenvien, statement, "draft")
    with _at(T0 + timedelta(hours=21)):
        assert statement_reminders_sweep() == 1
        assert statement_reminders_sweep() == 0
    assert _marks(chuyenvien) == ["20h"]
    with _at(T0 + timedelta(hours=30)):
        statement_reminders_sweep()
    assert _marks(chuyenvien) == ["20h", "overdue"]


def test_an_unclaimed_step_reminds_everyone_who_may_take_it(staff, organisation, client, act):
    from tests.workflows.helpers import draft_data

    with _at(T0):
        statement = new_statement(staff["chuyenvien"], organisation, clock_start_at=T0)
        act(staff["chuyenvien"], statement, "draft", draft_data(statement))
    assert statement.status == Statement.Status.REVIEW
    with _at(T0 + timedelta(hours=12)):
        statement_reminders_sweep()
    # Review: the spokesperson and the head (a spokesperson by law) — not the author.
    assert _marks(staff["phatngon"]) == ["12h"]
    assert _marks(staff["lanhdao"]) == ["12h"]
    assert _marks(staff["chuyenvien"]) == []


@pytest.mark.django_db(transaction=False)
def test_no_reminders_once_released(
    staff, organisation, act, signing_credentials, django_capture_on_commit_callbacks
):
    from tests.workflows.helpers import draft_data

    statement = new_statement(
        staff["phatngon"], organisation, clock_start_at=timezone.now() - timedelta(minutes=5)
    )
    act(staff["phatngon"], statement, "draft", draft_data(statement))
    act(staff["phatngon"], statement, "review", {"action": "approve"})
    with django_capture_on_commit_callbacks(execute=True):
        act(staff["lanhdao"], statement, "signoff", {"action": "sign", "confirm": "on"})
    statement.refresh_from_db()
    assert statement.status == Statement.Status.RELEASED, statement.document.last_error
    for hours in (12, 20, 23, 25, 48):
        with _at(statement.clock_start_at + timedelta(hours=hours)):
            assert statement_reminders_sweep() == 0
    assert not [
        k
        for k in Notification.objects.filter(statement=statement).values_list("key", flat=True)
        if k.count(":") == 4
    ]


def test_no_reminders_for_a_withdrawn_or_clockless_statement(staff, organisation):
    with _at(T0):
        periodic = new_statement(staff["phatngon"], organisation, kind=Statement.Kind.PERIODIC)
        withdrawn = new_statement(staff["phatngon"], organisation, clock_start_at=T0)
    Statement.objects.filter(pk=withdrawn.pk).update(status=Statement.Status.WITHDRAWN)
    assert periodic.due_at is None
    with _at(T0 + timedelta(hours=30)):
        assert statement_reminders_sweep() == 0


def test_a_correction_follows_the_50_80_and_due_day_marks(staff, organisation, client):
    """A correction has 1 working day: the day-based marks, never the hour marks."""
    chuyenvien, head = staff["chuyenvien"], staff["lanhdao"]
    with _at(T0):
        statement = new_statement(
            chuyenvien,
            organisation,
            kind=Statement.Kind.CORRECTION,
            article_outlet="Báo Tin Nhanh",
            article_title="Thu tiền trái phép",
            article_url="https://tinnhanh.example.vn/bai-1",
        )
        _claim(client, chuyenvien, statement, "draft")
    assert statement.clock_start_at == T0
    due = statement.due_at.astimezone(VN)
    assert due.date().isoformat() == "2026-12-08" and (due.hour, due.minute) == (23, 59)
    total = statement.due_at - statement.clock_start_at

    with _at(datetime(2026, 12, 7, 23, 0, tzinfo=VN)):
        assert statement_reminders_sweep() == 0  # 14 h of 39 h, not yet the due day
    with _at(datetime(2026, 12, 8, 0, 30, tzinfo=VN)):
        statement_reminders_sweep()
        assert _marks(chuyenvien) == ["due_day"]
    with _at(T0 + total * 0.5 + timedelta(minutes=1)):
        statement_reminders_sweep()
        assert _marks(chuyenvien) == ["50", "due_day"]
        assert statement_reminders_sweep() == 0
    with _at(T0 + total * 0.8 + timedelta(minutes=1)):
        statement_reminders_sweep()
        assert _marks(chuyenvien) == ["50", "80", "due_day"]
    assert _marks(head) == []
    with _at(datetime(2026, 12, 9, 8, 0, tzinfo=VN)):
        statement_reminders_sweep()
        assert statement_reminders_sweep() == 0
    assert _marks(chuyenvien) == ["50", "80", "due_day", "overdue"]
    assert _marks(head) == ["overdue"]
    _ledger_matches_notifications(statement)


def test_a_correction_opened_just_before_midnight_still_gets_the_day_marks(
    staff, organisation, client
):
    """Opened at 23:59:40 on Sunday, a correction is due at the end of Monday — about 24 h
    later — yet it is a one-working-day clock, not the 24-hour one."""
    chuyenvien = staff["chuyenvien"]
    with _at(datetime(2026, 12, 6, 23, 59, 40, tzinfo=VN)):
        statement = new_statement(
            chuyenvien,
            organisation,
            kind=Statement.Kind.CORRECTION,
            article_outlet="Báo Tin Nhanh",
            article_url="https://tinnhanh.example.vn/bai-2",
        )
        _claim(client, chuyenvien, statement, "draft")
    assert statement.due_at.astimezone(VN).date().isoformat() == "2026-12-07"
    with _at(statement.clock_start_at + timedelta(hours=20)):
        statement_reminders_sweep()
    assert _marks(chuyenvien) == ["50", "80", "due_day"]


def _align_next_ids(*models) -> None:
    """Make the next primary key of each model's table the same (SQLite or PostgreSQL)."""
    from django.db import connection

    nxt = 1 + max(
        (m.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) for m in models
    )
    nxt += 1000  # clear of anything a sequence may already have handed out
    with connection.cursor() as cursor:
        for model in models:
            table = model._meta.db_table
            if connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT setval(pg_get_serial_sequence(%s, 'id'), %s, false)", [table, nxt]
                )
            else:
                cursor.execute("DELETE FROM sqlite_sequence WHERE name = %s", [table])
                cursor.execute(
                    "INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", [table, nxt - 1]
                )


@pytest.mark.parametrize("first", ["case", "statement"])
def test_a_case_and_a_statement_with_the_same_pk_keep_their_own_tasks(
    journalist, organisation, staff, client, first
):
    """The sweeps look tasks up by (content type, object id): a case's task is never taken
    for the statement with the same primary key, nor the other way round."""
    from workflows.cases.models import Case

    vanthu, chuyenvien = staff["vanthu"], staff["chuyenvien"]
    _align_next_ids(Case, Statement)
    with _at(T0):
        if first == "case":
            case = submit(journalist, organisation)
            _claim(client, vanthu, case, "triage")
            statement = new_statement(chuyenvien, organisation, clock_start_at=T0)
            _claim(client, chuyenvien, statement, "draft")
        else:
            statement = new_statement(chuyenvien, organisation, clock_start_at=T0)
            _claim(client, chuyenvien, statement, "draft")
            case = submit(journalist, organisation)
            _claim(client, vanthu, case, "triage")
    assert case.pk == statement.pk

    with _at(T0 + timedelta(hours=12)):
        assert statement_reminders_sweep() == 1
    assert _marks(chuyenvien) == ["12h"]
    assert _marks(vanthu) == [] and _marks(vanthu, "case") == []

    with _at(datetime(2026, 12, 11, 6, 0, tzinfo=VN)):  # half of the case's five days
        # The 50 % mark to the holder, and the triage step past its internal limit (one
        # working day) to the holder and the head.
        assert reminders_sweep() == 3
    assert _marks(vanthu, "case") == ["50"]
    assert _marks(chuyenvien, "case") == []
    assert not Notification.objects.filter(case=case, statement__isnull=False).exists()
