"""The working calendar and Civil Code counting (Bộ luật Dân sự 2015 Điều 147–148).

Working days are Monday–Friday minus the public holidays of the `holidays` package (Vietnam,
including the make-up Saturdays it knows as `weekend_workdays`), then overridden by the
administrator's `CalendarSwap` rows (extra days off, make-up working days).

Counting, used everywhere:
- A limit in days excludes the starting day and ends at the end of its last day.
- The end of a day is represented as 23:59:59.999999 local time (Asia/Ho_Chi_Minh), i.e.
  `datetime.combine(day, time.max)`: the legal "24:00" without moving the date to the next
  day. A deadline is missed when `now > due_at`.
- A calendar-day limit whose last day is not a working day ends at the end of the next
  working day (Điều 148.5). A working-day limit always ends on a working day.
- Hour limits run on clock time, weekends and holidays included (Điều 147.1).
"""

import time as _time
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
END_OF_DAY = time.max  # 23:59:59.999999, see the module docstring

HOURS = "hours"
CALENDAR_DAYS = "calendar_days"
WORKING_DAYS = "working_days"
UNITS = (HOURS, CALENDAR_DAYS, WORKING_DAYS)

# Other processes (workers, beat) learn of an edited swap within this many seconds.
SWAPS_TTL_SECONDS = 300

_swaps_cache: tuple[float, dict[date, str]] | None = None


@lru_cache(maxsize=64)
def _package_year(year: int) -> tuple[frozenset[date], frozenset[date]]:
    """Return (public holidays, make-up working weekend days) from `holidays` for a year."""
    vn = holidays.country_holidays("VN", years=year)
    weekend_workdays = frozenset(getattr(vn, "weekend_workdays", set()))
    return frozenset(vn.keys()), weekend_workdays


def _swaps() -> dict[date, str]:
    """Return the administrator's swaps by date, cached per process."""
    global _swaps_cache
    now = _time.monotonic()
    if _swaps_cache is None or now - _swaps_cache[0] > SWAPS_TTL_SECONDS:
        from workflows.rules.models import CalendarSwap

        _swaps_cache = (now, dict(CalendarSwap.objects.values_list("date", "kind")))
    return _swaps_cache[1]


def invalidate() -> None:
    """Forget cached swaps (called when a CalendarSwap is saved or deleted)."""
    global _swaps_cache
    _swaps_cache = None


def holiday_name(d: date) -> str | None:
    """Return the `holidays` package's (Vietnamese) name of a public holiday, if any."""
    return _package_names(d.year).get(d)


@lru_cache(maxsize=64)
def _package_names(year: int) -> dict[date, str]:
    return dict(holidays.country_holidays("VN", years=year, language="vi"))


def is_working_day(d: date) -> bool:
    """Tell whether a date is a working day of a state agency."""
    swap = _swaps().get(d)
    if swap is not None:
        return swap == "working_day"
    public, weekend_workdays = _package_year(d.year)
    if d.weekday() >= 5:
        return d in weekend_workdays
    return d not in public


def next_working_day(d: date) -> date:
    """Return d if it is a working day, else the first working day after it."""
    while not is_working_day(d):
        d += timedelta(days=1)
    return d


def add_working_days(start_date: date, n: int) -> date:
    """Return the n-th working day after start_date (start_date itself is not counted)."""
    if n < 0:
        raise ValueError("n must be >= 0")
    d = start_date
    while n:
        d += timedelta(days=1)
        if is_working_day(d):
            n -= 1
    return d


def count_working_days(start_date: date, end_date: date) -> int:
    """Return the number of working days in (start_date, end_date]."""
    count = 0
    d = start_date + timedelta(days=1)
    while d <= end_date:
        count += is_working_day(d)
        d += timedelta(days=1)
    return count


def local(moment: datetime) -> datetime:
    """Return an aware datetime in Vietnam time; refuse naive ones."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("aware datetimes only")
    return moment.astimezone(VN_TZ)


def end_of_day(d: date) -> datetime:
    """Return the legal end (24:00) of a local date as 23:59:59.999999 +07:00."""
    return datetime.combine(d, END_OF_DAY, tzinfo=VN_TZ)


def civil_code_end(start: datetime, amount: int, unit: str) -> datetime:
    """Return when a limit of `amount` `unit`s that starts at `start` ends (aware, +07:00)."""
    if amount < 0:
        raise ValueError("amount must be >= 0")
    start = local(start)
    if unit == HOURS:
        return local(start + timedelta(hours=amount))
    if unit == WORKING_DAYS:
        return end_of_day(add_working_days(start.date(), amount))
    if unit == CALENDAR_DAYS:
        return end_of_day(next_working_day(start.date() + timedelta(days=amount)))
    raise ValueError(f"unknown unit {unit!r}")
