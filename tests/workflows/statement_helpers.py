"""Helpers shared by the statement tests: open a statement and walk it to a step."""

from datetime import timedelta

from django.urls import get_resolver
from django.utils import timezone

from workflows.statements import drafting
from workflows.statements.models import Statement

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
