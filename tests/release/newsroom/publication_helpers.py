"""Helpers for the publication/newsroom tests: statements issued for real, or made quickly."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from release.models import DocType, IssuedDocument, Publication
from release.newsroom import publication
from tests.release.helpers import issue

TITLE = "Thông cáo báo chí về đề án đổi mới giáo dục"
BODY = "Đoạn thứ nhất của thông cáo.\n\nĐoạn thứ hai <b>không phải HTML</b>."


def statement(organisation, head, capture, *, embargo_at=None, title=TITLE, body=BODY):
    """Number a thông cáo, schedule its publication and let the (eager) worker issue it."""
    with capture(execute=True):
        document = issue(
            organisation,
            head,
            doc_type=DocType.THONG_CAO,
            summary="Về đề án đổi mới giáo dục",
            body="Nội dung thông cáo báo chí.",
        )
        pub = publication.publication_schedule(
            document=document, title=title, body=body, embargo_at=embargo_at, by=head
        )
    pub.refresh_from_db()
    pub.document.refresh_from_db()
    assert pub.document.status == IssuedDocument.Status.ISSUED
    return pub


def quick(organisation, signer, *, title, body="Nội dung.", number, publish_at=None, status=None):
    """A publication without rendering or signing (for lists, search, pagination)."""
    now = timezone.now()
    document = IssuedDocument.objects.create(
        organisation=organisation,
        doc_type=DocType.THONG_CAO,
        series="TC",
        year=now.year,
        number=number,
        symbol=f"TC-{organisation.abbreviation}",
        summary=title[:500],
        body=body,
        signer=signer,
        signer_title="Trưởng phòng",
        signer_name="Nguyễn Văn Lãnh",
        place_name=organisation.place_name,
        doc_date=timezone.localdate(now),
        numbered_at=now,
        issued_at=now,
        status=status or IssuedDocument.Status.ISSUED,
    )
    return Publication.objects.create(
        organisation=organisation,
        document=document,
        title=title,
        slug=publication.slug_for(title),
        body=body,
        publish_at=publish_at or now - timedelta(minutes=number),
    )


ATOM = "{http://www.w3.org/2005/Atom}"


def atom(content: bytes):
    """Parse one of our own Atom feeds (trusted: the test client's response)."""
    from xml.etree import ElementTree

    return ElementTree.fromstring(content)  # noqa: S314
