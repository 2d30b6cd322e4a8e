"""Issue outgoing documents: number, queue, render, sign, register; retry; note the dispatch.

The web request only numbers and saves a document; a Celery task renders and signs it
(`document_process`). Every step is written to the audit ledger.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

import audit
from core.errors import DomainError
from core.tasks import task_send, task_send_on_commit
from roles.models import Membership, Role
from roles.selectors import actor_role

from . import numbering
from .access import can_retry, roles_in
from .models import Authority, DocType, IssuedDocument, SigningCredential
from .signals import document_issued

logger = logging.getLogger(__name__)

PERSON_FIELD = "ChuKyNguoiKy"
SEAL_FIELD = "ChuKyCoQuan"


class DocumentProcessError(Exception):
    """Rendering or signing failed; the document keeps its number and will be retried."""


def document_snapshot(document: IssuedDocument) -> dict:
    """What the ledger records of a document before and after a change."""
    return {
        "number": document.number_display,
        "year": document.year,
        "series": document.series,
        "doc_type": document.doc_type,
        "summary": document.summary,
        "status": document.status,
        "signer": document.signer.username if document.signer_id else "",
        "sha256": document.sha256,
    }


# ---------------------------------------------------------------- issue


def _check_signer(*, organisation, signer, authority: str) -> None:
    roles = roles_in(signer, organisation)
    if Role.HEAD in roles and authority in (Authority.NONE, Authority.TM, Authority.Q):
        return
    # A mark given to the member (roles.Membership.signing_mark): TUQ., TL., Q., TM., KT.
    if (
        authority
        and Membership.objects.current()
        .filter(user=signer, organisation=organisation, signing_mark=authority)
        .exists()
    ):
        return
    if Role.DEPUTY_HEAD in roles and authority == Authority.KT:
        return
    if Role.DEPUTY_HEAD in roles:
        raise DomainError(
            _("Cấp phó chỉ được ký thay (KT.) người đứng đầu."), code="authority", field="authority"
        )
    raise DomainError(
        _("Người ký phải là người đứng đầu, hoặc cấp phó ký thay (KT.), đang có hiệu lực."),
        code="signer",
        field="signer",
    )


def _clean_lines(values) -> list[str]:
    return [str(v).strip() for v in (values or []) if str(v).strip()]


def _document_build(
    *,
    organisation,
    doc_type,
    summary,
    body,
    recipients,
    signer,
    authority,
    signer_title,
    unit,
    addressees=None,
) -> IssuedDocument:
    """An unsaved, unnumbered document: the fields an issued one and its draft share."""
    today = timezone.localdate()
    recipients = _clean_lines(recipients)
    addressees = _clean_lines(addressees)
    return IssuedDocument(
        organisation=organisation,
        doc_type=doc_type,
        unit=unit,
        series=numbering.series_for(doc_type),
        year=today.year,
        symbol=numbering.symbol_for(doc_type=doc_type, organisation=organisation, unit=unit),
        summary=(summary or "").strip()[:500],
        body=body,
        recipients=recipients,
        addressees=addressees,
        copies=max(1, len(recipients)),
        signer=signer,
        authority=authority,
        authority_title=organisation.head_title if authority else "",
        signer_title=(signer_title or "").strip(),
        signer_name=(signer.get_full_name() or signer.get_username()) if signer else "",
        place_name=organisation.place_name,
        doc_date=today,
    )


def document_draft_pdf(
    *,
    organisation,
    doc_type: str,
    summary: str,
    body: str,
    recipients: list[str],
    signer,
    authority: str,
    signer_title: str,
    unit=None,
    addressees: list[str] | None = None,
) -> bytes:
    """Render the document a sign-off would issue, unnumbered and marked "DỰ THẢO".

    The same template and text as `document_issue` then `document_process` produce; only the
    number, the verification code and the watermark differ. Nothing is saved or numbered.
    """
    from . import rendering

    document = _document_build(
        organisation=organisation,
        doc_type=doc_type,
        summary=summary,
        body=body,
        recipients=recipients,
        signer=signer,
        authority=authority,
        signer_title=signer_title,
        unit=unit,
        addressees=addressees,
    )
    return rendering.draft_render(document)


@transaction.atomic
def document_issue(
    *,
    organisation,
    doc_type: str,
    summary: str,
    body: str,
    recipients: list[str],
    signer,
    authority: str,
    signer_title: str,
    by,
    unit=None,
    addressees: list[str] | None = None,
    corrects: IssuedDocument | None = None,
    subject=None,
    note: str = "",
) -> IssuedDocument:
    """Number a document in the register and queue its rendering and signing.

    A công văn (`DocType.CONG_VAN`) is numbered in the same series as every other type; its
    symbol is agency + drafting `unit` (the agency alone without one), and `addressees` are
    its “Kính gửi:” line(s).
    """
    if doc_type not in DocType.values:
        raise DomainError(_("Loại văn bản không hợp lệ."), code="doc_type", field="doc_type")
    if authority not in Authority.values:
        raise DomainError(_("Thẩm quyền ký không hợp lệ."), code="authority", field="authority")
    summary = (summary or "").strip()
    if not summary:
        raise DomainError(_("Trích yếu không được để trống."), code="summary", field="summary")
    if not (body or "").strip():
        raise DomainError(_("Nội dung văn bản không được để trống."), code="body", field="body")
    if not (signer_title or "").strip():
        raise DomainError(
            _("Chức danh người ký không được để trống."), code="signer_title", field="signer_title"
        )
    if doc_type == DocType.CONG_VAN and not _clean_lines(addressees):
        raise DomainError(
            _("Công văn phải ghi nơi được kính gửi."), code="addressees", field="addressees"
        )
    if unit is not None and unit.organisation_id != organisation.pk:
        raise DomainError(_("Đơn vị không thuộc cơ quan ban hành."), code="unit", field="unit")
    if corrects is not None and corrects.organisation_id != organisation.pk:
        raise DomainError(
            _("Chỉ đính chính văn bản của chính cơ quan."), code="corrects", field="corrects"
        )
    _check_signer(organisation=organisation, signer=signer, authority=authority)

    now = timezone.now()
    today = timezone.localdate(now)
    series = numbering.series_for(doc_type)
    number = numbering.number_allocate(organisation=organisation, year=today.year, series=series)
    document = _document_build(
        organisation=organisation,
        doc_type=doc_type,
        summary=summary,
        body=body,
        recipients=recipients,
        signer=signer,
        authority=authority,
        signer_title=signer_title,
        unit=unit,
        addressees=addressees,
    )
    document.year, document.doc_date = today.year, today  # the day the number was taken
    document.number = number
    document.numbered_at = now
    document.note = note
    document.corrects = corrects
    document.created_by = by
    if subject is not None:
        document.subject_content_type = ContentType.objects.get_for_model(subject)
        document.subject_object_id = subject.pk
    document.save()
    audit.record(
        action="document.numbered",
        actor=by,
        actor_role=actor_role(by, organisation),
        organisation=organisation,
        target=document,
        after=document_snapshot(document),
    )
    _enqueue(document)
    return document


def _enqueue(document: IssuedDocument) -> None:
    """Hand the document to a worker once the caller commits.

    The queued row, written in the caller's transaction, is the intent to issue: if the
    broker is away at commit, or the message or its worker is lost later, the minute sweep
    (`documents_dispatch_due`) hands it over again.
    """
    from .tasks import document_process_task

    IssuedDocument.objects.filter(pk=document.pk).update(enqueued_at=timezone.now())
    task_send_on_commit(document_process_task, document.pk)


def redispatch_after() -> timedelta:
    return timedelta(seconds=getattr(settings, "RELEASE_REDISPATCH_SECONDS", 120))


def stuck_after() -> timedelta:
    return timedelta(minutes=getattr(settings, "RELEASE_STUCK_MINUTES", 10))


def documents_dispatch_due(*, now=None) -> list[int]:
    """Hand over again every queued document whose last hand-over is older than the limit.

    A document a worker is issuing right now is row-locked and skipped (PostgreSQL); a
    duplicate message is harmless anyway, since issuing is idempotent.
    """
    from .tasks import document_process_task

    now = now or timezone.now()
    with transaction.atomic():
        ids = list(
            IssuedDocument.objects.select_for_update(skip_locked=True, no_key=True)
            .filter(status=IssuedDocument.Status.QUEUED)
            .filter(Q(enqueued_at__isnull=True) | Q(enqueued_at__lt=now - redispatch_after()))
            .order_by("pk")
            .values_list("pk", flat=True)[:500]
        )
        IssuedDocument.objects.filter(pk__in=ids).update(enqueued_at=now)
    sent = [pk for pk in ids if task_send(document_process_task, pk)]
    if ids:
        logger.warning("Dispatched %d queued document(s) again: %s", len(ids), ids)
    return sent


def documents_stuck(*, organisation, now=None):
    """Queued documents numbered longer ago than RELEASE_STUCK_MINUTES (shown with a retry)."""
    now = now or timezone.now()
    return IssuedDocument.objects.filter(
        organisation=organisation,
        status=IssuedDocument.Status.QUEUED,
        numbered_at__lt=now - stuck_after(),
    ).order_by("numbered_at")


# ---------------------------------------------------------------- process (Celery)


def _credentials(document: IssuedDocument) -> tuple[SigningCredential, SigningCredential]:
    active = SigningCredential.objects.filter(organisation=document.organisation, is_active=True)
    person = active.filter(user=document.signer).first()
    seal = active.filter(user__isnull=True).first()
    if person is None:
        raise DocumentProcessError(
            _("Người ký %(name)s chưa có chứng thư ký số đang dùng.")
            % {"name": document.signer_name}
        )
    if seal is None:
        raise DocumentProcessError(_("Cơ quan chưa có chứng thư ký số (con dấu điện tử)."))
    return person, seal


def _render_and_sign(document: IssuedDocument) -> tuple[bytes, dict]:
    from .rendering import document_render
    from .signing import sign_pdf

    person_credential, seal_credential = _credentials(document)
    rendered = document_render(document)
    reason = _("Phát hành văn bản %(number)s") % {"number": document.number_display}
    signed = sign_pdf(
        rendered.pdf,
        credential=person_credential,
        field_name=PERSON_FIELD,
        box=rendered.person_box,
        reason=reason,
        location=document.place_name,
    )
    sealed = sign_pdf(
        signed,
        credential=seal_credential,
        field_name=SEAL_FIELD,
        box=rendered.seal_box,
        reason=reason,
        location=document.place_name,
    )
    facts = {
        "pages": rendered.page_count,
        "person_credential": person_credential.pk,
        "seal_credential": seal_credential.pk,
    }
    return sealed, facts


def document_process(*, document_id: int) -> IssuedDocument | None:
    """Render, sign (person, then agency seal), store and register one numbered document.

    Idempotent: an issued or cancelled document is left as it is, and a document that
    another worker holds is skipped. A failure keeps the number, notes the error and
    raises DocumentProcessError so the task can retry.
    """
    failure: Exception | None = None
    # The attempt is counted in its own transaction first, so that an attempt that kills its
    # worker (and rolls back everything after) still counts: a document that always crashes
    # the worker ends "failed" instead of being redelivered for ever.
    with transaction.atomic():
        document = _locked(document_id)
        if document is None or document.status != IssuedDocument.Status.QUEUED:
            return document
        if document.attempts >= max_attempts():
            return document_mark_failed(
                document_id=document_id, error=document.last_error or "too many attempts"
            )
        document.attempts += 1
        document.save(update_fields=["attempts"])
    with transaction.atomic():
        document = _locked(document_id)
        if document is None or document.status != IssuedDocument.Status.QUEUED:
            return document
        document.status = IssuedDocument.Status.RENDERING
        try:
            with transaction.atomic():
                _issue(document)
        except Exception as exc:  # noqa: BLE001 — any failure is recorded and retried
            logger.warning("Issuing document %s failed: %s", document_id, exc, exc_info=True)
            failure = exc
            stored = document.pdf.name
            document.refresh_from_db(fields=["pdf", "sha256", "issued_at"])
            if stored and stored != document.pdf.name:
                document.pdf.storage.delete(stored)  # written before the rollback
            document.status = IssuedDocument.Status.QUEUED
            document.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            document.save(update_fields=["status", "attempts", "last_error"])
    if failure is not None:
        raise DocumentProcessError(str(failure)) from failure
    return document


def max_attempts() -> int:
    return getattr(settings, "RELEASE_MAX_ATTEMPTS", 6)


def _locked(document_id: int) -> IssuedDocument | None:
    """The document, row-locked; None when it does not exist or a worker holds it.

    Only a queued document is issued: an issued, cancelled or failed one (the latter waits
    for the registry officer's retry) is left as it is, whatever message arrives.

    FOR NO KEY UPDATE, not FOR UPDATE: issuing changes no key of the row, and a transaction
    that holds the ledger's lock while committing a row that refers to this document (a
    deferred foreign-key check takes FOR KEY SHARE) must not wait for us while we wait for
    the ledger — that deadlock was seen in `make prod-check` (docs/operations.md).
    """
    return (
        IssuedDocument.objects.select_for_update(skip_locked=True, of=("self",), no_key=True)
        .select_related("organisation", "signer", "unit")
        .filter(pk=document_id)
        .first()
    )


def _issue(document: IssuedDocument) -> None:
    pdf, facts = _render_and_sign(document)
    document.status = IssuedDocument.Status.SIGNED
    digest = hashlib.sha256(pdf).hexdigest()
    if document.pdf:
        # A stored file without an issued status is a leftover of a crash: replace it.
        document.pdf.delete(save=False)
    document.pdf.save(f"{document.pk}.pdf", ContentFile(pdf), save=False)
    now = timezone.now()
    document.sha256 = digest
    document.issued_at = now
    document.status = IssuedDocument.Status.ISSUED
    document.last_error = ""
    document.save(update_fields=["pdf", "sha256", "issued_at", "status", "last_error", "attempts"])
    # Ledger writes come last and together: the ledger's lock is then held only briefly.
    common = {
        "organisation": document.organisation,
        "target": document,
        "actor_role": "system",
    }
    audit.record(action="document.rendered", after={"pages": facts["pages"]}, **common)
    audit.record(
        action="document.signed",
        after={
            "signer": document.signer.username,
            "credential": facts["person_credential"],
            "field": PERSON_FIELD,
        },
        **common,
    )
    audit.record(
        action="document.sealed",
        after={"credential": facts["seal_credential"], "field": SEAL_FIELD},
        **common,
    )
    audit.record(action="document.registered", after=document_snapshot(document), **common)
    # Listeners (the newsroom, the case flow) act in this transaction; release imports none
    # of them.
    document_issued.send(sender=IssuedDocument, document=document)


def document_dispatched(*, document: IssuedDocument, at=None) -> IssuedDocument:
    """Note when the document left the agency (ngày chuyển, NĐ 30/2020 Art. 18): the first
    electronic dispatch — to the journalist's portal, or to the press list at publication."""
    at = at or timezone.now()
    updated = IssuedDocument.objects.filter(pk=document.pk, dispatched_at__isnull=True).update(
        dispatched_at=at
    )
    if updated:
        document.dispatched_at = at
        audit.record(
            action="document.dispatched",
            actor_role="system",
            organisation=document.organisation,
            target=document,
            after={"dispatched_at": at.isoformat()},
        )
    return document


@transaction.atomic
def document_mark_failed(*, document_id: int, error: str) -> IssuedDocument | None:
    """After the last retry: mark the document failed (it keeps its number) for the register."""
    document = IssuedDocument.objects.select_for_update(no_key=True).filter(pk=document_id).first()
    if document is None or document.status in (
        IssuedDocument.Status.ISSUED,
        IssuedDocument.Status.CANCELLED,
    ):
        return document
    document.status = IssuedDocument.Status.FAILED
    document.last_error = (error or document.last_error)[:2000]
    document.save(update_fields=["status", "last_error"])
    audit.record(
        action="document.failed",
        actor_role="system",
        organisation=document.organisation,
        target=document,
        after={"error": document.last_error[:500], "attempts": document.attempts},
    )
    return document


@transaction.atomic
def document_retry(*, document: IssuedDocument, by) -> IssuedDocument:
    """Queue a failed document again (registry officer); it keeps its number."""
    document = IssuedDocument.objects.select_for_update(no_key=True).get(pk=document.pk)
    if not can_retry(by, document.organisation):
        raise DomainError(_("Chỉ văn thư của cơ quan được phát hành lại."), code="forbidden")
    stuck = (
        document.status == IssuedDocument.Status.QUEUED
        and document.numbered_at < timezone.now() - stuck_after()
    )
    if document.status != IssuedDocument.Status.FAILED and not stuck:
        raise DomainError(
            _("Chỉ phát hành lại được văn bản bị lỗi hoặc chờ phát hành quá lâu."),
            code="not_failed",
        )
    before = document_snapshot(document)
    document.status = IssuedDocument.Status.QUEUED
    document.attempts = 0
    document.save(update_fields=["status", "attempts"])
    audit.record(
        action="document.retry",
        actor=by,
        actor_role=actor_role(by, document.organisation),
        organisation=document.organisation,
        target=document,
        before=before,
        after=document_snapshot(document),
    )
    _enqueue(document)
    return document
