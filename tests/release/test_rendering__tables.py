"""A Báo cáo shows table lines ("| a | b |") as a real table, its cells escaped."""

import pypdfium2
import pytest

from release import services
from release.rendering import body_blocks

pytestmark = pytest.mark.django_db


def test_body_blocks_split_paragraphs_and_tables():
    text = "Mở đầu.\n\n| TT | Nội dung | Số liệu |\n| 1 | Tiếp nhận | 7 |\n| 2 | Ngắn |\n\nKết."
    blocks = body_blocks(text)
    assert blocks[0] == {"text": "Mở đầu."}
    assert blocks[1] == {
        "header": ["TT", "Nội dung", "Số liệu"],
        "rows": [["1", "Tiếp nhận", "7"], ["2", "Ngắn", ""]],
    }
    assert blocks[2] == {"text": "Kết."}
    # A paragraph with one line that is not a row stays a paragraph.
    assert body_blocks("| a | b |\nchữ")[0] == {"text": "| a | b |\nchữ"}


def test_the_bao_cao_draft_draws_the_table_and_escapes_its_cells(organisation, head):
    pdf = services.document_draft_pdf(
        organisation=organisation,
        doc_type="bao_cao",
        summary="Kết quả công tác phát ngôn năm 2026",
        body="Mở đầu.\n\n| TT | Nội dung | Số liệu |\n| 1 | <b>Tiếp nhận</b> | 7 |",
        recipients=["Sở Giáo dục và Đào tạo tỉnh Bình Dương"],
        signer=head,
        authority="",
        signer_title="Trưởng phòng",
    )
    page = pypdfium2.PdfDocument(pdf)[0]
    text = page.get_textpage().get_text_range()
    assert "<b>Tiếp nhận</b>" in text  # shown as text, not markup
    assert "|" not in text  # the bars became a table
