"""Tell staff about work: a new task for whoever it is assigned to, or for those who may claim it.

Called after commit from the flows' `step_created` (`flows.py`); each message links to the task
page (absolute, from SITE_URL) and goes through `notify` (in-app always, e-mail unless the
user turned it off).
"""

from django.urls import reverse
from django.utils.translation import gettext as _
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from core.labels import datetime_display

from .services import notify


def task_path(task: Task) -> str:
    """Where the task's link lands on the staff site (work_views.work_open: the task's form for
    its holder, the queue for who may take it, otherwise the case's or statement's page)."""
    return reverse("work:open", args=[task.pk])


def _returned(task: Task, artifact) -> bool:
    """A drafting step that follows a return carries the reviewer's or signer's comment."""
    return task.flow_task.name == "draft" and bool(artifact.last_comment)


def _task_message(task: Task, artifact, *, assigned: bool) -> str:
    step = str(task.flow_task.task_title or task.flow_task.name)
    if _returned(task, artifact):
        template = _("Việc “%(step)s” được trả lại để soạn tiếp: %(what)s.")
    elif assigned:
        template = _("Bạn được giao việc “%(step)s”: %(what)s.")
    else:
        template = _("Việc mới chờ nhận — “%(step)s”: %(what)s.")
    message = template % {"step": step, "what": artifact}
    due = task.flow_task.flow_class.spec.task_due(task, artifact)
    if due:
        message += " " + _("Hạn: %(due)s.") % {"due": datetime_display(due)}
    if _returned(task, artifact):
        message += " " + _("Ý kiến: %(c)s") % {"c": artifact.last_comment}
    return message


def _recipients(task: Task, spec, artifact) -> list:
    if task.owner_id:
        return [task.owner]
    if spec.kind == "statement" and _returned(task, artifact) and artifact.author_id:
        return [artifact.author]  # a returned statement goes back to its drafter
    return list(spec.eligible_users(task.flow_task.name, artifact))


def task_created_notify(*, task_id: int) -> int:
    """Notify the owner of a new task, or, if nobody holds it yet, everyone who may claim it
    (a returned statement: its author).

    A statement's first drafting step is its author's own work in progress: no message.
    Returns the number of people notified.
    """
    task = Task.objects.select_related("process", "owner").filter(pk=task_id).first()
    if task is None or task.status not in (STATUS.NEW, STATUS.ASSIGNED):
        return 0
    spec = task.flow_task.flow_class.spec
    step = task.flow_task.name
    artifact = spec.model.objects.select_related("organisation").get(
        pk=task.process.artifact_object_id
    )
    if spec.kind == "statement" and step == "draft" and not artifact.last_comment:
        return 0
    people = _recipients(task, spec, artifact)
    url = task_path(task)
    for user in people:
        notify(
            user=user,
            url=url,
            key=f"task:{task.pk}:{'assigned' if task.owner_id else 'queued'}:{user.pk}",
            message=_task_message(task, artifact, assigned=bool(task.owner_id)),
            **{spec.kind: artifact},
        )
    return len(people)


def task_assigned_notify(*, task_id: int, by_id: int | None = None) -> bool:
    """Notify the new owner of a task someone else gave them (not a self-claim)."""
    task = Task.objects.select_related("process", "owner").filter(pk=task_id).first()
    if task is None or not task.owner_id or task.owner_id == by_id:
        return False
    spec = task.flow_task.flow_class.spec
    artifact = spec.model.objects.get(pk=task.process.artifact_object_id)
    notify(
        user=task.owner,
        url=task_path(task),
        message=_task_message(task, artifact, assigned=True),
        **{spec.kind: artifact},
    )
    return True
