"""Take a case in from the press and start its flow; the journalist's clarification restarts it.

This module starts flows, so it imports `workflows.flows` at top level; nothing the flows
import may import it (views and the API call it from above).
"""

import uuid
from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from core.errors import DomainError
from release import incoming
from roles.models import JournalistProfile, Organisation, Role
from roles.selectors import user_roles
from workflows.engine.ledger import artifact_record
from workflows.flows import CaseFlow
from workflows.notifications import messages as notifications
from workflows.rules import deadlines

from . import uploads
from .models import Case, CaseAttachment, reference_for
from .steps import case_snapshot

MAX_QUESTIONS = 20
# Kinds that need the press agency's own request letter (Luật Báo chí: the agency asks).
KINDS_NEEDING_LETTER = {Case.Kind.ANSWER_REQUEST, Case.Kind.PRESS_REPORT, Case.Kind.COMPLAINT}

# Kept here for callers of the service (views, API, scripts).
Upload = uploads.Upload


def _clean_questions(questions) -> list[str]:
    if isinstance(questions, str):
        questions = [questions]
    cleaned = [str(q).strip() for q in (questions or []) if str(q).strip()]
    if not cleaned:
        raise DomainError(_("Hãy nhập ít nhất một câu hỏi."), code="questions", field="questions")
    if len(cleaned) > MAX_QUESTIONS:
        raise DomainError(
            _("Tối đa %(n)d câu hỏi trong một hồ sơ.") % {"n": MAX_QUESTIONS},
            code="questions",
            field="questions",
        )
    if any(len(q) > 4000 for q in cleaned):
        raise DomainError(
            _("Mỗi câu hỏi dài tối đa 4.000 ký tự."), code="questions", field="questions"
        )
    return cleaned


@transaction.atomic
def case_submit(
    *,
    journalist,
    organisation: Organisation,
    kind: str,
    subject: str,
    questions,
    purpose: str = "",
    desired_form: str = Case.DesiredForm.WRITTEN,
    attachments: list[Upload] = (),
    request_letter: Upload | None = None,
    channel: str = Case.Channel.PORTAL,
    registered_by=None,
    received_at=None,
) -> Case:
    """Register a case from the press and start its flow; tell the journalist its due date."""
    profile = (
        JournalistProfile.objects.filter(user=journalist).select_related("press_agency").first()
    )
    if profile is None:
        raise DomainError(
            _("Chỉ tài khoản nhà báo mới gửi được câu hỏi."), code="not_journalist", field=None
        )
    if profile.status == JournalistProfile.Status.REJECTED:
        raise DomainError(
            _("Hồ sơ nhà báo đã bị từ chối xác minh; hãy liên hệ văn thư của cơ quan."),
            code="journalist_rejected",
        )
    if not organisation.is_active:
        raise DomainError(_("Cơ quan này không còn tiếp nhận hồ sơ."), code="organisation")
    if not organisation.receives_press_questions:
        raise DomainError(
            _(
                "Cơ quan này không tiếp nhận câu hỏi của báo chí trực tiếp; hãy gửi đến cơ quan "
                "quản lý của cơ quan này."
            ),
            code="organisation_not_asked",
            field="organisation",
        )
    if kind not in Case.Kind.values:
        raise DomainError(_("Loại hồ sơ không hợp lệ."), code="kind", field="kind")
    if desired_form not in Case.DesiredForm.values:
        raise DomainError(
            _("Hình thức trả lời không hợp lệ."), code="desired_form", field="desired_form"
        )
    if channel not in Case.Channel.values:
        raise DomainError(_("Kênh tiếp nhận không hợp lệ."), code="channel", field="channel")
    subject = (subject or "").strip()
    if not subject:
        raise DomainError(_("Hãy nhập tiêu đề."), code="subject", field="subject")
    if len(subject) > 300:
        raise DomainError(_("Tiêu đề dài tối đa 300 ký tự."), code="subject", field="subject")
    questions = _clean_questions(questions)
    if kind in KINDS_NEEDING_LETTER and request_letter is None and channel != Case.Channel.API:
        raise DomainError(
            _("Loại hồ sơ này cần văn bản đề nghị của cơ quan báo chí (tệp PDF hoặc ảnh quét)."),
            code="request_letter",
            field="request_letter",
        )
    if registered_by is not None and not (
        user_roles(registered_by, organisation) & {Role.REGISTRY_OFFICER, Role.SPOKESPERSON}
    ):
        raise PermissionDenied(_("Chỉ văn thư hoặc người phát ngôn được nhập hồ sơ hộ nhà báo."))
    checked = [(CaseAttachment.Kind.ATTACHMENT, uploads.check_upload(u)) for u in attachments]
    if request_letter is not None:
        letter_kind = (
            CaseAttachment.Kind.SCAN
            if registered_by is not None
            else CaseAttachment.Kind.REQUEST_LETTER
        )
        checked.append((letter_kind, uploads.check_upload(request_letter, field="request_letter")))

    now = timezone.now()
    received_at = received_at or now
    if received_at > now + timedelta(minutes=5):
        raise DomainError(
            _("Thời điểm tiếp nhận không được ở tương lai."),
            code="received_at",
            field="received_at",
        )
    deadline = deadlines.deadline_compute(
        kind=kind, received_at=received_at, organisation=organisation
    )
    case = Case.objects.create(
        # Final reference needs the primary key; a unique placeholder holds its place.
        reference=f"tmp-{uuid.uuid4().hex[:24]}",
        organisation=organisation,
        kind=kind,
        channel=channel,
        journalist=journalist,
        press_agency=profile.press_agency,
        registered_by=registered_by,
        subject=subject,
        questions=questions,
        purpose=(purpose or "").strip(),
        desired_form=desired_form,
        received_at=received_at,
        regime=deadline.regime,
        rule=deadline.rule,
        due_at=deadline.due_at,
        due_explanation=deadline.explanation,
        status=Case.Status.TRIAGE,
    )
    case.reference = reference_for(case.pk, timezone.localtime(received_at).year)
    case.save(update_fields=["reference"])
    for att_kind, checked_file in checked:
        uploads.attachment_store(
            case=case, kind=att_kind, checked=checked_file, by=registered_by or journalist
        )
    if kind in KINDS_NEEDING_LETTER:
        # The press agency's letter (or the report it forwards) is an incoming document:
        # it goes into the sổ văn bản đến at once; the văn thư adds its number and date.
        incoming.incoming_register(
            organisation=organisation,
            sender=profile.press_agency.name,
            summary=f"{case.get_kind_display()}: {subject}"[:500],
            received_at=received_at,
            subject=case,
            subject_label=case.reference,
            by=registered_by or journalist,
            system=True,
        )
    artifact_record(
        case,
        "case.submit",
        registered_by or journalist,
        after={
            "reference": case.reference,
            "kind": kind,
            "channel": channel,
            "due_at": case.due_at.isoformat() if case.due_at else None,
            "due_explanation": case.due_explanation,
            "journalist_verified": profile.is_accredited,
        },
    )
    CaseFlow.start.run(case=case)
    transaction.on_commit(lambda: notifications.notify_case_received(case_id=case.pk))
    return case


def case_clarification_reply(*, case: Case, by, message: str, attachments=()) -> Case:
    """The journalist answers a request to clarify: the clock resumes and triage starts again."""
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        if case.journalist_id != by.pk:
            raise PermissionDenied(_("Chỉ nhà báo gửi hồ sơ mới làm rõ được."))
        if case.status != Case.Status.AWAITING_CLARIFICATION:
            raise DomainError(_("Hồ sơ không chờ làm rõ."), code="invalid_state")
        message = (message or "").strip()
        if not message:
            raise DomainError(_("Hãy nhập nội dung làm rõ."), code="message", field="message")
        checked = [uploads.check_upload(u) for u in attachments]
        before = case_snapshot(case)
        now = timezone.now()
        if case.paused_at is not None and case.due_at is not None:
            case.due_at, note = deadlines.deadline_resume(
                rule=case.rule,
                due_at=case.due_at,
                paused_at=case.paused_at,
                resumed_at=now,
                reason=_("Nhà báo đã làm rõ"),
            )
            case.due_explanation = f"{case.due_explanation}\n{note}".strip()
            case.paused_at = None
        case.clarification_reply = message
        case.status = Case.Status.TRIAGE
        case.save()
        for c in checked:
            uploads.attachment_store(
                case=case, kind=CaseAttachment.Kind.CLARIFICATION, checked=c, by=by
            )
        artifact_record(
            case,
            "case.clarification.reply",
            by,
            before=before,
            after=case_snapshot(case),
        )
        task = (
            Task.objects.filter(
                process__in=case.processes.all(),
                flow_task=CaseFlow.clarification,
                status=STATUS.NEW,
            )
            .order_by("-pk")
            .first()
        )
    CaseFlow.clarification.run(task)
    return case
