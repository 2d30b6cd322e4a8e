"""The staff's answered question with one return, walked from "Việc hôm nay" in Chromium.

Every step starts on the start page, where one click ("Nhận và xử lý" or "Xử lý") opens the
step's form; acting there leads back to the start page. The clicks are counted (typing is
not) and every page is saved at 1280 and 390 px; axe checks the start page and the lists.
"""

import pytest
from axe_playwright_python.sync_playwright import Axe
from viewflow.workflow.models import Task

from tests.browser.helpers import browser_login, wait_until
from tests.workflows.helpers import open_task
from workflows.cases.models import Case

pytestmark = pytest.mark.browser

TODAY = "/workspace/work/"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


class Clicks:
    """Counts the user's deliberate clicks and selections."""

    def __init__(self, page):
        self.page, self.n, self.navigation = page, 0, 0

    def click(self, locator, *, navigation=False):
        self.n += 1
        self.navigation += navigation
        locator.click()

    def check(self, selector):
        self.n += 1
        self.page.check(selector)

    def select(self, selector, values):
        self.n += 1
        self.page.select_option(selector, values)


def _login(page, base, username):
    """Log in; the login lands on /bat-dau/, which sends staff to "Việc hôm nay"."""
    browser_login(page, base, username)
    page.wait_for_url(f"{base}{TODAY}")


def _both_widths(page, shot, name):
    for label, size in (("1280", DESKTOP), ("390", PHONE)):
        page.set_viewport_size(size)
        shot(page, f"work-{name}-{label}")
    page.set_viewport_size(DESKTOP)


def _axe(page, name) -> list[str]:
    problems = []
    for label, size in (("1280", DESKTOP), ("390", PHONE)):
        page.set_viewport_size(size)
        for violation in Axe().run(page).response["violations"]:
            if violation["impact"] in {"serious", "critical"}:
                targets = [node["target"] for node in violation["nodes"]][:3]
                problems.append(f"{name} @{label}: {violation['id']} {targets}")
    page.set_viewport_size(DESKTOP)
    return problems


def _step(page, base, shot, clicks, user, case, step, fill, *, expect_returned=False):
    """From the start page: one click to the step's form, act, and back on the start page."""
    _login(page, base, user.username)
    row = page.locator("li.work-row", has_text=case.reference).first
    if expect_returned:
        assert "bị trả lại" in row.inner_text()
    _both_widths(page, shot, f"{step}-{user.username}-today")
    task = open_task(case, step)
    button = row.locator(".work-take, .work-go").first
    clicks.click(button, navigation=True)
    page.wait_for_url(lambda url: "/execute/" in url)
    fill(page, clicks)
    shot(page, f"work-{step}-{user.username}-form")
    clicks.click(page.locator("form.case-task-form button[type=submit]").last)
    wait_until(page, lambda: Task.objects.get(pk=task.pk).status == "DONE")
    page.wait_for_url(f"{base}{TODAY}")
    case.refresh_from_db()


def test_an_answered_question_with_one_return_from_the_start_page(
    live_server, page, shot, case, staff, signing_credentials
):
    base = live_server.url
    clicks = Clicks(page)
    problems = []

    _login(page, base, staff["vanthu"].username)
    problems += _axe(page, "today-vanthu")
    page.goto(f"{base}/workspace/work/cho-nhan/")
    _both_widths(page, shot, "queue-vanthu")
    problems += _axe(page, "queue-vanthu")

    def triage(p, c):
        c.check("input[name=action][value=accept]")
        c.select("select[name=assignees]", [str(staff["chuyenvien"].pk)])

    _step(page, base, shot, clicks, staff["vanthu"], case, "triage", triage)
    assert case.status == Case.Status.DRAFTING

    def draft(p, c):
        p.fill("textarea[name=answer]", "Phòng đã kiểm tra; nhà trường không thu trái quy định.")

    # Given to the specialist: in their own list, held, no claim.
    _step(page, base, shot, clicks, staff["chuyenvien"], case, "draft", draft)
    assert case.status == Case.Status.REVIEW

    def give_back(p, c):
        c.check("input[name=action][value=return]")
        p.fill("textarea[name=comment]", "Bổ sung kết quả kiểm tra của Phòng.")

    _step(page, base, shot, clicks, staff["phatngon"], case, "review", give_back)
    assert case.status == Case.Status.DRAFTING

    _login(page, base, staff["chuyenvien"].username)
    page.goto(f"{base}/workspace/work/cua-toi/")
    _both_widths(page, shot, "mine-returned")
    problems += _axe(page, "mine-chuyenvien")
    page.goto(f"{base}/workspace/work/{open_task(case, 'draft').pk}/chuyen/")
    _both_widths(page, shot, "reassign")
    problems += _axe(page, "reassign")
    page.goto(f"{base}{TODAY}")
    _step(page, base, shot, clicks, staff["chuyenvien"], case, "draft", draft, expect_returned=True)

    def approve(p, c):
        c.check("input[name=action][value=approve]")

    _step(page, base, shot, clicks, staff["phatngon"], case, "review", approve)
    assert case.status == Case.Status.SIGNOFF

    def sign(p, c):
        c.check("input[name=action][value=sign]")
        c.check("input[name=confirm]")  # the signer confirms having read the draft document

    _step(page, base, shot, clicks, staff["lanhdao"], case, "signoff", sign)
    assert case.status in (Case.Status.RELEASING, Case.Status.ANSWERED)

    # Six steps, each one click from the start page; the rest is the forms' own choices.
    assert clicks.navigation == 6
    print(f"staff clicks from the start page to signed: {clicks.n}")  # noqa: T201
    # Issue 13's target is 15; today 18 (the forms' radio buttons and the signer's confirmation).
    assert clicks.n <= 18
    assert not problems, "\n".join(problems)


def test_no_sideways_scrolling_of_the_start_page_on_a_phone(live_server, page, shot, case, staff):
    _login(page, live_server.url, staff["vanthu"].username)
    page.set_viewport_size(PHONE)
    shot(page, "work-today-phone")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
