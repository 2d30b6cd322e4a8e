"""The staff UI for cases: viewflow's FlowAppViewset, scoped to the user's organisations.

viewflow shows every process of every organisation by default (VIEWFLOW-NOTES.md, trap 2):
the process list, the task list and the dashboard are filtered here by the flow's spec
(`spec.visible_to_staff`); detail pages are guarded by the flow's has_view_permission.
"""

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.http import HttpResponseRedirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from viewflow.urls import Application, Viewset
from viewflow.urls.sites import AppMenuMixin
from viewflow.utils import viewprop
from viewflow.workflow.flow import FlowAppViewset
from viewflow.workflow.flow.views import BulkAssignTasksActionView, BulkUnassignTasksActionView
from viewflow.workflow.flow.views import dashboard as vf_dashboard
from viewflow.workflow.flow.views.chart import FlowChartView
from viewflow.workflow.status import STATUS

from . import work_views
from .cases import views as case_views
from .engine import landing, steps
from .engine.selectors import is_staff_member
from .flows import CaseFlow, StatementFlow
from .notifications import views as notification_views
from .statements import views as statement_views


def _visible_process_filter(user, prefix, flow_class):
    """Processes of the flow whose artifact (a case or a statement) the user may see."""
    spec = flow_class.spec
    visible = spec.visible_to_staff(user)
    ct = ContentType.objects.get_for_model(spec.model)
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


class ScopedChartView(FlowChartView):
    """The flow's chart for staff; a process's chart only for who may view that process.

    A process that does not exist is refused like a foreign one, so charts cannot be
    used to probe which processes exist.
    """

    def dispatch(self, request, *args, **kwargs):
        process_pk = kwargs.get("process_pk")
        if process_pk is not None:
            flow = self.flow_class.instance
            process = self.flow_class.process_class._default_manager.filter(
                pk=process_pk, flow_class=self.flow_class
            ).first()
            if process is None or not flow.has_view_permission(request.user, process):
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


def queue_tasks(user, flow_class):
    """Tasks `user` may take from the flow's queue (the queue page's list, scoped)."""
    return (
        flow_class.task_class._default_manager.user_queue(user, flow_class=flow_class)
        .filter(status=STATUS.NEW)
        .filter(_visible_process_filter(user, "process__", flow_class))
    )


def inbox_tasks(user, flow_class):
    """Tasks assigned to `user` in the flow (the inbox page's list, scoped)."""
    return flow_class.task_class._default_manager.filter(
        process__flow_class=flow_class, owner=user, status=STATUS.ASSIGNED
    ).filter(_visible_process_filter(user, "process__", flow_class))


class _ScopedBulkMixin:
    """Bulk actions list and act only on tasks the user's queue or inbox would show;
    other submitted pks (another organisation's, or none at all) are dropped silently."""

    flow_class = None

    def scope(self, user):
        raise NotImplementedError

    def get_queryset(self):
        queryset = super().get_queryset()
        queryset = queryset.filter(pk__in=self.scope(self.request.user).values("pk"))
        self.object_list = queryset
        return queryset


class ScopedBulkAssignView(_ScopedBulkMixin, BulkAssignTasksActionView):
    def scope(self, user):
        return queue_tasks(user, self.flow_class)

    def form_valid(self, form):
        user = self.request.user
        with transaction.atomic():
            for task in self.get_queryset():
                if not task.flow_task.can_assign(user, task):
                    raise PermissionDenied
                steps.task_claim(task=task, by=user)
        self.message_user()
        return HttpResponseRedirect(self.get_success_url())

    def message_user(self):
        messages.success(self.request, _("Đã nhận các công việc đã chọn."), fail_silently=True)


class ScopedBulkUnassignView(_ScopedBulkMixin, BulkUnassignTasksActionView):
    def scope(self, user):
        return inbox_tasks(user, self.flow_class)

    def form_valid(self, form):
        user = self.request.user
        with transaction.atomic():
            for task in self.get_queryset():
                steps.task_unclaim(task=task, by=user)
        self.message_user()
        return HttpResponseRedirect(self.get_success_url())

    def message_user(self):
        messages.success(self.request, _("Đã trả lại các công việc đã chọn."), fail_silently=True)


class CaseFlowViewset(FlowAppViewset):
    def get_success_url(self, request):
        # A done task leads back to what needs the user today (one click from the next task),
        # unless the page asked otherwise ("back", "_continue" or viewflow's pinned location).
        if (
            hasattr(request, "activation")
            and "_continue" not in request.POST
            and "back" not in request.GET
            and "vf-pin-location" not in getattr(request, "session", {})
        ):
            return reverse("work:index")
        return super().get_success_url(request)

    # viewflow's own menu (Dashboard, Inbox, Queue, Archive) is not shown: the site menu's
    # "Việc hôm nay / Việc của tôi / Việc chờ nhận" stand for it (workflows/work/).
    menu_template_name = None

    @viewprop
    def process_detail_view(self):
        # The process page lands on the case's or statement's page (engine/landing.py).
        generic = self.process_detail_view_class.as_view(**self.get_process_detail_view_kwargs())
        return landing.ProcessLandingView.as_view(flow_class=self._flow_class, generic_view=generic)

    dashboard_view_class = ScopedDashboardView
    process_list_view_class = ScopedProcessListView
    task_list_view_class = ScopedTaskListView
    chart_view_class = ScopedChartView
    tasks_assign_view_class = ScopedBulkAssignView
    tasks_unassign_view_class = ScopedBulkUnassignView


class CasePagesViewset(AppMenuMixin, Viewset):
    """Pages around the flow: the case register with filters, intake by the registry officer."""

    title = _("Sổ hồ sơ báo chí")
    icon = "folder_open"
    index_path = path("", case_views.case_list, name="index")
    register_path = path("nhap/", case_views.case_register, name="register")
    detail_path = path("<int:pk>/", case_views.case_detail, name="detail")
    notifications_path = path(
        "thong-bao/", notification_views.notification_list, name="notifications"
    )

    def has_view_permission(self, user, obj=None):
        return user.is_authenticated and (user.is_superuser or is_staff_member(user))


class CasesApp(Application):
    title = _("Hồ sơ")
    icon = "folder"
    app_name = "cases"
    viewsets = [CasePagesViewset(app_name="pages")]

    def has_view_permission(self, user, obj=None):
        return user.is_authenticated and (user.is_superuser or is_staff_member(user))


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
        return user.is_authenticated and (user.is_superuser or is_staff_member(user))


class StatementsApp(Application):
    title = _("Phát ngôn")
    icon = "campaign"
    app_name = "statements"
    viewsets = [StatementPagesViewset(app_name="pages")]

    def has_view_permission(self, user, obj=None):
        return user.is_authenticated and (user.is_superuser or is_staff_member(user))


statement_flow_viewset = CaseFlowViewset(StatementFlow, icon="campaign")


class WorkApp(Application):
    """The daily work surface of every staff role: today, my tasks, the queue (at the top of
    the site's menu, with counters: templates/workflows/work/_site_menu.html)."""

    title = _("Công việc")
    icon = "task_alt"
    app_name = "work"
    menu_template_name = None  # the site menu already starts with these links
    index_path = path("", work_views.work_today, name="index")
    mine_path = path("cua-toi/", work_views.work_mine, name="mine")
    queue_path = path("cho-nhan/", work_views.work_queue, name="queue")
    open_path = path("<int:task_pk>/", work_views.work_open, name="open")
    claim_path = path("<int:task_pk>/nhan/", work_views.work_claim, name="claim")
    reassign_path = path("<int:task_pk>/chuyen/", work_views.work_reassign, name="reassign")

    def has_view_permission(self, user, obj=None):
        return user.is_authenticated and (user.is_superuser or is_staff_member(user))
