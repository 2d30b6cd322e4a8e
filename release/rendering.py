"""Render an issued document to PDF in the Nghị định 30/2020 layout (WeasyPrint).

Journalists' and staff's text ends up in these documents, so rendering must never make the
server fetch anything: the URL fetcher serves only the project's own static files (fonts)
and inline `data:` URIs (the QR code), and every piece of user text is auto-escaped.
"""

from __future__ import annotations

import base64
import logging
import mimetypes
import posixpath
import re
from dataclasses import dataclass
from urllib.parse import unquote

import qrcode
from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.urls import reverse
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from .models import Authority, DocType, IssuedDocument
from .numbering import format_doc_date
from .signing import SignatureBox

logger = logging.getLogger(__name__)
# WeasyPrint logs seven INFO lines per document; a worker issuing hundreds drowns its log.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

# Relative URLs in the PDF templates resolve against this base, which names no real host:
# the fetcher maps it to the static files finders and nothing else.
INTERNAL_BASE_URL = "https://phatngon.invalid/"
STATIC_PREFIX = INTERNAL_BASE_URL + "static/"
SIGNATURE_ANCHOR = "chu-ky-so"
CSS_PX_TO_PT = 0.75  # 1 CSS px = 1/96 in, 1 pt = 1/72 in

TYPE_TITLES = {
    DocType.THONG_BAO: "THÔNG BÁO",
    DocType.THONG_CAO: "THÔNG CÁO BÁO CHÍ",
    DocType.BAO_CAO: "BÁO CÁO",
    DocType.QUYET_DINH: "QUYẾT ĐỊNH",
    DocType.GIAY_UY_QUYEN: "GIẤY ỦY QUYỀN",
    DocType.GIAY_MOI: "GIẤY MỜI",
}


class FetchRefused(ValueError):
    """The PDF renderer asked for a resource outside the project's static files."""


class StaticOnlyFetcher(URLFetcher):
    """Fetch only the project's static files and `data:` URIs; refuse everything else."""

    def __init__(self):
        super().__init__(timeout=1, allowed_protocols=("https", "data"), allow_redirects=False)
        self.requested: list[str] = []
        self.refused: list[str] = []

    def fetch(self, url, headers=None):
        self.requested.append(url)
        if url.startswith("data:"):
            return super().fetch(url, headers)
        if url.startswith(STATIC_PREFIX):
            relative = unquote(url[len(STATIC_PREFIX) :].split("?", 1)[0].split("#", 1)[0])
            normalised = posixpath.normpath(relative)
            if normalised == relative and not normalised.startswith(("/", "..")):
                found = finders.find(normalised)
                if isinstance(found, str):
                    with open(found, "rb") as handle:
                        body = handle.read()
                    content_type = mimetypes.guess_type(found)[0] or "application/octet-stream"
                    return URLFetcherResponse(url, body, {"Content-Type": content_type})
        self.refused.append(url)
        logger.warning("PDF rendering refused to fetch %s", url[:200])
        raise FetchRefused(f"refused: {url[:200]}")


@dataclass(frozen=True)
class RenderedDocument:
    pdf: bytes
    page_count: int
    person_box: SignatureBox
    seal_box: SignatureBox


def verify_url(document: IssuedDocument) -> str:
    """Return the public verification address printed as a QR code on the document."""
    return settings.SITE_URL + reverse("release:verify", args=[document.verify_token])


def qr_data_uri(text: str) -> str:
    """Return an SVG QR code for `text` as a data: URI (no file, no fetch)."""
    # A fixed mask pattern: any of the eight is valid, and trying all of them (the default)
    # costs time per document for no benefit to a reader.
    code = qrcode.QRCode(
        error_correction=qrcode.constants.ERROR_CORRECT_M, border=1, mask_pattern=0
    )
    code.add_data(text)
    code.make(fit=True)
    matrix = code.get_matrix()
    # One path, one horizontal run of dark modules per segment: qrcode's SVG drawer spends
    # ~15 ms per code on per-module elements.
    segments = []
    for y, row in enumerate(matrix):
        x = 0
        while x < len(row):
            if row[x]:
                start = x
                while x < len(row) and row[x]:
                    x += 1
                segments.append(f"M{start} {y}h{x - start}v1h-{x - start}z")
            else:
                x += 1
    size = len(matrix)
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" '
        f'shape-rendering="crispEdges"><rect width="{size}" height="{size}" fill="#fff"/>'
        f'<path fill="#000" d="{"".join(segments)}"/></svg>'
    )
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("ascii")).decode("ascii")


_BLANK_LINE = re.compile(r"\n[ \t]*\n+")


def body_paragraphs(text: str) -> list[str]:
    """Split plain text into paragraphs on blank lines (the template escapes each one)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    return [p.strip() for p in _BLANK_LINE.split(text) if p.strip()]


TABLE_BAR = "|"


def body_blocks(text: str) -> list[dict]:
    """Paragraphs and tables of a body, for the templates that show tables (a Báo cáo).

    A paragraph whose every line starts with "|" is a table: one row per line, cells between
    the bars, the first row its header. Cells stay plain text (the template escapes them).
    """
    blocks = []
    for paragraph in body_paragraphs(text):
        lines = [line.strip() for line in paragraph.split("\n")]
        if all(line.startswith(TABLE_BAR) for line in lines):
            rows = [
                [cell.strip() for cell in line.strip(TABLE_BAR).split(TABLE_BAR)] for line in lines
            ]
            width = max(len(row) for row in rows)
            rows = [row + [""] * (width - len(row)) for row in rows]
            blocks.append({"header": rows[0], "rows": rows[1:]})
        else:
            blocks.append({"text": paragraph})
    return blocks


_ARTICLE_LEAD = re.compile(r"^(Điều\s+\d+[a-zđ]?\.)\s*")
# Mẫu 1.2: the căn cứ and “Theo đề nghị của …” lines in italic; “QUYẾT ĐỊNH:” centred bold.
_PREAMBLE = re.compile(r"^(Căn cứ|Theo đề nghị của)\s")
DECIDES = "QUYẾT ĐỊNH:"
END_MARK = "./."


def content_end(paragraphs: list[str]) -> list[str]:
    """End the content with “./.” (Phụ lục III, every form), once, after its last sentence."""
    if not paragraphs:
        return paragraphs
    last = paragraphs[-1].rstrip()
    if not last.endswith(END_MARK):
        last = last + "/." if last.endswith(".") else last.rstrip(".;,: ") + END_MARK
    return [*paragraphs[:-1], last]


def paragraph_parts(paragraphs: list[str]) -> list[dict]:
    """Split each paragraph into a bold “Điều N.” lead (Phụ lục I, II.6.đ) and its text."""
    parts = []
    for paragraph in paragraphs:
        match = _ARTICLE_LEAD.match(paragraph)
        if match:
            parts.append({"lead": match.group(1), "text": paragraph[match.end() :], "css": ""})
        elif paragraph == DECIDES:
            parts.append({"lead": "", "text": paragraph, "css": "decides"})
        elif _PREAMBLE.match(paragraph):
            parts.append({"lead": "", "text": paragraph, "css": "basis"})
        else:
            parts.append({"lead": "", "text": paragraph, "css": ""})
    return parts


def signature_lines(document: IssuedDocument) -> list[str]:
    """Return the UPPER bold lines above the signature (e.g. KT. TRƯỞNG PHÒNG / PHÓ …)."""
    title = document.signer_title.upper()
    if document.authority in (Authority.KT, Authority.TM, Authority.TL, Authority.TUQ):
        on_behalf = (document.authority_title or document.organisation.head_title).upper()
        return [f"{document.authority} {on_behalf}", title]
    if document.authority == Authority.Q:
        return [f"Q. {(document.authority_title or document.organisation.head_title).upper()}"]
    return [title]


def archive_line(document: IssuedDocument) -> str:
    """Return the last line of Nơi nhận: “Lưu: VT, <drafting unit>.”"""
    parts = ["VT"]
    if document.unit_id:
        parts.append(document.unit.abbreviation)
    return "Lưu: " + ", ".join(parts) + "."


AS_ABOVE = "Như trên"


def recipient_lines(document: IssuedDocument) -> list[str]:
    """Return Nơi nhận above “Lưu”: a công văn names its addressees “Như trên” (Mẫu 1.5)."""
    recipients = list(document.recipients or [])
    addressees = list(document.addressees or [])
    if not addressees:
        return recipients
    return [AS_ABOVE, *(r for r in recipients if r not in addressees)]


def document_context(document: IssuedDocument) -> dict:
    """Return what the PDF template shows; every value is plain text, escaped by Django."""
    link = verify_url(document)
    return {
        **document_context_base(document),
        "number_display": document.number_display,
        "verify_url": link,
        "qr_data_uri": qr_data_uri(link),
    }


def document_context_base(document: IssuedDocument) -> dict:
    """What an issued document and its draft share (all but the number and verification)."""
    organisation = document.organisation
    paragraphs = content_end(body_paragraphs(document.body))
    blocks = body_blocks(document.body)
    if blocks and "text" in blocks[-1]:  # a Báo cáo's last paragraph ends with "./." too
        blocks[-1]["text"] = content_end([blocks[-1]["text"]])[0]
    return {
        "document": document,
        "static_base": STATIC_PREFIX,
        "governing_body": organisation.governing_body.upper(),
        "agency_name": organisation.name.upper(),
        "governing_lines": organisation.header_governing(),
        "agency_lines": organisation.header_agency(),
        "issuing_authority": organisation.decision_authority_line(),
        "governing_fixed": bool(organisation.header_governing_lines.strip()),
        "agency_fixed": bool(organisation.header_agency_lines.strip()),
        "date_line": format_doc_date(document.place_name, document.doc_date),
        "type_title": TYPE_TITLES.get(document.doc_type, ""),
        "is_cong_van": document.doc_type == DocType.CONG_VAN,
        "summary": document.summary,
        "paragraphs": paragraphs,
        "paragraph_parts": paragraph_parts(paragraphs),
        "blocks": blocks,
        "recipients": recipient_lines(document),
        "addressees": list(document.addressees or []),
        "archive_line": archive_line(document),
        "signature_lines": signature_lines(document),
        "signer_name": document.signer_name,
        "signature_anchor": SIGNATURE_ANCHOR,
    }


DRAFT_MARK = "DỰ THẢO"
DRAFT_NUMBER = "…/{symbol} (số sẽ cấp khi ký)"
DRAFT_VERIFY = "(mã xác thực sẽ cấp khi ký)"


def draft_context(document: IssuedDocument) -> dict:
    """The issued document's context, unnumbered and marked as a draft (the signer's preview).

    Only what does not exist before signing differs: the number, the verification address
    and its QR code; the template adds the "DỰ THẢO" mark.
    """
    return {
        **document_context_base(document),
        "number_display": DRAFT_NUMBER.format(symbol=document.symbol),
        "verify_url": DRAFT_VERIFY,
        "qr_data_uri": "",
        "draft_mark": DRAFT_MARK,
    }


def template_for(doc_type: str) -> str:
    return f"release/pdf/{doc_type}.html"


def document_html(document: IssuedDocument) -> str:
    """Return the document's HTML in the Decree 30 layout."""
    return render_to_string(template_for(document.doc_type), document_context(document))


def html_render(html: str, *, fetcher: StaticOnlyFetcher | None = None):
    """Lay out HTML with WeasyPrint behind the static-only fetcher; return the Document."""
    return HTML(
        string=html, base_url=INTERNAL_BASE_URL, url_fetcher=fetcher or StaticOnlyFetcher()
    ).render()


def signature_boxes(rendered) -> tuple[SignatureBox, SignatureBox]:
    """Locate the signature element; return the person box and a seal box over its left third.

    WeasyPrint gives anchors as (x1, y1, x2, y2) in CSS px from the top-left corner;
    PDF wants points from the bottom-left corner.
    """
    for index, page in enumerate(rendered.pages):
        anchor = page.anchors.get(SIGNATURE_ANCHOR)
        if anchor is None:
            continue
        x1, y1, x2, y2 = (value * CSS_PX_TO_PT for value in anchor)
        height = page.height * CSS_PX_TO_PT
        person = SignatureBox(page=index, x1=x1, y1=height - y2, x2=x2, y2=height - y1)
        # The seal (real size, ~34 mm) overlaps about the left third of the signature.
        side = 34 / 25.4 * 72
        centre_y = (person.y1 + person.y2) / 2
        seal_x2 = person.x1 + (person.x2 - person.x1) / 3
        seal = SignatureBox(
            page=index,
            x1=seal_x2 - side,
            y1=centre_y - side / 2,
            x2=seal_x2,
            y2=centre_y + side / 2,
        )
        return person, seal
    raise ValueError("The document template has no signature element.")


def document_render(document: IssuedDocument) -> RenderedDocument:
    """Render the document to an unsigned PDF and find where the signatures go."""
    rendered = html_render(document_html(document))
    person, seal = signature_boxes(rendered)
    return RenderedDocument(
        pdf=rendered.write_pdf(),
        page_count=len(rendered.pages),
        person_box=person,
        seal_box=seal,
    )


def draft_render(document: IssuedDocument) -> bytes:
    """Render an unsaved document as the signer's draft: same template, "DỰ THẢO" mark."""
    html = render_to_string(template_for(document.doc_type), draft_context(document))
    return html_render(html).write_pdf()


def pdf_pages_png(pdf: bytes, *, scale: float = 1.5, gap: int = 12) -> bytes:
    """Rasterise every page of `pdf` into one tall PNG (pages one under the other).

    The task pages show the signer's draft as an image: a PDF viewer in a frame does not
    work on phones, and the image is exactly the rendered PDF.
    """
    import io

    import pypdfium2
    from PIL import Image

    document = pypdfium2.PdfDocument(pdf)
    try:
        pages = [document[i].render(scale=scale).to_pil() for i in range(len(document))]
    finally:
        document.close()
    width = max(page.width for page in pages)
    height = sum(page.height for page in pages) + gap * (len(pages) - 1)
    sheet = Image.new("RGB", (width, height), (189, 189, 189))
    top = 0
    for page in pages:
        sheet.paste(page, (0, top))
        top += page.height + gap
    buffer = io.BytesIO()
    sheet.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()
