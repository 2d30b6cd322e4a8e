"""The staff UI for cases: viewflow's FlowAppViewset, scoped to the user's organisations.

viewflow shows every process of every organisation by default (VIEWFLOW-NOTES.md, trap 2):
the process list, the task list and the dashboard are filtered here; detail pages are
guarded by CaseFlow.has_view_permission.
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.urls import path
from django.utils.translation import gettext_lazy as _
from viewflow.urls import Application, Viewset
from viewflow.urls.sites import AppMenuMixin
from viewflow.workflow.flow import FlowAppViewset
from viewflow.workflow.flow.views import dashboard as vf_dashboard

from . import selectors, statement_views, views
from .case_models import Case
from .flows import CaseFlow, StatementFlow
from .statement_models import Statement


def _visible_process_filter(user, prefix="", flow_class=None):
    """Processes whose artifact (a case or a statement) the user may see."""
    if flow_class is not None and flow_class.__name__ == "StatementFlow":
        model, visible = Statement, selectors.statements_visible_to_staff(user)
    else:
        model, visible = Case, selectors.cases_visible_to_staff(user)
    ct = ContentType.objects.get_for_model(model)
    return Q(
        **{
            f"{prefix}artifact_content_type": ct,
            f"{prefix}artifact_object_id__in": visible.values("pk"),
        }
    )


class ScopedProcessListView(vf_dashboard.DashboardProcessListView):
    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .filter(_visible_process_filter(self.request.user, "", self.flow_class))
            .order_by("-created")
        )


class ScopedTaskListView(vf_dashboard.DashboardTaskListView):
    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .filter(_visible_process_filter(self.request.user, "process__", self.flow_class))
        )


class ScopedDashboardView(vf_dashboard.DashboardView):
    """The kanban dashboard, showing only tasks of visible cases or statements."""

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        scope = _visible_process_filter(self.request.user, "process__", self.flow_class)
        task_class = self.flow_class.task_class
        for column in ctx["columns"]:
            column["tasks"] = (
                task_class._default_manager.filter_available([self.flow_class], self.request.user)
                .filter(Q(finished__isnull=True), flow_task=column["node"])
                .filter(scope)[: self.MAX_ROWS]
            )
        ctx["finished"] = (
            task_class._default_manager.filter_available([self.flow_class], self.request.user)
            .filter(finished__isnull=False, flow_task__in=ctx["end_nodes"])
            .filter(scope)[: self.MAX_ROWS]
        )
        return ctx


class CaseFlowViewset(FlowAppViewset):
    dashboard_view_class = ScopedDashboardView
    process_list_view_class = ScopedProcessListView
    task_list_view_class = ScopedTaskListView


class CasePagesViewset(AppMenuMixin, Viewset):
    """Pages around the flow: the case register with filters, intake by the registry officer."""

    title = _("Sổ hồ sơ báo chí")
    icon = "folder_open"
    index_path = path("", views.case_list, name="index")
    register_path = path("nhap/", views.case_register, name="register")
    detail_path = path("<int:pk>/", views.case_detail, name="detail")
    notifications_path = path("thong-bao/", views.notifications_list, name="notifications")

    def has_view_permission(self, user, obj=None):
        return user.is_authenticated and (user.is_superuser or selectors.is_staff_member(user))


class CasesApp(Application):
    title = _("Hồ sơ")
    icon = "folder"
    app_name = "cases"
    viewsets = [CasePagesViewset(app_name="pages")]

    def has_view_permission(self, user, obj=None):
        return user.is_authenticated and (user.is_superuser or selectors.is_staff_member(user))


case_flow_viewset = CaseFlowViewset(CaseFlow, icon="question_answer")


class StatementPagesViewset(AppMenuMixin, Viewset):
    """Pages around the statement flow: the list, a new statement, the periodic schedule."""

    title = _("Sổ thông tin phát ngôn")
    icon = "campaign"
    index_path = path("", statement_views.statement_list, name="index")
    create_path = path("tao/", statement_views.statement_create, name="create")
    detail_path = path("<int:pk>/", statement_views.statement_detail, name="detail")
    schedules_path = path("lich-dinh-ky/", statement_views.schedules, name="schedules")
    decisions_path = path(
        "quyet-dinh-nguoi-phat-ngon/", statement_views.spokesperson_decisions, name="decisions"
    )

    def has_view_permission(self, user, obj=None):
        return user.is_authenticated and (user.is_superuser or selectors.is_staff_member(user))


class StatementsApp(Application):
    title = _("Phát ngôn")
    icon = "campaign"
    app_name = "statements"
    viewsets = [StatementPagesViewset(app_name="pages")]

    def has_view_permission(self, user, obj=None):
        return user.is_authenticated and (user.is_superuser or selectors.is_staff_member(user))


statement_flow_viewset = CaseFlowViewset(StatementFlow, icon="campaign")
