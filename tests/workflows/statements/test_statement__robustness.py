"""What a review found: tampered fields, absurd dates, lapsed authorisations, recalled
statements, stuck releases and returned drafts — each handled, never a 500."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from audit.models import LedgerEvent
from core.errors import DomainError
from release import amendments as release_amendments
from roles.models import SpokespersonAssignment
from tests.workflows.helpers import (
    DECISIONS,
    draft_data,
    new_statement,
    spokesperson_assign,
    to_step,
)
from workflows.notifications.models import Notification
from workflows.statements import decisions
from workflows.statements.models import PeriodicSchedule, Statement
from workflows.statements.reminders import statement_reminders_sweep
from workflows.statements.schedules.selectors import periods

VN = ZoneInfo("Asia/Ho_Chi_Minh")
PAGES = "/workspace/statements/pages/"


def test_tampered_ids_are_refused_not_crashed(client, staff, organisation):
    client.force_login(staff["lanhdao"])
    assert client.post(DECISIONS, {"assignment": "abc"}).status_code == 404
    r = client.post(
        f"{PAGES}lich-dinh-ky/",
        {
            "organisation": "abc",
            "kind": "information",
            "every_months": 1,
            "starts_on": "2026-07-01",
        },
    )
    assert r.status_code == 403


@pytest.mark.parametrize("field", ["embargo_at", "clock_start_at"])
def test_absurd_years_get_a_message(client, staff, organisation, field):
    client.force_login(staff["phatngon"])
    data = {
        "organisation": organisation.pk,
        "kind": "initial_statement",
        "title": "Thông tin ban đầu",
        "clock_start_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
    }
    data[field] = "0001-01-01T00:00"
    r = client.post(f"{PAGES}tao/", data)
    assert r.status_code == 400
    assert "Năm phải trong khoảng 1900–9000." in r.content.decode()
    assert not Statement.objects.exists()


def test_an_absurd_schedule_start_is_refused(client, staff, organisation):
    client.force_login(staff["phatngon"])
    r = client.post(
        f"{PAGES}lich-dinh-ky/",
        {
            "organisation": organisation.pk,
            "kind": "information",
            "every_months": 1,
            "starts_on": "0001-01-01",
            "remind_days_before": 5,
            "is_active": "on",
        },
    )
    assert r.status_code == 400
    assert not PeriodicSchedule.objects.exists()


def test_an_invitation_to_a_past_conference_is_refused(staff, organisation):
    with pytest.raises(DomainError) as exc:
        new_statement(
            staff["phatngon"],
            organisation,
            kind=Statement.Kind.CONFERENCE,
            conference_at=timezone.now() - timedelta(hours=1),
            conference_place="Hội trường",
        )
    assert exc.value.code == "conference_at"


def test_a_lapsed_authorisation_gets_no_decision(client, staff, organisation):
    lapsed = spokesperson_assign(
        organisation,
        staff["lanhdao"],
        SpokespersonAssignment.Kind.AUTHORISED,
        "hethan",
        contact_name="Người hết hạn ủy quyền",
        valid_from=timezone.localdate() - timedelta(days=40),
        valid_to=timezone.localdate() - timedelta(days=10),
    )
    with pytest.raises(DomainError) as exc:
        decisions.decision_issue(assignment=lapsed, by=staff["lanhdao"])
    assert exc.value.code == "expired"
    client.force_login(staff["lanhdao"])
    assert "Người hết hạn ủy quyền" not in client.get(DECISIONS).content.decode()
    assert client.post(DECISIONS, {"assignment": lapsed.pk}).status_code == 404


def test_the_decisions_page_has_a_constant_query_count(
    client, staff, organisation, django_assert_max_num_queries
):
    client.force_login(staff["lanhdao"])
    spokesperson_assign(organisation, staff["lanhdao"], SpokespersonAssignment.Kind.REGULAR, "pn1")
    with django_assert_max_num_queries(40) as few:
        client.get(DECISIONS)
    for n in range(2, 8):
        spokesperson_assign(
            organisation, staff["lanhdao"], SpokespersonAssignment.Kind.REGULAR, f"pn{n}"
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(DECISIONS).status_code == 200


@pytest.mark.django_db(transaction=False)
def test_a_recalled_statement_no_longer_meets_its_period(
    staff, organisation, act, signing_credentials, django_capture_on_commit_callbacks
):
    schedule = PeriodicSchedule.objects.create(
        organisation=organisation,
        kind=PeriodicSchedule.Kind.INFORMATION,
        every_months=1,
        starts_on=timezone.localdate().replace(day=1),
    )
    statement = new_statement(staff["phatngon"], organisation, kind=Statement.Kind.PERIODIC)
    act(staff["phatngon"], statement, "draft", draft_data(statement))
    act(staff["phatngon"], statement, "review", {"action": "approve"})
    with django_capture_on_commit_callbacks(execute=True):
        act(staff["lanhdao"], statement, "signoff", {"action": "sign", "confirm": "on"})
    statement.refresh_from_db()
    assert statement.status == Statement.Status.RELEASED
    assert periods(schedule, last=1)[0].met
    release_amendments.document_cancel(
        document=statement.document, reason="Số liệu sai", by=staff["vanthu"]
    )
    statement.refresh_from_db()
    assert statement.status == Statement.Status.RECALLED
    assert statement.last_comment == "Số liệu sai"
    assert not periods(schedule, last=1)[0].met
    assert LedgerEvent.objects.filter(
        action="statement.recalled", target_id=str(statement.pk)
    ).exists()


def test_a_statement_stuck_in_releasing_is_still_reminded_and_escalated(staff, organisation, act):
    t0 = datetime(2026, 12, 7, 9, 0, tzinfo=VN)
    with time_machine.travel(t0, tick=False):
        statement = new_statement(staff["chuyenvien"], organisation, clock_start_at=t0)
        to_step(statement, staff, act, "signoff")
        act(staff["lanhdao"], statement, "signoff", {"action": "sign", "confirm": "on"})
    assert statement.status == Statement.Status.RELEASING  # no signing key here: never issued
    with time_machine.travel(t0 + timedelta(hours=25), tick=False):
        assert statement_reminders_sweep() > 0
    told = set(
        Notification.objects.filter(statement=statement, key__contains=":overdue:").values_list(
            "user__username", flat=True
        )
    )
    assert {"chuyenvien", "vanthu", "lanhdao"} <= told


def test_a_returned_draft_goes_back_to_its_drafter_with_the_comment(
    staff, organisation, act, django_capture_on_commit_callbacks
):
    statement = new_statement(staff["chuyenvien"], organisation)
    to_step(statement, staff, act, "review")
    with django_capture_on_commit_callbacks(execute=True):
        act(staff["phatngon"], statement, "review", {"action": "return", "comment": "Bổ sung"})
    note = Notification.objects.get(user=staff["chuyenvien"], statement=statement)
    assert "được trả lại" in note.message and "Bổ sung" in note.message


def test_periods_before_the_schedule_start_are_empty(organisation):
    schedule = PeriodicSchedule.objects.create(
        organisation=organisation,
        kind=PeriodicSchedule.Kind.INFORMATION,
        every_months=1,
        starts_on=date(2027, 1, 1),
    )
    assert periods(schedule, today=date(2026, 12, 1)) == []


def test_the_signer_is_warned_when_the_embargo_time_has_passed(client, staff, organisation, act):
    from tests.workflows.helpers import open_task, task_url

    statement = new_statement(staff["chuyenvien"], organisation)
    to_step(statement, staff, act, "signoff")
    # Approved with an embargo five minutes ahead (the draft helper leaves it empty).
    Statement.objects.filter(pk=statement.pk).update(
        embargo_at=timezone.now() + timedelta(minutes=5)
    )
    client.force_login(staff["lanhdao"])
    task = open_task(statement, "signoff")
    client.post(task_url(task, "assign"), {})
    page = client.get(task_url(task, "execute")).content.decode()
    assert "Thời điểm công bố đã qua" not in page
    with time_machine.travel(timezone.now() + timedelta(minutes=10)):
        r = client.get(task_url(task, "execute"))
    assert r.status_code == 200
    assert "Thời điểm công bố đã qua" in r.content.decode()


def test_the_drafter_corrects_the_clock_start_and_the_deadline_follows(
    client, staff, organisation, act
):
    started = timezone.now() - timedelta(hours=1)
    statement = new_statement(staff["chuyenvien"], organisation, clock_start_at=started)
    due = statement.due_at
    same_minute = timezone.localtime(started).strftime("%Y-%m-%dT%H:%M")
    act(
        staff["chuyenvien"],
        statement,
        "draft",
        {**draft_data(statement), "action": "save", "clock_start_at": same_minute},
    )
    assert statement.due_at == due  # the same minute: no drift
    earlier = timezone.localtime(started - timedelta(hours=5)).strftime("%Y-%m-%dT%H:%M")
    act(
        staff["chuyenvien"],
        statement,
        "draft",
        {**draft_data(statement), "action": "save", "clock_start_at": earlier},
    )
    assert statement.due_at - statement.clock_start_at == timedelta(hours=24)
    assert due - statement.due_at > timedelta(hours=4, minutes=58)
    event = LedgerEvent.objects.filter(
        action="statement.draft.save", target_id=str(statement.pk)
    ).last()
    assert event.before_data["due_at"] != event.after_data["due_at"]


def test_the_spokesperson_sets_and_changes_a_schedule_on_the_ledger(client, staff, organisation):
    client.force_login(staff["phatngon"])
    data = {
        "organisation": organisation.pk,
        "kind": "conference",
        "every_months": 3,
        "starts_on": "2026-07-01",
        "remind_days_before": 10,
        "is_active": "on",
    }
    assert client.post(f"{PAGES}lich-dinh-ky/", data).status_code == 302
    assert client.post(f"{PAGES}lich-dinh-ky/", {**data, "every_months": 2}).status_code == 302
    schedule = PeriodicSchedule.objects.get(organisation=organisation, kind="conference")
    assert schedule.every_months == 2
    events = LedgerEvent.objects.filter(action="schedule.save").order_by("seq")
    assert [e.after_data["every_months"] for e in events] == [3, 2]
    assert events.last().before_data["every_months"] == 3
    client.force_login(staff["chuyenvien"])  # a specialist keeps no schedule
    assert client.post(f"{PAGES}lich-dinh-ky/", data).status_code == 403
