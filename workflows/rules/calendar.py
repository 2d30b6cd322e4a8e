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

Honesty about the data (legal review §3):
- A year is "confirmed" once an administrator has entered its official holiday decision
  (`CalendarYear`); otherwise it is "provisional": the package's dates are an estimate and
  deadlines that fall in it are shown "dự kiến".
- A year with no data at all (the package knows no holiday of it, e.g. 2101, and no swap or
  confirmed entry exists) is "missing": asking whether one of its days is a working day raises
  `CalendarYearMissing` instead of silently counting every weekday as working.
"""

import time as _time
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.errors import DomainError

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
END_OF_DAY = time.max  # 23:59:59.999999, see the module docstring

HOURS = "hours"
CALENDAR_DAYS = "calendar_days"
WORKING_DAYS = "working_days"
UNITS = (HOURS, CALENDAR_DAYS, WORKING_DAYS)

# Other processes (workers, beat) learn of an edited swap within this many seconds.
SWAPS_TTL_SECONDS = 300

CONFIRMED = "confirmed"
PROVISIONAL = "provisional"
MISSING = "missing"

# Where the package's data comes from, as the administrator's page names it.
PACKAGE_SOURCE = f"gói holidays {holidays.__version__}"

# Package holidays whose legal basis the research could not confirm (legal review §3): shown
# with this note on the administrator's page, where they can be switched off.
UNCONFIRMED_PACKAGE_DAYS = {
    # (month, day): (first year, note)
    (11, 24): (
        2026,
        gettext_lazy(
            "gói holidays dẫn Nghị quyết 80-NQ/TW; chưa thấy văn bản sửa Điều 112 Bộ luật Lao "
            "động đưa ngày này vào ngày nghỉ lễ (CHƯA XÁC THỰC)"
        ),
    ),
}


class CalendarYearMissing(DomainError):
    """No holiday data at all for a year: a working-day count there would be a guess."""

    def __init__(self, year: int):
        super().__init__(
            _(
                "Lịch năm %(year)s chưa có dữ liệu: chưa tính được thời hạn theo ngày làm việc. "
                "Đề nghị quản trị hệ thống nhập lịch nghỉ năm %(year)s."
            )
            % {"year": year},
            code="calendar_year_missing",
        )
        self.year = year


def undetermined_text(year: int | str) -> str:
    """What a deadline that cannot be computed says instead of a date."""
    return _("chưa xác định — lịch năm %(year)s chưa có dữ liệu") % {"year": year}


class _Overrides:
    """The administrator's data: swaps by date, and the confirmed years."""

    def __init__(self, swaps: dict[date, str], confirmed_years: frozenset[int]):
        self.swaps = swaps
        self.swap_years = frozenset(d.year for d in swaps)
        self.confirmed_years = confirmed_years
        self.statuses: dict[int, str] = {}  # year_status, worked out once per year


_overrides_cache: tuple[float, _Overrides] | None = None


@lru_cache(maxsize=64)
def _package_year(year: int) -> tuple[frozenset[date], frozenset[date]]:
    """Return (public holidays, make-up working weekend days) from `holidays` for a year."""
    vn = holidays.country_holidays("VN", years=year)
    weekend_workdays = frozenset(getattr(vn, "weekend_workdays", set()))
    return frozenset(vn.keys()), weekend_workdays


def _overrides() -> _Overrides:
    """Return the administrator's swaps and confirmed years, cached per process."""
    global _overrides_cache
    now = _time.monotonic()
    if _overrides_cache is None or now - _overrides_cache[0] > SWAPS_TTL_SECONDS:
        from workflows.rules.models import CalendarSwap, CalendarYear

        _overrides_cache = (
            now,
            _Overrides(
                dict(CalendarSwap.objects.values_list("date", "kind")),
                frozenset(
                    CalendarYear.objects.filter(status=CalendarYear.Status.CONFIRMED).values_list(
                        "year", flat=True
                    )
                ),
            ),
        )
    return _overrides_cache[1]


def _swaps() -> dict[date, str]:
    """Return the administrator's swaps by date, cached per process."""
    return _overrides().swaps


def invalidate() -> None:
    """Forget cached overrides (called when a CalendarSwap or CalendarYear changes)."""
    global _overrides_cache
    _overrides_cache = None


def year_status(year: int) -> str:
    """Return CONFIRMED, PROVISIONAL or MISSING for a calendar year (see the module docstring)."""
    return _year_status(_overrides(), year)


def _year_status(overrides: _Overrides, year: int) -> str:
    status = overrides.statuses.get(year)
    if status is None:
        public, _weekend_workdays = _package_year(year)
        if year in overrides.confirmed_years:
            status = CONFIRMED
        elif not public and year not in overrides.swap_years:
            status = MISSING
        else:
            status = PROVISIONAL
        overrides.statuses[year] = status
    return status


def years_provisional(first: date, last: date) -> list[int]:
    """Return the years from first to last (inclusive) that are not confirmed."""
    return [y for y in range(first.year, last.year + 1) if year_status(y) != CONFIRMED]


def holiday_name(d: date) -> str | None:
    """Return the `holidays` package's (Vietnamese) name of a public holiday, if any."""
    return _package_names(d.year).get(d)


@lru_cache(maxsize=64)
def _package_names(year: int) -> dict[date, str]:
    return dict(holidays.country_holidays("VN", years=year, language="vi"))


def is_working_day(d: date) -> bool:
    """Tell whether a date is a working day of a state agency.

    Raises CalendarYearMissing for a year without any holiday data.
    """
    overrides = _overrides()
    if _year_status(overrides, d.year) == MISSING:
        raise CalendarYearMissing(d.year)
    swap = overrides.swaps.get(d)
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
