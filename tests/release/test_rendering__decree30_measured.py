"""Decree 30/2020 layout measured in the generated PDF (pypdfium2 text and path objects).

Phụ lục I: the place and date on the same line as "Số:" (II.4.c); the rule under the agency
name and under the trích yếu 1/3 to 1/2 of the line above it (II.2.b, II.5.b); the header
lines as the organisation configured them; "Điều 1." bold (II.6.đ); content ending "./."
(Phụ lục III); "Lưu: VT, <unit>." (II.9.d). Every tolerance is 1 mm.
"""

from __future__ import annotations

import ctypes
from dataclasses import dataclass
from pathlib import Path

import pypdfium2
import pypdfium2.raw as pdfium_c
import pytest

from release.models import DocType
from release.rendering import content_end, document_render, paragraph_parts
from tests.release.helpers import issue

pytestmark = pytest.mark.django_db

MM = 72 / 25.4  # points per millimetre
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "release"


@dataclass(frozen=True)
class TextLine:
    text: str
    x1: float
    y1: float
    x2: float
    y2: float

    @property
    def width(self) -> float:
        return self.x2 - self.x1


@dataclass(frozen=True)
class Rule:
    x1: float
    x2: float
    y: float

    @property
    def length(self) -> float:
        return self.x2 - self.x1


class PageMeasure:
    """Text lines, baselines, font weights and horizontal rules of page 1, in mm from bottom-left."""

    def __init__(self, pdf: bytes):
        self.pdf = pypdfium2.PdfDocument(pdf)
        self.page = self.pdf[0]
        self.text = self.page.get_textpage()
        self.lines = []
        for i in range(self.text.count_rects()):
            x1, y1, x2, y2 = self.text.get_rect(i)
            content = self.text.get_text_bounded(x1, y1, x2, y2).strip()
            self.lines.append(TextLine(content, x1 / MM, y1 / MM, x2 / MM, y2 / MM))
        self.rules = []
        for obj in self.page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH]):
            x1, y1, x2, y2 = obj.get_bounds()
            if (y2 - y1) / MM < 0.5 and (x2 - x1) / MM > 5:
                self.rules.append(Rule(x1 / MM, x2 / MM, (y1 + y2) / 2 / MM))

    def close(self):
        self.text.close()
        self.page.close()
        self.pdf.close()

    def index_of(self, needle: str) -> int:
        searcher = self.text.search(needle)
        found = searcher.get_next()
        assert found, f"{needle!r} is not on page 1"
        return found[0]

    def baseline(self, needle: str) -> float:
        x, y = ctypes.c_double(), ctypes.c_double()
        assert pdfium_c.FPDFText_GetCharOrigin(
            self.text.raw, self.index_of(needle), ctypes.byref(x), ctypes.byref(y)
        )
        return y.value / MM

    def is_bold(self, needle: str) -> bool:
        """Whether the first character of `needle` is set in the bold face (by font name)."""
        buffer = ctypes.create_string_buffer(256)
        flags = ctypes.c_int()
        pdfium_c.FPDFText_GetFontInfo(
            self.text.raw, self.index_of(needle), buffer, 256, ctypes.byref(flags)
        )
        return "bold" in buffer.value.decode("latin-1").lower()

    def line(self, text: str) -> TextLine:
        matches = [line for line in self.lines if line.text == text]
        assert matches, f"no line reads {text!r}: {[line.text for line in self.lines]}"
        return matches[0]

    def rule_below(self, lines: list[TextLine]) -> Rule:
        """The first rule under the lowest of `lines`, horizontally within their span."""
        lowest = min(line.y1 for line in lines)
        left = min(line.x1 for line in lines) - 1
        right = max(line.x2 for line in lines) + 1
        candidates = [
            rule
            for rule in self.rules
            if rule.y < lowest and left <= rule.x1 and rule.x2 <= right and lowest - rule.y < 5
        ]
        assert candidates, f"no rule under {[line.text for line in lines]}"
        return max(candidates, key=lambda rule: rule.y)


@pytest.fixture
def configured(organisation):
    organisation.header_governing_lines = "UBND thành phố Thuận An"
    organisation.header_agency_lines = "PHÒNG GIÁO DỤC\nVÀ ĐÀO TẠO"
    organisation.save()
    return organisation


def measure(document) -> PageMeasure:
    return PageMeasure(document_render(document).pdf)


def save_png(pdf: bytes, name: str) -> Path:
    """Save page 1 at 110 dpi under test-artifacts/release/ for people to look at."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    document = pypdfium2.PdfDocument(pdf)
    try:
        path = ARTIFACTS / f"{name}.png"
        document[0].render(scale=110 / 72).to_pil().save(path)
    finally:
        document.close()
    return path


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
        {"lead": "Điều 3.", "text": "Chánh Văn phòng"}
    ]
    assert paragraph_parts(["Theo Điều 3."]) == [{"lead": "", "text": "Theo Điều 3."}]
