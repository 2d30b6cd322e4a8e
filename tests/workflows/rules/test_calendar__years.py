"""An honest calendar (issue 15, legal review §3): provisional years are marked "dự kiến",
confirming a year is ledgered, 24/11 can be switched off, and a year without data is an error."""

from datetime import date, datetime

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.core import checks
from django.urls import reverse

from audit.models import LedgerEvent
from tests.factories import UserFactory
from workflows.rules import calendar, calendar_years, deadlines
from workflows.rules.models import CalendarSwap, CalendarYear

pytestmark = pytest.mark.django_db

VN = calendar.VN_TZ
OVERVIEW = "admin:workflows_calendaryear_changelist"
DECISION_2027 = "Thông báo số 999/TB-VPCP ngày 01/12/2026 (nghỉ Tết Đinh Mùi 2027)"


@pytest.fixture(autouse=True)
def _travel():
    with time_machine.travel(datetime(2026, 11, 30, 10, tzinfo=VN), tick=True):
        calendar.invalidate()
        yield
    calendar.invalidate()


@pytest.fixture
def admin_user():
    return UserFactory(username="quantri", is_staff=True, is_superuser=True)


def question(received: datetime) -> deadlines.Deadline:
    return deadlines.deadline_compute(kind="question", received_at=received)


# ---------------------------------------------------------------- status and marks


def test_2026_and_2027_are_provisional_until_an_administrator_confirms_them():
    assert calendar.year_status(2026) == calendar.PROVISIONAL
    assert calendar.year_status(2027) == calendar.PROVISIONAL
    # The migration records what the research knows about 2026, without confirming it.
    entry = CalendarYear.objects.get(year=2026)
    assert entry.status == CalendarYear.Status.PROVISIONAL
    assert "24/11" in entry.note


def test_a_deadline_in_2027_is_provisional_and_confirming_the_year_removes_it(admin_user):
    deadline = deadlines.deadline_compute(
        kind="press_report", received_at=datetime(2027, 1, 25, 9, tzinfo=VN)
    )
    assert deadline.due_at == calendar.end_of_day(date(2027, 2, 22))  # skips the estimated Tết
    assert deadline.provisional
    assert deadlines.deadline_is_provisional(deadline.due_at)

    entry = calendar_years.calendar_year_confirm(year=2027, source=DECISION_2027, by=admin_user)

    assert entry.status == CalendarYear.Status.CONFIRMED
    assert (entry.confirmed_by, entry.source) == (admin_user, DECISION_2027)
    assert not deadline.provisional
    event = LedgerEvent.objects.get(action="calendar.year.confirm")
    assert event.actor_id == admin_user.pk
    assert event.after_data["source"] == DECISION_2027
    assert event.after_data["status"] == "confirmed"


def test_a_count_that_runs_through_a_provisional_year_is_provisional(admin_user):
    calendar_years.calendar_year_confirm(year=2027, source=DECISION_2027, by=admin_user)
    due = calendar.end_of_day(date(2027, 1, 4))
    assert not deadlines.deadline_is_provisional(due)
    assert deadlines.deadline_is_provisional(due, datetime(2026, 12, 2, 9, tzinfo=VN))


def test_hour_limits_never_depend_on_the_calendar():
    at = datetime(2027, 2, 5, 14, 30, tzinfo=VN)
    assert not deadlines.deadline_is_provisional(at)
    assert not deadlines.deadline_is_provisional(calendar.end_of_day(at.date()), unit="hours")


def test_confirming_needs_the_decision_and_a_sensible_year(admin_user):
    from core.errors import DomainError

    with pytest.raises(DomainError) as exc:
        calendar_years.calendar_year_confirm(year=2027, source="  ", by=admin_user)
    assert exc.value.code == "validation_error"
    with pytest.raises(DomainError):
        calendar_years.calendar_year_confirm(year=1900, source=DECISION_2027, by=admin_user)
    assert calendar.year_status(2027) == calendar.PROVISIONAL
    assert not LedgerEvent.objects.filter(action="calendar.year.confirm").exists()


# ---------------------------------------------------------------- 24/11 with its source


def test_24_november_is_listed_with_its_source_and_marked_unconfirmed():
    day = next(d for d in calendar_years.year_days(2026) if d.day == date(2026, 11, 24))
    assert not day.working
    assert day.source == f"gói holidays {calendar.holidays.__version__}: Ngày Văn hóa Việt Nam"
    assert day.unconfirmed and "80-NQ/TW" in day.note
    warnings = calendar_years.year_warnings(2026)
    assert any("24/11/2026" in w and "CHƯA XÁC THỰC" in w for w in warnings)


def test_switching_24_november_off_moves_a_deadline_back_and_is_ledgered(admin_user):
    received = datetime(2026, 11, 20, 9, tzinfo=VN)
    assert question(received).due_at == calendar.end_of_day(date(2026, 11, 30))

    calendar_years.package_holiday_switch_off(
        day=date(2026, 11, 24),
        reason="Chưa có luật sửa Điều 112 Bộ luật Lao động",
        by=admin_user,
    )

    assert question(received).due_at == calendar.end_of_day(date(2026, 11, 27))
    day = next(d for d in calendar_years.year_days(2026) if d.day == date(2026, 11, 24))
    assert day.working and day.switched_off
    assert "Chưa có luật sửa Điều 112" in day.note
    assert not any("24/11/2026" in w for w in calendar_years.year_warnings(2026))
    event = LedgerEvent.objects.get(action="calendar.holiday.switch_off")
    assert event.after_data["package_holiday"] == "Ngày Văn hóa Việt Nam"

    calendar_years.package_holiday_switch_on(day=date(2026, 11, 24), by=admin_user)
    assert question(received).due_at == calendar.end_of_day(date(2026, 11, 30))
    assert LedgerEvent.objects.filter(action="calendar.holiday.switch_on").count() == 1


def test_only_a_package_holiday_on_a_weekday_can_be_switched_off(admin_user):
    from core.errors import DomainError

    for day in (date(2026, 11, 23), date(2026, 4, 26)):  # a plain Monday; Giỗ Tổ on a Sunday
        with pytest.raises(DomainError) as exc:
            calendar_years.package_holiday_switch_off(day=day, reason="x", by=admin_user)
        assert exc.value.code == "validation_error"
    with pytest.raises(DomainError):
        calendar_years.package_holiday_switch_off(day=date(2026, 11, 24), reason="", by=admin_user)
    assert not CalendarSwap.objects.filter(date__in=[date(2026, 11, 23), date(2026, 11, 24)])


# ---------------------------------------------------------------- a year without data


def test_a_year_without_data_is_an_error_not_an_all_weekdays_count():
    assert calendar.year_status(2101) == calendar.MISSING
    with pytest.raises(calendar.CalendarYearMissing) as exc:
        calendar.is_working_day(date(2101, 9, 2))
    assert exc.value.code == "calendar_year_missing"
    assert "2101" in exc.value.message


def test_a_deadline_in_a_year_without_data_is_undetermined_and_logged(caplog):
    deadline = question(datetime(2101, 8, 31, 9, tzinfo=VN))
    assert deadline.due_at is None
    assert deadline.calendar_missing_year == 2101
    assert "chưa xác định — lịch năm 2101 chưa có dữ liệu" in deadline.explanation
    assert not deadline.provisional
    assert any("2101" in r.getMessage() and r.levelname == "ERROR" for r in caplog.records)


def test_a_swap_in_that_year_makes_it_data_again():
    CalendarSwap.objects.create(date=date(2101, 9, 2), kind="day_off", source="QĐ thử")
    assert calendar.year_status(2101) == calendar.PROVISIONAL
    assert not calendar.is_working_day(date(2101, 9, 2))


def test_the_system_check_reports_this_year_and_next_year_without_data():
    assert calendar_years.check_calendar_years(databases=["default"]) == []
    with time_machine.travel(datetime(2100, 6, 1, 10, tzinfo=VN)):
        messages = calendar_years.check_calendar_years(databases=["default"])
    assert [(type(m), m.id) for m in messages] == [(checks.Warning, "workflows.W102")]
    with time_machine.travel(datetime(2101, 6, 1, 10, tzinfo=VN)):
        messages = calendar_years.check_calendar_years(databases=["default"])
    assert [(type(m), m.id) for m in messages] == [
        (checks.Error, "workflows.E101"),
        (checks.Warning, "workflows.W102"),
    ]


# ---------------------------------------------------------------- the administrator's page


def test_the_overview_lists_each_year_with_its_days_sources_and_status(client, admin_user):
    client.force_login(admin_user)
    r = client.get(reverse(OVERVIEW))
    assert r.status_code == 200
    html = r.content.decode()
    for year in (2025, 2026, 2027):
        assert f"Năm {year}" in html
    assert "Ngày Văn hóa Việt Nam" in html
    assert f"gói holidays {calendar.holidays.__version__}: Mùng ba Tết Nguyên Đán" in html
    assert "CHƯA XÁC THỰC" in html
    assert "Lịch nghỉ năm 2027 chưa được xác nhận theo văn bản chính thức" in html
    assert "Lịch năm Quốc khánh 2026" not in html
    assert "Làm bù thứ Bảy cho ngày nghỉ 31/8/2026" in html  # a swap with its own source


def test_the_overview_confirms_a_year_and_switches_a_day_off(client, admin_user):
    client.force_login(admin_user)
    r = client.post(
        reverse(OVERVIEW), {"action": "confirm", "year": "2027", "source": DECISION_2027}
    )
    assert r.status_code == 302
    assert calendar.year_status(2027) == calendar.CONFIRMED
    r = client.post(
        reverse(OVERVIEW),
        {"action": "switch_off", "day": "2026-11-24", "reason": "Chưa có văn bản", "source": ""},
    )
    assert r.status_code == 302
    assert calendar.is_working_day(date(2026, 11, 24))
    html = client.get(reverse(OVERVIEW)).content.decode()
    assert "Đã xác nhận theo văn bản" in html and DECISION_2027 in html
    assert "Không áp dụng: Chưa có văn bản" in html


@pytest.mark.parametrize(
    "data",
    [
        {"action": "confirm", "year": "abc", "source": "x"},
        {"action": "confirm", "year": "2027", "source": ""},
        {"action": "switch_off", "day": "24/11/2026", "reason": "x"},
        {"action": "switch_on", "day": "2026-11-24"},
        {"action": "nonsense"},
    ],
)
def test_bad_input_on_the_overview_is_a_clear_message_never_a_500(client, admin_user, data):
    client.force_login(admin_user)
    r = client.post(reverse(OVERVIEW), data, follow=True)
    assert r.status_code == 200
    assert any(m.level_tag == "error" for m in r.context["messages"])
    assert calendar.year_status(2027) == calendar.PROVISIONAL


@pytest.mark.parametrize(
    "who", ["anonymous", "journalist", "specialist", "spokesperson", "head", "inspector"]
)
def test_the_overview_sends_everyone_but_administrators_to_a_login_page(client, request, who):
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    for r in (
        client.get(reverse(OVERVIEW)),
        client.post(reverse(OVERVIEW), {"action": "confirm", "year": "2027", "source": "x"}),
    ):
        assert r.status_code == 302
        # The site's login for anonymous visitors (LoginRequiredMiddleware), the admin's
        # login for a signed-in user who is not staff.
        assert r.url.startswith((reverse("login"), reverse("admin:login")))
    assert calendar.year_status(2027) == calendar.PROVISIONAL


def test_staff_without_the_calendar_permissions_are_refused(client):
    clerk = UserFactory(username="nhanvien", is_staff=True)
    client.force_login(clerk)
    assert client.get(reverse(OVERVIEW)).status_code == 403
    clerk.user_permissions.add(Permission.objects.get(codename="view_calendaryear"))
    clerk = type(clerk).objects.get(pk=clerk.pk)
    client.force_login(clerk)
    r = client.get(reverse(OVERVIEW))
    assert r.status_code == 200
    assert "Xác nhận lịch năm" not in r.content.decode()
    for data in (
        {"action": "confirm", "year": "2027", "source": DECISION_2027},
        {"action": "switch_off", "day": "2026-11-24", "reason": "x"},
    ):
        assert client.post(reverse(OVERVIEW), data).status_code == 403
    assert calendar.year_status(2027) == calendar.PROVISIONAL
    assert calendar.holiday_name(date(2026, 11, 24)) and not calendar.is_working_day(
        date(2026, 11, 24)
    )


def test_the_admin_index_warns_about_provisional_years(client, admin_user):
    client.force_login(admin_user)
    html = client.get(reverse("admin:index")).content.decode()
    assert "Lịch nghỉ năm 2026, 2027 chưa được xác nhận theo văn bản chính thức" in html


def test_the_change_form_needs_the_decision_to_confirm_and_records_who(client, admin_user):
    client.force_login(admin_user)
    add = reverse("admin:workflows_calendaryear_add")
    r = client.post(add, {"year": "2027", "status": "confirmed", "source": "", "note": ""})
    assert r.status_code == 200
    assert "Cần ghi số, ký hiệu và ngày của văn bản" in r.content.decode()
    assert calendar.year_status(2027) == calendar.PROVISIONAL

    r = client.post(add, {"year": "2027", "status": "confirmed", "source": DECISION_2027})
    assert r.status_code == 302
    entry = CalendarYear.objects.get(year=2027)
    assert (entry.confirmed_by, entry.confirmed_at is not None) == (admin_user, True)
    assert calendar.year_status(2027) == calendar.CONFIRMED
    event = LedgerEvent.objects.get(action="admin.add", target_type="workflows.calendaryear")
    assert event.after_data["status"] == "confirmed"


def test_the_system_check_reads_no_table_unless_a_command_names_its_database(
    django_assert_num_queries,
):
    """Celery's worker runs the checks at start without databases: no query, no failure."""
    with django_assert_num_queries(0):
        assert calendar_years.check_calendar_years() == []
    assert checks.Tags.database in calendar_years.check_calendar_years.tags
