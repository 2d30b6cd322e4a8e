"""Run a human step of any flow: claim, give back, perform, complete; grant the next step.

Generic: what differs between flows comes from the flow's `FlowSpec` (`engine/spec.py`).
Every change follows one recipe: guard (state + permission) → change → save → ledger event,
in one transaction, under the process lock.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from core.errors import DomainError
from roles import services as role_services

from .ledger import artifact_record
from .spec import FlowSpec, tasks_artifacts


def task_step(task: Task) -> str:
    return task.flow_task.name


def task_spec(task: Task) -> FlowSpec:
    """The spec of the flow `task` belongs to."""
    return task.flow_task.flow_class.spec


def task_can_act(user, task: Task) -> bool:
    """True when `user` may claim/complete this task now (role, validity and assignment)."""
    predicate = task_spec(task).predicates.get(task_step(task))
    return bool(predicate and user.is_authenticated and predicate(user, task.process.artifact))


def tasks_can_act(user, tasks) -> list[Task]:
    """The tasks of `tasks` that `user` may claim/complete now (`task_can_act`'s rule), in order.

    A list costs the same few queries whatever its length: the artifacts are loaded per flow,
    and each step's predicate is asked once per `FlowSpec.act_key` (what it reads of the
    artifact: its organisation, whether the user is assigned), not once per task. Each kept
    task's process holds its artifact, so reading it again costs nothing.
    """
    if not getattr(user, "is_authenticated", False):
        return []
    tasks = list(tasks)
    artifacts = tasks_artifacts(
        tasks, related=lambda spec: ("organisation",), prefetch=lambda spec: spec.act_prefetch
    )
    answers: dict[tuple, bool] = {}
    kept = []
    for task in tasks:
        flow_class, step = task.flow_task.flow_class, task_step(task)
        spec = flow_class.spec
        artifact = artifacts.get((flow_class, task.process.artifact_object_id))
        predicate = spec.predicates.get(step)
        if artifact is None or predicate is None:
            continue
        task.process.artifact = artifact  # loaded once here; the serializers read it again
        read = spec.act_key(step, artifact, user) if spec.act_key else artifact.pk
        key = (flow_class, step, read)
        if key not in answers:
            answers[key] = bool(predicate(user, artifact))
        if answers[key]:
            kept.append(task)
    return kept


def task_perform(*, activation, by, action: str, data: dict):
    """Apply a step's decision to the artifact and complete the task (inside the flow lock).

    `activation` is viewflow's activation of the task, already started; the web task
    views get it from viewflow and the API from `task_complete`.
    """
    task = activation.task
    spec = task_spec(task)
    artifact = spec.model.objects.select_for_update().get(pk=activation.process.artifact_object_id)
    step = task_step(task)
    if action not in spec.actions.get(step, ()):
        raise DomainError(
            _("Thao tác không hợp lệ ở bước này."), code="invalid_action", field="action"
        )
    if not task_can_act(by, task):
        raise PermissionDenied(spec.denied_message)
    if artifact.status != spec.statuses[step]:
        raise DomainError(spec.gone_message, code="invalid_state")
    before = spec.snapshot(artifact)
    detail = spec.handlers[step](artifact, by=by, action=action, data=data or {})
    artifact.save()
    artifact_record(
        artifact,
        f"{spec.kind}.{step}.{action}",
        by,
        before=before,
        after={**spec.snapshot(artifact), **(detail or {})},
    )
    activation.execute()
    return artifact


def task_complete(*, task: Task, by, action: str, data: dict):
    """Claim (if needed), start and complete a task outside viewflow's views (API, scripts)."""
    flow_class = task.flow_task.flow_class
    with flow_class.lock(task.process_id), transaction.atomic():
        task = Task.objects.select_related("process").get(pk=task.pk)
        if task.status not in (STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED):
            raise DomainError(_("Công việc này đã được xử lý xong."), code="invalid_state")
        if not task_can_act(by, task):
            raise PermissionDenied(task_spec(task).denied_message)
        activation = task.flow_task.activation_class(task)
        if task.status == STATUS.NEW:
            activation.assign(by)
        elif task.owner_id != by.pk:
            raise DomainError(
                _("Công việc này đã được giao cho %(u)s.") % {"u": task.owner}, code="invalid_state"
            )
        if task.status != STATUS.STARTED:
            activation.start(None)  # viewflow ignores the request here
        return task_perform(activation=activation, by=by, action=action, data=data)


def task_claim(*, task: Task, by) -> Task:
    """Take a task from the queue (assign it to oneself)."""
    flow_class = task.flow_task.flow_class
    with flow_class.lock(task.process_id), transaction.atomic():
        task = Task.objects.select_related("process").get(pk=task.pk)
        if not task_can_act(by, task):
            raise PermissionDenied(_("Bạn không có quyền nhận công việc này."))
        if task.status == STATUS.ASSIGNED and task.owner_id == by.pk:
            return task  # already theirs (e.g. given to them at creation): nothing to take
        if task.status != STATUS.NEW:
            raise DomainError(_("Công việc này đã có người nhận."), code="invalid_state")
        task.flow_task.activation_class(task).assign(by)
        artifact_record(
            task.process.artifact,
            "task.claim",
            by,
            after={"task": task.pk, "step": task_step(task)},
        )
        return task


def task_unclaim(*, task: Task, by) -> Task:
    """Give a task back to the queue (its owner, or a flow manager)."""
    flow_class = task.flow_task.flow_class
    with flow_class.lock(task.process_id), transaction.atomic():
        task = Task.objects.select_related("process", "owner").get(pk=task.pk)
        if task.status != STATUS.ASSIGNED:
            raise DomainError(_("Công việc này không còn được giao cho ai."), code="invalid_state")
        if not task.flow_task.can_unassign(by, task):
            raise PermissionDenied(_("Bạn không có quyền trả lại công việc này."))
        owner = task.owner
        task.flow_task.activation_class(task).unassign()
        artifact_record(
            task.process.artifact,
            "task.unclaim",
            by,
            before={"owner": owner.get_username()},
            after={"task": task.pk, "step": task_step(task)},
        )
        return task


def step_created(*, activation) -> None:
    """Give today's eligible users the object permission for a new task, then run the
    flow's own follow-up (e.g. notify the statement's reviewers)."""
    spec = activation.flow_class.spec
    step = task_step(activation.task)
    artifact = spec.model.objects.get(pk=activation.process.artifact_object_id)
    perm = spec.permission(step)
    for user in spec.eligible_users(step, artifact):
        if not user.has_perm(perm, artifact):
            role_services.permission_grant(perm=perm, to=user, obj=artifact)
    if spec.on_step_created is not None:
        spec.on_step_created(step, artifact)


# ---------------------------------------------------------------- assignment


def step_last_holder(process, step: str):
    """Who completed `step` last in `process` (the author of a returned draft), or None."""
    task = (
        Task.objects.filter(process=process, flow_task_type="HUMAN", status=STATUS.DONE)
        .exclude(owner__isnull=True)
        .select_related("owner")
        .order_by("-finished")
    )
    for done in task:
        if done.flow_task.name == step:
            return done.owner
    return None


def task_assignee(activation):
    """Who holds a new task at once (the spec's `assignee`, if they may act today), or None."""
    spec = activation.flow_class.spec
    step = activation.flow_task.name
    artifact = spec.model.objects.get(pk=activation.process.artifact_object_id)
    user = spec.assignee(step, artifact, activation.process)
    predicate = spec.predicates.get(step)
    if user is None or predicate is None or not user.is_active or not predicate(user, artifact):
        return None
    return user


def task_colleagues(task: Task) -> list:
    """Colleagues of the organisation the holder may hand `task` to (not the holder)."""
    spec = task_spec(task)
    step = task_step(task)
    artifact = task.process.artifact
    candidates = (spec.colleagues or spec.eligible_users)(step, artifact)
    return [u for u in candidates if u.pk != task.owner_id and u.is_active]


def task_reassign(*, task: Task, by, to, reason: str) -> Task:
    """Hand a task one holds to a colleague who may act on that step, with a reason (ledgered)."""
    flow_class = task.flow_task.flow_class
    with flow_class.lock(task.process_id), transaction.atomic():
        task = Task.objects.select_related("process", "owner").get(pk=task.pk)
        if task.status != STATUS.ASSIGNED:
            raise DomainError(
                _("Chỉ chuyển được công việc đang được giao và chưa xử lý xong."),
                code="invalid_state",
            )
        if task.owner_id != by.pk and not flow_class.instance.has_manage_permission(by):
            raise PermissionDenied(_("Chỉ người đang giữ công việc được chuyển cho đồng nghiệp."))
        reason = (reason or "").strip()
        if not reason:
            raise DomainError(_("Hãy ghi lý do chuyển công việc."), code="reason", field="reason")
        if to is None or to.pk not in {u.pk for u in task_colleagues(task)}:
            raise DomainError(
                _("Người được chọn không thể nhận bước này của công việc."),
                code="to",
                field="to",
            )
        spec = task_spec(task)
        step = task_step(task)
        artifact = spec.model.objects.select_for_update().get(pk=task.process.artifact_object_id)
        if spec.handover is not None:
            spec.handover(step, artifact, to, by)
        perm = spec.permission(step)
        if not to.has_perm(perm, artifact):
            role_services.permission_grant(perm=perm, to=to, obj=artifact, by=by)
        previous = task.owner
        task.owner = to
        task.assigned = timezone.now()
        task.save(update_fields=["owner", "assigned"])
        artifact_record(
            artifact,
            "task.reassign",
            by,
            before={"owner": previous.get_username()},
            after={"task": task.pk, "step": step, "owner": to.get_username(), "reason": reason},
        )
        return task
