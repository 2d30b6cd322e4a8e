"""The two flows, read like diagrams: press cases and outbound statements.

Rules live in the process packages (`cases/`, `statements/`); each flow carries its `FlowSpec`
(`spec`), which the engine (`engine/steps.py`), the API and the staff pages read. This module
stays at this path with these class and node names: viewflow stores
"workflows/flows.CaseFlow" and "workflows/flows.CaseFlow.triage" in the database.
"""

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow, lock

from .cases import issue as case_issue
from .cases import selectors as case_selectors
from .cases import steps as case_steps
from .cases import task_views as case_task_views
from .cases.models import Case, CaseProcess
from .engine import steps as engine_steps
from .engine.nodes import HumanStep, process_artifact
from .engine.selectors import is_staff_member
from .notifications import work as work_notifications
from .statements import issue as statement_issue
from .statements import selectors as statement_selectors
from .statements import steps as statement_steps
from .statements import task_views as statement_task_views
from .statements.models import Statement, StatementProcess


def _notify_after_commit(task_id: int) -> None:
    """Tell the new task's owner, or those who may claim it, once the step is committed."""
    transaction.on_commit(lambda: work_notifications.task_created_notify(task_id=task_id))


def _case(activation) -> Case:
    return Case.objects.get(pk=activation.process.artifact_object_id)


def _status_is(status):
    return lambda activation: _case(activation).status == status


class CaseFlow(flow.Flow):
    """Hồ sơ báo chí (press case)"""

    process_class = CaseProcess
    spec = case_steps.SPEC
    lock_impl = lock.select_for_update_lock
    process_title = _("Hồ sơ báo chí")
    process_description = _(
        "Câu hỏi, đề nghị của báo chí: phân loại → soạn → xem xét → ký → phát hành"
    )

    start = (
        flow.StartHandle(this.start_case).Annotation(title=_("Tiếp nhận hồ sơ")).Next(this.triage)
    )

    triage = (
        HumanStep(case_task_views.TriageView.as_view())
        .Annotation(title=_("Phân loại"))
        .Permission("workflows.triage_case", obj=process_artifact)
        .onCreate(this.step_created)
        .Next(this.after_triage)
    )
    after_triage = (
        flow.Switch()
        .Annotation(title=_("Sau phân loại"))
        .Case(this.draft, _status_is(Case.Status.DRAFTING))
        .Case(this.clarification, _status_is(Case.Status.AWAITING_CLARIFICATION))
        .Default(this.end)
    )
    clarification = (
        flow.Handle(this.clarified).Annotation(title=_("Chờ nhà báo làm rõ")).Next(this.triage)
    )

    draft = (
        HumanStep(case_task_views.DraftView.as_view())
        .Annotation(title=_("Soạn trả lời"))
        .Permission("workflows.draft_case", obj=process_artifact)
        .onCreate(this.step_created)
        .Next(this.review)
    )

    review = (
        HumanStep(case_task_views.ReviewView.as_view())
        .Annotation(title=_("Người phát ngôn xem xét"))
        .Permission("workflows.review_case", obj=process_artifact)
        .onCreate(this.step_created)
        .Next(this.after_review)
    )
    after_review = (
        flow.Switch()
        .Annotation(title=_("Sau xem xét"))
        .Case(this.draft, _status_is(Case.Status.DRAFTING))
        .Default(this.signoff)
    )

    signoff = (
        HumanStep(case_task_views.SignoffView.as_view())
        .Annotation(title=_("Lãnh đạo ký duyệt"))
        .Permission("workflows.signoff_case", obj=process_artifact)
        .onCreate(this.step_created)
        .Next(this.after_signoff)
    )
    after_signoff = (
        flow.Switch()
        .Annotation(title=_("Sau ký duyệt"))
        .Case(this.review, _status_is(Case.Status.REVIEW))
        .Case(this.draft, _status_is(Case.Status.DRAFTING))
        .Default(this.release)
    )

    release = flow.Function(this.release_case).Annotation(title=_("Phát hành")).Next(this.end)
    end = flow.End().Annotation(title=_("Kết thúc"))

    def start_case(self, activation, case: Case):
        activation.process.artifact = case
        activation.process.save()
        return activation.process

    def step_created(self, activation):
        engine_steps.step_created(activation=activation)
        _notify_after_commit(activation.task.pk)

    def clarified(self, activation):
        """The journalist replied (see cases.intake.case_clarification_reply)."""

    def release_case(self, activation):
        case_issue.case_release(case=_case(activation))

    def has_view_permission(self, user, obj=None):
        # The app opens for staff; each process is checked against its organisation
        # (viewflow would otherwise show every organisation's cases, VIEWFLOW-NOTES.md).
        if obj is None:
            return user.is_authenticated and (user.is_superuser or is_staff_member(user))
        case = obj.artifact if hasattr(obj, "artifact") else obj
        return case is not None and case_selectors.case_visible_to_staff(user, case)

    def has_manage_permission(self, user, obj=None):
        return user.is_superuser


# ---------------------------------------------------------------- outbound statements


def _statement(activation) -> Statement:
    return Statement.objects.get(pk=activation.process.artifact_object_id)


def _statement_status_is(status):
    return lambda activation: _statement(activation).status == status


class StatementFlow(flow.Flow):
    """Thông tin phát ngôn (outbound statement)"""

    process_class = StatementProcess
    spec = statement_steps.SPEC
    lock_impl = lock.select_for_update_lock
    process_title = _("Thông tin phát ngôn")
    process_description = _(
        "Thông cáo, thông tin ban đầu, cải chính, họp báo: soạn → xem xét → ký → phát hành → công bố"
    )

    start = (
        flow.StartHandle(this.start_statement).Annotation(title=_("Tạo thông tin")).Next(this.draft)
    )

    draft = (
        HumanStep(statement_task_views.StatementDraftView.as_view())
        .Annotation(title=_("Soạn thông tin"))
        .Permission("workflows.draft_statement", obj=process_artifact)
        .onCreate(this.step_created)
        .Next(this.review)
    )
    review = (
        HumanStep(statement_task_views.StatementReviewView.as_view())
        .Annotation(title=_("Người phát ngôn xem xét"))
        .Permission("workflows.review_statement", obj=process_artifact)
        .onCreate(this.step_created)
        .Next(this.after_review)
    )
    after_review = (
        flow.Switch()
        .Annotation(title=_("Sau xem xét"))
        .Case(this.draft, _statement_status_is(Statement.Status.DRAFTING))
        .Default(this.signoff)
    )
    signoff = (
        HumanStep(statement_task_views.StatementSignoffView.as_view())
        .Annotation(title=_("Lãnh đạo ký duyệt"))
        .Permission("workflows.signoff_statement", obj=process_artifact)
        .onCreate(this.step_created)
        .Next(this.after_signoff)
    )
    after_signoff = (
        flow.Switch()
        .Annotation(title=_("Sau ký duyệt"))
        .Case(this.review, _statement_status_is(Statement.Status.REVIEW))
        .Case(this.draft, _statement_status_is(Statement.Status.DRAFTING))
        .Default(this.release)
    )
    release = flow.Function(this.release_statement).Annotation(title=_("Phát hành")).Next(this.end)
    end = flow.End().Annotation(title=_("Kết thúc"))

    def start_statement(self, activation, statement: Statement):
        activation.process.artifact = statement
        activation.process.save()
        return activation.process

    def step_created(self, activation):
        engine_steps.step_created(activation=activation)
        _notify_after_commit(activation.task.pk)

    def release_statement(self, activation):
        statement_issue.statement_release(statement=_statement(activation))

    def has_view_permission(self, user, obj=None):
        if obj is None:
            return user.is_authenticated and (user.is_superuser or is_staff_member(user))
        statement = obj.artifact if hasattr(obj, "artifact") else obj
        return statement is not None and statement_selectors.statement_visible_to_staff(
            user, statement
        )

    def has_manage_permission(self, user, obj=None):
        return user.is_superuser
