"""The administrator's working calendar in Chromium: each year's days off with their source,
24/11 switched off with a reason, the page saved as a test artefact (issue 15)."""

from datetime import date, datetime

import pytest
import time_machine

from tests.browser.helpers import browser_login, wait_until
from tests.factories import UserFactory
from workflows.rules import calendar
from workflows.rules.models import CalendarSwap

pytestmark = pytest.mark.browser

VN = calendar.VN_TZ
OVERVIEW = "/quan-tri/workflows/calendaryear/"


@pytest.fixture(autouse=True)
def _travel():
    with time_machine.travel(datetime(2026, 11, 30, 10, tzinfo=VN), tick=True):
        calendar.invalidate()
        yield
    calendar.invalidate()


def test_the_administrator_switches_24_november_off_with_a_reason(live_server, page, shot, db):
    base = live_server.url
    admin = UserFactory(username="quantri", is_staff=True, is_superuser=True)
    browser_login(page, base, admin.username)
    page.goto(base + OVERVIEW)
    year = page.locator("#nam-2026")
    assert "Dự kiến" in year.locator("h2").inner_text()
    row = year.locator("tr", has_text="24/11/2026")
    assert "Ngày Văn hóa Việt Nam" in row.inner_text()
    assert "Chưa xác thực" in row.inner_text()
    assert page.locator("#nam-2027 .messagelist").count() == 1
    shot(page, "calendar-years")

    row.locator("input[name=reason]").fill("Chưa có luật sửa Điều 112 Bộ luật Lao động")
    row.get_by_role("button", name="Không áp dụng ngày nghỉ này").click()
    wait_until(page, lambda: CalendarSwap.objects.filter(date=date(2026, 11, 24)).exists())
    page.wait_for_load_state("networkidle")
    row = page.locator("#nam-2026 tr", has_text="24/11/2026")
    assert "Không áp dụng: Chưa có luật sửa Điều 112" in row.inner_text()
    shot(page, "calendar-years-24-11-off")
