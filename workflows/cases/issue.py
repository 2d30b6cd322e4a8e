"""Issue a case's signed answer or refusal, and close the case once it is issued."""

from django.db import transaction
from django.utils import timezone

from release import services as release_services
from workflows.engine.ledger import artifact_record
from workflows.engine.signoff import (
    draft_signer,
    signer_title,
    signer_title_for,
    signing_authority_for,
)
from workflows.notifications import messages as notifications

from .models import Case
from .steps import case_snapshot

ANSWER_DOC_TYPE = "thong_bao"


def case_release(*, case: Case):
    """Issue the signed answer or refusal through the release engine (Function node)."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    document = release_services.document_issue(
        organisation=case.organisation,
        **_document_fields(case),
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


def case_draft_pdf(*, case: Case, viewer) -> bytes:
    """The document a sign-off would issue, as a "DỰ THẢO" PDF (the reviewer's and signer's
    preview): the same text and template as `case_release`, without a number."""
    return release_services.document_draft_pdf(
        organisation=case.organisation,
        **_document_fields(case),
        **draft_signer(case, viewer),
    )


def case_recipients(case: Case) -> list[str]:
    """Nơi nhận of the case's document: the press agency and the journalist."""
    return [
        case.press_agency.name,
        f"Nhà báo {case.journalist.get_full_name() or case.journalist.username}",
    ]


def _document_fields(case: Case) -> dict:
    summary, body = _document_text(case)
    return {
        "doc_type": ANSWER_DOC_TYPE,
        "summary": summary,
        "body": body,
        "recipients": case_recipients(case),
    }


def _document_text(case: Case) -> tuple[str, str]:
    journalist = case.journalist.get_full_name() or case.journalist.username
    received = timezone.localtime(case.received_at).strftime("%d/%m/%Y")
    questions = "\n".join(f"{i}. {q}" for i, q in enumerate(case.questions, start=1))
    intro = (
        f"{case.organisation.name} nhận được đề nghị của nhà báo {journalist} "
        f"({case.press_agency.name}) ngày {received}, số hồ sơ {case.reference}, "
        f"về việc: {case.subject}.\n\nNội dung đề nghị:\n{questions}"
    )
    if case.decision == Case.Decision.REFUSAL:
        ground = case.refusal_ground
        summary = f"Từ chối cung cấp thông tin về việc {case.subject}"
        body = (
            f"{intro}\n\n{case.organisation.name} từ chối cung cấp thông tin theo "
            f"{ground.citation}: {ground.label}\n\nLý do: {case.refusal_reason}"
        )
    else:
        summary = f"Trả lời đề nghị của nhà báo về việc {case.subject}"
        body = f"{intro}\n\n{case.organisation.name} trả lời như sau:\n\n{case.answer}"
    return summary[:500], body


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


def case_notice_issue(*, case: Case, purpose: str, signer):
    """Issue a signed notice on a case before its answer (e.g. a complaint's thụ lý), with the
    text `purpose` names; the case stays open (only `case.document` closes it)."""
    from .complaints import NOTICE_TEXTS

    summary, body = NOTICE_TEXTS[purpose](case)
    return release_services.document_issue(
        organisation=case.organisation,
        doc_type=ANSWER_DOC_TYPE,
        summary=summary[:500],
        body=body,
        recipients=case_recipients(case),
        signer=signer,
        authority=signing_authority_for(signer, case.organisation),
        signer_title=signer_title_for(signer, case.organisation),
        by=signer,
        subject=case,
    )
