"""The generic task pages of every flow: a step's form, and viewflow's claim/give-back pages
run through the engine's services (so the web writes the same ledger events as the API)."""

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views import generic
from viewflow.workflow.flow.views import AssignTaskView, UnassignTaskView
from viewflow.workflow.flow.views.mixins import TaskSuccessUrlMixin, TaskViewTemplateNames
from viewflow.workflow.status import STATUS

from core.errors import DomainError

from . import steps


def apply_error(form, exc: DomainError):
    """Show a domain error on its field, or on top of the form."""
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, exc.message)


FINISHED = (STATUS.DONE, STATUS.CANCELED)


def unless_finished(node, view):
    """Wrap a task's page: a finished task answers "done" with a link to its artifact (to who
    may see the artifact); an open one goes on to `view`."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        task = (
            node.flow_class.task_class._default_manager.filter(
                pk=kwargs.get("task_pk"), process_id=kwargs.get("process_pk")
            )
            .select_related("process", "owner")
            .first()
        )
        if task is None or task.status not in FINISHED:
            return view(request, *args, **kwargs)
        flow = node.flow_class.instance
        if not flow.has_view_permission(request.user, task.process):
            raise PermissionDenied
        return task_finished(request, task)

    return wrapper


def task_finished(request, task):
    """The page of a task that is already done: who finished it, when, and where to go."""
    artifact = task.process.artifact
    spec = task.flow_task.flow_class.spec
    return render(
        request,
        "workflows/task_done.html",
        {
            "task": task,
            "artifact": artifact,
            "step": task.flow_task.name,
            "step_title": task.flow_task.task_title,
            "artifact_url": spec.staff_url(artifact),
            "kind": spec.kind,
            "canceled": task.status == STATUS.CANCELED,
        },
        # A form re-sent from an old tab changes nothing: say so with a conflict status.
        status=409 if request.method == "POST" else 200,
    )


class _ServiceAssignMixin:
    """Run viewflow's assign/unassign page through a service (ledgered like the API)."""

    service = None  # steps.task_claim or steps.task_unclaim
    viewflow_view = None  # the viewflow class whose own form_valid the service replaces

    def form_valid(self, form):
        activation = self.request.activation
        try:
            type(self).service(task=activation.task, by=self.request.user)
        except DomainError as exc:
            messages.error(self.request, exc.message)
            return redirect(
                activation.flow_task.reverse(
                    "index", args=[activation.process.pk, activation.task.pk]
                )
            )
        activation.task.refresh_from_db()
        # Skip the viewflow view's own form_valid: the service has (un)assigned the task.
        return super(self.viewflow_view, self).form_valid(form)


class TaskAssignView(_ServiceAssignMixin, AssignTaskView):
    """viewflow's "assign to me" page, through the claim service."""

    service = steps.task_claim
    viewflow_view = AssignTaskView


class TaskUnassignView(_ServiceAssignMixin, UnassignTaskView):
    """viewflow's "unassign" page, through the unclaim service."""

    service = steps.task_unclaim
    viewflow_view = UnassignTaskView


class FlowTaskView(TaskSuccessUrlMixin, TaskViewTemplateNames, generic.FormView):
    """Base of every human step (cases and statements): show the artifact, take a decision,
    hand it to the engine (`steps.task_perform`); a domain error goes back onto the form."""

    template_filename = "task.html"
    done_message = ""  # "… %(r)s" with the artifact's reference

    @property
    def artifact(self):
        return self.request.activation.process.artifact

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(self.extra_form_kwargs())
        return kwargs

    def extra_form_kwargs(self):
        return {}

    def artifact_context(self) -> dict:
        return {}

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(self.artifact_context())
        ctx["step"] = steps.task_step(self.request.activation.task)
        return ctx

    def perform_action(self, action: str, data: dict):
        return steps.task_perform(
            activation=self.request.activation, by=self.request.user, action=action, data=data
        )

    def perform(self, form):
        data = dict(form.cleaned_data)
        action = data.pop("action")
        return self.perform_action(action, data)

    def form_valid(self, form):
        try:
            self.perform(form)
        except DomainError as exc:
            apply_error(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, self.done_message % {"r": self.artifact.reference})
        return redirect(self.get_success_url())
