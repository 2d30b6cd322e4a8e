"""Read the task lists of every flow: my tasks, the queue, the counters, the rows in words.

Generic: the flows are passed in (the engine knows no process) and each row's words come
from the flow's spec (`FlowSpec.row`, `clock`). A list costs the same few queries whatever
its length: the tasks, their artifacts per flow (`row_related`), the steps done before.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from .spec import tasks_artifacts

# A task of "my tasks": given to me, maybe already opened.
MINE_STATUSES = (STATUS.ASSIGNED, STATUS.STARTED)


def _visible(user, flow_class) -> Q:
    """Tasks of `flow_class` whose artifact `user` may open (the staff scope)."""
    spec = flow_class.spec
    return Q(
        process__flow_class=flow_class,
        process__artifact_content_type=ContentType.objects.get_for_model(spec.model),
        process__artifact_object_id__in=spec.visible_to_staff(user).values("pk"),
    )


def _scoped(user, flow_classes) -> Q:
    scope = Q(pk__in=[])
    for flow_class in flow_classes:
        scope |= _visible(user, flow_class)
    return scope


def tasks_mine(user, flow_classes) -> QuerySet[Task]:
    """Tasks held by `user` in the flows, not yet done."""
    return Task.objects.filter(flow_task_type="HUMAN", owner=user, status__in=MINE_STATUSES).filter(
        _scoped(user, flow_classes)
    )


def tasks_queue(user, flow_classes) -> QuerySet[Task]:
    """Tasks nobody holds yet that `user` may take (their object permission routes them)."""
    return (
        Task.objects.user_queue(user)
        .filter(status=STATUS.NEW, process__flow_class__in=flow_classes)
        .filter(_scoped(user, flow_classes))
    )


def work_counts(user, flow_classes) -> dict[str, int]:
    """The menu's counters: {"mine": n, "queue": m}."""
    if not getattr(user, "is_authenticated", False):
        return {"mine": 0, "queue": 0}
    return {
        "mine": tasks_mine(user, flow_classes).count(),
        "queue": tasks_queue(user, flow_classes).count(),
    }


@dataclass
class WorkRow:
    """One task as a list shows it, in words."""

    task: Task
    kind: str  # the flow's spec.kind: "case" / "statement"
    kind_label: str  # "Hồ sơ báo chí" / "Thông tin phát ngôn"
    step: str
    step_label: str  # the node's title: "Soạn trả lời"
    reference: str
    subject: str
    requester: str
    outlet: str
    artifact_kind: str  # "Câu hỏi, đề nghị cung cấp thông tin …"
    holder: object | None
    due_at: datetime | None
    level: str | None  # "ok", "low" (below 20 % of the time), "overdue"; None without a clock
    returned: bool = False
    comment: str = ""
    extra: dict = field(default_factory=dict)
    artifact_url: str = ""  # the case's or statement's staff page
    organisation_id: int | None = None

    @property
    def mine(self) -> bool:
        return self.task.status in MINE_STATUSES

    @property
    def url(self) -> str:
        """The task's form when held; in the queue, the case's or statement's page (never
        viewflow's generic claim screen: "Nhận và xử lý" takes the task in one click)."""
        if self.mine:
            return self.task.flow_task.reverse("execute", args=[self.task.process_id, self.task.pk])
        return self.artifact_url or self.task.flow_task.reverse(
            "index", args=[self.task.process_id, self.task.pk]
        )

    @property
    def can_pass(self) -> bool:
        """Whether a colleague could take the task over ("Chuyển cho đồng nghiệp"); set by
        `rows_mark_passable`."""
        return bool(self.extra.get("can_pass"))

    @property
    def unassign_url(self) -> str:
        """viewflow's give-back page (through engine.steps.task_unclaim)."""
        return self.task.flow_task.reverse("unassign", args=[self.task.process_id, self.task.pk])


def clock_level(start, due, now) -> str | None:
    """ "overdue" after `due`, "low" when less than 20 % of the allowed time is left."""
    if not due:
        return None
    left = (due - now).total_seconds()
    if left < 0:
        return "overdue"
    total = (due - start).total_seconds() if start else 0
    return "low" if total <= 0 or left / total < 0.2 else "ok"


def _step_order(flow_class) -> list[str]:
    return list(flow_class.spec.actions)


def _returned(tasks: list[Task]) -> set[int]:
    """Pks of tasks created by a return: the human step done just before came later in the
    flow (a review or a sign-off sent the work back)."""
    if not tasks:
        return set()
    done = (
        Task.objects.filter(
            process_id__in={t.process_id for t in tasks},
            flow_task_type="HUMAN",
            status=STATUS.DONE,
        )
        .order_by("finished")
        .values_list("process_id", "flow_task", "finished")
    )
    history: dict[int, list] = {}
    for process_id, node, finished in done:
        history.setdefault(process_id, []).append((finished, node))
    returned = set()
    for task in tasks:
        before = [n for f, n in history.get(task.process_id, []) if f and f <= task.created]
        if not before:
            continue
        order = _step_order(task.flow_task.flow_class)
        last, here = before[-1].name, task.flow_task.name
        if last in order and here in order and order.index(last) > order.index(here):
            returned.add(task.pk)
    return returned


def _comment_start(text: str, length: int = 80) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def rows_mark_passable(rows: list[WorkRow], user) -> list[WorkRow]:
    """Mark the rows `user` holds that a colleague could take over (the reassign button shows
    only there); colleagues are looked up once per flow, step and organisation, not per row."""
    from . import steps

    known: dict[tuple, bool] = {}
    for row in rows:
        if row.task.owner_id != user.pk:
            continue
        key = (row.kind, row.step, row.organisation_id)
        if key not in known:
            known[key] = bool(steps.task_colleagues(row.task))
        row.extra["can_pass"] = known[key]
    return rows


def work_rows(tasks, now: datetime | None = None) -> list[WorkRow]:
    """The rows of `tasks` in words, sorted by due date (no due date last)."""
    now = now or timezone.now()
    tasks = list(tasks.select_related("process", "owner"))
    artifacts = tasks_artifacts(tasks, related=lambda spec: spec.row_related)
    returned = _returned(tasks)
    rows = []
    for task in tasks:
        flow_class = task.flow_task.flow_class
        spec = flow_class.spec
        artifact = artifacts.get((flow_class, task.process.artifact_object_id))
        if artifact is None:
            continue
        words = spec.row(artifact)
        clock = spec.clock(artifact)
        start, due = clock if clock else (None, None)
        is_returned = task.pk in returned
        rows.append(
            WorkRow(
                task=task,
                kind=spec.kind,
                kind_label=str(flow_class.process_title),
                step=task.flow_task.name,
                step_label=str(task.flow_task.task_title),
                reference=words.get("reference", ""),
                subject=words.get("subject", ""),
                requester=words.get("requester", ""),
                outlet=words.get("outlet", ""),
                artifact_kind=words.get("kind", ""),
                holder=task.owner,
                due_at=due,
                level=clock_level(start, due, now),
                returned=is_returned,
                comment=_comment_start(artifact.last_comment) if is_returned else "",
                artifact_url=spec.staff_url(artifact),
                organisation_id=getattr(artifact, "organisation_id", None),
            )
        )
    rows.sort(key=lambda r: (r.due_at is None, r.due_at or now, r.task.created))
    return rows


# ---------------------------------------------------------------- filters

DUE_CHOICES = ("overdue", "today", "week")


def rows_filter(rows, *, kind: str = "", step: str = "", due: str = "", now=None):
    """Keep the rows of one kind ("case"), one step ("draft") and one due window."""
    now = now or timezone.now()
    today_end = timezone.localtime(now).replace(hour=23, minute=59, second=59, microsecond=0)
    week_end = today_end + timedelta(days=6 - timezone.localtime(now).weekday())
    kept = []
    for row in rows:
        if kind and row.kind != kind:
            continue
        if step and row.step != step:
            continue
        if due:
            if row.due_at is None:
                continue
            if due == "overdue" and row.due_at >= now:
                continue
            if due == "today" and not (now <= row.due_at <= today_end):
                continue
            if due == "week" and not (now <= row.due_at <= week_end):
                continue
        kept.append(row)
    return kept


def rows_by_due(rows, now=None) -> dict[str, list[WorkRow]]:
    """The start page's sections: overdue, due today, due this week, later (or no due date)."""
    now = now or timezone.now()
    sections = {"overdue": [], "today": [], "week": [], "later": []}
    today = {id(r) for r in rows_filter(rows, due="today", now=now)}
    week = {id(r) for r in rows_filter(rows, due="week", now=now)}
    for row in rows:
        if row.due_at is not None and row.due_at < now:
            sections["overdue"].append(row)
        elif id(row) in today:
            sections["today"].append(row)
        elif id(row) in week:
            sections["week"].append(row)
        else:
            sections["later"].append(row)
    return sections
