"""Property tests for Civil Code counting (Bộ luật Dân sự 2015 Điều 147–148) on the VN calendar."""

from datetime import date, datetime, time, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workflows.rules import calendar

pytestmark = pytest.mark.django_db

HYPOTHESIS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
dates = st.dates(min_value=date(2024, 1, 1), max_value=date(2028, 12, 31))
amounts = st.integers(min_value=1, max_value=60)
moments = st.builds(
    lambda d, minute: (
        datetime.combine(d, time(), tzinfo=calendar.VN_TZ) + timedelta(minutes=minute)
    ),
    dates,
    st.integers(min_value=0, max_value=24 * 60 - 1),
)


@pytest.fixture(autouse=True)
def _fresh_calendar():
    calendar.invalidate()
    yield
    calendar.invalidate()


@HYPOTHESIS
@given(start=dates, n=amounts)
def test_adding_working_days_lands_on_a_working_day(start, n):
    assert calendar.is_working_day(calendar.add_working_days(start, n))


@HYPOTHESIS
@given(start=dates, n=amounts)
def test_adding_working_days_is_strictly_increasing(start, n):
    assert calendar.add_working_days(start, n) < calendar.add_working_days(start, n + 1)


@HYPOTHESIS
@given(start=dates, n=st.integers(min_value=0, max_value=60))
def test_exactly_n_working_days_after_the_excluded_first_day(start, n):
    end = calendar.add_working_days(start, n)
    assert calendar.count_working_days(start, end) == n
    assert end > start or n == 0
    # No working day is skipped: the day before the end holds one working day fewer.
    if n:
        assert calendar.count_working_days(start, end - timedelta(days=1)) == n - 1


@HYPOTHESIS
@given(
    start=moments, n=amounts, unit=st.sampled_from([calendar.WORKING_DAYS, calendar.CALENDAR_DAYS])
)
def test_day_limits_end_at_24h_of_a_working_day(start, n, unit):
    end = calendar.civil_code_end(start, n, unit)
    assert end.tzinfo is not None and end.utcoffset() == timedelta(hours=7)
    assert end.time() == time(23, 59, 59, 999999)
    # "24:00" of the last day: one microsecond later is midnight of the next day.
    nxt = end + timedelta(microseconds=1)
    assert nxt.time() == time(0) and nxt.date() == end.date() + timedelta(days=1)
    assert calendar.is_working_day(end.date())
    # The first day is excluded, so even a one-day limit ends after the start's day.
    assert end.date() > start.date()


@HYPOTHESIS
@given(start=moments, n=amounts)
def test_calendar_day_limit_rolls_only_past_days_off(start, n):
    end = calendar.civil_code_end(start, n, calendar.CALENDAR_DAYS).date()
    nominal = start.date() + timedelta(days=n)
    assert end >= nominal
    day = nominal
    while day < end:
        assert not calendar.is_working_day(day)
        day += timedelta(days=1)


@HYPOTHESIS
@given(start=moments, hours=st.integers(min_value=1, max_value=240))
def test_hour_limits_run_on_clock_time(start, hours):
    end = calendar.civil_code_end(start, hours, calendar.HOURS)
    assert end - start == timedelta(hours=hours)
    assert end.utcoffset() == timedelta(hours=7)


@HYPOTHESIS
@given(start=dates, n=amounts)
def test_working_day_limit_is_never_shorter_than_calendar_days(start, n):
    begin = datetime.combine(start, time(9), tzinfo=calendar.VN_TZ)
    assert calendar.civil_code_end(begin, n, calendar.WORKING_DAYS) >= calendar.civil_code_end(
        begin, n, calendar.CALENDAR_DAYS
    )


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError):
        calendar.civil_code_end(datetime(2026, 12, 2, 9, 0), 5, calendar.WORKING_DAYS)


def test_unknown_unit_and_negative_amounts_are_refused():
    start = datetime(2026, 12, 2, 9, 0, tzinfo=calendar.VN_TZ)
    with pytest.raises(ValueError):
        calendar.civil_code_end(start, 5, "months")
    with pytest.raises(ValueError):
        calendar.add_working_days(start.date(), -1)


def test_start_in_another_time_zone_is_counted_on_the_vietnamese_date():
    from datetime import UTC

    # 18:00 UTC on 1/12 is 01:00 on 2/12 in Vietnam: the first (excluded) day is 2/12.
    start = datetime(2026, 12, 1, 18, 0, tzinfo=UTC)
    end = calendar.civil_code_end(start, 15, calendar.WORKING_DAYS)
    assert end.date() == date(2026, 12, 23)
