"""Notifications and language in a real browser: the unread count in the staff and public
menus, the list, the e-mail switch on the own-account page, and viewflow's pages in Vietnamese;
screenshots at 1280 px and 390 px."""

import pytest

from roles.models import UserPreference
from tests.browser.helpers import browser_login, wait_until
from tests.workflows.helpers import open_task, submit, task_url

pytestmark = pytest.mark.browser

WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}


@pytest.fixture
def notified(journalist, organisation, staff, act, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case = submit(journalist, organisation)
        act(
            staff["vanthu"],
            case,
            "triage",
            {"action": "accept", "assignees": [staff["chuyenvien"].pk]},
        )
        submit(journalist, organisation, subject="Bữa ăn bán trú tại Trường Tiểu học An Phú")
    return case


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_notification_pages(live_server, page, shot, notified, staff, journalist, size):
    base = live_server.url
    page.set_viewport_size(dict(zip(("width", "height"), WIDTHS[size], strict=True)))
    browser_login(page, base, staff["chuyenvien"].username)
    page.goto(f"{base}/workspace/cases/pages/")
    bell = page.locator(".pn-bell__count")
    assert bell.is_visible() and bell.inner_text() == "1"
    if size == "phone":
        shot(page, f"notify-{size}-toolbar-bell")
        page.locator("button.vf-page__menu-toggle").first.click()
        page.wait_for_timeout(400)
    badge = page.locator(".pn-badge")
    assert badge.is_visible() and badge.inner_text().startswith("1")
    shot(page, f"notify-{size}-menu-badge")
    page.goto(f"{base}/workspace/cases/pages/thong-bao/")
    assert notified.reference in page.content()
    shot(page, f"notify-{size}-list")
    page.goto(f"{base}/workspace/cases/pages/")
    assert page.locator(".pn-badge").count() == 0
    page.goto(f"{base}/workspace/organisation/me/")
    page.uncheck("input[name=email_notifications]")
    page.locator("form.preference-form button[type=submit]").click()
    wait_until(
        page,
        lambda: UserPreference.objects.filter(
            user=staff["chuyenvien"], email_notifications=False
        ).exists(),
    )
    page.goto(f"{base}/workspace/organisation/me/")
    assert not page.is_checked("input[name=email_notifications]")
    shot(page, f"notify-{size}-own-account")
    task = open_task(notified, "draft")
    for view in ("detail", "index"):
        page.goto(base + task_url(task, view))
        shot(page, f"notify-{size}-task-{view}")
    page.goto(f"{base}/workspace/case/{task.process_id}/")
    shot(page, f"notify-{size}-process")
    page.goto(f"{base}/workspace/case/queue/")
    shot(page, f"notify-{size}-queue")

    browser_login(page, base, journalist.username)
    page.goto(f"{base}/nha-bao/ho-so/")
    assert page.locator("header .badge, nav .badge").count() >= 1
    shot(page, f"notify-{size}-journalist-menu")
    page.goto(f"{base}/thong-bao/")
    shot(page, f"notify-{size}-journalist-list")
    page.goto(f"{base}/tai-khoan/")
    shot(page, f"notify-{size}-journalist-account")
    overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    assert not overflow


def test_notification_pages_pass_axe(live_server, page, shot, notified, staff, journalist):
    from tests.browser.test_zz_accessibility import _check

    base = live_server.url
    problems = []
    browser_login(page, base, staff["chuyenvien"].username)
    for name, path in (
        ("staff-own-account", "/workspace/organisation/me/"),
        ("staff-notifications", "/workspace/cases/pages/thong-bao/"),
    ):
        page.goto(base + path)
        problems += _check(page, shot, name, phone_fits=False)
    browser_login(page, base, journalist.username)
    for name, path in (("journalist-notifications", "/thong-bao/"), ("account", "/tai-khoan/")):
        page.goto(base + path)
        problems += _check(page, shot, name, phone_fits=True)
    assert not problems, "\n".join(problems)
