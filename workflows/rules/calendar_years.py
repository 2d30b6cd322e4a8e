"""The working calendar year by year, as an administrator checks it (legal review §3).

Reads: each year's days off and make-up days with their source, and the warnings (a year with
no data, a provisional year, a package holiday whose legal basis is unconfirmed). Changes:
confirm a year against its official decision, switch a package holiday off (or on again);
each writes the ledger.
"""

from dataclasses import dataclass
from datetime import date

from django.core import checks
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

import audit
from core.errors import DomainError

from . import calendar
from .models import CalendarSwap, CalendarYear, SwapKind

# Years an administrator may confirm or edit: the law's calendar is a yearly decision, and
# nothing before the first regime or centuries ahead needs one.
FIRST_YEAR, LAST_YEAR = 2017, 2200

WEEKDAYS = [
    gettext_lazy("Thứ Hai"),
    gettext_lazy("Thứ Ba"),
    gettext_lazy("Thứ Tư"),
    gettext_lazy("Thứ Năm"),
    gettext_lazy("Thứ Sáu"),
    gettext_lazy("Thứ Bảy"),
    gettext_lazy("Chủ nhật"),
]


@dataclass(frozen=True)
class CalendarDay:
    """One day that differs from the plain Monday–Friday week, and where that comes from."""

    day: date
    working: bool  # as the calendar counts it now
    name: str
    source: str
    note: str = ""
    unconfirmed: bool = False  # a package holiday whose legal basis is not confirmed
    switched_off: bool = False  # a package holiday the administrator does not apply
    package_holiday: bool = False

    @property
    def weekday(self) -> str:
        return str(WEEKDAYS[self.day.weekday()])


@dataclass(frozen=True)
class YearSummary:
    year: int
    status: str  # calendar.CONFIRMED / PROVISIONAL / MISSING
    entry: CalendarYear | None
    days: list[CalendarDay]
    warnings: list[str]


def _unconfirmed_note(day: date) -> str:
    found = calendar.UNCONFIRMED_PACKAGE_DAYS.get((day.month, day.day))
    if found is None or day.year < found[0]:
        return ""
    return str(found[1])


def _package_source(name: str) -> str:
    return f"{calendar.PACKAGE_SOURCE}: {name}"


def year_days(year: int) -> list[CalendarDay]:
    """Return the year's days off and make-up working days, each with its source, by date."""
    names = calendar._package_names(year)
    _public, weekend_workdays = calendar._package_year(year)
    swaps = {swap.date: swap for swap in CalendarSwap.objects.filter(date__year=year)}
    days: dict[date, CalendarDay] = {}
    for day, name in names.items():
        swap = swaps.pop(day, None)
        note = _unconfirmed_note(day)
        if swap is not None and swap.kind == SwapKind.WORKING_DAY:
            days[day] = CalendarDay(
                day=day,
                working=True,
                name=name,
                source=_package_source(name),
                note=_("Không áp dụng: %(reason)s") % {"reason": _swap_text(swap)},
                unconfirmed=bool(note),
                switched_off=True,
                package_holiday=True,
            )
            continue
        source = _package_source(name)
        if swap is not None:
            source = f"{_swap_text(swap)}; {source}"
        if day.weekday() >= 5 and not note:
            note = _("trùng ngày nghỉ cuối tuần")
        days[day] = CalendarDay(
            day=day,
            working=False,
            name=name,
            source=source,
            note=note,
            unconfirmed=bool(_unconfirmed_note(day)),
            package_holiday=True,
        )
    for day in sorted(d for d in weekend_workdays if d.year == year):
        if day in swaps or day in days:
            continue
        days[day] = CalendarDay(
            day=day,
            working=True,
            name=_("Ngày làm bù"),
            source=calendar.PACKAGE_SOURCE,
        )
    for day, swap in swaps.items():
        days[day] = CalendarDay(
            day=day,
            working=swap.kind == SwapKind.WORKING_DAY,
            name=swap.note or swap.get_kind_display(),
            source=swap.source or _("(chưa ghi văn bản)"),
        )
    return [days[d] for d in sorted(days)]


def _swap_text(swap: CalendarSwap) -> str:
    parts = [p for p in (swap.note, swap.source) if p]
    return " — ".join(parts) or _("ngày làm việc do quản trị hệ thống đặt")


def year_warnings(year: int, *, status: str | None = None, days=None) -> list[str]:
    """Return what an administrator (and the spokesperson) must know about a year."""
    status = status or calendar.year_status(year)
    if status == calendar.MISSING:
        return [
            _(
                "Lịch năm %(year)s chưa có dữ liệu: gói holidays không có ngày nghỉ nào của năm "
                "này và chưa có ngày nghỉ bù, làm bù hay xác nhận nào. Thời hạn tính theo ngày "
                "làm việc rơi vào năm này sẽ hiện “chưa xác định”."
            )
            % {"year": year}
        ]
    warnings = []
    if status == calendar.PROVISIONAL:
        warnings.append(
            _(
                "Lịch nghỉ năm %(year)s chưa được xác nhận theo văn bản chính thức (Tết, Quốc "
                "khánh, hoán đổi ngày làm việc): các ngày nghỉ là ước tính của gói holidays; thời "
                "hạn rơi vào năm này được ghi “dự kiến”."
            )
            % {"year": year}
        )
    for day in days if days is not None else year_days(year):
        if day.unconfirmed and not day.switched_off:
            warnings.append(
                _("Ngày %(day)s (%(name)s) đang được tính là ngày nghỉ: %(note)s.")
                % {"day": f"{day.day:%d/%m/%Y}", "name": day.name, "note": day.note}
            )
    return warnings


def year_summaries(years) -> list[YearSummary]:
    """Return each year's status, entry, days and warnings (the administrator's page)."""
    entries = {e.year: e for e in CalendarYear.objects.filter(year__in=list(years))}
    summaries = []
    for year in years:
        status = calendar.year_status(year)
        days = year_days(year)
        summaries.append(
            YearSummary(
                year=year,
                status=status,
                entry=entries.get(year),
                days=days,
                warnings=year_warnings(year, status=status, days=days),
            )
        )
    return summaries


def years_around(today: date | None = None) -> list[int]:
    """The years an administrator looks after: last year, this year and next year."""
    year = (today or timezone.localdate()).year
    return [year - 1, year, year + 1]


def staff_calendar_notice(today: date | None = None) -> str:
    """One line for the staff start page when this year or the next is not confirmed."""
    year = (today or timezone.localdate()).year
    statuses = {y: calendar.year_status(y) for y in (year, year + 1)}
    missing = [str(y) for y, s in statuses.items() if s == calendar.MISSING]
    provisional = [str(y) for y, s in statuses.items() if s == calendar.PROVISIONAL]
    parts = []
    if missing:
        parts.append(
            _(
                "Lịch năm %(years)s chưa có dữ liệu: thời hạn rơi vào năm này chưa xác định; "
                "đề nghị quản trị hệ thống nhập lịch nghỉ."
            )
            % {"years": ", ".join(missing)}
        )
    if provisional:
        parts.append(
            _(
                "Lịch nghỉ năm %(years)s chưa được xác nhận theo văn bản chính thức: thời hạn rơi "
                "vào năm này là dự kiến và có thể thay đổi khi có quyết định nghỉ Tết, hoán đổi "
                "ngày làm việc."
            )
            % {"years": ", ".join(provisional)}
        )
    return " ".join(parts)


# ---------------------------------------------------------------- changes (ledgered)


def _check_year(year: int) -> int:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise DomainError(
            _("Năm phải trong khoảng %(first)s–%(last)s.")
            % {"first": FIRST_YEAR, "last": LAST_YEAR},
            code="validation_error",
            field="year",
        )
    return year


def _snapshot(entry: CalendarYear | None) -> dict | None:
    if entry is None:
        return None
    return {
        "year": entry.year,
        "status": entry.status,
        "source": entry.source,
        "confirmed_by": entry.confirmed_by_id,
        "confirmed_at": entry.confirmed_at.isoformat() if entry.confirmed_at else None,
    }


@transaction.atomic
def calendar_year_confirm(*, year: int, source: str, by) -> CalendarYear:
    """Confirm a year's days off against its official decision (number and date in `source`)."""
    _check_year(year)
    source = (source or "").strip()
    if not source:
        raise DomainError(
            _("Cần ghi số, ký hiệu và ngày của văn bản để xác nhận lịch năm."),
            code="validation_error",
            field="source",
        )
    entry = CalendarYear.objects.select_for_update().filter(year=year).first()
    before = _snapshot(entry)
    if entry is None:
        entry = CalendarYear(year=year)
    entry.status = CalendarYear.Status.CONFIRMED
    entry.source = source
    entry.confirmed_by = by
    entry.confirmed_at = timezone.now()
    entry.save()
    audit.record(
        action="calendar.year.confirm",
        actor=by,
        target=entry,
        before=before,
        after=_snapshot(entry),
    )
    return entry


@transaction.atomic
def calendar_year_unconfirm(*, year: int, reason: str, by) -> CalendarYear:
    """Mark a confirmed year provisional again (the decision was wrong or replaced)."""
    _check_year(year)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Cần ghi rõ lý do."), code="validation_error", field="reason")
    entry, _created = CalendarYear.objects.select_for_update().get_or_create(year=year)
    before = _snapshot(entry)
    entry.status = CalendarYear.Status.PROVISIONAL
    entry.confirmed_by = None
    entry.confirmed_at = None
    entry.note = "\n".join(p for p in (entry.note, reason) if p)
    entry.save()
    audit.record(
        action="calendar.year.unconfirm",
        actor=by,
        target=entry,
        before=before,
        after={**_snapshot(entry), "reason": reason},
    )
    return entry


@transaction.atomic
def package_holiday_switch_off(*, day: date, reason: str, by, source: str = "") -> CalendarSwap:
    """Count a package holiday as a working day (its legal basis is not in force), with why."""
    _check_year(day.year)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Cần ghi rõ lý do."), code="validation_error", field="reason")
    name = calendar.holiday_name(day)
    if name is None:
        raise DomainError(
            _("Ngày %(day)s không phải ngày nghỉ lễ của gói holidays.")
            % {"day": f"{day:%d/%m/%Y}"},
            code="validation_error",
            field="day",
        )
    if day.weekday() >= 5:
        raise DomainError(
            _("Ngày %(day)s là ngày nghỉ cuối tuần; không cần tắt.") % {"day": f"{day:%d/%m/%Y}"},
            code="validation_error",
            field="day",
        )
    if CalendarSwap.objects.select_for_update().filter(date=day).exists():
        raise DomainError(
            _("Ngày %(day)s đã có ngày nghỉ bù, làm bù do quản trị hệ thống đặt; sửa ngày đó.")
            % {"day": f"{day:%d/%m/%Y}"},
            code="validation_error",
            field="day",
        )
    swap = CalendarSwap.objects.create(
        date=day, kind=SwapKind.WORKING_DAY, note=reason[:255], source=(source or "").strip()[:255]
    )
    audit.record(
        action="calendar.holiday.switch_off",
        actor=by,
        target=swap,
        after={
            "date": day.isoformat(),
            "package_holiday": name,
            "package": calendar.PACKAGE_SOURCE,
            "reason": reason,
            "source": swap.source,
        },
    )
    return swap


@transaction.atomic
def package_holiday_switch_on(*, day: date, by) -> None:
    """Apply a package holiday again (remove the administrator's working-day override)."""
    swap = (
        CalendarSwap.objects.select_for_update().filter(date=day, kind=SwapKind.WORKING_DAY).first()
    )
    name = calendar.holiday_name(day)
    if swap is None or name is None:
        raise DomainError(
            _("Ngày %(day)s không có ngày nghỉ lễ nào đang bị tắt.") % {"day": f"{day:%d/%m/%Y}"},
            code="validation_error",
            field="day",
        )
    before = {
        "date": day.isoformat(),
        "package_holiday": name,
        "reason": swap.note,
        "source": swap.source,
    }
    audit.record(action="calendar.holiday.switch_on", actor=by, target=swap, before=before)
    swap.delete()


# ---------------------------------------------------------------- system check


def check_calendar_years(app_configs=None, databases=None, **kwargs):
    """Refuse silence: this year or next year without any holiday data is reported.

    A database check (`Tags.database`): it reads the calendar tables, so it runs only when a
    command names its databases (`migrate`, `check --database default`), never at import time
    (a Celery worker's start, a test collecting modules)."""
    from django.db import DatabaseError

    if not databases or "default" not in databases:
        return []

    today = timezone.localdate()
    messages = []
    for year, level, ident in (
        (today.year, checks.Error, "workflows.E101"),
        (today.year + 1, checks.Warning, "workflows.W102"),
    ):
        try:
            status = calendar.year_status(year)
        except DatabaseError:  # tables not migrated yet (first `migrate`)
            return []
        if status == calendar.MISSING:
            messages.append(
                level(
                    f"The working calendar has no holiday data for {year}: deadlines in working "
                    "days that fall in it cannot be computed.",
                    hint=f"Enter the {year} holidays and swaps (CalendarSwap) and confirm the "
                    "year (CalendarYear) in the admin, or upgrade the holidays package.",
                    id=ident,
                )
            )
    return messages
