"""Period arithmetic of a periodic schedule: which period a day falls in, and its bounds."""

from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta

from ..models import PeriodicSchedule, Statement


@dataclass(frozen=True)
class Period:
    schedule: PeriodicSchedule
    starts_on: date
    ends_on: date  # last day of the period (inclusive)
    met_by: Statement | None

    @property
    def met(self) -> bool:
        return self.met_by is not None


def period_bounds(start: date, months: int, index: int) -> tuple[date, date]:
    """Return the first and the last day of period `index` of a schedule from `start`."""
    begin = start + relativedelta(months=months * index)
    end = start + relativedelta(months=months * (index + 1)) - relativedelta(days=1)
    return begin, end


def period_index(schedule: PeriodicSchedule, day: date) -> int | None:
    """The index of the period containing `day` (None before the schedule starts)."""
    if day < schedule.starts_on:
        return None
    months = (day.year - schedule.starts_on.year) * 12 + day.month - schedule.starts_on.month
    index = max(0, months // schedule.every_months)
    while period_bounds(schedule.starts_on, schedule.every_months, index)[0] > day:
        index -= 1
    while period_bounds(schedule.starts_on, schedule.every_months, index)[1] < day:
        index += 1
    return index
