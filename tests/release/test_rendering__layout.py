"""Rendering: Decree 30/2020 layout, Vietnamese text, page numbers, signature placement."""

import pytest
from PIL import Image

from release.models import DocType
from release.rendering import (
    SIGNATURE_ANCHOR,
    body_paragraphs,
    document_html,
    document_render,
    signature_lines,
    verify_url,
)
from tests.release.helpers import (
    LONG_BODY_PARAGRAPH,
    flat_text,
    issue,
    pdftoppm_first_page,
    pdftotext,
    poppler_available,
)

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not poppler_available(), reason="poppler-utils (Makefile) not installed"),
]


@pytest.fixture
def province_head(province):
    from roles.models import Role
    from tests.conftest import _staff

    return _staff("giamdoc", province, Role.HEAD, "Giám đốc")


def test_vietnamese_text_comes_out_with_exact_diacritics(province, province_head, tmp_path):
    document = issue(
        province,
        province_head,
        summary="Về việc đón nhận Huân chương Lao động",
        body="CÔNG ƯỚC quốc tế về quyền trẻ em được thực hiện tại Thủ Dầu Một.",
        signer_title="Giám đốc",
    )
    pdf = document_render(document).pdf
    text = pdftotext(pdf)
    for expected in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "UBND TỈNH BÌNH DƯƠNG",
        "ĐÀO TẠO",
        "ƯỚC",
        "Thủ Dầu Một",
        f"Thủ Dầu Một, ngày {document.doc_date.day:02d} tháng",
        "Số: 01/TB-SGDĐT",
        "THÔNG BÁO",
        "Về việc đón nhận Huân chương Lao động",
        "Nơi nhận:",
        "- Lưu: VT.",
        "GIÁM ĐỐC",
    ):
        assert expected in text, expected
    png = pdftoppm_first_page(pdf, tmp_path)
    with Image.open(png) as image:
        extrema = image.convert("L").getextrema()
    assert extrema[0] < 100 < extrema[1]  # black text on a white page, not a blank page


def test_page_numbers_start_on_page_two(organisation, head):
    body = "\n\n".join([LONG_BODY_PARAGRAPH * 4] * 12)
    rendered = document_render(issue(organisation, head, body=body))
    assert rendered.page_count >= 3
    first = pdftotext(rendered.pdf, first=1, last=1)
    second = pdftotext(rendered.pdf, first=2, last=2)
    third = pdftotext(rendered.pdf, first=3, last=3)
    assert second.strip().splitlines()[0].strip() == "2"
    assert third.strip().splitlines()[0].strip() == "3"
    assert first.strip().splitlines()[0].strip() != "1"


def test_deputy_signs_kt_for_the_head(organisation, deputy_head):
    document = issue(organisation, deputy_head, authority="KT.", signer_title="Phó Trưởng phòng")
    assert signature_lines(document) == ["KT. TRƯỞNG PHÒNG", "PHÓ TRƯỞNG PHÒNG"]
    text = pdftotext(document_render(document).pdf)
    assert "KT. TRƯỞNG PHÒNG" in text
    assert "PHÓ TRƯỞNG PHÒNG" in text
    assert document.signer_name in text


def test_a_cong_van_has_no_type_name_but_a_regarding_line(organisation, head, unit):
    document = issue(
        organisation,
        head,
        doc_type=DocType.CONG_VAN,
        unit=unit,
        summary="trả lời phỏng vấn của Báo Giáo dục",
        addressees=["Báo Giáo dục và Thời đại"],
    )
    text = flat_text(document_render(document).pdf)
    assert "Số: 01/PGDĐT-TH" in text
    assert "V/v trả lời phỏng vấn của Báo Giáo dục" in text
    assert "CÔNG VĂN" not in text
    assert "- Lưu: VT, TH." in text


@pytest.mark.parametrize("doc_type", [t for t in DocType.values if t != DocType.CONG_VAN])
def test_each_type_has_its_template_and_upper_case_name(organisation, head, doc_type):
    from release.rendering import TYPE_TITLES

    html = document_html(issue(organisation, head, doc_type=doc_type))
    assert TYPE_TITLES[doc_type] in html
    assert f'id="{SIGNATURE_ANCHOR}"' in html


def test_the_qr_code_links_to_the_verification_page(organisation, head, settings):
    settings.SITE_URL = "https://phatngon.example.gov.vn"
    document = issue(organisation, head)
    url = verify_url(document)
    assert url == f"https://phatngon.example.gov.vn/xac-thuc/{document.verify_token}/"
    html = document_html(document)
    assert "data:image/svg+xml;base64," in html
    assert url in html


def test_signature_boxes_sit_on_the_signature_element(organisation, head):
    body = "\n\n".join([LONG_BODY_PARAGRAPH * 4] * 12)
    rendered = document_render(issue(organisation, head, body=body))
    person, seal = rendered.person_box, rendered.seal_box
    assert person.page == seal.page == rendered.page_count - 1  # the block is on the last page
    # 5 cm × 3.2 cm element, in points, inside an A4 page (595 × 842 pt).
    assert person.x2 - person.x1 == pytest.approx(5 / 2.54 * 72, abs=1)
    assert person.y2 - person.y1 == pytest.approx(3.2 / 2.54 * 72, abs=1)
    assert 0 < person.x1 < person.x2 < 595 and 0 < person.y1 < person.y2 < 842
    # The seal overlaps about the left third of the signature.
    assert seal.x1 < person.x1 < seal.x2 == pytest.approx(person.x1 + (person.x2 - person.x1) / 3)
    assert seal.y1 < person.y1 + 5 and seal.y2 > person.y2 - 5


def test_body_splits_paragraphs_on_blank_lines_only():
    assert body_paragraphs("Một\ndòng hai\n\n  \nHai\r\n\r\nBa  ") == ["Một\ndòng hai", "Hai", "Ba"]


def test_the_qr_svg_draws_exactly_the_modules_of_the_code():
    import base64
    import re

    import qrcode

    from release.rendering import qr_data_uri

    text = "https://phatngon.example.gov.vn/xac-thuc/abc/"
    svg = base64.b64decode(qr_data_uri(text).split(",", 1)[1]).decode()
    code = qrcode.QRCode(
        error_correction=qrcode.constants.ERROR_CORRECT_M, border=1, mask_pattern=0
    )
    code.add_data(text)
    code.make(fit=True)
    expected = code.get_matrix()
    drawn = [[False] * len(expected) for _ in expected]
    for x, y, run in re.findall(r"M(\d+) (\d+)h(\d+)v1h-\d+z", svg):
        for dx in range(int(run)):
            drawn[int(y)][int(x) + dx] = True
    assert drawn == expected
