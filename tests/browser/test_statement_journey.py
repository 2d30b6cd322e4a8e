"""The statement journey in a real browser: the spokesperson drafts an initial statement with
its 24-hour clock, the head signs it, the public reads it in the newsroom and verifies it."""

import pytest
from viewflow.workflow.models import Task

from tests.browser.helpers import browser_login, wait_until
from tests.workflows.helpers import open_task, task_url
from workflows.statements.models import Statement

pytestmark = pytest.mark.browser


def _do(page, base, shot, user, statement, step, fill):
    browser_login(page, base, user.username)
    task = open_task(statement, step)
    if task.status == "NEW":
        page.goto(base + task_url(task, "assign"))
        page.locator("form.vf-form button").last.click()
        wait_until(page, lambda: Task.objects.get(pk=task.pk).owner_id == user.pk)
    page.goto(base + task_url(task, "execute"))
    fill(page)
    shot(page, f"statement-{step}")
    page.locator("form.statement-task-form button[type=submit]").last.click()
    wait_until(page, lambda: Task.objects.get(pk=task.pk).status == "DONE")
    page.wait_for_url(lambda url: "/execute/" not in url)  # Turbo lands on "Việc hôm nay"
    page.wait_for_load_state()
    statement.refresh_from_db()


def test_statement_journey(live_server, page, shot, organisation, staff, signing_credentials):
    base = live_server.url
    title = "Thông tin ban đầu về sự cố sập mái che tại Trường Tiểu học An Phú"
    browser_login(page, base, staff["phatngon"].username)
    page.goto(f"{base}/workspace/statements/pages/tao/")
    page.select_option("select[name=organisation]", str(organisation.pk))
    page.select_option("select[name=kind]", "initial_statement")
    page.fill("input[name=title]", title)
    from django.utils import timezone

    started = timezone.localtime(timezone.now() - timezone.timedelta(hours=3))
    page.fill("input[name=clock_start_at]", started.strftime("%Y-%m-%dT%H:%M"))
    page.fill(
        "textarea[name=event_summary]", "Mái che nhà xe bị sập lúc 7 giờ, không ai bị thương."
    )
    shot(page, "statement-create")
    page.locator("form.statement-create-form button[type=submit]").click()
    wait_until(page, lambda: Statement.objects.exists())
    page.wait_for_load_state()
    statement = Statement.objects.get()
    page.goto(f"{base}/workspace/statements/pages/{statement.pk}/")
    assert "Còn 20 giờ" in page.content() or "Còn 21 giờ" in page.content()
    shot(page, "statement-clock")

    _do(
        page,
        base,
        shot,
        staff["phatngon"],
        statement,
        "draft",
        lambda p: p.fill(
            "textarea[name=body]",
            "Khoảng 7 giờ sáng nay, mái che nhà xe của Trường Tiểu học An Phú bị sập do mưa lớn; "
            "không có học sinh, giáo viên bị thương.",
        ),
    )
    assert statement.status == Statement.Status.REVIEW
    _do(
        page,
        base,
        shot,
        staff["phatngon"],
        statement,
        "review",
        lambda p: p.check("input[name=action][value=approve]"),
    )
    _do(
        page,
        base,
        shot,
        staff["lanhdao"],
        statement,
        "signoff",
        # Signing asks for an explicit confirmation under the draft document.
        lambda p: (p.check("input[name=action][value=sign]"), p.check("input[name=confirm]")),
    )
    wait_until(
        page,
        lambda: Statement.objects.get(pk=statement.pk).status == Statement.Status.RELEASED,
        60_000,
    )
    statement.refresh_from_db()
    assert statement.on_time

    page.context.clear_cookies()  # the public
    page.goto(f"{base}/tin-bao-chi/")
    assert title in page.content()
    shot(page, "newsroom")
    page.get_by_text(title).first.click()
    page.wait_for_load_state()
    assert statement.document.number_display in page.content()
    shot(page, "newsroom-detail")
