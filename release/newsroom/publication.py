"""Publication of press statements: schedule, publish at the embargo, the public selectors.

A `Publication` belongs to an issued document (a thông cáo báo chí); it becomes public once
the document is issued and its `publish_at` (the later of the embargo and the issue time) has
passed. Every change is written to the audit ledger.
"""

from __future__ import annotations

import re
from datetime import datetime

from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

import audit
from core.errors import DomainError
from core.tasks import task_send_on_commit
from core.text import search_key, unaccent
from release.models import IssuedDocument
from roles.selectors import actor_role, spokesperson_is_valid, user_roles

from .access import ADDENDUM_ROLES
from .models import Publication

TITLE_MAX = 300


def slug_for(title: str) -> str:
    """The URL slug of a title (ASCII, at most 80 characters, never empty)."""
    slug = slugify(unaccent(title))[:80].strip("-")
    return slug or "thong-cao"


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


def _snapshot(publication: Publication) -> dict:
    def iso(value):
        return value.isoformat() if value else None

    return {
        "document": publication.document.number_display,
        "title": publication.title,
        "embargo_at": iso(publication.embargo_at),
        "publish_at": iso(publication.publish_at),
    }


# ---------------------------------------------------------------- selectors


def publications_public(now: datetime | None = None) -> QuerySet[Publication]:
    """What the newsroom shows: issued documents whose publish_at has passed, newest first."""
    return (
        Publication.objects.filter(
            document__status=IssuedDocument.Status.ISSUED, publish_at__lte=_now(now)
        )
        .select_related("organisation", "document")
        .order_by("-publish_at", "-pk")
    )


def publication_is_public(publication: Publication, now: datetime | None = None) -> bool:
    return (
        publication.document.status == IssuedDocument.Status.ISSUED
        and publication.publish_at is not None
        and publication.publish_at <= _now(now)
    )


def publication_was_published(publication: Publication, now: datetime | None = None) -> bool:
    """True once publish_at has passed with the document issued — even if it was withdrawn
    (thu hồi) afterwards. A document recalled before its publication time never was public:
    its title and the reason for the recall stay internal."""
    if publication.publish_at is None or publication.publish_at > _now(now):
        return False
    document = publication.document
    if document.status == IssuedDocument.Status.CANCELLED:
        return document.cancelled_at is not None and document.cancelled_at >= publication.publish_at
    return document.status == IssuedDocument.Status.ISSUED


def publications_search(
    qs: QuerySet[Publication], query: str = "", organisation=None
) -> QuerySet[Publication]:
    """Filter by organisation and a search text (title, body, number or "12/TC-SGDĐT")."""
    if organisation is not None:
        qs = qs.filter(organisation=organisation)
    query = (query or "").strip()[:200]
    if query:
        # With or without diacritics, in any case: "thong cao" finds "Thông cáo".
        condition = Q(search_text__contains=search_key(query))
        condition |= Q(document__symbol__icontains=query)
        match = re.fullmatch(r"0*(\d{1,9})(?:\s*/\s*(.+))?", query)
        if match:
            number = Q(document__number=int(match.group(1)))
            if match.group(2):
                number &= Q(document__symbol__icontains=match.group(2).strip())
            condition |= number
        qs = qs.filter(condition)
    return qs


def publication_slug(publication: Publication) -> str:
    """The slug in the statement's address: its own, or "thong-cao" when it has none."""
    return publication.slug or "thong-cao"


def publication_url(publication: Publication) -> str:
    return reverse(
        "release:publication",
        args=[publication.organisation.code, publication.pk, publication_slug(publication)],
    )


def publication_pdf_url(publication: Publication) -> str:
    return reverse("release:publication-pdf", args=[publication.organisation.code, publication.pk])


# ---------------------------------------------------------------- schedule and publish


def publication_schedule(
    *,
    document: IssuedDocument,
    title: str,
    body: str,
    embargo_at: datetime | None = None,
    by,
) -> Publication:
    """Attach a publication to a numbered document; it goes public once the document is
    issued and the embargo (if any) has passed."""
    title = " ".join((title or "").split())
    if not title:
        raise DomainError(_("Tiêu đề thông cáo không được để trống."), code="title", field="title")
    if len(title) > TITLE_MAX:
        raise DomainError(
            _("Tiêu đề thông cáo dài quá %(n)d ký tự.") % {"n": TITLE_MAX},
            code="title",
            field="title",
        )
    body = (body or "").replace("\r\n", "\n").strip()
    if not body:
        raise DomainError(_("Nội dung thông cáo không được để trống."), code="body", field="body")
    if embargo_at is not None and timezone.is_naive(embargo_at):
        raise DomainError(
            _("Thời điểm cấm đăng phải có múi giờ."), code="embargo_at", field="embargo_at"
        )
    if document.status == IssuedDocument.Status.CANCELLED:
        raise DomainError(_("Văn bản đã bị thu hồi."), code="cancelled")
    if Publication.objects.filter(document_id=document.pk).exists():
        raise DomainError(_("Văn bản này đã có thông cáo công bố."), code="duplicate")
    publication = Publication.objects.create(
        organisation=document.organisation,
        document=document,
        title=title,
        slug=slug_for(title),
        body=body,
        embargo_at=embargo_at,
        created_by=by if getattr(by, "is_authenticated", False) else None,
    )
    audit.record(
        action="publication.scheduled",
        actor=by,
        actor_role=actor_role(by, document.organisation),
        organisation=document.organisation,
        target=publication,
        after=_snapshot(publication),
    )
    if document.status == IssuedDocument.Status.ISSUED:
        # Scheduled after the document was issued: publish now (or at the embargo).
        _publish_at_set(publication, document)
    return publication


def publication_document_issued(document: IssuedDocument) -> Publication | None:
    """Called by the issue step inside its transaction: fill publish_at, plan distribution."""
    publication = Publication.objects.filter(document_id=document.pk).first()
    if publication is None:
        return None
    publication.document = document
    _publish_at_set(publication, document)
    return publication


def _publish_at_set(publication: Publication, document: IssuedDocument) -> None:
    issued_at = document.issued_at or timezone.now()
    embargo = publication.embargo_at
    publication.publish_at = max(embargo, issued_at) if embargo else issued_at
    publication.save(update_fields=["publish_at"])
    audit.record(
        action="publication.publish_at_set",
        actor_role="system",
        organisation=document.organisation,
        target=publication,
        after=_snapshot(publication),
    )
    _schedule_distribution(publication)


def _schedule_distribution(publication: Publication) -> None:
    from .tasks import publication_distribute_task

    # A lost send is caught by the minute sweep (publications_due_sweep_task).
    task_send_on_commit(publication_distribute_task, publication.pk, eta=publication.publish_at)


def publication_addendum_attach(
    *,
    publication: Publication,
    text: str,
    by,
) -> Publication:
    """Add (or replace) the record of a press conference, shown on the public page."""
    text = (text or "").replace("\r\n", "\n").strip()
    if not text:
        raise DomainError(_("Nội dung bổ sung không được để trống."), code="addendum", field="text")
    with transaction.atomic():
        publication = (
            Publication.objects.select_for_update()
            .select_related("organisation", "document")
            .get(pk=publication.pk)
        )
        if not (
            user_roles(by, publication.organisation) & set(ADDENDUM_ROLES)
            or spokesperson_is_valid(by, publication.organisation, on=timezone.localdate())
        ):
            raise DomainError(
                _("Chỉ người phát ngôn, văn thư hoặc lãnh đạo cơ quan được bổ sung thông cáo."),
                code="forbidden",
            )
        if publication.document.status == IssuedDocument.Status.CANCELLED:
            raise DomainError(_("Văn bản đã bị thu hồi."), code="cancelled")
        before = {"addendum": publication.addendum[:500]} if publication.addendum else None
        publication.addendum = text
        publication.addendum_at = timezone.now()
        publication.save(update_fields=["addendum", "addendum_at"])
        audit.record(
            action="publication.addendum",
            actor=by,
            actor_role=actor_role(by, publication.organisation),
            organisation=publication.organisation,
            target=publication,
            before=before,
            after={"addendum": text[:500], "length": len(text)},
        )
    return publication
