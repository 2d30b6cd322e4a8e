"""Words for the codes people see: role names, dates and times, the time left.

The roles app registers its roles' names here when it starts (roles.apps), so that every
layer (the ledger's pages and exports included) says "Văn thư" instead of `registry_officer`
without importing roles.
"""

from collections.abc import Mapping
from datetime import date, datetime, timedelta

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import ngettext

_ROLE_LABELS: dict[str, object] = {}


def role_labels_register(labels: Mapping[str, object]) -> None:
    """Add role codes and their (lazily translated) names."""
    _ROLE_LABELS.update(labels)


def role_label(code: str | None) -> str:
    """The name of a role code, or of each role in a comma-separated list ("head,spokesperson").

    An unknown code is shown as it is; an empty one as "".
    """
    if not code:
        return ""
    return ", ".join(str(_ROLE_LABELS.get(part.strip(), part.strip())) for part in code.split(","))


# The engine's task statuses (viewflow's STATUS codes), in the words staff read.
_TASK_STATUS = {
    "NEW": _lazy("Chờ nhận"),
    "ASSIGNED": _lazy("Đang xử lý"),
    "STARTED": _lazy("Đang xử lý"),
    "DONE": _lazy("Đã xong"),
    "CANCELED": _lazy("Đã hủy"),
    "ERROR": _lazy("Lỗi"),
    "SCHEDULED": _lazy("Đã hẹn giờ"),
    "REVIVED": _lazy("Mở lại"),
}


def task_status_label(code) -> str:
    """A viewflow task status ("DONE") in words ("Đã xong"); an unknown code as it is."""
    if not code:
        return ""
    return str(_TASK_STATUS.get(str(code), code))


def datetime_display(value, *, seconds: bool = False) -> str:
    """Say a moment the one way the product does: "19:13 ngày 30/11/2026" (Vietnam's time).

    Takes an aware datetime, an ISO 8601 text or a date (then only "30/11/2026"); anything
    empty gives "".
    """
    if value in (None, ""):
        return ""
    if isinstance(value, str):
        parsed = parse_datetime(value)
        if parsed is None:
            return value
        value = parsed
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        clock = value.strftime("%H:%M:%S" if seconds else "%H:%M")
        return _("%(time)s ngày %(date)s") % {"time": clock, "date": value.strftime("%d/%m/%Y")}
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def _span(delta: timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    parts = []
    if days:
        parts.append(ngettext("%(n)d ngày", "%(n)d ngày", days) % {"n": days})
        if hours and days < 3:
            parts.append(ngettext("%(n)d giờ", "%(n)d giờ", hours) % {"n": hours})
    elif hours:
        parts.append(ngettext("%(n)d giờ", "%(n)d giờ", hours) % {"n": hours})
        if minutes:
            parts.append(ngettext("%(n)d phút", "%(n)d phút", minutes) % {"n": minutes})
    else:
        parts.append(ngettext("%(n)d phút", "%(n)d phút", minutes) % {"n": minutes})
    return " ".join(parts)


def time_left(due, now: datetime | None = None) -> str:
    """Say how long until `due`: "còn 7 ngày", "còn 5 giờ 3 phút", or "quá hạn 2 ngày"."""
    if not due:
        return ""
    now = now or timezone.now()
    if due >= now:
        return _("còn %(span)s") % {"span": _span(due - now)}
    return _("quá hạn %(span)s") % {"span": _span(now - due)}
