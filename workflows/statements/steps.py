"""The statement flow's human steps: what each action does, saving a draft, and the spec."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.errors import DomainError
from workflows.engine.ledger import artifact_record
from workflows.engine.signoff import comment_required, signoff_apply
from workflows.engine.spec import FlowSpec
from workflows.engine.steps import step_last_holder

from . import selectors
from .fields import statement_clean, statement_fields_apply, statement_snapshot
from .models import Statement

STEP_ACTIONS = {
    "draft": ("submit",),
    "review": ("approve", "return"),
    "signoff": ("sign", "return"),
}
STEP_STATUS = {
    "draft": Statement.Status.DRAFTING,
    "review": Statement.Status.REVIEW,
    "signoff": Statement.Status.SIGNOFF,
}


@transaction.atomic
def statement_draft_save(*, statement: Statement, by, data: dict) -> Statement:
    """Save the draft without sending it on."""
    statement = Statement.objects.select_for_update().get(pk=statement.pk)
    if statement.status != Statement.Status.DRAFTING:
        raise DomainError(_("Thông tin không còn ở bước soạn thảo."), code="invalid_state")
    if not selectors.may_draft_statement(by, statement):
        raise PermissionDenied(_("Bạn không được soạn thông tin này."))
    before = statement_snapshot(statement)
    statement_fields_apply(statement, data)
    statement_clean(statement, now=timezone.now(), for_submit=False)
    statement.save()
    artifact_record(
        statement,
        "statement.draft.save",
        by,
        before=before,
        after=statement_snapshot(statement),
    )
    return statement


def _draft(statement: Statement, *, by, action: str, data: dict):
    statement_fields_apply(statement, data)
    statement_clean(statement, now=timezone.now(), for_submit=True)
    statement.status = Statement.Status.REVIEW
    return None


def _review(statement: Statement, *, by, action: str, data: dict):
    if action == "approve":
        statement_clean(statement, now=timezone.now(), for_submit=True)
        statement.status = Statement.Status.SIGNOFF
        return None
    statement.last_comment = comment_required(data)
    statement.status = Statement.Status.DRAFTING
    return {"comment": statement.last_comment}


def _signoff(statement: Statement, *, by, action: str, data: dict):
    if action == "sign":
        statement_clean(statement, now=timezone.now(), for_submit=True)
    return signoff_apply(statement, by=by, action=action, data=data)


def _task_due(task, statement: Statement):
    """The statement's legal clock (none for some kinds)."""
    return statement.due_at


def _row(statement: Statement) -> dict:
    author = statement.author
    return {
        "reference": statement.reference,
        "subject": statement.title,
        "requester": author.get_full_name() or author.get_username(),
        "outlet": "",
        "kind": statement.get_kind_display(),
    }


def _act_key(step: str, statement: Statement, user):
    """What the step predicates (selectors.STATEMENT_STEP_PREDICATES) read of a statement: its
    organisation, and for drafting whether `user` wrote it."""
    if step == "draft":
        return statement.organisation_id, statement.author_id == user.pk
    return statement.organisation_id


def _clock(statement: Statement):
    """(start, due) of the time the statement has. An annual report has a date to meet (19/12)
    but no clock that started somewhere: its time runs from when its draft was made."""
    if statement.due_at:
        return (statement.clock_start_at or statement.created_at, statement.due_at)
    return None


def _assignee(step: str, statement: Statement, process):
    """The draft is held by its author, and a returned draft by who drafted it last; other
    steps wait in the queue of whoever may act."""
    if step != "draft":
        return None
    return step_last_holder(process, step) or statement.author


SPEC = FlowSpec(
    kind="statement",
    model=Statement,
    actions=STEP_ACTIONS,
    statuses=STEP_STATUS,
    predicates=selectors.STATEMENT_STEP_PREDICATES,
    handlers={"draft": _draft, "review": _review, "signoff": _signoff},
    eligible_users=selectors.statement_step_eligible_users,
    snapshot=statement_snapshot,
    visible_to_staff=selectors.statements_visible_to_staff,
    denied_message=gettext_lazy("Bạn không có quyền thực hiện bước này."),
    gone_message=gettext_lazy("Thông tin không còn ở bước này."),
    task_due=_task_due,
    row=_row,
    row_related=("author",),
    act_key=_act_key,
    clock=_clock,
    assignee=_assignee,
    staff_url=lambda statement: statement.get_absolute_url(),
)
