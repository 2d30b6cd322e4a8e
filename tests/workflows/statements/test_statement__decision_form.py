"""The spokesperson decision in the form of Mẫu 1.2 (Nghị định 30/2020, Phụ lục III), measured
in the generated PDF: issuing authority, italic căn cứ with date and issuer, "Theo đề nghị của",
"QUYẾT ĐỊNH:" centred bold, bold articles, Điều 3 naming the units, "- Như Điều 3;", and an
effective date never before signing."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from release.rendering import document_render
from roles.models import SpokespersonAssignment, Unit
from tests.release.pdfmeasure import PageMeasure, save_png
from tests.workflows.helpers import spokesperson_assign
from workflows.statements import decisions

pytestmark = pytest.mark.django_db
VN = ZoneInfo("Asia/Ho_Chi_Minh")
BASIS = (
    "Căn cứ Quyết định số 15/2025/QĐ-UBND ngày 20 tháng 3 năm 2025 của Ủy ban nhân dân thành phố "
    "Thuận An quy định chức năng, nhiệm vụ, quyền hạn và cơ cấu tổ chức của Phòng Giáo dục và Đào "
    "tạo thành phố Thuận An"
)


@pytest.fixture(autouse=True)
def _monday():
    with time_machine.travel(datetime(2026, 11, 30, 10, tzinfo=VN), tick=True):
        yield


@pytest.fixture
def office(organisation):
    organisation.header_agency_lines = "PHÒNG GIÁO DỤC\nVÀ ĐÀO TẠO"
    organisation.decision_bases = BASIS
    organisation.decision_proposer = "Phụ trách Văn phòng"
    organisation.save()
    Unit.objects.create(organisation=organisation, name="Văn phòng", abbreviation="VP")
    Unit.objects.create(organisation=organisation, name="Tổ Giáo dục Tiểu học", abbreviation="TH")
    return organisation


def _decision(office, head, **kw):
    assignment = spokesperson_assign(
        office, head, SpokespersonAssignment.Kind.REGULAR, "nguoiphatngon", **kw
    )
    return decisions.decision_issue(assignment=assignment, by=head)


def test_the_decision_follows_form_1_2(office, head):
    document = _decision(office, head)
    rendered = document_render(document)
    save_png(rendered.pdf, "quyet_dinh")
    page = PageMeasure(rendered.pdf)
    try:
        authority = page.line("TRƯỞNG PHÒNG GIÁO DỤC VÀ ĐÀO TẠO THÀNH PHỐ THUẬN AN")
        assert authority.y1 < page.line("QUYẾT ĐỊNH").y1  # under the type name and trích yếu
        assert page.is_bold("TRƯỞNG PHÒNG GIÁO DỤC VÀ ĐÀO TẠO THÀNH PHỐ THUẬN AN")
        text = page.all_text()
        assert "Căn cứ Nghị định số 244/2026/NĐ-CP ngày 26 tháng 6 năm 2026 của Chính phủ" in text
        assert page.is_italic("Căn cứ Nghị định") and page.is_italic("Căn cứ Quyết định số 15")
        assert "của Phòng Giáo dục và Đào tạo thành phố Thuận An;" in text
        assert "Theo đề nghị của Phụ trách Văn phòng." in text
        assert page.is_italic("Theo đề nghị")
        decides = page.line("QUYẾT ĐỊNH:")
        assert page.is_bold("QUYẾT ĐỊNH:")
        assert (decides.x1 + decides.x2) / 2 == pytest.approx((30 + 195) / 2, abs=1)  # centred
        assert page.is_bold("Điều 1.") and page.is_bold("Điều 3.")
        assert (
            "Điều 3. Tổ Giáo dục Tiểu học, Văn phòng và Chánh Văn phòng Lê Văn Cường chịu trách "
            "nhiệm thi hành Quyết định này." in document.body
        )
        assert "thi hành Quyết định này./." in text
        assert "hiệu lực kể từ ngày ký." in text
        assert page.line("- Như Điều 3;").y1 > page.line("- Lưu: VT.").y1
    finally:
        page.close()


def test_the_decision_never_takes_effect_before_it_is_signed(office, head):
    yesterday = timezone.localdate() - timedelta(days=1)
    assert decisions.effective_from(yesterday) == "kể từ ngày ký"
    assert decisions.effective_from(timezone.localdate()) == "kể từ ngày ký"
    document = _decision(office, head, valid_from=timezone.localdate() + timedelta(days=3))
    assert "Quyết định có hiệu lực kể từ ngày 03/12/2026." in document.body


def test_preamble_ends_with_a_full_stop_without_a_proposer(organisation):
    lines = decisions.decision_preamble(organisation)
    assert lines == [decisions.DECREE_244_BASIS + "."]
    organisation.decision_bases = BASIS + ";\n\n" + BASIS + "."
    assert [line[-1] for line in decisions.decision_preamble(organisation)] == [";", ";", "."]


def test_the_authority_line_joins_title_and_name_without_a_repeated_word(organisation, province):
    assert organisation.decision_authority_line() == (
        "TRƯỞNG PHÒNG GIÁO DỤC VÀ ĐÀO TẠO THÀNH PHỐ THUẬN AN"
    )
    assert province.decision_authority_line() == "GIÁM ĐỐC SỞ GIÁO DỤC VÀ ĐÀO TẠO TỈNH BÌNH DƯƠNG"
    province.decision_authority = "Giám đốc Sở Giáo dục và Đào tạo"
    assert province.decision_authority_line() == "GIÁM ĐỐC SỞ GIÁO DỤC VÀ ĐÀO TẠO"
