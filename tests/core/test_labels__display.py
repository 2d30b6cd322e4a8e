"""One way of writing a moment, the time left and a role, in Vietnamese (and English)."""

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.template import Context, Template
from django.utils import translation

from core.labels import datetime_display, role_label, time_left

# 12:13 UTC is 19:13 in Vietnam (+07:00).
MOMENT = datetime(2026, 11, 30, 12, 13, 5, tzinfo=UTC)


def render(source: str, **context) -> str:
    return Template("{% load display %}" + source).render(Context(context))


def test_a_moment_reads_hour_then_day_in_vietnam_time():
    assert datetime_display(MOMENT) == "19:13 ngày 30/11/2026"
    assert datetime_display(MOMENT, seconds=True) == "19:13:05 ngày 30/11/2026"


def test_iso_text_and_dates_are_accepted_and_empty_gives_nothing():
    assert datetime_display("2026-11-30T19:16:18+07:00", seconds=True) == "19:16:18 ngày 30/11/2026"
    assert datetime_display(date(2026, 12, 7)) == "07/12/2026"
    assert datetime_display(None) == "" and datetime_display("") == ""


def test_the_template_filter_and_viewflows_localized_dates_agree():
    assert render("{{ at|datetime_vn }}", at=MOMENT) == "19:13 ngày 30/11/2026"
    assert render('{{ at|datetime_vn:"s" }}', at=MOMENT) == "19:13:05 ngày 30/11/2026"
    # viewflow's lists localize values with DATETIME_FORMAT (config/formats/vi).
    assert render("{{ at }}", at=MOMENT) == "19:13 ngày 30/11/2026"


def test_english_says_on():
    with translation.override("en"):
        assert datetime_display(MOMENT) == "19:13 on 30/11/2026"


@time_machine.travel(MOMENT, tick=False)
@pytest.mark.parametrize(
    ("delta", "text"),
    [
        (timedelta(days=7), "còn 7 ngày"),
        (timedelta(days=1, hours=5), "còn 1 ngày 5 giờ"),
        (timedelta(hours=3, minutes=4), "còn 3 giờ 4 phút"),
        (timedelta(minutes=12), "còn 12 phút"),
        (-timedelta(days=2), "quá hạn 2 ngày"),
    ],
)
def test_time_left_is_said_in_vietnamese(delta, text):
    assert time_left(MOMENT + delta) == text
    assert render("{{ due|time_left }}", due=MOMENT + delta) == text


@time_machine.travel(MOMENT, tick=False)
def test_time_left_in_english():
    with translation.override("en"):
        assert time_left(MOMENT + timedelta(days=7)) == "7 days left"


def test_roles_are_named_not_coded(db):
    assert role_label("registry_officer") == "Văn thư / cán bộ truyền thông"
    assert role_label("head,spokesperson") == "Người đứng đầu, Người phát ngôn"
    assert role_label("system") == "Hệ thống" and role_label("journalist") == "Nhà báo"
    assert role_label("") == "" and role_label("unknown_code") == "unknown_code"
    assert render("{{ r|role_label }}", r="inspector") == "Thanh tra"
