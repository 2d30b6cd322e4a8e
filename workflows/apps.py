from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class WorkflowsConfig(AppConfig):
    name = "workflows"
    verbose_name = _("Quy trình")

    def ready(self):
        from . import signals  # noqa: F401
        from .rules import signals as rules_signals  # noqa: F401
        from .rules.calendar_years import check_calendar_years

        checks.register(check_calendar_years, checks.Tags.database)

        _name_viewflow_columns()


def _name_viewflow_columns() -> None:
    """viewflow's lists head some columns with the attribute's name ("Brief", "Process
    summary", "Active tasks": untranslatable); give them Vietnamese labels, which its lists
    read from `short_description`."""
    from viewflow.workflow.flow.views import dashboard, filters
    from viewflow.workflow.flow.views import list as lists
    from viewflow.workflow.models import Process, Task

    for model in (Process, Task):
        model.brief.fget.short_description = _("Tóm tắt")
    for view in (lists.FlowArchiveListView, dashboard.DashboardTaskListView):
        view.process_summary.short_description = _("Quy trình")
    for view in (lists.WorkflowTaskListView,):
        view.process_brief.short_description = _("Quy trình")
    dashboard.DashboardProcessListView.process_id.short_description = _("#")
    dashboard.DashboardProcessListView.active_tasks.short_description = _("Việc đang mở")
    # The process list's heading: the flow's title, not the title-cased verbose name
    # ("Quy Trình Hồ Sơ"; Vietnamese does not title-case).
    dashboard.DashboardProcessListView.title = property(lambda view: view.flow_class.process_title)
    # The step filter names steps by their titles, not "Hồ sơ báo chí/Triage".
    filters.get_queryset_flow_task_choices = _flow_task_choices


def _flow_task_choices(queryset):
    from viewflow.workflow.fields import get_task_ref

    tasks = queryset.order_by("flow_task").values_list("flow_task", flat=True).distinct()
    return [
        (get_task_ref(node), f"{node.flow_class.process_title} · {node.task_title}")
        for node in tasks
    ]
