"""The node of a human step, for every flow."""

from django.urls import path
from viewflow.workflow import flow
from viewflow.workflow.flow import utils

from . import landing, steps, task_views


class HumanStep(flow.View):
    """A human step: the object permission routes it; the role rules of today decide."""

    # Claiming and giving back go through the engine's services, so the web writes the same
    # ledger events as the API.
    assign_view_class = task_views.TaskAssignView
    unassign_view_class = task_views.TaskUnassignView
    # viewflow's generic task detail is not shown: its links land on the task's form or on
    # the case's / statement's page (engine/landing.py).
    detail_view_class = landing.TaskLandingView
    index_view_class = landing.TaskIndexLandingView

    def calc_owner(self, activation):
        # Assignment means assignment: the person the step is given to holds it at once.
        return steps.task_assignee(activation) or super().calc_owner(activation)

    def can_assign(self, user, task):
        return super().can_assign(user, task) and steps.task_can_act(user, task)

    def can_execute(self, user, task):
        return super().can_execute(user, task) and steps.task_can_act(user, task)

    # A finished task's pages (the back button, an old tab) say the work is done and link to
    # the artifact, instead of viewflow's 403 "Start :: no transition from "DONE"".

    @property
    def view_path(self):
        return path(
            f"<int:process_pk>/{self.name}/<int:task_pk>/execute/",
            task_views.unless_finished(self, utils.wrap_view(self, self.view)),
            name="execute",
        )

    @property
    def assign_path(self):
        return path(
            f"<int:process_pk>/{self.name}/<int:task_pk>/assign/",
            task_views.unless_finished(
                self, utils.wrap_task_view(self, self.assign_view, permission=self.can_assign)
            ),
            name="assign",
        )


def process_artifact(process):
    """The case or statement a process carries (the object of the step's permission)."""
    return process.artifact
