"""Decree 30/2020 layout measured in the generated PDF (pypdfium2 text and path objects).

Phụ lục I: the place and date on the same line as "Số:" (II.4.c); the rule under the agency
name and under the trích yếu 1/3 to 1/2 of the line above it (II.2.b, II.5.b); the header
lines as the organisation configured them; "Điều 1." bold (II.6.đ); content ending "./."
(Phụ lục III); "Lưu: VT, <unit>." (II.9.d). Every tolerance is 1 mm.
"""

from __future__ import annotations

import pytest

from release.models import DocType
from release.rendering import content_end, document_render, paragraph_parts
from tests.release.helpers import issue
from tests.release.pdfmeasure import PageMeasure, save_png

pytestmark = pytest.mark.django_db


@pytest.fixture
def configured(organisation):
    organisation.header_governing_lines = "UBND thành phố Thuận An"
    organisation.header_agency_lines = "PHÒNG GIÁO DỤC\nVÀ ĐÀO TẠO"
    organisation.save()
    return organisation


def measure(document) -> PageMeasure:
    return PageMeasure(document_render(document).pdf)


SUMMARIES = [
    "Về việc tuyển sinh lớp 6",
    "Về việc tuyển sinh lớp 6 năm học 2027 - 2028 trên địa bàn thành phố",
    "Về việc tổ chức tuyển sinh lớp 6 năm học 2027 - 2028 trên địa bàn thành phố Thuận An, "
    "bảo đảm quyền lợi của học sinh và thực hiện đúng quy định",
]


@pytest.mark.parametrize("summary", SUMMARIES, ids=["short", "one-line", "two-lines"])
def test_the_date_stands_on_the_number_line_and_rules_are_a_third_to_a_half(
    configured, head, summary
):
    page = measure(issue(configured, head, summary=summary))
    try:
        # II.4.c: the place-and-date line on the same line as "Số:".
        assert page.baseline("Thuận An, ngày") == pytest.approx(page.baseline("Số:"), abs=1)
        # II.2.b: the rule under the agency name, 1/3 to 1/2 of the (longest) name line.
        agency = [page.line("PHÒNG GIÁO DỤC"), page.line("VÀ ĐÀO TẠO")]
        rule = page.rule_below(agency)
        widest = max(line.width for line in agency)
        assert widest / 3 - 1 <= rule.length <= widest / 2 + 1, (rule, widest)
        centre = (agency[0].x1 + agency[0].x2) / 2
        assert (rule.x1 + rule.x2) / 2 == pytest.approx(centre, abs=1)
        # II.5.b: the rule under the trích yếu, 1/3 to 1/2 of its (longest) line.
        title = page.line("THÔNG BÁO")
        summary_lines = [
            line
            for line in page.lines
            if line.text and line.text in summary and title.y1 - 20 < line.y1 < title.y1
        ]
        assert summary_lines
        rule = page.rule_below(summary_lines)
        widest = max(line.width for line in summary_lines)
        assert widest / 3 - 1 <= rule.length <= widest / 2 + 1, (rule, widest)
    finally:
        page.close()


def test_header_lines_are_the_organisation_s_own(configured, head):
    page = measure(issue(configured, head))
    try:
        texts = [line.text for line in page.lines]
        governing = page.line("UBND THÀNH PHỐ THUẬN AN")
        first, second = page.line("PHÒNG GIÁO DỤC"), page.line("VÀ ĐÀO TẠO")
        assert governing.y1 > first.y1 > second.y1  # in the configured order, top down
        assert sum("THUẬN AN" in text for text in texts if text.isupper()) == 1
        assert not any(text.endswith("ĐÀO") for text in texts)  # never "ĐÀO / TẠO"
        assert page.is_bold("PHÒNG GIÁO DỤC") and not page.is_bold("UBND")
    finally:
        page.close()


def test_without_configured_lines_the_header_falls_back_to_the_names(organisation, head):
    assert organisation.header_governing() == ["UBND THÀNH PHỐ THUẬN AN"]
    assert organisation.header_agency() == ["PHÒNG GIÁO DỤC VÀ ĐÀO TẠO THÀNH PHỐ THUẬN AN"]
    page = measure(issue(organisation, head))
    try:
        assert page.line("UBND THÀNH PHỐ THUẬN AN")
        assert page.baseline("Thuận An, ngày") == pytest.approx(page.baseline("Số:"), abs=1)
    finally:
        page.close()


def test_articles_lead_in_bold_and_the_content_ends_with_the_end_mark(configured, head, unit):
    document = issue(
        configured,
        head,
        doc_type=DocType.QUYET_DINH,
        unit=unit,
        body="Điều 1. Giao Tổ Giáo dục Tiểu học thực hiện.\n\nĐiều 2. Quyết định có hiệu lực kể "
        "từ ngày ký.",
    )
    rendered = document_render(document)
    page = PageMeasure(rendered.pdf)
    try:
        assert page.is_bold("Điều 1.") and page.is_bold("Điều 2.")
        assert not page.is_bold("Giao Tổ")
        assert page.line("Điều 2.") and "kể từ ngày ký./." in " ".join(
            line.text for line in page.lines
        )
        assert page.line("- Lưu: VT, TH.")
    finally:
        page.close()
    save_png(rendered.pdf, "layout_quyet_dinh")


def test_end_mark_is_added_once():
    assert content_end(["Một.", "Hai."]) == ["Một.", "Hai./."]
    assert content_end(["Hai./."]) == ["Hai./."]
    assert content_end(["Danh sách:"]) == ["Danh sách./."]
    assert content_end([]) == []
    assert paragraph_parts(["Điều 3. Chánh Văn phòng"]) == [
        {"lead": "Điều 3.", "text": "Chánh Văn phòng", "css": ""}
    ]
    assert paragraph_parts(["Theo Điều 3."]) == [{"lead": "", "text": "Theo Điều 3.", "css": ""}]
