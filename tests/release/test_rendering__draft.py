"""The signer's draft: the issued document's template and text, unnumbered, marked DỰ THẢO."""

import pytest

from release import rendering, services
from tests.release.helpers import flat_text, poppler_available


def _draft_kwargs(organisation, head):
    return {
        "organisation": organisation,
        "doc_type": "thong_bao",
        "summary": "Trả lời đề nghị của nhà báo về việc tuyển sinh",
        "body": "Đoạn thứ nhất.\n\nĐoạn thứ hai.",
        "recipients": ["Báo Giáo dục", "Nhà báo Nguyễn Văn An"],
        "signer": head,
        "authority": "",
        "signer_title": "Trưởng phòng",
    }


def test_the_draft_uses_the_issued_template_with_a_mark_and_no_number(organisation, head):
    document = services._document_build(**_draft_kwargs(organisation, head), unit=None)
    html = rendering.render_to_string(
        rendering.template_for(document.doc_type), rendering.draft_context(document)
    )
    issued_like = rendering.render_to_string(
        rendering.template_for(document.doc_type),
        {**rendering.draft_context(document), "draft_mark": ""},
    )
    assert 'class="draft-mark">DỰ THẢO<' in html
    assert "DỰ THẢO<" not in issued_like
    assert "(số sẽ cấp khi ký)" in html and "Đoạn thứ hai." in html
    assert document.pk is None


@pytest.mark.skipif(not poppler_available(), reason="needs poppler (pdftotext)")
def test_the_draft_pdf_numbers_nothing(organisation, head):
    from release.models import IssuedDocument, RegisterSeries

    pdf = services.document_draft_pdf(**_draft_kwargs(organisation, head))
    text = flat_text(pdf)
    assert pdf.startswith(b"%PDF") and "Đoạn thứ hai." in text and "Báo Giáo dục" in text
    assert IssuedDocument.objects.count() == 0
    assert not RegisterSeries.objects.exists()
