"""The Content-Security-Policy holds in a real browser: no page trips it, and the pages still work.

Chromium logs every blocked script, style, image, frame or form target as a console error
("Refused to ... because it violates the following Content Security Policy directive").
"""

import pytest
from viewflow.workflow.models import Task

from tests.browser.helpers import browser_login
from tests.factories import UserFactory
from tests.workflows.helpers import open_task, task_url

pytestmark = pytest.mark.browser


@pytest.fixture
def violations(page):
    """Collect the CSP violations (and script errors) the browser reports while the test runs."""
    seen = []
    page.on(
        "console",
        lambda msg: (
            seen.append(f"{page.url}: {msg.text}")
            if "Content Security Policy" in msg.text or "Refused to" in msg.text
            else None
        ),
    )
    page.on("pageerror", lambda error: seen.append(f"{page.url}: {error}"))
    return seen


def _visit(page, url):
    response = page.goto(url)
    page.wait_for_load_state("networkidle")
    assert response.status == 200, (url, response.status)
    assert "'unsafe-eval'" not in response.headers["content-security-policy"]
    return response


def test_public_pages_keep_the_policy(live_server, page, violations, organisation):
    base = live_server.url
    for path in ("/", "/dang-nhap/", "/tin-bao-chi/", "/xac-thuc/", "/quen-mat-khau/"):
        _visit(page, base + path)
    # The language switcher's script is a static file now (no inline onchange handler).
    page.goto(base + "/")
    for language in ("en", "vi"):
        with page.expect_navigation():
            page.select_option("select[name=language]", language)
        page.wait_for_load_state("networkidle")
        assert page.locator("html").get_attribute("lang") == language
    assert violations == [], "\n".join(violations)


def test_api_docs_render_under_the_policy(live_server, page, violations):
    _visit(page, live_server.url + "/api/docs/")
    # Swagger UI loaded the schema and drew the operations: its scripts ran.
    page.wait_for_selector(".opblock", timeout=30_000)
    assert violations == [], "\n".join(violations)


def test_staff_workspace_and_task_pages_keep_the_policy(live_server, page, violations, staff, case):
    base = live_server.url
    officer = staff["vanthu"]
    browser_login(page, base, officer.username)
    _visit(page, base + "/workspace/")
    _visit(page, base + "/workspace/cases/pages/")
    # viewflow's Material components are custom elements defined by its static scripts.
    assert page.evaluate("() => !!customElements.get('vf-page')")
    task = open_task(case, "triage")
    _visit(page, base + task_url(task, "assign"))
    # The task form works: claiming it through the page (a Turbo form submission).
    page.locator("form.vf-form button").last.click()
    page.wait_for_load_state("networkidle")
    for _ in range(100):
        if Task.objects.get(pk=task.pk).owner_id == officer.pk:
            break
        page.wait_for_timeout(200)
    assert Task.objects.get(pk=task.pk).owner_id == officer.pk
    _visit(page, base + task_url(task, "execute"))
    assert page.locator("form.case-task-form").count() == 1
    _visit(page, base + "/doi-mat-khau/")
    assert violations == [], "\n".join(violations)


def test_admin_keeps_the_policy(live_server, page, violations, db):
    base = live_server.url
    admin = UserFactory(username="quantri", is_staff=True, is_superuser=True)
    browser_login(page, base, admin.username)
    _visit(page, base + "/quan-tri/")
    _visit(page, base + "/quan-tri/auth/user/")
    _visit(page, base + f"/quan-tri/auth/user/{admin.pk}/change/")
    assert violations == [], "\n".join(violations)
