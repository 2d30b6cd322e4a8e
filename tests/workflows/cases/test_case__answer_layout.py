"""A case answer, rendered: the Decree 30 header (date on the "Số:" line, the organisation's
own header lines), the answer's text ending "./." — measured in the PDF, page 1 saved."""

import pytest

from release.rendering import document_render
from tests.release.pdfmeasure import PageMeasure, save_png
from workflows.cases.models import Case

pytestmark = pytest.mark.django_db
ANSWER = "Phòng đã kiểm tra; nhà trường không thu tiền học thêm trái quy định."


def test_the_answer_s_first_page(case, staff, act):
    case.organisation.header_agency_lines = "PHÒNG GIÁO DỤC\nVÀ ĐÀO TẠO"
    case.organisation.save(update_fields=["header_agency_lines"])
    act(
        staff["vanthu"], case, "triage", {"action": "accept", "assignees": [staff["chuyenvien"].pk]}
    )
    act(staff["chuyenvien"], case, "draft", {"action": "submit", "answer": ANSWER})
    act(staff["phatngon"], case, "review", {"action": "approve"})
    act(staff["lanhdao"], case, "signoff", {"action": "sign", "confirm": "on"})
    case.refresh_from_db()
    assert case.status == Case.Status.RELEASING and case.document is not None
    rendered = document_render(case.document)
    save_png(rendered.pdf, "case_answer")
    page = PageMeasure(rendered.pdf)
    try:
        assert page.baseline(f"{case.organisation.place_name}, ngày") == pytest.approx(
            page.baseline("Số:"), abs=1
        )
        assert page.line("PHÒNG GIÁO DỤC") and page.line("VÀ ĐÀO TẠO")
        assert "trái quy định./." in page.all_text()
    finally:
        page.close()
