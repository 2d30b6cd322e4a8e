"""The demo journey in a real browser: journalist asks, the office answers, journalist verifies."""

import re

import pytest
from viewflow.workflow.models import Task

from tests.browser.helpers import browser_login, wait_until
from tests.workflows.helpers import open_task, task_url
from workflows.cases.models import Case

pytestmark = pytest.mark.browser


def _take_and_do(page, base, shot, user, case, step, fill):
    browser_login(page, base, user.username)
    task = open_task(case, step)
    if task.status == "NEW":
        page.goto(base + task_url(task, "assign"))
        shot(page, f"{step}-assign")
        page.locator("form.vf-form button").last.click()  # assign (claim) the task
        wait_until(page, lambda: Task.objects.get(pk=task.pk).owner_id == user.pk)
    page.goto(base + task_url(task, "execute"))
    fill(page)
    shot(page, f"{step}-form")
    page.locator("form.case-task-form button[type=submit]").last.click()
    wait_until(page, lambda: Task.objects.get(pk=task.pk).status == "DONE")
    # Turbo follows the redirect to "Việc hôm nay" by fetch: let it land before the next login.
    page.wait_for_url(lambda url: "/execute/" not in url)
    page.wait_for_load_state("networkidle")
    shot(page, f"{step}-done")
    case.refresh_from_db()


def test_demo_journey(
    live_server, page, shot, journalist, organisation, staff, signing_credentials
):
    base = live_server.url
    browser_login(page, base, journalist.username)
    page.goto(f"{base}/nha-bao/ho-so/gui/")
    page.select_option("select[name=organisation]", str(organisation.pk))
    page.select_option("select[name=kind]", "question")
    page.fill("input[name=subject]", "Thu tiền học thêm tại Trường THCS Nguyễn Trãi")
    page.fill(
        "textarea[name=questions]",
        "Việc thu tiền có đúng quy định không?\n\nPhòng đã kiểm tra chưa?",
    )
    shot(page, "journalist-submit")
    page.click("form.form button[type=submit]")
    page.wait_for_url(re.compile(r"/nha-bao/ho-so/HS-\d{4}-\d{6}/$"))
    assert "Hạn trả lời" in page.content()
    shot(page, "journalist-case-received")
    case = Case.objects.get()

    _take_and_do(
        page,
        base,
        shot,
        staff["vanthu"],
        case,
        "triage",
        # "Tiếp nhận và giao việc" is chosen when the form opens.
        lambda p: p.select_option("select[name=assignees]", [str(staff["chuyenvien"].pk)]),
    )
    assert case.status == Case.Status.DRAFTING
    _take_and_do(
        page,
        base,
        shot,
        staff["chuyenvien"],
        case,
        "draft",
        lambda p: p.fill(
            "textarea[name=answer]",
            "Phòng Giáo dục và Đào tạo đã kiểm tra; nhà trường không thu tiền học thêm trái quy định.",
        ),
    )
    assert case.status == Case.Status.REVIEW
    _take_and_do(
        page,
        base,
        shot,
        staff["phatngon"],
        case,
        "review",
        lambda p: None,  # "Đồng ý, trình lãnh đạo ký" is chosen when the form opens
    )
    assert case.status == Case.Status.SIGNOFF
    _take_and_do(
        page,
        base,
        shot,
        staff["lanhdao"],
        case,
        "signoff",
        # "Ký số và ban hành" is chosen; signing asks for an explicit confirmation.
        lambda p: p.check("input[name=confirm]"),
    )
    # The answer is numbered, rendered and signed by the (eager, in tests) Celery task.
    wait_until(page, lambda: Case.objects.get(pk=case.pk).status == Case.Status.ANSWERED, 60_000)
    case.refresh_from_db()

    browser_login(page, base, journalist.username)
    page.goto(f"{base}/nha-bao/ho-so/{case.reference}/")
    shot(page, "journalist-answered")
    with page.expect_download() as download:
        page.get_by_text("Tải văn bản đã ký số").click()
    pdf = download.value.path().read_bytes()
    assert pdf.startswith(b"%PDF")
    page.get_by_text("Xác thực").first.click()
    page.wait_for_load_state()
    shot(page, "verification-page")
    assert case.document.number_display in page.content()
