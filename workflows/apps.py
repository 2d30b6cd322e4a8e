from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowsConfig(AppConfig):
    name = "workflows"
    verbose_name = _("Quy trình")

    def ready(self):
        from . import signals  # noqa: F401
        from .rules import signals as rules_signals  # noqa: F401

        _name_viewflow_columns()


def _name_viewflow_columns() -> None:
    """viewflow's lists head some columns with the attribute's name ("Brief", "Process
    summary", "Active tasks": untranslatable); give them Vietnamese labels, which its lists
    read from `short_description`."""
    from viewflow.workflow.flow.views import dashboard
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
