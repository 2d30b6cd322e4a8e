"""The annual report in a real browser (issue 14, "done when"): the head of Phòng GDĐT Thuận
An generates this year's report on the page, the spokesperson writes the narrative and
approves it, the head signs on the signing page, and the signed Báo cáo is downloaded.
Screenshots of the page and of the document at each step go to test-artifacts/browser/."""

import pypdfium2
import pytest
import time_machine
from viewflow.workflow.models import Task

from reports.models import AnnualReport
from tests.browser.conftest import ARTIFACTS
from tests.browser.helpers import browser_login, wait_until
from tests.reports.conftest import december_second, make_case, vn
from tests.workflows.helpers import open_task, task_url
from workflows.statements.issue import statement_draft_pdf
from workflows.statements.models import Statement

pytestmark = pytest.mark.browser
# This year's report on 2 December (or later): the signing certificates are made at the real
# time, so the test never travels before them.
NOW = december_second()
Y = NOW.year

NARRATIVE = (
    "Thực hiện Nghị định số 244/2026/NĐ-CP, Phòng Giáo dục và Đào tạo báo cáo như sau:\n\n"
    "1. Tình hình thực hiện công tác phát ngôn\n\n"
    "Phòng đã phân công người phát ngôn, công bố thông tin liên hệ và trả lời báo chí đúng hạn.\n\n"
    "2. Kết quả\n\n[BẢNG SỐ LIỆU]\n\n"
    "3. Đánh giá, khó khăn, vướng mắc\n\nMột số câu hỏi cần phối hợp nhiều đơn vị.\n\n"
    "4. Kiến nghị, đề xuất\n\nĐề nghị Sở tổ chức tập huấn kỹ năng phát ngôn."
)


@pytest.fixture(autouse=True)
def _travel():
    with time_machine.travel(NOW, tick=True):
        yield


def _document_png(pdf: bytes, name: str) -> None:
    """The PDF's first page as a PNG beside the screenshots."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    document = pypdfium2.PdfDocument(pdf)
    try:
        document[0].render(scale=1.5).to_pil().save(ARTIFACTS / f"annual-{name}.png")
    finally:
        document.close()


def _do(page, base, shot, user, statement, step, fill):
    browser_login(page, base, user.username)
    task = open_task(statement, step)
    if task.status == "NEW":
        page.goto(base + task_url(task, "assign"))
        page.locator("form.vf-form button").last.click()
        wait_until(page, lambda: Task.objects.get(pk=task.pk).owner_id == user.pk)
    page.goto(base + task_url(task, "execute"))
    fill(page)
    shot(page, f"annual-{step}")
    page.locator("form.statement-task-form button[type=submit]").last.click()
    wait_until(page, lambda: Task.objects.get(pk=task.pk).status == "DONE")
    page.wait_for_url(lambda url: "/execute/" not in url)
    page.wait_for_load_state()
    statement.refresh_from_db()


def test_annual_report_journey(
    live_server, page, shot, organisation, journalist, staff, signing_credentials
):
    base = live_server.url
    organisation.annual_report_recipient = "Sở Giáo dục và Đào tạo tỉnh Bình Dương"
    organisation.save()
    make_case(
        organisation,
        journalist,
        received_at=vn(Y, 3, 2, 9),
        status="answered",
        closed_at=vn(Y, 3, 4, 9),
        due_at=vn(Y, 3, 9, 17),
    )
    make_case(organisation, journalist, received_at=vn(Y, 9, 2, 9), status="refused")
    head, spokesperson = staff["lanhdao"], staff["phatngon"]

    browser_login(page, base, head.username)
    page.goto(f"{base}/workspace/reports/?organisation={organisation.code}")
    assert f"Báo cáo năm {Y}" in page.content()
    shot(page, "annual-dashboard")
    page.locator("a.annual-link").click()
    page.wait_for_load_state()
    assert "Chưa lập" in page.content()
    page.get_by_role("button", name=f"Tạo dự thảo báo cáo năm {Y}").click()
    wait_until(page, lambda: AnnualReport.objects.exists())
    page.locator("a.annual-open").wait_for()
    report = AnnualReport.objects.get()
    statement = report.statement
    assert statement.author == spokesperson
    assert "Đang soạn thảo" in page.content()
    shot(page, "annual-generated")
    _document_png(statement_draft_pdf(statement=statement, viewer=head), "1-generated")

    _do(
        page,
        base,
        shot,
        spokesperson,
        statement,
        "draft",
        lambda p: p.fill("textarea[name=body]", NARRATIVE),
    )
    assert statement.status == Statement.Status.REVIEW
    _document_png(statement_draft_pdf(statement=statement, viewer=spokesperson), "2-drafted")
    _do(
        page,
        base,
        shot,
        spokesperson,
        statement,
        "review",
        lambda p: p.check("input[name=action][value=approve]"),
    )
    _do(
        page,
        base,
        shot,
        head,
        statement,
        "signoff",
        lambda p: (p.check("input[name=action][value=sign]"), p.check("input[name=confirm]")),
    )
    wait_until(
        page,
        lambda: Statement.objects.get(pk=statement.pk).status == Statement.Status.RELEASED,
        60_000,
    )
    statement.refresh_from_db()
    document = statement.document
    assert document.doc_type == "bao_cao" and "/BC-" in document.number_display

    page.goto(f"{base}/workspace/reports/nam/{Y}/?organisation={organisation.code}")
    assert document.number_display in page.content()
    shot(page, "annual-issued")
    href = page.locator("a.annual-pdf").get_attribute("href")
    response = page.request.get(base + href)
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    body = response.body()
    assert body.startswith(b"%PDF")
    _document_png(body, "3-signed")
    xlsx = page.request.get(base + page.locator("a.annual-xlsx").get_attribute("href"))
    assert xlsx.status == 200 and xlsx.body().startswith(b"PK")
