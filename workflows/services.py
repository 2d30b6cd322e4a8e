"""Change cases. Views, the REST API, Celery tasks and commands all call these functions.

Every change follows one recipe: guard (state + permission) → change → save → ledger
event, in one transaction, under the process lock.
"""

import uuid
from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.forms.models import model_to_dict
from django.utils import timezone
from django.utils.translation import gettext as _
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

import audit
from core.errors import DomainError
from roles import services as role_services
from roles.models import JournalistProfile, Membership, Organisation, Role
from roles.selectors import actor_role, user_roles

from . import selectors, uploads
from .case_models import Case, CaseAttachment
from .notifications import messages as notifications
from .rules import deadlines

MAX_QUESTIONS = 20
# Kinds that need the press agency's own request letter (Luật Báo chí: the agency asks).
KINDS_NEEDING_LETTER = {Case.Kind.ANSWER_REQUEST, Case.Kind.PRESS_REPORT, Case.Kind.COMPLAINT}

# What each step of the flow lets a user do.
STEP_ACTIONS = {
    "triage": ("accept", "forward", "duplicate", "clarify"),
    "draft": ("submit",),
    "review": ("approve", "return", "refuse"),
    "signoff": ("sign", "return"),
}
STEP_STATUS = {
    "triage": Case.Status.TRIAGE,
    "draft": Case.Status.DRAFTING,
    "review": Case.Status.REVIEW,
    "signoff": Case.Status.SIGNOFF,
}


def _snapshot(case: Case) -> dict:
    data = model_to_dict(
        case,
        fields=[
            "status",
            "due_at",
            "decision",
            "assigned_unit",
            "refusal_ground",
            "forwarded_to",
            "duplicate_of",
            "signer",
            "signing_authority",
            "document",
        ],
    )
    return data


def _record(case: Case, action: str, by, before=None, after=None, request=None, role=""):
    return audit.record(
        action=action,
        actor=by,
        actor_role=role or actor_role(by, case.organisation),
        organisation=case.organisation,
        target=case,
        before=before,
        after=after,
        request=request,
    )


# ---------------------------------------------------------------- intake


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
    request=None,
) -> Case:
    """Register a case from the press and start its flow; tell the journalist its due date."""
    from .flows import CaseFlow

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
    case.reference = f"PA-{timezone.localtime(received_at).year}-{case.pk:06d}"
    case.save(update_fields=["reference"])
    for att_kind, checked_file in checked:
        uploads.attachment_store(
            case=case, kind=att_kind, checked=checked_file, by=registered_by or journalist
        )
    _record(
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
        request=request,
    )
    CaseFlow.start.run(case=case)
    transaction.on_commit(lambda: notifications.notify_case_received(case_id=case.pk))
    return case


# ---------------------------------------------------------------- human tasks


def task_step(task: Task) -> str:
    return task.flow_task.name


def task_can_act(user, task: Task) -> bool:
    """True when `user` may claim/complete this task now (role, validity and assignment)."""
    artifact = task.process.artifact
    predicate = selectors.step_predicate(task_step(task), artifact)
    return bool(predicate and user.is_authenticated and predicate(user, artifact))


def task_perform(*, activation, by, action: str, data: dict, request=None) -> Case:
    """Apply a step's decision to the case and complete the task (inside the flow lock).

    `activation` is viewflow's activation of the task, already started; the web task
    views get it from viewflow and the API from `task_complete`.
    """
    task = activation.task
    case: Case = Case.objects.select_for_update().get(pk=activation.process.artifact_object_id)
    step = task_step(task)
    if action not in STEP_ACTIONS.get(step, ()):
        raise DomainError(
            _("Thao tác không hợp lệ ở bước này."), code="invalid_action", field="action"
        )
    if not task_can_act(by, task):
        raise PermissionDenied(_("Bạn không có quyền thực hiện bước này của hồ sơ."))
    if case.status != STEP_STATUS[step]:
        raise DomainError(_("Hồ sơ không còn ở bước này."), code="invalid_state")
    before = _snapshot(case)
    handler = _HANDLERS[step]
    detail = handler(case=case, by=by, action=action, data=data or {})
    case.save()
    _record(
        case,
        f"case.{step}.{action}",
        by,
        before=before,
        after={**_snapshot(case), **(detail or {})},
        request=request,
    )
    activation.execute()
    return case


def task_complete(*, task: Task, by, action: str, data: dict, request=None) -> Case:
    """Claim (if needed), start and complete a task outside viewflow's views (API, scripts)."""
    flow_class = task.flow_task.flow_class
    with flow_class.lock(task.process_id), transaction.atomic():
        task = Task.objects.select_related("process").get(pk=task.pk)
        if task.status not in (STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED):
            raise DomainError(_("Công việc này đã được xử lý xong."), code="invalid_state")
        if not task_can_act(by, task):
            if task.flow_task.flow_class.__name__ == "StatementFlow":
                raise PermissionDenied(_("Bạn không có quyền thực hiện bước này."))
            raise PermissionDenied(_("Bạn không có quyền thực hiện bước này của hồ sơ."))
        activation = task.flow_task.activation_class(task)
        if task.status == STATUS.NEW:
            activation.assign(by)
        elif task.owner_id != by.pk:
            raise DomainError(
                _("Công việc này đã được giao cho %(u)s.") % {"u": task.owner}, code="invalid_state"
            )
        if task.status != STATUS.STARTED:
            activation.start(request)
        perform = task_perform
        if task.flow_task.flow_class.__name__ == "StatementFlow":
            from .statement_services import statement_task_perform as perform
        return perform(activation=activation, by=by, action=action, data=data, request=request)


def task_claim(*, task: Task, by) -> Task:
    """Take a task from the queue (assign it to oneself)."""
    flow_class = task.flow_task.flow_class
    with flow_class.lock(task.process_id), transaction.atomic():
        task = Task.objects.select_related("process").get(pk=task.pk)
        if not task_can_act(by, task):
            raise PermissionDenied(_("Bạn không có quyền nhận công việc này."))
        if task.status != STATUS.NEW:
            raise DomainError(_("Công việc này đã có người nhận."), code="invalid_state")
        task.flow_task.activation_class(task).assign(by)
        _record(
            task.process.artifact,
            "task.claim",
            by,
            after={"task": task.pk, "step": task_step(task)},
        )
        return task


def task_unclaim(*, task: Task, by) -> Task:
    """Give a task back to the queue (its owner, or a flow manager)."""
    flow_class = task.flow_task.flow_class
    with flow_class.lock(task.process_id), transaction.atomic():
        task = Task.objects.select_related("process", "owner").get(pk=task.pk)
        if task.status != STATUS.ASSIGNED:
            raise DomainError(_("Công việc này không còn được giao cho ai."), code="invalid_state")
        if not task.flow_task.can_unassign(by, task):
            raise PermissionDenied(_("Bạn không có quyền trả lại công việc này."))
        owner = task.owner
        task.flow_task.activation_class(task).unassign()
        _record(
            task.process.artifact,
            "task.unclaim",
            by,
            before={"owner": owner.get_username()},
            after={"task": task.pk, "step": task_step(task)},
        )
        return task


def step_created(*, activation) -> None:
    """Give today's eligible users the object permission for a new task of a case."""
    step = task_step(activation.task)
    case = Case.objects.get(pk=activation.process.artifact_object_id)
    perm = f"workflows.{step}_case"
    for user in selectors.step_eligible_users(step, case):
        if not user.has_perm(perm, case):
            role_services.permission_grant(perm=perm, to=user, obj=case)


# ---------------------------------------------------------------- step handlers


def _triage(*, case: Case, by, action: str, data: dict):
    if action == "accept":
        assignees = list(data.get("assignees") or [])
        if not assignees:
            raise DomainError(
                _("Hãy chọn ít nhất một chuyên viên soạn trả lời."),
                code="assignee",
                field="assignee",
            )
        memberships = {
            m.user_id: m
            for m in Membership.objects.current().filter(
                organisation=case.organisation, role=Role.SPECIALIST, user__in=assignees
            )
        }
        for user in assignees:
            if user.pk not in memberships:
                raise DomainError(
                    _("%(u)s không phải chuyên viên của cơ quan.") % {"u": user.get_username()},
                    code="assignee",
                    field="assignee",
                )
        case.specialists.set(assignees)
        case.assigned_unit = data.get("unit") or memberships[assignees[0].pk].unit
        case.status = Case.Status.DRAFTING
        for user in assignees:
            role_services.permission_grant(perm="workflows.draft_case", to=user, obj=case, by=by)
        return {"assignees": [u.get_username() for u in assignees]}
    if action == "forward":
        to = (data.get("to") or "").strip()
        reason = (data.get("reason") or "").strip()
        if not to:
            raise DomainError(_("Hãy ghi cơ quan có thẩm quyền nhận hồ sơ."), code="to", field="to")
        if not reason:
            raise DomainError(_("Hãy ghi lý do chuyển."), code="reason", field="reason")
        case.forwarded_to, case.forward_reason = to[:255], reason
        case.status = Case.Status.FORWARDED
        case.closed_at = timezone.now()
        transaction.on_commit(lambda: notifications.notify_case_closed(case_id=case.pk))
        return None
    if action == "duplicate":
        original = data.get("of")
        if isinstance(original, int | str):
            original = Case.objects.filter(pk=original).first()
        if (
            original is None
            or original.pk == case.pk
            or original.organisation_id != case.organisation_id
        ):
            raise DomainError(_("Hãy chọn một hồ sơ khác của cùng cơ quan."), code="of", field="of")
        case.duplicate_of = original
        case.status = Case.Status.DUPLICATE
        case.closed_at = timezone.now()
        transaction.on_commit(lambda: notifications.notify_case_closed(case_id=case.pk))
        return {"of": original.reference}
    if action == "clarify":
        message = (data.get("message") or "").strip()
        if not message:
            raise DomainError(
                _("Hãy ghi nội dung cần nhà báo làm rõ."), code="message", field="message"
            )
        case.clarification_request = message
        case.clarification_reply = ""
        case.status = Case.Status.AWAITING_CLARIFICATION
        now = timezone.now()
        if (
            case.rule
            and case.rule.pausable
            and case.due_at
            and case.paused_at is None
            and now <= case.due_at
        ):
            pause = deadlines.deadline_pause(
                rule=case.rule, due_at=case.due_at, paused_at=now, reason=message
            )
            case.paused_at = pause.paused_at
            case.due_explanation = f"{case.due_explanation}\n{pause.explanation}".strip()
        transaction.on_commit(lambda: notifications.notify_clarification(case_id=case.pk))
        return None
    raise AssertionError(action)


def _draft(*, case: Case, by, action: str, data: dict):
    answer = (data.get("answer") or "").strip()
    if not answer:
        raise DomainError(_("Nội dung trả lời không được để trống."), code="answer", field="answer")
    case.answer = answer
    case.status = Case.Status.REVIEW
    return None


def _review(*, case: Case, by, action: str, data: dict):
    if action == "approve":
        if not case.answer.strip():
            raise DomainError(_("Chưa có nội dung trả lời để duyệt."), code="answer")
        case.decision = Case.Decision.ANSWER
        case.refusal_ground = None
        case.refusal_reason = ""
        case.status = Case.Status.SIGNOFF
        return None
    if action == "return":
        comment = (data.get("comment") or "").strip()
        if not comment:
            raise DomainError(_("Hãy ghi ý kiến khi trả lại."), code="comment", field="comment")
        case.last_comment = comment
        case.status = Case.Status.DRAFTING
        return {"comment": comment}
    if action == "refuse":
        ground = data.get("ground")
        reason = (data.get("reason") or "").strip()
        grounds = deadlines.refusal_grounds_for(case.received_at)
        if isinstance(ground, str):
            ground = next((g for g in grounds if g.code == ground), None)
        if ground is None or ground.pk not in {g.pk for g in grounds}:
            raise DomainError(
                _("Hãy chọn căn cứ từ chối theo quy định đang áp dụng cho hồ sơ."),
                code="ground",
                field="ground",
            )
        if not reason:
            raise DomainError(_("Hãy ghi lý do từ chối."), code="reason", field="reason")
        case.decision = Case.Decision.REFUSAL
        case.refusal_ground = ground
        case.refusal_reason = reason
        case.status = Case.Status.SIGNOFF
        return {"ground": ground.code}
    raise AssertionError(action)


def _signoff(*, case: Case, by, action: str, data: dict):
    if action == "sign":
        is_head = Membership.objects.current().filter(
            user=by, organisation=case.organisation, role=Role.HEAD
        )
        case.signer = by
        case.signing_authority = "" if is_head.exists() else "KT."
        case.status = Case.Status.RELEASING
        return {"authority": case.signing_authority}
    if action == "return":
        comment = (data.get("comment") or "").strip()
        if not comment:
            raise DomainError(_("Hãy ghi ý kiến khi trả lại."), code="comment", field="comment")
        back_to = data.get("to") or "review"
        if back_to not in ("review", "draft"):
            raise DomainError(
                _("Chỉ trả lại cho bước xem xét hoặc soạn thảo."), code="to", field="to"
            )
        case.last_comment = comment
        case.status = Case.Status.REVIEW if back_to == "review" else Case.Status.DRAFTING
        return {"comment": comment, "to": back_to}
    raise AssertionError(action)


_HANDLERS = {"triage": _triage, "draft": _draft, "review": _review, "signoff": _signoff}


@transaction.atomic
def case_draft_save(*, case: Case, by, answer: str, request=None) -> Case:
    """Save the specialist's draft without completing the task."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.status != Case.Status.DRAFTING:
        raise DomainError(_("Hồ sơ không còn ở bước soạn thảo."), code="invalid_state")
    if not selectors.may_draft(by, case):
        raise PermissionDenied(_("Bạn không được giao soạn trả lời hồ sơ này."))
    case.answer = (answer or "").strip()
    case.save(update_fields=["answer", "updated_at"])
    _record(case, "case.draft.save", by, request=request)
    return case


# ---------------------------------------------------------------- clarification


def case_clarification_reply(*, case: Case, by, message: str, attachments=(), request=None) -> Case:
    """The journalist answers a request to clarify: the clock resumes and triage starts again."""
    from .flows import CaseFlow

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
        before = _snapshot(case)
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
        _record(
            case,
            "case.clarification.reply",
            by,
            before=before,
            after=_snapshot(case),
            request=request,
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


@transaction.atomic
def case_extend(*, case: Case, by, days: int, reason: str, request=None) -> Case:
    """Extend the legal deadline where the rule allows it; the journalist sees the reason."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if not (selectors.may_review(by, case) or selectors.may_sign(by, case)):
        raise PermissionDenied(_("Chỉ người phát ngôn hoặc lãnh đạo được gia hạn."))
    if not case.is_open:
        raise DomainError(_("Hồ sơ đã kết thúc."), code="invalid_state")
    if case.rule is None or case.due_at is None:
        raise DomainError(_("Hồ sơ này không có thời hạn để gia hạn."), code="not_extendable")
    before = _snapshot(case)
    new_due, note = deadlines.deadline_extend(
        rule=case.rule,
        due_at=case.due_at,
        amount=days,
        reason=reason,
        already_extended=case.extended_amount,
    )
    case.due_at = new_due
    case.extended_amount += days
    case.due_explanation = f"{case.due_explanation}\n{note}".strip()
    case.save(update_fields=["due_at", "extended_amount", "due_explanation", "updated_at"])
    _record(
        case,
        "case.extend",
        by,
        before=before,
        after={
            **_snapshot(case),
            "reason": reason,
            "days": days,
            "extended_amount": case.extended_amount,
        },
        request=request,
    )
    transaction.on_commit(lambda: notifications.notify_case_extended(case_id=case.pk))
    return case


# ---------------------------------------------------------------- release


ANSWER_DOC_TYPE = "thong_bao"

# A starting point for the specialist's draft, per case kind (the legal form each answer takes).
ANSWER_TEMPLATES = {
    Case.Kind.QUESTION: (
        "Về câu hỏi của nhà báo, {org} cung cấp thông tin như sau:\n\n"
        "1. …\n\n"
        "Thông tin trên được cung cấp theo Nghị định số 244/2026/NĐ-CP về phát ngôn và cung cấp "
        "thông tin cho báo chí."
    ),
    Case.Kind.ANSWER_REQUEST: (
        "Thực hiện yêu cầu trả lời trên báo chí của cơ quan báo chí, {org} trả lời như sau:\n\n"
        "1. Nội dung vấn đề được nêu: …\n2. Kết quả kiểm tra, xác minh: …\n3. Biện pháp xử lý: …"
    ),
    Case.Kind.PRESS_REPORT: (
        "Đối với ý kiến, kiến nghị, phản ánh do cơ quan báo chí chuyển đến, {org} thông báo "
        "kết quả xem xét và biện pháp xử lý như sau:\n\n1. …"
    ),
    Case.Kind.COMPLAINT: (
        "Đối với đơn khiếu nại, tố cáo do cơ quan báo chí chuyển đến, {org} thông báo:\n\n"
        "1. Việc thụ lý giải quyết: …\n2. Kết quả giải quyết (khi có kết luận): …"
    ),
}


def answer_template(case: Case) -> str:
    """The draft a specialist starts from for this kind of case."""
    return ANSWER_TEMPLATES.get(case.kind, "").format(org=case.organisation.name)


def case_release(*, case: Case):
    """Issue the signed answer or refusal through the release engine (Function node)."""
    from release import services as release_services

    case = Case.objects.select_for_update().get(pk=case.pk)
    signer_membership = (
        Membership.objects.current()
        .filter(
            user=case.signer, organisation=case.organisation, role__in=[Role.HEAD, Role.DEPUTY_HEAD]
        )
        .order_by("role")
        .first()
    )
    summary, body = _document_text(case)
    document = release_services.document_issue(
        organisation=case.organisation,
        doc_type=ANSWER_DOC_TYPE,
        summary=summary,
        body=body,
        recipients=[
            case.press_agency.name,
            f"Nhà báo {case.journalist.get_full_name() or case.journalist.username}",
        ],
        signer=case.signer,
        authority=case.signing_authority,
        signer_title=signer_membership.title if signer_membership else case.organisation.head_title,
        by=case.signer,
        subject=case,
    )
    case.document = document
    case.save(update_fields=["document", "updated_at"])
    _record(case, "case.release", None, after={"document": document.pk}, role="system")
    return document


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
    if case is None or not case.is_open:
        return case
    before = _snapshot(case)
    case.status = (
        Case.Status.REFUSED if case.decision == Case.Decision.REFUSAL else Case.Status.ANSWERED
    )
    case.closed_at = timezone.now()
    case.save(update_fields=["status", "closed_at", "updated_at"])
    from release.services import document_dispatched

    # Sent to the journalist at once (portal + e-mail): the register's dispatch date.
    document_dispatched(document=document, at=case.closed_at)
    _record(case, "case.close", None, before=before, after=_snapshot(case), role="system")
    transaction.on_commit(lambda: notifications.notify_case_closed(case_id=case.pk))
    return case
