"""The case flow's human steps: what each action does, who may act, and the flow's spec.

Every change follows one recipe: guard (state + permission) → change → save → ledger
event, in one transaction, under the process lock.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.forms.models import model_to_dict
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.errors import DomainError
from roles import services as role_services
from roles.models import Membership, Role
from roles.selectors import plan_topics_resolve
from workflows.engine.ledger import artifact_record
from workflows.engine.signoff import comment_required, signoff_apply
from workflows.engine.spec import FlowSpec
from workflows.engine.steps import step_last_holder
from workflows.notifications import messages as notifications
from workflows.rules import deadlines
from workflows.rules.grounds import ground_printable_check

from . import selectors
from .complaints import complaint_close_check
from .models import Case

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


def case_snapshot(case: Case) -> dict:
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


def _triage(case: Case, *, by, action: str, data: dict):
    extra = _triage_decide(case, by=by, action=action, data=data)
    if "topics" in data:  # the page always sends them; an API call may leave them as they are
        topics = plan_topics_resolve(
            organisation=case.organisation,
            year=timezone.localtime(case.received_at).year,
            topics=data["topics"],
        )
        case.topics.set(topics)
        extra = {**(extra or {}), "topics": [t.number for t in topics]}
    return extra


def _triage_decide(case: Case, *, by, action: str, data: dict):
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


def _draft(case: Case, *, by, action: str, data: dict):
    answer = (data.get("answer") or "").strip()
    if not answer:
        raise DomainError(_("Nội dung trả lời không được để trống."), code="answer", field="answer")
    case.answer = answer
    case.status = Case.Status.REVIEW
    return None


def _review(case: Case, *, by, action: str, data: dict):
    if action == "approve":
        if not case.answer.strip():
            raise DomainError(_("Chưa có nội dung trả lời để duyệt."), code="answer")
        complaint_close_check(case)
        case.decision = Case.Decision.ANSWER
        case.refusal_ground = None
        case.refusal_reason = ""
        case.status = Case.Status.SIGNOFF
        return None
    if action == "return":
        comment = comment_required(data)
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
        ground_printable_check(ground)
        if not reason:
            raise DomainError(_("Hãy ghi lý do từ chối."), code="reason", field="reason")
        case.decision = Case.Decision.REFUSAL
        case.refusal_ground = ground
        case.refusal_reason = reason
        case.status = Case.Status.SIGNOFF
        return {"ground": ground.code}
    raise AssertionError(action)


@transaction.atomic
def case_draft_save(*, case: Case, by, answer: str) -> Case:
    """Save the specialist's draft without completing the task."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.status != Case.Status.DRAFTING:
        raise DomainError(_("Hồ sơ không còn ở bước soạn thảo."), code="invalid_state")
    if not selectors.may_draft(by, case):
        raise PermissionDenied(_("Bạn không được giao soạn trả lời hồ sơ này."))
    case.answer = (answer or "").strip()
    case.save(update_fields=["answer", "updated_at"])
    artifact_record(case, "case.draft.save", by)
    return case


@transaction.atomic
def case_extend(*, case: Case, by, days: int, reason: str) -> Case:
    """Extend the legal deadline where the rule allows it; the journalist sees the reason."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if not (selectors.may_review(by, case) or selectors.may_sign(by, case)):
        raise PermissionDenied(_("Chỉ người phát ngôn hoặc lãnh đạo được gia hạn."))
    if not case.is_open:
        raise DomainError(_("Hồ sơ đã kết thúc."), code="invalid_state")
    if case.rule is None or case.due_at is None:
        raise DomainError(_("Hồ sơ này không có thời hạn để gia hạn."), code="not_extendable")
    before = case_snapshot(case)
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
    artifact_record(
        case,
        "case.extend",
        by,
        before=before,
        after={
            **case_snapshot(case),
            "reason": reason,
            "days": days,
            "extended_amount": case.extended_amount,
        },
    )
    transaction.on_commit(lambda: notifications.notify_case_extended(case_id=case.pk))
    return case


# A starting point for the specialist's draft, per case kind (the legal form each answer
# takes). The issued công văn already recalls the request and opens the answer
# (`letters.case_body`), so these start with the content itself (ux.md problem 17).
ANSWER_TEMPLATES = {
    Case.Kind.QUESTION: (
        "1. …\n\n"
        "Thông tin trên được cung cấp theo Nghị định số 244/2026/NĐ-CP về phát ngôn và cung cấp "
        "thông tin cho báo chí."
    ),
    Case.Kind.ANSWER_REQUEST: (
        "1. Nội dung vấn đề được nêu: …\n2. Kết quả kiểm tra, xác minh: …\n3. Biện pháp xử lý: …"
    ),
    Case.Kind.PRESS_REPORT: ("1. Kết quả xem xét, xác minh: …\n2. Biện pháp xử lý đã thực hiện: …"),
    Case.Kind.COMPLAINT: (
        "1. Việc thụ lý giải quyết: …\n2. Kết quả giải quyết theo kết luận số … ngày … của …: …"
    ),
}


def answer_template(case: Case) -> str:
    """The draft a specialist starts from for this kind of case."""
    return ANSWER_TEMPLATES.get(case.kind, "").format(org=case.organisation.name)


def case_attachment_open_record(*, case: Case, attachment, by) -> None:
    """Ledger one opening of a case's attachment (as each download of a document is)."""
    artifact_record(
        case,
        "case.attachment.open",
        by,
        after={
            "attachment": attachment.pk,
            "name": attachment.original_name,
            "sha256": attachment.sha256,
        },
    )


def _signoff(case: Case, *, by, action: str, data: dict):
    if action == "sign":
        complaint_close_check(case)
    if action == "sign" and case.decision == Case.Decision.REFUSAL:
        # The ground may have been marked unconfirmed after review: never sign it in.
        ground_printable_check(case.refusal_ground)
    return signoff_apply(case, by=by, action=action, data=data)


def _task_due(task, case: Case):
    """The internal time limit of the step (the organisation's, else the rulebook's)."""
    return deadlines.step_due(
        organisation=case.organisation, step=task.flow_task.name, kind=case.kind, start=task.created
    ).due_at


def _refusal_grounds(step: str, case: Case) -> list:
    return list(deadlines.refusal_grounds_for(case.received_at)) if step == "review" else []


def _person(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else ""


def _row(case: Case) -> dict:
    return {
        "reference": case.reference,
        "subject": case.subject,
        "requester": _person(case.journalist),
        "outlet": case.press_agency.name if case.press_agency_id else "",
        "kind": case.get_kind_display(),
    }


def _act_key(step: str, case: Case, user):
    """What the step predicates (selectors.STEP_PREDICATES) read of a case: its organisation,
    and for drafting whether `user` is one of its specialists (prefetched)."""
    if step == "draft":
        return case.organisation_id, any(u.pk == user.pk for u in case.specialists.all())
    return case.organisation_id


def _clock(case: Case):
    return (case.clock_started_at, case.due_at) if case.due_at else None


def _assignee(step: str, case: Case, process):
    """A returned draft goes back to its author; the first draft to the specialist triage
    named, when it named one. Other steps wait in the queue of whoever may act."""
    if step != "draft":
        return None
    holder = step_last_holder(process, step)
    if holder is not None:
        return holder
    specialists = list(case.specialists.all()[:2])
    return specialists[0] if len(specialists) == 1 else None


def _colleagues(step: str, case: Case):
    if step != "draft":
        return selectors.case_step_eligible_users(step, case)
    return [
        m.user
        for m in Membership.objects.current()
        .filter(organisation=case.organisation, role=Role.SPECIALIST)
        .select_related("user")
    ]


def _handover(step: str, case: Case, to, by) -> None:
    # A draft handed to a colleague makes them one of the case's specialists.
    if step == "draft":
        case.specialists.add(to)


SPEC = FlowSpec(
    kind="case",
    model=Case,
    actions=STEP_ACTIONS,
    statuses=STEP_STATUS,
    predicates=selectors.STEP_PREDICATES,
    handlers={"triage": _triage, "draft": _draft, "review": _review, "signoff": _signoff},
    eligible_users=selectors.case_step_eligible_users,
    snapshot=case_snapshot,
    visible_to_staff=selectors.cases_visible_to_staff,
    denied_message=gettext_lazy("Bạn không có quyền thực hiện bước này của hồ sơ."),
    gone_message=gettext_lazy("Hồ sơ không còn ở bước này."),
    task_due=_task_due,
    refusal_grounds=_refusal_grounds,
    row=_row,
    row_related=("journalist", "press_agency"),
    act_key=_act_key,
    act_prefetch=("specialists",),
    clock=_clock,
    assignee=_assignee,
    colleagues=_colleagues,
    handover=_handover,
    staff_url=lambda case: reverse("cases:pages:detail", args=[case.pk]),
)
