"""Where a link to a task or a process lands: always one of the product's own pages.

viewflow's generic task-detail and process-detail screens stay the engine's, but nobody is
sent there: a task its holder may work on opens its form; anything else opens the case's or
the statement's page (which lists the steps and what the user may do).
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.views import View
from viewflow.workflow.flow.views import UserIndexTaskView
from viewflow.workflow.status import STATUS

OPEN = (STATUS.NEW, STATUS.ASSIGNED)


def artifact_url(process) -> str:
    """The staff page of the case or statement a process carries."""
    spec = process.flow_class.spec
    return spec.staff_url(process.artifact)


def task_landing_url(task, user, *, queue_url: str = "") -> str:
    """The task's form for the user who holds it and may act; the queue (one click takes it)
    when `queue_url` is given and the user may take the task; otherwise its artifact's page."""
    node = task.flow_task
    if task.status in OPEN and task.owner_id == getattr(user, "pk", None):
        if node.can_execute(user, task):
            return node.reverse("execute", args=[task.process_id, task.pk])
    elif queue_url and task.status == STATUS.NEW and node.can_assign(user, task):
        return queue_url
    return artifact_url(task.process)


class TaskLandingView(View):
    """viewflow's task detail, replaced: send the user to the task's form or its artifact."""

    def get(self, request, *args, **kwargs):
        return redirect(task_landing_url(request.activation.task, request.user))


class TaskIndexLandingView(UserIndexTaskView):
    """viewflow's task address (old notification links): its form for who may act now; the
    work queue, where one click takes it, instead of viewflow's claim screen; the case's or
    statement's page instead of the task detail. A user with no rights is sent home."""

    def get_redirect_url(self, *args, **kwargs):
        url = super().get_redirect_url(*args, **kwargs)
        task = self.request.activation.task
        args = [task.process_id, task.pk]
        if url == task.flow_task.reverse("assign", args=args):
            return reverse("work:queue")
        if url == task.flow_task.reverse("detail", args=args):
            return artifact_url(task.process)
        return url


class ProcessLandingView(View):
    """viewflow's process detail, replaced for staff: the case's or statement's page.

    Who may manage the flow (the administrator: cancel a process) keeps viewflow's page.
    """

    flow_class = None
    viewset = None
    generic_view = None

    def get(self, request, *args, **kwargs):
        flow = self.flow_class.instance
        process = (
            self.flow_class.process_class._default_manager.filter(
                pk=kwargs.get("process_pk"), flow_class=self.flow_class
            )
            .select_related("artifact_content_type")
            .first()
        )
        if process is None or not flow.has_view_permission(request.user, process):
            raise PermissionDenied
        if flow.has_manage_permission(request.user):
            return self.generic_view(request, *args, **kwargs)
        return redirect(artifact_url(process))
