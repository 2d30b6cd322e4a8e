"""The draft of the document a sign-off will issue, as the pages serve it."""

from django.http import HttpResponse

from release import rendering


def draft_response(pdf: bytes, name: str, *, as_image: bool) -> HttpResponse:
    """A draft document as an inline PDF, or as one PNG of its pages; never cached."""
    if as_image:
        response = HttpResponse(rendering.pdf_pages_png(pdf), content_type="image/png")
    else:
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{name}.pdf"'
    response["Cache-Control"] = "no-store"
    return response
