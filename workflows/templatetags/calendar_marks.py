"""Honest deadlines on pages: `{% load calendar_marks %}`.

`{% deadline_mark case %}` after a due date adds "(dự kiến)" when the date rests on a
provisional holiday calendar, and for a deadline that could not be computed (no calendar data
for its year) says "chưa xác định — lịch năm <Y> chưa có dữ liệu". One tag for every page that
shows a due date, so the mark is the same everywhere.
"""

import re

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from workflows.rules import calendar, calendar_years, deadlines

register = template.Library()

_YEAR = "0000"


def _undetermined_year(explanation: str) -> int | None:
    # The explanation was stored in the language of the request that computed it.
    for text in {calendar.undetermined_text(_YEAR), _undetermined_vi()}:
        pattern = re.escape(text).replace(_YEAR, r"(\d{4})")
        found = re.search(pattern, explanation or "")
        if found:
            return int(found.group(1))
    return None


def _undetermined_vi() -> str:
    from django.utils import translation

    with translation.override("vi"):
        return calendar.undetermined_text(_YEAR)


@register.simple_tag
def deadline_mark(obj) -> str:
    """ " (dự kiến)" after a provisional due date; the reason when there is no due date."""
    due_at = getattr(obj, "due_at", None)
    if due_at is None:
        year = _undetermined_year(getattr(obj, "due_explanation", ""))
        if year is None:
            return ""
        return format_html(
            '<span class="deadline-undetermined">{}</span>', calendar.undetermined_text(year)
        )
    if not deadlines.deadline_is_provisional(due_at):
        return ""
    return format_html(
        ' <span class="deadline-provisional" title="{}">({})</span>',
        _("Lịch nghỉ năm %(year)s chưa được xác nhận theo văn bản chính thức; hạn có thể thay đổi.")
        % {"year": calendar.local(due_at).year},
        _("dự kiến"),
    )


@register.simple_tag
def calendar_notice() -> str:
    """The warning about this year's and next year's calendar, or ""."""
    return calendar_years.staff_calendar_notice()
