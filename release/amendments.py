"""Change an issued document: cancel it (thu hồi) or issue a correction (đính chính)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

import audit
from core.errors import DomainError
from roles.selectors import actor_role

from .access import can_cancel
from .models import IssuedDocument
from .services import document_issue, document_snapshot
from .signals import document_cancelled


@transaction.atomic
def document_cancel(*, document: IssuedDocument, reason: str, by) -> IssuedDocument:
    """Cancel (thu hồi) a document: it stays in the register, its number stays used."""
    document = IssuedDocument.objects.select_for_update().get(pk=document.pk)
    if not can_cancel(by, document.organisation):
        raise DomainError(
            _("Chỉ văn thư hoặc lãnh đạo cơ quan được thu hồi văn bản."), code="forbidden"
        )
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Phải ghi lý do thu hồi."), code="reason", field="reason")
    if document.status == IssuedDocument.Status.CANCELLED:
        raise DomainError(_("Văn bản đã bị thu hồi."), code="already_cancelled")
    before = document_snapshot(document)
    document.status = IssuedDocument.Status.CANCELLED
    document.cancel_reason = reason
    document.cancelled_at = timezone.now()
    document.cancelled_by = by
    document.save(update_fields=["status", "cancel_reason", "cancelled_at", "cancelled_by"])
    audit.record(
        action="document.cancelled",
        actor=by,
        actor_role=actor_role(by, document.organisation),
        organisation=document.organisation,
        target=document,
        before=before,
        after={**document_snapshot(document), "reason": reason},
    )
    document_cancelled.send(sender=IssuedDocument, document=document)
    return document


def document_correct(
    *,
    document: IssuedDocument,
    summary: str,
    body: str,
    recipients: list[str],
    signer,
    authority: str,
    signer_title: str,
    by,
) -> IssuedDocument:
    """Issue a new document that corrects `document` (the old one then shows as superseded)."""
    if document.status == IssuedDocument.Status.CANCELLED:
        raise DomainError(_("Không đính chính văn bản đã thu hồi."), code="cancelled")
    return document_issue(
        organisation=document.organisation,
        doc_type=document.doc_type,
        unit=document.unit,
        addressees=document.addressees,
        summary=summary,
        body=body,
        recipients=recipients,
        signer=signer,
        authority=authority,
        signer_title=signer_title,
        corrects=document,
        subject=document.subject,
        by=by,
    )
