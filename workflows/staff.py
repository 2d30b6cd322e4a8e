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

from . import selectors, views
from .case_models import Case
from .flows import CaseFlow


def _visible_process_filter(user, prefix=""):
    ct = ContentType.objects.get_for_model(Case)
    return Q(
        **{
            f"{prefix}artifact_content_type": ct,
            f"{prefix}artifact_object_id__in": selectors.cases_visible_to_staff(user).values("pk"),
        }
    )


class ScopedProcessListView(vf_dashboard.DashboardProcessListView):
    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .filter(_visible_process_filter(self.request.user))
            .order_by("-created")
        )


class ScopedTaskListView(vf_dashboard.DashboardTaskListView):
    def get_queryset(self):
        return (
            super().get_queryset().filter(_visible_process_filter(self.request.user, "process__"))
        )


class ScopedDashboardView(vf_dashboard.DashboardView):
    """The kanban dashboard, showing only tasks of visible cases."""

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        scope = _visible_process_filter(self.request.user, "process__")
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
