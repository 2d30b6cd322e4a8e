"""Both registers in Chromium: the outgoing register's ten columns with the number whole, and
the văn thư registering a press letter in the incoming register (pages saved as artefacts)."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from playwright.sync_api import expect

from release.models import IncomingDocument
from tests.browser.helpers import browser_login, wait_until
from tests.release.helpers import issue

pytestmark = pytest.mark.browser
VN = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture(autouse=True)
def _travel():
    with time_machine.travel(datetime(2026, 11, 30, 10, tzinfo=VN), tick=True):
        yield


@pytest.fixture
def outgoing(organisation, head, signing_credentials, unit):
    """Three signed documents, issued before the browser starts (signing runs its own loop)."""
    return [
        issue(organisation, head, summary=f"Về việc tuyển sinh lớp 6, đợt {n + 1}", unit=unit)
        for n in range(3)
    ]


def test_outgoing_register_shows_ten_columns_and_whole_numbers(
    outgoing, live_server, page, shot, registry_officer
):
    browser_login(page, live_server.url, registry_officer.username)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + "/workspace/outgoing/register/?org=pgddt-thuan-an")
    headers = page.locator("table.register thead th").all_inner_texts()
    for column in ("Đơn vị, người nhận bản lưu", "Ký nhận", "Số, ký hiệu"):
        assert column in headers
    cell = page.locator("table.register tbody tr").first.locator("td").first
    assert cell.inner_text() == "03/TB-PGDĐT"
    shot(page, "outgoing-register")
    # One line, nothing cut off: the text's box fits in the cell (no ellipsis, no wrap).
    fits = cell.evaluate(
        """td => { const r = document.createRange(); r.selectNodeContents(td);
        const text = r.getBoundingClientRect(), box = td.getBoundingClientRect();
        return [text.width, box.width, text.height, getComputedStyle(td).textOverflow,
                getComputedStyle(td).whiteSpace]; }"""
    )
    assert fits[0] <= fits[1] and fits[2] < 30 and fits[4] == "nowrap", fits


def test_the_registry_officer_registers_a_press_letter(
    live_server, page, shot, organisation, registry_officer
):
    browser_login(page, live_server.url, registry_officer.username)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + "/workspace/outgoing/incoming/?org=pgddt-thuan-an")
    page.fill("input[name=sender]", "Báo Giáo dục và Thời đại")
    page.fill("input[name=letter_number]", "125/GDTĐ-TKTS")
    page.fill("input[name=letter_date]", "27/11/2026")
    page.fill("textarea[name=summary]", "Công văn đề nghị cung cấp thông tin về tuyển sinh lớp 6")
    page.fill("input[name=handler]", "Tổ Giáo dục Tiểu học")
    page.click("form.incoming-form button[type=submit]")
    wait_until(page, lambda: IncomingDocument.objects.exists())
    page.wait_for_load_state("networkidle")
    row = page.locator("table.incoming tbody tr").first
    # The register page after the redirect may still be arriving on a busy machine: wait for it.
    expect(row).to_contain_text("125/GDTĐ-TKTS")
    assert "125/GDTĐ-TKTS" in row.inner_text() and "27/11/2026" in row.inner_text()
    assert row.locator("td").nth(1).inner_text() == "01"
    shot(page, "incoming-register")
