"""The press-case flow, read like a diagram. Rules live in services and selectors."""

from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow, lock

from . import selectors, services, statement_services, statement_views, views
from .case_models import Case, CaseProcess
from .statement_models import Statement, StatementProcess


class CaseTask(flow.View):
    """A human step: the object permission routes it; the role rules of today decide."""

    # Claiming and giving back go through the services, so the web writes the same
    # ledger events as the API.
    assign_view_class = views.TaskAssignView
    unassign_view_class = views.TaskUnassignView

    def can_assign(self, user, task):
        return super().can_assign(user, task) and services.task_can_act(user, task)

    def can_execute(self, user, task):
        return super().can_execute(user, task) and services.task_can_act(user, task)


def _case(activation) -> Case:
    return Case.objects.get(pk=activation.process.artifact_object_id)


def _case_obj(process):
    return process.artifact


def _status_is(status):
    return lambda activation: _case(activation).status == status


class CaseFlow(flow.Flow):
    """Hồ sơ báo chí (press case)"""

    process_class = CaseProcess
    lock_impl = lock.select_for_update_lock
    process_title = _("Hồ sơ báo chí")
    process_description = _(
        "Câu hỏi, đề nghị của báo chí: phân loại → soạn → xem xét → ký → phát hành"
    )

    start = flow.StartHandle(this.start_case).Next(this.triage)

    triage = (
        CaseTask(views.TriageView.as_view())
        .Annotation(title=_("Phân loại"))
        .Permission("workflows.triage_case", obj=_case_obj)
        .onCreate(this.step_created)
        .Next(this.after_triage)
    )
    after_triage = (
        flow.Switch()
        .Case(this.draft, _status_is(Case.Status.DRAFTING))
        .Case(this.clarification, _status_is(Case.Status.AWAITING_CLARIFICATION))
        .Default(this.end)
    )
    clarification = (
        flow.Handle(this.clarified).Annotation(title=_("Chờ nhà báo làm rõ")).Next(this.triage)
    )

    draft = (
        CaseTask(views.DraftView.as_view())
        .Annotation(title=_("Soạn trả lời"))
        .Permission("workflows.draft_case", obj=_case_obj)
        .onCreate(this.step_created)
        .Next(this.review)
    )

    review = (
        CaseTask(views.ReviewView.as_view())
        .Annotation(title=_("Người phát ngôn xem xét"))
        .Permission("workflows.review_case", obj=_case_obj)
        .onCreate(this.step_created)
        .Next(this.after_review)
    )
    after_review = (
        flow.Switch().Case(this.draft, _status_is(Case.Status.DRAFTING)).Default(this.signoff)
    )

    signoff = (
        CaseTask(views.SignoffView.as_view())
        .Annotation(title=_("Lãnh đạo ký duyệt"))
        .Permission("workflows.signoff_case", obj=_case_obj)
        .onCreate(this.step_created)
        .Next(this.after_signoff)
    )
    after_signoff = (
        flow.Switch()
        .Case(this.review, _status_is(Case.Status.REVIEW))
        .Case(this.draft, _status_is(Case.Status.DRAFTING))
        .Default(this.release)
    )

    release = flow.Function(this.release_case).Annotation(title=_("Phát hành")).Next(this.end)
    end = flow.End()

    def start_case(self, activation, case: Case):
        activation.process.artifact = case
        activation.process.save()
        return activation.process

    def step_created(self, activation):
        services.step_created(activation=activation)

    def clarified(self, activation):
        """The journalist replied (see services.case_clarification_reply)."""

    def release_case(self, activation):
        services.case_release(case=_case(activation))

    def has_view_permission(self, user, obj=None):
        # The app opens for staff; each process is checked against its organisation
        # (viewflow would otherwise show every organisation's cases, VIEWFLOW-NOTES.md).
        if obj is None:
            return user.is_authenticated and (user.is_superuser or selectors.is_staff_member(user))
        case = obj.artifact if hasattr(obj, "artifact") else obj
        return case is not None and selectors.case_visible_to_staff(user, case)

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
    lock_impl = lock.select_for_update_lock
    process_title = _("Thông tin phát ngôn")
    process_description = _(
        "Thông cáo, thông tin ban đầu, cải chính, họp báo: soạn → xem xét → ký → phát hành → công bố"
    )

    start = flow.StartHandle(this.start_statement).Next(this.draft)

    draft = (
        CaseTask(statement_views.StatementDraftView.as_view())
        .Annotation(title=_("Soạn thông tin"))
        .Permission("workflows.draft_statement", obj=_case_obj)
        .onCreate(this.step_created)
        .Next(this.review)
    )
    review = (
        CaseTask(statement_views.StatementReviewView.as_view())
        .Annotation(title=_("Người phát ngôn xem xét"))
        .Permission("workflows.review_statement", obj=_case_obj)
        .onCreate(this.step_created)
        .Next(this.after_review)
    )
    after_review = (
        flow.Switch()
        .Case(this.draft, _statement_status_is(Statement.Status.DRAFTING))
        .Default(this.signoff)
    )
    signoff = (
        CaseTask(statement_views.StatementSignoffView.as_view())
        .Annotation(title=_("Lãnh đạo ký duyệt"))
        .Permission("workflows.signoff_statement", obj=_case_obj)
        .onCreate(this.step_created)
        .Next(this.after_signoff)
    )
    after_signoff = (
        flow.Switch()
        .Case(this.review, _statement_status_is(Statement.Status.REVIEW))
        .Case(this.draft, _statement_status_is(Statement.Status.DRAFTING))
        .Default(this.release)
    )
    release = flow.Function(this.release_statement).Annotation(title=_("Phát hành")).Next(this.end)
    end = flow.End()

    def start_statement(self, activation, statement: Statement):
        activation.process.artifact = statement
        activation.process.save()
        return activation.process

    def step_created(self, activation):
        statement_services.step_created(activation=activation)

    def release_statement(self, activation):
        statement_services.statement_release(statement=_statement(activation))

    def has_view_permission(self, user, obj=None):
        if obj is None:
            return user.is_authenticated and (user.is_superuser or selectors.is_staff_member(user))
        statement = obj.artifact if hasattr(obj, "artifact") else obj
        return statement is not None and selectors.statement_visible_to_staff(user, statement)

    def has_manage_permission(self, user, obj=None):
        return user.is_superuser
