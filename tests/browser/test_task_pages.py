"""Task pages in a real browser: the whole case with its files, only the chosen decision's
fields, the signer's draft document and confirmation, and the page of a finished task.
Screenshots at 1280 and 390 px go to test-artifacts/browser/."""

import pytest
from viewflow.workflow.models import Task

from tests.browser.helpers import axe_problems, both_widths, browser_login, wait_until
from tests.workflows.helpers import open_task, submit, task_url
from workflows.cases import uploads
from workflows.cases.models import Case

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478"
    "9c6360000002000185d0a6d20000000049454e44ae426082"
)


def _claim_and_open(page, base, user, case, step):
    task = open_task(case, step)
    if task.status == "NEW":
        page.goto(base + task_url(task, "assign"))
        page.locator("form.vf-form button").last.click()
        wait_until(page, lambda: Task.objects.get(pk=task.pk).owner_id == user.pk)
    page.goto(base + task_url(task, "execute"))
    page.wait_for_load_state("networkidle")
    return task


def _both_widths(page, shot, name, problems):
    """Screenshots at both widths (no sideways scrolling at 390 px), and axe's serious and
    critical findings."""
    problems += both_widths(page, shot, f"task-{name}")
    problems += axe_problems(page, name)


def test_task_pages_in_the_browser(
    live_server, page, shot, journalist, organisation, staff, act, signing_credentials
):
    base = live_server.url
    problems = []  # CSP violations, script errors, axe's serious and critical findings
    page.on(
        "console",
        lambda msg: problems.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    page.on("pageerror", lambda error: problems.append(str(error)))
    case = submit(
        journalist,
        organisation,
        attachments=[
            uploads.Upload(name="giay-gioi-thieu.pdf", data=PDF),
            uploads.Upload(name="the-nha-bao.png", data=PNG),
        ],
    )

    # Triage: the whole case, the files, and only the chosen decision's fields.
    browser_login(page, base, staff["vanthu"].username)
    _claim_and_open(page, base, staff["vanthu"], case, "triage")
    assert page.locator("ol >> text=Phòng đã kiểm tra chưa?").count() == 1
    # The form opens on its forward action, and the button names it.
    button = page.locator("form.case-task-form button.task-submit")
    assert page.locator("input[name=action][value=accept]").is_checked()
    assert button.inner_text() == "Tiếp nhận và giao việc"
    assert page.locator(".field-assignees").is_visible()
    assert page.locator(".field-to").is_hidden() and page.locator(".field-message").is_hidden()
    page.check("input[name=action][value=forward]")
    assert page.locator(".field-assignees").is_hidden() and page.locator(".field-to").is_visible()
    assert button.inner_text() == "Chuyển"
    page.check("input[name=action][value=accept]")
    assert button.inner_text() == "Tiếp nhận và giao việc"
    # Opened last: headless Chromium may route the next click to a PDF viewer's frame.
    page.locator(".attachment-list summary").last.click()
    page.locator(".attachment-list summary").first.click()
    page.wait_for_load_state("networkidle")
    assert page.locator(".attachment-list iframe.attachment-pdf").count() == 1
    # networkidle can come before a busy server has sent the image: wait for it to load.
    page.locator(".attachment-list img.attachment-image").wait_for(state="attached")
    page.wait_for_function(
        "() => { const i = document.querySelector('.attachment-list img.attachment-image');"
        " return i && i.complete && i.naturalWidth > 0; }",
        timeout=15000,
    )
    assert page.locator(".attachment-list img.attachment-image").evaluate(
        "img => img.complete && img.naturalWidth > 0"
    )
    _both_widths(page, shot, "triage", problems)

    act(
        staff["vanthu"], case, "triage", {"action": "accept", "assignees": [staff["chuyenvien"].pk]}
    )
    act(staff["chuyenvien"], case, "draft", {"action": "submit", "answer": "Đã kiểm tra."})
    act(staff["phatngon"], case, "review", {"action": "approve"})

    # Sign-off: the draft document, and an explicit confirmation. "Ký số và ban hành" is
    # chosen when the page opens: two clicks on the page (the confirmation, the button).
    browser_login(page, base, staff["lanhdao"].username)
    signoff = _claim_and_open(page, base, staff["lanhdao"], case, "signoff")
    # The draft's pages as an image (phones show it too), the PDF behind a link.
    image = page.locator("img.draft-page")
    assert image.evaluate("img => img.complete && img.naturalWidth > 0")
    link = page.locator("a:has-text('Mở văn bản dự thảo (PDF)')").get_attribute("href")
    draft = page.request.get(base + link)
    assert draft.status == 200 and draft.headers["content-type"] == "application/pdf"
    assert page.locator("text=(số sẽ cấp khi ký)").count() >= 1
    button = page.locator("form.case-task-form button.task-submit")
    assert page.locator("input[name=action][value=sign]").is_checked()
    assert page.locator(".field-confirm").is_visible()
    assert page.locator(".field-comment").is_hidden()
    assert not page.locator("input[name=confirm]").is_checked()
    # Said as written, not in Material's capitals.
    assert button.inner_text() == "Ký số và ban hành"
    assert button.evaluate("b => getComputedStyle(b).textTransform") == "none"
    _both_widths(page, shot, "signoff", problems)
    page.check("input[name=action][value=return]")  # returning stays one click away
    assert button.inner_text() == "Trả lại"
    assert (
        page.locator(".field-confirm").is_hidden() and page.locator(".field-comment").is_visible()
    )
    page.check("input[name=action][value=sign]")
    assert button.inner_text() == "Ký số và ban hành"
    page.check("input[name=confirm]")  # click 1
    assert page.locator("input[name=confirm]").is_checked()
    shot(page, "task-signoff-confirmed-1280")
    button.click()  # click 2
    wait_until(page, lambda: Case.objects.get(pk=case.pk).status != Case.Status.SIGNOFF)

    # The task's address again (the back button, an old tab): done, with a link to the case.
    page.wait_for_load_state("networkidle")
    page.goto(base + task_url(signoff, "execute"))
    page.wait_for_load_state("networkidle")
    assert page.locator("text=Việc này đã được xử lý xong.").count() == 1
    assert page.locator(f"a:has-text('Xem hồ sơ {case.reference}')").count() == 1
    _both_widths(page, shot, "done", problems)
    assert problems == [], problems
