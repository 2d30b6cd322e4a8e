"""Issue a case's signed answer, refusal or notice as a công văn, and close the case once its
final document is issued."""

from django.db import transaction
from django.utils import timezone

from release import services as release_services
from workflows.engine.ledger import artifact_record
from workflows.engine.signoff import (
    draft_signer,
    signer_title,
)
from workflows.notifications import messages as notifications

from .letters import case_addressee, case_letter
from .models import Case
from .steps import case_snapshot


def case_release(*, case: Case, purpose: str | None = None):
    """Issue the signed final answer or refusal through the release engine (Function node).

    The document becomes the case's answer: once issued, it closes the case.
    """
    case = Case.objects.select_for_update().get(pk=case.pk)
    document = release_services.document_issue(
        organisation=case.organisation,
        **case_letter(case, purpose=purpose).document_fields(),
        signer=case.signer,
        authority=case.signing_authority,
        signer_title=signer_title(case),
        by=case.signer,
        subject=case,
    )
    case.document = document
    case.save(update_fields=["document", "updated_at"])
    artifact_record(case, "case.release", None, after={"document": document.pk}, role="system")
    return document


def case_notice_issue(
    *, case: Case, purpose: str, text: str, signer, authority: str, signer_title: str, by
):
    """Issue a công văn about the case that does not close it (e.g. the notice that a
    complaint is accepted: `letters.Purpose.COMPLAINT_ACCEPTED`); the caller checks who may
    ask for it."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    document = release_services.document_issue(
        organisation=case.organisation,
        **case_letter(case, purpose=purpose, text=text).document_fields(),
        signer=signer,
        authority=authority,
        signer_title=signer_title,
        by=by,
        subject=case,
    )
    artifact_record(
        case, "case.notice", by, after={"document": document.pk, "purpose": str(purpose)}
    )
    return document


def case_draft_pdf(
    *, case: Case, viewer, purpose: str | None = None, text: str | None = None
) -> bytes:
    """The document a sign-off would issue, as a "DỰ THẢO" PDF (the reviewer's and signer's
    preview): the same text and template as `case_release`, without a number."""
    return release_services.document_draft_pdf(
        organisation=case.organisation,
        **case_letter(case, purpose=purpose, text=text).document_fields(),
        **draft_signer(case, viewer),
    )


def case_recipients(case: Case) -> list[str]:
    """Nơi nhận of the case's document (its “Kính gửi”, named “Như trên” on the letter)."""
    return [case_addressee(case)]


def case_document_issued(*, document) -> Case | None:
    """Close the case whose answer has just been issued, and tell the journalist."""
    case = Case.objects.select_for_update().filter(document=document).first()
    if case is None:
        from .complaints import case_notice_issued

        return case_notice_issued(document=document)
    if not case.is_open:
        return case
    before = case_snapshot(case)
    case.status = (
        Case.Status.REFUSED if case.decision == Case.Decision.REFUSAL else Case.Status.ANSWERED
    )
    case.closed_at = timezone.now()
    case.save(update_fields=["status", "closed_at", "updated_at"])
    # Sent to the journalist at once (portal + e-mail): the register's dispatch date.
    release_services.document_dispatched(document=document, at=case.closed_at)
    artifact_record(
        case, "case.close", None, before=before, after=case_snapshot(case), role="system"
    )
    transaction.on_commit(lambda: notifications.notify_case_closed(case_id=case.pk))
    return case
