"""The journalist's journey in Chromium: log in onto "Hồ sơ của tôi", one click to the submit
form and one to the latest case; a question with an attachment; the case page lists and
downloads the file and says where the case stands in plain words; once the office has answered
(its steps driven through the real task pages: the test client, the head in the browser), the journalist reads the
answer and downloads the signed PDF.

Clicks are counted (typing is not); every page is saved at 1280 and 390 px and may not scroll
sideways on a phone; axe checks the case list and the case page.
"""

import re

import pytest
from viewflow.workflow.models import Task

from tests.browser.helpers import Clicks, axe_problems, both_widths, browser_login, wait_until
from tests.workflows.helpers import open_task, task_url
from workflows.cases.models import Case

pytestmark = pytest.mark.browser

CASES = "/nha-bao/ho-so/"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
ANSWER = "Phòng đã kiểm tra; Trường THCS Nguyễn Trãi không thu tiền học thêm trái quy định."


def _latest_case_link(page):
    return page.locator("table a[href^='/nha-bao/ho-so/HS-']").first


def test_the_journalist_asks_and_reads_the_signed_answer(
    live_server, page, shot, journalist, organisation, staff, act, signing_credentials
):
    base = live_server.url
    problems = []
    page.on("pageerror", lambda error: problems.append(str(error)))

    # Log in: "Hồ sơ của tôi" is where a journalist lands.
    browser_login(page, base, journalist.username)
    assert page.url == f"{base}{CASES}"
    assert page.locator("h1", has_text="Hồ sơ của tôi").count() == 1
    problems += both_widths(page, shot, "journalist-cases-empty")

    # One click to the submit form.
    to_form = Clicks(page)
    to_form.click(page.locator("main a", has_text="Gửi câu hỏi").first, navigation=True)
    page.wait_for_url(f"{base}{CASES}gui/")
    assert to_form.n == 1
    assert page.locator("h1").count() == 1
    problems += both_widths(page, shot, "journalist-submit")

    asking = Clicks(page)
    asking.select("select[name=organisation]", str(organisation.pk))
    page.fill("input[name=subject]", "Thu tiền học thêm tại Trường THCS Nguyễn Trãi")
    page.fill(
        "textarea[name=questions]",
        "Việc thu tiền học thêm có đúng quy định không?\n\nPhòng đã kiểm tra chưa?",
    )
    asking.n += 1  # choosing the file in the browser's dialog
    page.set_input_files(
        "input[name=attachments]",
        files=[{"name": "giay-gioi-thieu.pdf", "mimeType": "application/pdf", "buffer": PDF}],
    )
    asking.click(page.locator("main form button[type=submit]"))
    page.wait_for_url(re.compile(r"/nha-bao/ho-so/HS-\d{4}-\d{6}/$"))
    page.wait_for_load_state("networkidle")
    case = Case.objects.get()
    print(f"journalist: submit form 1 click; asking {asking.n} clicks")  # noqa: T201
    assert asking.n <= 3  # organisation, file, "Gửi"

    # The case page: the file listed and downloadable, the status in plain words.
    assert page.locator(".attachment-list", has_text="giay-gioi-thieu.pdf").count() == 1
    assert page.locator("text=Đã nhận, chờ xử lý").count() >= 1
    problems += both_widths(page, shot, "journalist-case-received")
    problems += axe_problems(page, "journalist-case-received")
    with page.expect_download() as download:
        page.locator(".attachment-list a", has_text="Tải về").first.click()
    assert download.value.path().read_bytes() == PDF

    # Back to the list: the case is there, newest first.
    page.locator("header nav a", has_text="Hồ sơ của tôi").click()
    page.wait_for_url(f"{base}{CASES}")
    assert _latest_case_link(page).inner_text() == case.reference
    problems += both_widths(page, shot, "journalist-cases")
    problems += axe_problems(page, "journalist-cases")

    # The office answers (triage, draft, review, sign-off through the real task pages).
    act(
        staff["vanthu"], case, "triage", {"action": "accept", "assignees": [staff["chuyenvien"].pk]}
    )
    act(staff["chuyenvien"], case, "draft", {"action": "submit", "answer": ANSWER})
    act(staff["phatngon"], case, "review", {"action": "approve"})
    # Signing runs in the server's thread: pyHanko's event loop cannot share this thread's
    # (Playwright's), so the head signs on the page.
    browser_login(page, base, staff["lanhdao"].username)
    signoff = open_task(case, "signoff")
    if signoff.status == "NEW":
        page.goto(base + task_url(signoff, "assign"))
        page.locator("form.vf-form button").last.click()
        wait_until(page, lambda: Task.objects.get(pk=signoff.pk).owner_id == staff["lanhdao"].pk)
    page.goto(base + task_url(signoff, "execute"))
    page.check("input[name=confirm]")
    page.locator("form.case-task-form button.task-submit").click()
    wait_until(page, lambda: Case.objects.get(pk=case.pk).status == Case.Status.ANSWERED, 60_000)
    case.refresh_from_db()

    # Next login: one click from "Hồ sơ của tôi" to the latest case, answered.
    browser_login(page, base, journalist.username)
    assert page.url == f"{base}{CASES}"
    assert page.locator("td", has_text="Đã trả lời").count() == 1
    to_case = Clicks(page)
    to_case.click(_latest_case_link(page), navigation=True)
    page.wait_for_url(f"{base}{CASES}{case.reference}/")
    assert to_case.n == 1
    page.wait_for_load_state("networkidle")
    assert page.locator(".answer-text", has_text="không thu tiền học thêm trái quy định").count()
    assert case.document.number_display in page.content()
    problems += both_widths(page, shot, "journalist-case-answered")
    problems += axe_problems(page, "journalist-case-answered")
    with page.expect_download() as download:
        page.get_by_text("Tải văn bản đã ký số").click()
    assert download.value.path().read_bytes().startswith(b"%PDF")

    assert not problems, "\n".join(problems)
