"""Table tests on real 2026 dates: Tết Bính Ngọ, Quốc khánh 2/9 and administrator swaps."""

from datetime import date, datetime

import pytest

from workflows.rules import calendar
from workflows.rules.models import CalendarSwap

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_calendar():
    calendar.invalidate()
    yield
    calendar.invalidate()


def at(d: date, hour=9, minute=0):
    return datetime(d.year, d.month, d.day, hour, minute, tzinfo=calendar.VN_TZ)


# Tết 2026 for civil servants: Saturday 14/2 – Sunday 22/2 (9 days, research notes §8).
TET_2026 = [
    (date(2026, 2, 13), True),  # Friday before Tết
    (date(2026, 2, 14), False),
    (date(2026, 2, 15), False),
    (date(2026, 2, 16), False),  # 29 Tết (giao thừa)
    (date(2026, 2, 17), False),  # mùng 1
    (date(2026, 2, 18), False),
    (date(2026, 2, 19), False),
    (date(2026, 2, 20), False),  # mùng 4
    (date(2026, 2, 21), False),
    (date(2026, 2, 22), False),
    (date(2026, 2, 23), True),  # back to work
]

# Quốc khánh 2026: 1/9 and 2/9 off, Monday 31/8 off in exchange for Saturday 22/8.
NATIONAL_DAY_2026 = [
    (date(2026, 8, 21), True),
    (date(2026, 8, 22), True),  # make-up working Saturday
    (date(2026, 8, 23), False),
    (date(2026, 8, 28), True),
    (date(2026, 8, 29), False),
    (date(2026, 8, 31), False),  # day off swapped from 22/8
    (date(2026, 9, 1), False),  # adjacent day
    (date(2026, 9, 2), False),  # Quốc khánh
    (date(2026, 9, 3), True),
]


@pytest.mark.parametrize(("day", "working"), TET_2026 + NATIONAL_DAY_2026)
def test_working_days_around_tet_and_national_day_2026(day, working):
    assert calendar.is_working_day(day) is working


def test_holidays_package_names_the_vietnamese_holidays():
    assert calendar.holiday_name(date(2026, 2, 17)) == "Tết Nguyên Đán"
    assert calendar.holiday_name(date(2026, 9, 2)) == "Quốc khánh"
    assert calendar.holiday_name(date(2026, 9, 3)) is None


def test_national_day_holds_without_the_seeded_swaps():
    # The seeded swaps repeat what the `holidays` package knows; the result does not depend on them.
    CalendarSwap.objects.filter(date__in=[date(2026, 8, 22), date(2026, 8, 31)]).delete()
    assert calendar.is_working_day(date(2026, 8, 22))
    assert not calendar.is_working_day(date(2026, 8, 31))


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (date(2026, 2, 12), 1, date(2026, 2, 13)),
        (date(2026, 2, 13), 1, date(2026, 2, 23)),  # the whole Tết break is skipped
        (date(2026, 2, 10), 5, date(2026, 2, 24)),  # 11, 12, 13, 23, 24
        (date(2026, 2, 14), 1, date(2026, 2, 23)),  # received during Tết
        (date(2026, 8, 21), 1, date(2026, 8, 22)),  # the make-up Saturday counts
        (date(2026, 8, 28), 1, date(2026, 9, 3)),
        (date(2026, 8, 27), 3, date(2026, 9, 4)),  # 28, 3, 4
        (date(2026, 12, 2), 15, date(2026, 12, 23)),  # LEGAL.md's worked example
    ],
)
def test_add_working_days_real_dates(start, n, expected):
    assert calendar.add_working_days(start, n) == expected


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        # Day 30 from 15/1 is Saturday 14/2, the first day of Tết: ends on Monday 23/2.
        (date(2026, 1, 15), 30, date(2026, 2, 23)),
        # Day 30 from 2/8 is Tuesday 1/9 (holiday), then 2/9: ends on Thursday 3/9.
        (date(2026, 8, 2), 30, date(2026, 9, 3)),
        # Day 30 from 23/7 is Saturday 22/8, a make-up working day: no roll.
        (date(2026, 7, 23), 30, date(2026, 8, 22)),
        (date(2026, 6, 10), 30, date(2026, 7, 10)),
    ],
)
def test_calendar_day_limits_real_dates(start, days, expected):
    end = calendar.civil_code_end(at(start), days, calendar.CALENDAR_DAYS)
    assert end == calendar.end_of_day(expected)


def test_24_hours_run_through_tet():
    start = at(date(2026, 2, 16), 14, 30)
    assert calendar.civil_code_end(start, 24, calendar.HOURS) == at(date(2026, 2, 17), 14, 30)


def test_an_extra_day_off_moves_the_result():
    assert calendar.add_working_days(date(2026, 12, 2), 15) == date(2026, 12, 23)
    CalendarSwap.objects.create(date=date(2026, 12, 3), kind="day_off", note="Nghỉ bù")
    assert not calendar.is_working_day(date(2026, 12, 3))
    assert calendar.add_working_days(date(2026, 12, 2), 15) == date(2026, 12, 24)


def test_a_make_up_saturday_moves_the_result():
    swap = CalendarSwap.objects.create(date=date(2026, 12, 5), kind="working_day", note="Làm bù")
    assert calendar.add_working_days(date(2026, 12, 2), 15) == date(2026, 12, 22)
    swap.delete()
    assert calendar.add_working_days(date(2026, 12, 2), 15) == date(2026, 12, 23)


def test_a_swap_overrides_the_package():
    # 24/11 (Ngày Văn hóa Việt Nam) is a holiday in `holidays`; an administrator can overrule it.
    day = date(2026, 11, 24)
    assert not calendar.is_working_day(day)
    CalendarSwap.objects.create(date=day, kind="working_day", note="Chưa ban hành")
    assert calendar.is_working_day(day)


def test_changing_a_swap_kind_invalidates_the_cache():
    swap = CalendarSwap.objects.create(date=date(2026, 12, 7), kind="day_off")
    assert not calendar.is_working_day(date(2026, 12, 7))
    swap.kind = "working_day"
    swap.save()
    assert calendar.is_working_day(date(2026, 12, 7))
