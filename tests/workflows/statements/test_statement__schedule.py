"""Periodic information (NĐ 244 Art. 6): periods back to back from the start, met by a
released statement, reminded before they end and reported once when missed."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from dateutil.relativedelta import relativedelta
from django.utils import timezone

from audit.models import LedgerEvent
from roles.models import Organisation
from tests.workflows.helpers import draft_data, new_statement
from workflows.notifications.models import Notification
from workflows.statements.models import PeriodicSchedule, Statement
from workflows.statements.schedules.periods import period_index
from workflows.statements.schedules.selectors import periods
from workflows.statements.schedules.sweep import schedules_sweep

VN = ZoneInfo("Asia/Ho_Chi_Minh")
SCHEDULES = "/workspace/statements/pages/lich-dinh-ky/"


def _schedule(organisation, *, every=1, starts_on=date(2026, 7, 1), **kw) -> PeriodicSchedule:
    return PeriodicSchedule.objects.create(
        organisation=organisation,
        kind=kw.pop("kind", PeriodicSchedule.Kind.INFORMATION),
        every_months=every,
        starts_on=starts_on,
        **kw,
    )


def _released(by, organisation, at: datetime, kind=Statement.Kind.PERIODIC) -> Statement:
    """A statement released at `at` (the release itself is covered by the flow tests)."""
    extra = {}
    if kind == Statement.Kind.CONFERENCE:
        extra = {"conference_at": at, "conference_place": "Hội trường A"}
    with time_machine.travel(at - timedelta(hours=1), tick=False):
        statement = new_statement(by, organisation, kind=kind, **extra)
    Statement.objects.filter(pk=statement.pk).update(
        status=Statement.Status.RELEASED, released_at=at
    )
    statement.refresh_from_db()
    return statement


def _bounds(schedule, day):
    return [(p.starts_on, p.ends_on) for p in periods(schedule, today=day, last=1)][0]


# ---------------------------------------------------------------- period arithmetic


@pytest.mark.django_db
def test_monthly_periods_from_the_first_of_july(organisation):
    schedule = _schedule(organisation)
    assert _bounds(schedule, date(2026, 11, 26)) == (date(2026, 11, 1), date(2026, 11, 30))
    assert _bounds(schedule, date(2026, 11, 30)) == (date(2026, 11, 1), date(2026, 11, 30))
    assert _bounds(schedule, date(2026, 12, 1)) == (date(2026, 12, 1), date(2026, 12, 31))
    assert _bounds(schedule, date(2027, 2, 28)) == (date(2027, 2, 1), date(2027, 2, 28))
    assert _bounds(schedule, date(2026, 7, 1)) == (date(2026, 7, 1), date(2026, 7, 31))
    assert period_index(schedule, date(2026, 6, 30)) is None
    assert periods(schedule, today=date(2026, 6, 30)) == []
    assert period_index(schedule, date(2026, 11, 26)) == 4


@pytest.mark.django_db
def test_every_three_months(organisation):
    schedule = _schedule(organisation, every=3, kind=PeriodicSchedule.Kind.CONFERENCE)
    assert _bounds(schedule, date(2026, 11, 26)) == (date(2026, 10, 1), date(2026, 12, 31))
    assert _bounds(schedule, date(2026, 9, 30)) == (date(2026, 7, 1), date(2026, 9, 30))
    assert _bounds(schedule, date(2027, 1, 1)) == (date(2027, 1, 1), date(2027, 3, 31))
    recent = periods(schedule, today=date(2027, 5, 2), last=6)
    assert [(p.starts_on, p.ends_on) for p in recent] == [
        (date(2027, 4, 1), date(2027, 6, 30)),
        (date(2027, 1, 1), date(2027, 3, 31)),
        (date(2026, 10, 1), date(2026, 12, 31)),
        (date(2026, 7, 1), date(2026, 9, 30)),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("starts_on", [date(2026, 1, 31), date(2026, 8, 31), date(2024, 2, 29)])
@pytest.mark.parametrize("every", [1, 2, 3, 12])
def test_month_end_starts_give_back_to_back_periods(organisation, starts_on, every):
    """Every day from the start falls in exactly one period; periods never overlap or gap."""
    schedule = _schedule(organisation, every=every, starts_on=starts_on)
    seen = []
    day = starts_on
    while day < starts_on + timedelta(days=800):
        begin, end = _bounds(schedule, day)
        assert begin <= day <= end, (day, begin, end)
        if not seen or seen[-1] != (begin, end):
            seen.append((begin, end))
        day += timedelta(days=1)
    assert seen[0][0] == starts_on
    for (_, end), (begin, _) in zip(seen, seen[1:], strict=False):
        assert begin == end + timedelta(days=1)
    for begin, end in seen:  # each lasts `every` months, give or take the month ends
        assert begin + relativedelta(months=every) - timedelta(days=4) <= end + timedelta(days=1)
        assert end + timedelta(days=1) <= begin + relativedelta(months=every) + timedelta(days=3)


@pytest.mark.django_db
def test_a_month_end_start_clamps_to_short_months(organisation):
    schedule = _schedule(organisation, starts_on=date(2026, 1, 31))
    assert _bounds(schedule, date(2026, 2, 10)) == (date(2026, 1, 31), date(2026, 2, 27))
    assert _bounds(schedule, date(2026, 2, 28)) == (date(2026, 2, 28), date(2026, 3, 30))
    assert _bounds(schedule, date(2026, 3, 31)) == (date(2026, 3, 31), date(2026, 4, 29))


# ---------------------------------------------------------------- met and missed


def test_a_released_periodic_statement_meets_its_period(staff, organisation):
    schedule = _schedule(organisation)
    october_end = datetime(2026, 10, 31, 23, 30, tzinfo=VN)  # 16:30 UTC, still October in VN
    november_start = datetime(2026, 11, 1, 0, 10, tzinfo=VN)  # 31/10 17:10 UTC
    late_october = _released(staff["phatngon"], organisation, october_end)
    early_november = _released(staff["phatngon"], organisation, november_start)
    # Neither a conference nor another organisation's statement counts for information.
    _released(staff["phatngon"], organisation, datetime(2026, 9, 10, 9, tzinfo=VN), "conference")
    recent = periods(schedule, today=date(2026, 11, 26), last=4)
    assert [(p.starts_on, p.met_by) for p in recent] == [
        (date(2026, 11, 1), early_november),
        (date(2026, 10, 1), late_october),
        (date(2026, 9, 1), None),
        (date(2026, 8, 1), None),
    ]
    assert recent[0].met and not recent[2].met


def test_an_open_or_withdrawn_statement_does_not_meet_a_period(staff, organisation):
    schedule = _schedule(organisation)
    with time_machine.travel(datetime(2026, 11, 5, 9, tzinfo=VN), tick=False):
        new_statement(staff["phatngon"], organisation, kind=Statement.Kind.PERIODIC)
    withdrawn = _released(staff["phatngon"], organisation, datetime(2026, 11, 6, 9, tzinfo=VN))
    Statement.objects.filter(pk=withdrawn.pk).update(status=Statement.Status.WITHDRAWN)
    assert not periods(schedule, today=date(2026, 11, 26))[0].met


@pytest.mark.django_db(transaction=False)
def test_a_statement_released_through_the_flow_meets_the_current_period(
    staff, organisation, act, signing_credentials, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    schedule = _schedule(organisation, starts_on=today - relativedelta(months=3, days=2))
    assert not periods(schedule, today=today)[0].met
    statement = new_statement(staff["phatngon"], organisation, kind=Statement.Kind.PERIODIC)
    act(staff["phatngon"], statement, "draft", draft_data(statement))
    act(staff["phatngon"], statement, "review", {"action": "approve"})
    with django_capture_on_commit_callbacks(execute=True):
        act(staff["lanhdao"], statement, "signoff", {"action": "sign", "confirm": "on"})
    statement.refresh_from_db()
    assert statement.status == Statement.Status.RELEASED, statement.document.last_error
    current = periods(schedule, today=today)[0]
    assert current.starts_on <= today <= current.ends_on
    assert current.met_by == statement


# ---------------------------------------------------------------- the sweep


def _notes(user, what):
    return sorted(
        Notification.objects.filter(user=user, key__startswith="schedule:")
        .filter(key__contains=f":{what}:")
        .values_list("key", flat=True)
    )


def test_the_sweep_reminds_before_the_period_ends_and_reports_a_miss_once(
    staff, organisation, other_organisation
):
    phatngon, head = staff["phatngon"], staff["lanhdao"]
    schedule = _schedule(organisation, remind_days_before=5)
    # October was met; November is not yet.
    _released(phatngon, organisation, datetime(2026, 10, 20, 9, tzinfo=VN))

    assert schedules_sweep(today=date(2026, 11, 24)) == 0  # 6 days left
    assert schedules_sweep(today=date(2026, 11, 25)) == 2  # 5 days: spokesperson, head
    assert schedules_sweep(today=date(2026, 11, 26)) == 0  # once
    for user in (phatngon, head):
        assert _notes(user, "remind") == [f"schedule:{schedule.pk}:remind:20261101:{user.pk}"]
    note = Notification.objects.get(user=head, key__contains=":remind:")
    assert "còn 5 ngày" in note.message and "01/11/2026" in note.message
    for other in ("chuyenvien", "vanthu", "pholanhdao", "thanhtra"):
        assert not Notification.objects.filter(user=staff[other]).exists(), other
    assert not LedgerEvent.objects.filter(action="schedule.missed").exists()
    assert LedgerEvent.objects.filter(action="schedule.reminder").count() == 1

    # November passes with nothing released: on 1 December the miss is reported, once.
    assert schedules_sweep(today=date(2026, 12, 1)) == 2
    assert schedules_sweep(today=date(2026, 12, 2)) == 0
    for user in (phatngon, head):
        assert _notes(user, "missed") == [f"schedule:{schedule.pk}:missed:20261101:{user.pk}"]
    missed = LedgerEvent.objects.get(action="schedule.missed")
    assert missed.after_data["period"] == "20261101"
    assert missed.after_data["notified"] == 2
    assert "bỏ lỡ" in missed.after_data["message"] and "30/11/2026" in missed.after_data["message"]
    assert missed.target_id == str(schedule.pk)
    assert missed.organisation_code == organisation.code


def test_a_met_period_is_neither_reminded_nor_reported(staff, organisation):
    _schedule(organisation, starts_on=date(2026, 11, 1), remind_days_before=5)
    _released(staff["phatngon"], organisation, datetime(2026, 11, 3, 9, tzinfo=VN))
    assert schedules_sweep(today=date(2026, 11, 28)) == 0
    # December's sweep: November was met, December has 30 days left.
    assert schedules_sweep(today=date(2026, 12, 1)) == 0
    assert not LedgerEvent.objects.filter(action__startswith="schedule.").exists()


def test_an_inactive_schedule_is_not_swept(staff, organisation):
    _schedule(organisation, is_active=False)
    assert schedules_sweep(today=date(2026, 12, 1)) == 0


# ---------------------------------------------------------------- the page


def test_the_schedules_page_shows_met_due_and_missed_periods(client, staff, organisation):
    schedule = _schedule(organisation)
    met = _released(staff["phatngon"], organisation, datetime(2026, 10, 20, 9, tzinfo=VN))
    client.force_login(staff["phatngon"])
    with time_machine.travel(datetime(2026, 11, 26, 10, tzinfo=VN), tick=False):
        html = client.get(SCHEDULES).content.decode()
    rows = {
        span: html[html.index(span) : html.index("</tr>", html.index(span))]
        for span in (
            "01/11/2026 – 30/11/2026",
            "01/10/2026 – 31/10/2026",
            "01/09/2026 – 30/09/2026",
        )
    }
    assert "Chưa phát hành" in rows["01/11/2026 – 30/11/2026"]
    assert met.reference in rows["01/10/2026 – 31/10/2026"]
    assert "Bỏ lỡ" in rows["01/09/2026 – 30/09/2026"]
    assert "Bỏ lỡ" not in rows["01/10/2026 – 31/10/2026"]
    assert schedule.organisation.name in html


def test_the_schedules_page_shows_only_ones_own_organisations(
    client, staff, organisation, other_organisation, outsider
):
    _schedule(other_organisation)
    _schedule(organisation, kind=PeriodicSchedule.Kind.CONFERENCE, every=3)
    client.force_login(staff["thanhtra"])
    html = client.get(SCHEDULES).content.decode()
    assert organisation.name in html
    assert Organisation.objects.get(pk=other_organisation.pk).name not in html


def test_a_press_conference_counts_on_the_day_it_is_held(staff, organisation):
    """The invitation goes out on 30/09 for a conference on 02/10: it meets Oct–Dec, not Jul–Sep."""
    schedule = _schedule(organisation, every=3, kind=PeriodicSchedule.Kind.CONFERENCE)
    invitation = _released(
        staff["phatngon"],
        organisation,
        datetime(2026, 9, 30, 9, tzinfo=VN),
        kind=Statement.Kind.CONFERENCE,
    )
    Statement.objects.filter(pk=invitation.pk).update(
        conference_at=datetime(2026, 10, 2, 9, tzinfo=VN)
    )
    recent = periods(schedule, today=date(2026, 11, 26), last=2)
    assert [(p.starts_on, p.met_by) for p in recent] == [
        (date(2026, 10, 1), invitation),
        (date(2026, 7, 1), None),
    ]
