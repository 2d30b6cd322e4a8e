"""What the engine needs to know about one flow: its steps, who acts, what each action does."""

from collections.abc import Callable
from dataclasses import dataclass, field

from .artifact import FlowArtifact


@dataclass(frozen=True)
class FlowSpec:
    """One process (a flow and its artifact) as the engine, the API and the staff pages see it.

    `flows.py` attaches it to the flow (`CaseFlow.spec = cases.steps.SPEC`); code that holds a
    task reads `task.flow_task.flow_class.spec` (`engine.steps.task_spec`).
    """

    # The artifact: "case" or "statement"; it names the ledger actions ("case.triage.accept"),
    # the object permissions ("workflows.triage_case") and the API's `artifact_type`.
    kind: str
    model: type[FlowArtifact]
    # step name → the actions a user may take there, in the order offered.
    actions: dict[str, tuple[str, ...]]
    # step name → the artifact status that step expects.
    statuses: dict[str, str]
    # step name → predicate(user, artifact): may this user act on that step today?
    predicates: dict[str, Callable]
    # step name → handler(artifact, *, by, action, data) → extra ledger detail or None.
    handlers: dict[str, Callable]
    # (step, artifact) → users who get the object permission when the step's task is created.
    eligible_users: Callable
    # artifact → the fields the ledger records before and after a change.
    snapshot: Callable
    # user → the artifacts a staff member may open (scopes the viewflow pages).
    visible_to_staff: Callable
    # Messages in the artifact's words ("hồ sơ" / "thông tin").
    denied_message: str
    gone_message: str
    # (task, artifact) → when the task is due, or None.
    task_due: Callable
    # (step, artifact) → something to do after a step's task is created (e.g. notify).
    on_step_created: Callable | None = None
    # artifact → the address of its staff page (where a finished task's page links).
    staff_url: Callable = field(default=lambda artifact: "")
    # (step, artifact) → the refusal grounds a step offers (API); empty where none.
    refusal_grounds: Callable = field(default=lambda step, artifact: [])
    # The task lists (engine/worklist.py). artifact → {"reference", "subject", "requester",
    # "outlet", "kind"} in words; `row_related` are the select_related paths it reads, so a
    # list loads every row's artifact in one query.
    row: Callable = field(default=lambda artifact: {"reference": str(artifact)})
    row_related: tuple[str, ...] = ()
    # artifact → (start, due) of the clock its time left is measured on, or None.
    clock: Callable = field(default=lambda artifact: None)
    # (step, artifact, process) → who holds a new task of `step` at once (assignment means
    # assignment), or None: the task waits in the queue of whoever may act.
    assignee: Callable = field(default=lambda step, artifact, process: None)
    # (step, artifact) → colleagues a holder may hand the task to; None: `eligible_users`.
    colleagues: Callable | None = None
    # (step, artifact, to, by) → make `to` able to act on the step (e.g. join the case).
    handover: Callable | None = None
    # Task lists ask each step's predicate once per distinct answer of this, not per task:
    # (step, artifact, user) → everything the predicate reads of the artifact (hashable), e.g.
    # its organisation and whether `user` is assigned to it. None: ask once per artifact.
    # `act_prefetch` are the prefetch_related paths it reads, so it costs no query per row.
    act_key: Callable | None = None
    act_prefetch: tuple[str, ...] = ()

    def permission(self, step: str) -> str:
        """The object permission that routes `step` ("workflows.review_case")."""
        return f"workflows.{step}_{self.kind}"

    @property
    def all_actions(self) -> set[str]:
        return {a for actions in self.actions.values() for a in actions}


def tasks_artifacts(
    tasks, *, related: Callable | None = None, prefetch: Callable | None = None
) -> dict[tuple[type, int], object]:
    """The artifacts of `tasks`, keyed by (flow class, pk): one query per flow, whatever the
    number of tasks. `related(spec)` and `prefetch(spec)` name the paths each flow's rows read
    (e.g. `lambda spec: spec.row_related`)."""
    by_flow: dict[type, set[int]] = {}
    for task in tasks:
        by_flow.setdefault(task.flow_task.flow_class, set()).add(task.process.artifact_object_id)
    artifacts: dict[tuple[type, int], object] = {}
    for flow_class, pks in by_flow.items():
        spec = flow_class.spec
        query = spec.model.objects.filter(pk__in=pks)
        if related:
            query = query.select_related(*related(spec))
        if prefetch:
            query = query.prefetch_related(*prefetch(spec))
        for artifact in query:
            artifacts[(flow_class, artifact.pk)] = artifact
    return artifacts
