"""Complaints and denunciations forwarded by the press (NĐ 237/2026 Điều 18 khoản 2).

The competent body (i) tells the press whether it takes the complaint up (thụ lý) — a signed
notice issued at once — and (ii) sends its conclusion (kết luận giải quyết) within 5 working
days of it. Both are facts on the case recorded beside the flow, not steps of it: the
conclusion may come weeks after drafting started, and recording it starts the legal clock
(`due_at`). A complaint case cannot be approved or signed for release without them
(`complaint_close_check`).
"""

from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError
from release import services as release_services
from workflows.engine.ledger import artifact_record
from workflows.engine.signoff import signer_title_for, signing_authority_for
from workflows.notifications.services import notify
from workflows.rules import deadlines
from workflows.rules.models import ClockStart

from . import selectors
from .letters import Purpose
from .models import Case, conclusion_start

Acceptance = Case.ComplaintAcceptance

# Statuses in which the facts may be recorded: after triage accepted the case, before release.
RECORDABLE = (Case.Status.DRAFTING, Case.Status.REVIEW, Case.Status.SIGNOFF)


def complaint_snapshot(case: Case) -> dict:
    return {
        "complaint_acceptance": case.complaint_acceptance,
        "complaint_decided_on": case.complaint_decided_on,
        "complaint_notice": case.complaint_notice_id,
        "conclusion_on": case.conclusion_on,
        "conclusion_number": case.conclusion_number,
        "conclusion_issuer": case.conclusion_issuer,
        "due_at": case.due_at,
    }


def complaint_close_check(case: Case) -> None:
    """Refuse to close a complaint case without its thụ lý record and, when taken up, the
    date of the conclusion the press must receive."""
    if case.kind != Case.Kind.COMPLAINT:
        return
    if not case.complaint_acceptance:
        raise DomainError(
            _(
                "Hồ sơ khiếu nại, tố cáo chưa ghi việc thụ lý hoặc không thụ lý (và thông báo cho "
                "cơ quan báo chí); hãy ghi trên trang hồ sơ trước khi kết thúc."
            ),
            code="complaint_acceptance_missing",
        )
    if case.complaint_acceptance == Acceptance.ACCEPTED and case.conclusion_on is None:
        raise DomainError(
            _(
                "Hồ sơ khiếu nại, tố cáo đã thụ lý nhưng chưa ghi ngày kết luận giải quyết; hãy "
                "ghi ngày, số và cơ quan ban hành kết luận trên trang hồ sơ trước khi kết thúc."
            ),
            code="complaint_conclusion_missing",
        )


def may_record(user, case: Case) -> bool:
    """The case's specialists, the spokesperson and the head may record the conclusion."""
    return (
        selectors.may_draft(user, case)
        or selectors.may_review(user, case)
        or selectors.may_sign(user, case)
    )


def _guard(case: Case) -> None:
    if case.kind != Case.Kind.COMPLAINT:
        raise DomainError(
            _("Chỉ hồ sơ khiếu nại, tố cáo do báo chí chuyển mới có thụ lý và kết luận."),
            code="not_complaint",
        )
    if case.status not in RECORDABLE:
        raise DomainError(
            _("Chỉ ghi được khi hồ sơ đã được phân loại và chưa phát hành văn bản trả lời."),
            code="invalid_state",
        )


def _day(value, *, field: str, not_before: date, not_before_text: str) -> date:
    if not isinstance(value, date):
        raise DomainError(_("Hãy nhập ngày theo dạng dd/mm/yyyy."), code=field, field=field)
    if value > timezone.localdate():
        raise DomainError(_("Ngày không được sau hôm nay."), code=field, field=field)
    if value < not_before:
        raise DomainError(not_before_text, code=field, field=field)
    return value


@transaction.atomic
def case_complaint_accept(
    *, case: Case, by, accepted: bool, decided_on: date, note: str = ""
) -> Case:
    """Record whether the complaint is taken up (thụ lý) and issue the signed notice to the
    press agency; the head (or a deputy signing KT.) records it, since they sign the notice."""
    from .issue import case_notice_issue

    case = Case.objects.select_for_update().get(pk=case.pk)
    if not selectors.may_sign(by, case):
        raise PermissionDenied(
            _("Chỉ lãnh đạo ký thông báo thụ lý mới ghi được việc thụ lý khiếu nại, tố cáo.")
        )
    _guard(case)
    if case.complaint_acceptance:
        raise DomainError(
            _("Việc thụ lý đã được ghi và thông báo cho cơ quan báo chí."),
            code="invalid_state",
        )
    note = (note or "").strip()
    if not accepted and not note:
        raise DomainError(
            _("Hãy ghi lý do không thụ lý (thông báo cho cơ quan báo chí)."),
            code="note",
            field="note",
        )
    received = timezone.localtime(case.received_at).date()
    decided_on = _day(
        decided_on,
        field="decided_on",
        not_before=received,
        not_before_text=_("Ngày quyết định thụ lý không được trước ngày tiếp nhận hồ sơ."),
    )
    before = complaint_snapshot(case)
    case.complaint_acceptance = Acceptance.ACCEPTED if accepted else Acceptance.REJECTED
    case.complaint_decided_on = decided_on
    case.complaint_decision_note = note
    purpose = Purpose.COMPLAINT_ACCEPTED if accepted else Purpose.COMPLAINT_NOT_ACCEPTED
    case.complaint_notice = case_notice_issue(
        case=case,
        purpose=purpose,
        text=NOTICE_TEXTS[purpose](case),
        signer=by,
        authority=signing_authority_for(by, case.organisation),
        signer_title=signer_title_for(by, case.organisation),
        by=by,
    )
    case.save()
    artifact_record(
        case,
        "case.complaint.acceptance",
        by,
        before=before,
        after={**complaint_snapshot(case), "note": note},
    )
    return case


@transaction.atomic
def case_complaint_conclude(
    *, case: Case, by, concluded_on: date, number: str, issuer: str
) -> Case:
    """Record the competent body's conclusion; the 5-working-day clock to send it to the press
    starts from its date (NĐ 237/2026 Điều 18 khoản 2)."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if not may_record(by, case):
        raise PermissionDenied(_("Bạn không được giao xử lý hồ sơ này."))
    _guard(case)
    if case.complaint_acceptance != Acceptance.ACCEPTED:
        raise DomainError(
            _("Hãy ghi việc thụ lý khiếu nại, tố cáo trước khi ghi kết luận giải quyết."),
            code="complaint_acceptance_missing",
        )
    number, issuer = (number or "").strip(), (issuer or "").strip()
    if not number:
        raise DomainError(_("Hãy ghi số kết luận."), code="number", field="number")
    if not issuer:
        raise DomainError(
            _("Hãy ghi cơ quan, người ban hành kết luận."), code="issuer", field="issuer"
        )
    concluded_on = _day(
        concluded_on,
        field="concluded_on",
        not_before=case.complaint_decided_on,
        not_before_text=_("Ngày kết luận không được trước ngày thụ lý."),
    )
    before = complaint_snapshot(case)
    case.conclusion_on, case.conclusion_number, case.conclusion_issuer = (
        concluded_on,
        number[:60],
        issuer[:255],
    )
    rule = case.rule
    if rule is not None and rule.clock_start == ClockStart.CONCLUSION:
        deadline = deadlines.deadline_compute(
            kind=case.kind,
            received_at=case.received_at,
            organisation=case.organisation,
            start_at=conclusion_start(concluded_on),
        )
        case.due_at = deadline.due_at
        case.due_explanation = deadline.explanation
        case.extended_amount = 0
    case.save()
    artifact_record(
        case, "case.complaint.conclusion", by, before=before, after=complaint_snapshot(case)
    )
    return case


def case_notice_issued(*, document) -> Case | None:
    """Send an issued thụ lý notice to the journalist (portal + e-mail) at once."""
    case = Case.objects.select_for_update().filter(complaint_notice=document).first()
    if case is None:
        return None
    now = timezone.now()
    release_services.document_dispatched(document=document, at=now)
    artifact_record(
        case, "case.complaint.notice", None, after={"document": document.pk}, role="system"
    )
    transaction.on_commit(
        lambda: notify(
            user=case.journalist,
            case=case,
            url=case.get_portal_url(),
            key=f"case:{case.pk}:complaint_notice:{document.pk}",
            message=_(
                "Hồ sơ %(r)s: cơ quan đã gửi văn bản thông báo việc thụ lý khiếu nại, tố cáo."
            )
            % {"r": case.reference},
        )
    )
    return case


# ---------------------------------------------------------------- the notice's text


def _accepted_text(case: Case) -> str:
    """The thụ lý notice's text, after the công văn's own lines on what was received and its
    opening (`letters.case_body`)."""
    decided = case.complaint_decided_on.strftime("%d/%m/%Y")
    note = f"\n\n{case.complaint_decision_note}" if case.complaint_decision_note else ""
    return (
        f"Ngày {decided}, {case.organisation.name} đã thụ lý giải quyết đơn theo quy định của "
        f"pháp luật về khiếu nại, tố cáo.{note}\n\nKết quả giải quyết sẽ được gửi đến cơ quan "
        "báo chí trong thời hạn 05 ngày làm việc kể từ ngày có kết luận giải quyết (Nghị định "
        "số 237/2026/NĐ-CP, Điều 18 khoản 2)."
    )


def _rejected_text(case: Case) -> str:
    decided = case.complaint_decided_on.strftime("%d/%m/%Y")
    return (
        f"Ngày {decided}, {case.organisation.name} quyết định không thụ lý giải quyết đơn.\n\n"
        f"Lý do: {case.complaint_decision_note}"
    )


# purpose → case → the text of a notice issued by `issue.case_notice_issue` (a công văn).
NOTICE_TEXTS = {
    Purpose.COMPLAINT_ACCEPTED: _accepted_text,
    Purpose.COMPLAINT_NOT_ACCEPTED: _rejected_text,
}
