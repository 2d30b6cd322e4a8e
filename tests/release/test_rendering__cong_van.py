"""A công văn's own parts (Mẫu 1.5): “Kính gửi:” for one or several addressees, and Nơi nhận
that names the addressees “Như trên” before the other recipients and “Lưu: VT, <unit>.”."""

import pytest

from release.models import DocType
from release.rendering import document_html, document_render, recipient_lines
from tests.release.helpers import flat_text, issue, poppler_available

pytestmark = pytest.mark.django_db


def _cong_van(organisation, head, unit, **kw):
    fields = {
        "doc_type": DocType.CONG_VAN,
        "unit": unit,
        "summary": "trả lời câu hỏi của nhà báo Nguyễn Thị Hoa về tuyển sinh lớp 6",
        "addressees": ["Báo Giáo dục và Thời đại (nhà báo Nguyễn Thị Hoa)"],
        "recipients": ["Báo Giáo dục và Thời đại (nhà báo Nguyễn Thị Hoa)"],
    }
    fields.update(kw)
    return issue(organisation, head, **fields)


def test_one_addressee_stands_on_the_kinh_gui_line(organisation, head, unit):
    document = _cong_van(organisation, head, unit)
    assert recipient_lines(document) == ["Như trên"]
    html = document_html(document)
    assert "Kính gửi: Báo Giáo dục và Thời đại (nhà báo Nguyễn Thị Hoa)</p>" in html
    assert "<li>- Như trên;</li>" in html and "<li>- Lưu: VT, TH.</li>" in html


def test_several_addressees_are_listed_and_other_recipients_follow_nhu_tren(
    organisation, head, unit
):
    document = _cong_van(
        organisation,
        head,
        unit,
        addressees=["Báo Bình Dương", "Báo Tuổi Trẻ"],
        recipients=["Báo Bình Dương", "Báo Tuổi Trẻ", "Sở Giáo dục và Đào tạo (để báo cáo)"],
    )
    assert recipient_lines(document) == ["Như trên", "Sở Giáo dục và Đào tạo (để báo cáo)"]
    html = document_html(document)
    assert "<div>- Báo Bình Dương;</div>" in html and "<div>- Báo Tuổi Trẻ.</div>" in html
    if poppler_available():
        text = flat_text(document_render(document).pdf)
        assert "Kính gửi: - Báo Bình Dương; - Báo Tuổi Trẻ." in text
        assert "Nơi nhận: - Như trên; - Sở Giáo dục và Đào tạo (để báo cáo); - Lưu: VT, TH." in text


def test_addressee_text_is_escaped(organisation, head, unit):
    document = _cong_van(organisation, head, unit, addressees=["<b>Báo</b>"])
    html = document_html(document)
    assert "&lt;b&gt;Báo&lt;/b&gt;" in html and "<b>Báo</b>" not in html


def test_other_types_have_no_kinh_gui(organisation, head):
    document = issue(organisation, head)  # a thông báo
    assert recipient_lines(document) == document.recipients
    assert "Kính gửi" not in document_html(document)
