"""The annual report goes the statement's road: generated on the page, drafted by the
spokesperson, approved, signed by the head, issued as a signed Báo cáo (BC), not published."""

import io

import pypdfium2
import pytest
import time_machine
from openpyxl import load_workbook

from audit.models import LedgerEvent
from release.models import IssuedDocument
from release.validation import validate_pdf
from reports.models import AnnualReport
from tests.release.conftest import dev_pki, signing_credentials  # noqa: F401 — shared fixtures
from tests.workflows.conftest import act, staff  # noqa: F401 — shared fixtures
from workflows.notifications.models import Notification
from workflows.statements.models import Statement

from .conftest import december_second, make_case, vn

# The current year's report (the signing certificates are made at the real time).
NOW = december_second()
Y = NOW.year
URL = f"/workspace/reports/nam/{Y}/"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _travel():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def cases(organisation, journalist):
    make_case(
        organisation,
        journalist,
        received_at=vn(Y, 3, 2, 9),
        status="answered",
        closed_at=vn(Y, 3, 4, 9),
        due_at=vn(Y, 3, 9, 17),
    )
    make_case(organisation, journalist, received_at=vn(Y, 4, 2, 9), status="forwarded")


def test_head_generates_spokesperson_writes_head_signs_a_bc_is_issued(
    client,
    staff,  # noqa: F811
    act,  # noqa: F811
    organisation,
    cases,
    signing_credentials,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    organisation.annual_report_recipient = "Sở Giáo dục và Đào tạo tỉnh Bình Dương"
    organisation.save()
    client.force_login(staff["lanhdao"])
    page = client.get(URL, {"organisation": organisation.code})
    assert page.status_code == 200
    assert f"Tạo dự thảo báo cáo năm {Y}" in page.content.decode()
    r = client.post(f"{URL}?organisation={organisation.code}", {"action": "create"})
    assert r.status_code == 302, r.content.decode()[:500]
    report = AnnualReport.objects.get()
    statement = report.statement
    assert statement.kind == Statement.Kind.ANNUAL_REPORT
    assert statement.doc_type == "bao_cao"
    assert statement.author == staff["phatngon"]  # the spokesperson writes
    assert statement.due_at == vn(Y, 12, 19, 17)
    assert report.figures["questions"]["received"] == 2
    assert report.figures["questions"]["answered"] == 1
    assert report.generated_by == staff["lanhdao"]
    # Only once per year and organisation: the button is gone, a second POST is refused.
    page = client.get(URL, {"organisation": organisation.code})
    assert f"Tạo dự thảo báo cáo năm {Y}" not in page.content.decode()
    r = client.post(f"{URL}?organisation={organisation.code}", {"action": "create"})
    assert r.status_code == 400 and "đã được lập" in r.content.decode()
    assert AnnualReport.objects.count() == 1

    # The spokesperson's start page shows the draft with its due date, not "no legal deadline".
    client.force_login(staff["phatngon"])
    today = client.get("/workspace/work/").content.decode()
    assert statement.reference in today and f"17:00 ngày 19/12/{Y}" in today
    assert "Không có hạn luật định" not in today
    client.force_login(staff["lanhdao"])

    detail = client.get(statement.get_absolute_url())
    assert detail.status_code == 200 and f"19/12/{Y}" in detail.content.decode()
    assert 'class="report-table statement-annex"' in detail.content.decode()

    narrative = (
        "1. Tình hình thực hiện công tác phát ngôn\n\nPhòng đã thực hiện đầy đủ.\n\n"
        "2. Kết quả\n\n[BẢNG SỐ LIỆU]\n\n3. Đánh giá, khó khăn, vướng mắc\n\nKhông có.\n\n"
        "4. Kiến nghị, đề xuất\n\nKhông có."
    )
    act(
        staff["phatngon"],
        statement,
        "draft",
        {"action": "submit", "title": statement.title, "body": narrative},
    )
    act(staff["phatngon"], statement, "review", {"action": "approve"})
    # Figures are frozen once the draft left the drafting step.
    client.force_login(staff["phatngon"])
    r = client.post(f"{URL}?organisation={organisation.code}", {"action": "regenerate"})
    assert r.status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        act(staff["lanhdao"], statement, "signoff", {"action": "sign", "confirm": "on"})
    statement.refresh_from_db()
    assert statement.status == Statement.Status.RELEASED, statement.document.last_error
    document = statement.document
    assert document.status == IssuedDocument.Status.ISSUED
    assert document.doc_type == "bao_cao"
    assert document.number_display.endswith("/BC-PGDĐT")
    assert document.recipients == ["Sở Giáo dục và Đào tạo tỉnh Bình Dương"]
    assert not hasattr(document, "publication") or document.publication is None
    pdf = document.pdf.read()
    assert validate_pdf(pdf).all_valid
    text = "".join(page.get_textpage().get_text_range() for page in pypdfium2.PdfDocument(pdf))
    assert "BÁO CÁO" in text and "Tiếp nhận" in text and "[BẢNG SỐ LIỆU]" not in text

    client.force_login(staff["lanhdao"])
    page = client.get(URL, {"organisation": organisation.code}).content.decode()
    assert f"/van-ban/{document.pk}/tai-ve/" in page
    download = client.get(f"/van-ban/{document.pk}/tai-ve/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    # The XLSX shows the frozen figures.
    xlsx = client.get(URL + "xuat.xlsx", {"organisation": organisation.code})
    assert xlsx.status_code == 200
    cells = [
        [c for c in row if c is not None]
        for row in load_workbook(io.BytesIO(xlsx.content)).active.iter_rows(values_only=True)
    ]
    assert ["1", "Tiếp nhận", "2"] in cells
    note = Notification.objects.filter(statement=statement, user=staff["phatngon"]).latest("pk")
    assert note.message == f"Văn bản {statement.reference} đã được ký và ban hành."
    actions = set(LedgerEvent.objects.values_list("action", flat=True))
    assert {"annual_report.generate", "statement.released", "report.export"} <= actions


def test_a_withdrawn_draft_may_be_made_again(client, organisation, head, spokesperson):
    from workflows.statements.drafting import statement_withdraw

    client.force_login(head)
    assert (
        client.post(f"{URL}?organisation={organisation.code}", {"action": "create"}).status_code
        == 302
    )
    first = AnnualReport.objects.get().statement
    statement_withdraw(statement=first, by=head, reason="Làm lại sau khi rà soát số liệu.")
    page = client.get(URL, {"organisation": organisation.code}).content.decode()
    assert f"Tạo dự thảo báo cáo năm {Y}" in page
    assert (
        client.post(f"{URL}?organisation={organisation.code}", {"action": "create"}).status_code
        == 302
    )
    report = AnnualReport.objects.get()
    assert report.statement != first and report.statement.status == Statement.Status.DRAFTING
    event = LedgerEvent.objects.filter(action="annual_report.generate").latest("pk")
    assert event.before_data == {"withdrawn": first.reference}
