"""Plain helpers for the workflow tests (fixtures stay in conftest.py): open a case or a
statement through the services, find its open task, walk a statement to a step, assign a
spokesperson."""

from datetime import timedelta

from django.urls import get_resolver
from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from roles import services as role_services
from roles.models import SpokespersonAssignment
from tests.factories import UserFactory
from workflows.cases import intake
from workflows.cases.models import Case
from workflows.statements import drafting
from workflows.statements.models import Statement

# ---------------------------------------------------------------- cases and tasks


def submit(journalist, organisation, **kw) -> Case:
    """Submit a question to `organisation` through the intake service (its flow starts)."""
    data = {
        "journalist": journalist,
        "organisation": organisation,
        "kind": Case.Kind.QUESTION,
        "subject": "Thu tiền học thêm tại Trường THCS Nguyễn Trãi",
        "questions": ["Việc thu tiền học thêm có đúng quy định không?", "Phòng đã kiểm tra chưa?"],
        "purpose": "Đăng trên báo điện tử",
    }
    data.update(kw)
    return intake.case_submit(**data)


def open_task(artifact, step: str | None = None) -> Task:
    """The open human task of a case or a statement (the newest), checked to be `step`."""
    qs = Task.objects.filter(
        process__in=artifact.processes.all(),
        status__in=[STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED],
        flow_task_type="HUMAN",
    )
    task = qs.order_by("-pk").first()
    assert task is not None, f"no open task for {artifact.reference}"
    if step:
        assert task.flow_task.name == step, task.flow_task.name
    return task


def task_url(task: Task, view: str) -> str:
    return task.flow_task.reverse(view, args=[task.process_id, task.pk])


# ---------------------------------------------------------------- statements

TITLE = "Thông tin ban đầu về vụ ngộ độc thực phẩm tại Trường Tiểu học An Phú"
BODY = "Ngày 25/11, 12 học sinh có biểu hiện ngộ độc sau bữa trưa bán trú."


def new_statement(by, organisation, *, kind=Statement.Kind.INITIAL, **kw) -> Statement:
    """Open a statement through the service (the flow starts at the drafting step)."""
    # viewflow names a flow's URLs when the URLconf is first loaded; load it before
    # tests reverse task URLs without having made a request.
    get_resolver().url_patterns  # noqa: B018
    data = {"title": TITLE, "body": BODY}
    if kind in Statement.CLOCKED_KINDS and kind != Statement.Kind.CORRECTION:
        data["clock_start_at"] = timezone.now() - timedelta(minutes=1)
    data.update(kw)
    return drafting.statement_create(organisation=organisation, by=by, kind=kind, **data)


def draft_data(statement: Statement, **extra) -> dict:
    data = {"action": "submit", "title": statement.title, "body": BODY, "embargo_at": ""}
    data.update(extra)
    return data


def to_step(statement: Statement, staff, act, step: str) -> None:
    """Walk a fresh statement (drafting) to `step` through the real task pages."""
    if step == "draft":
        return
    act(staff["chuyenvien"], statement, "draft", draft_data(statement))
    if step == "review":
        return
    act(staff["phatngon"], statement, "review", {"action": "approve"})
    if step == "signoff":
        return
    raise ValueError(step)


# ---------------------------------------------------------------- spokesperson decisions

DECISIONS = "/workspace/statements/pages/quyet-dinh-nguoi-phat-ngon/"


def spokesperson_assign(organisation, head, kind, username, **kw) -> SpokespersonAssignment:
    """Assign a new user as spokesperson (regular or authorised for 30 days)."""
    data = {
        "organisation": organisation,
        "user": UserFactory(username=username),
        "kind": kind,
        "issued_by": head,
        "valid_from": timezone.localdate(),
        "contact_name": kw.pop("contact_name", "Lê Văn Cường"),
        "contact_title": "Chánh Văn phòng",
        "contact_phone": "0274 3755 200",
        "contact_email": f"{username}@example.gov.vn",
    }
    if kind == SpokespersonAssignment.Kind.AUTHORISED:
        data["scope"] = "Vụ ngộ độc thực phẩm tại Trường Tiểu học An Phú"
        data["valid_to"] = timezone.localdate() + timedelta(days=30)
    data.update(kw)
    return role_services.spokesperson_assign(**data)
