"""Workload per person, statements released on time, press-list delivery."""

from datetime import date

import time_machine
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from release.newsroom.models import Delivery, Subscription
from reports import selectors
from reports.selectors import Period
from tests.release.newsroom.publication_helpers import quick
from workflows.cases import intake
from workflows.cases.models import Case
from workflows.statements.models import Statement

from .conftest import vn

NOVEMBER = Period(date(2026, 11, 1), date(2026, 11, 30))


def _submit(journalist, organisation, subject):
    return intake.case_submit(
        journalist=journalist,
        organisation=organisation,
        kind=Case.Kind.QUESTION,
        subject=subject,
        questions=["Câu hỏi?"],
        purpose="Đăng báo",
    )


def test_workload_counts_open_tasks_per_person(
    organisation, other_organisation, journalist, registry_officer
):
    with time_machine.travel(vn(2026, 11, 2, 9), tick=False):
        first = _submit(journalist, organisation, "Học phí")
        _submit(journalist, organisation, "Bán trú")
        _submit(journalist, other_organisation, "Nơi khác")
    Task.objects.filter(process__case=first, status=STATUS.NEW).update(
        owner=registry_officer, status=STATUS.ASSIGNED
    )

    # Long after the question's internal limit: the claimed task is late.
    rows = selectors.workload([organisation.pk], vn(2026, 12, 30, 9))

    # The claimed task under its owner; the other one waits in the queue (no owner).
    assert [(r["username"], r["n"], r["late"]) for r in rows] == [("vanthu", 1, 1), (None, 1, 1)]
    assert rows[0]["name"] == registry_officer.get_full_name()


def test_statements_released_on_time(organisation, head):
    def statement(n, **kw):
        data = {
            "reference": f"PN-2026-{n:06d}",
            "organisation": organisation,
            "kind": Statement.Kind.INITIAL,
            "doc_type": "TC",
            "title": "Sự cố ngộ độc thực phẩm",
            "author": head,
            "clock_start_at": vn(2026, 11, 3, 8),
            "due_at": vn(2026, 11, 4, 8),
        }
        return Statement.objects.create(**(data | kw))

    statement(1, status=Statement.Status.RELEASED, released_at=vn(2026, 11, 3, 20))
    statement(2, status=Statement.Status.RELEASED, released_at=vn(2026, 11, 4, 9))
    statement(3, status=Statement.Status.REVIEW)
    statement(4, status=Statement.Status.REVIEW, kind=Statement.Kind.DIVERGENT)
    # Periodic information has no legal clock: not counted.
    statement(
        5,
        status=Statement.Status.RELEASED,
        kind=Statement.Kind.PERIODIC,
        released_at=vn(2026, 11, 3, 9),
    )

    rows = {
        r["kind"]: r
        for r in selectors.statements_on_time([organisation.pk], NOVEMBER, vn(2026, 11, 10))
    }

    initial = rows["initial_statement"]
    assert (initial["total"], initial["released"], initial["on_time"], initial["late"]) == (
        3,
        2,
        1,
        1,
    )
    assert initial["overdue"] == 1
    assert initial["on_time_rate"] == 0.5
    assert rows["divergent_opinion"]["total"] == 1
    assert "periodic" not in rows


def test_press_list_delivery_by_status(organisation, other_organisation, head):
    with time_machine.travel(vn(2026, 11, 5, 9), tick=False):
        publication = quick(organisation, head, title="Thông cáo tuyển sinh", number=1)
        elsewhere = quick(other_organisation, head, title="Thông cáo khác", number=2)
        for i, status in enumerate(["sent", "sent", "failed", "pending"]):
            sub = Subscription.objects.create(organisation=organisation, email=f"bao{i}@bao.vn")
            Delivery.objects.create(
                publication=publication, subscription=sub, email=sub.email, status=status
            )
        sub = Subscription.objects.create(organisation=other_organisation, email="x@bao.vn")
        Delivery.objects.create(
            publication=elsewhere, subscription=sub, email=sub.email, status="sent"
        )

    totals = selectors.press_list_delivery([organisation.pk], NOVEMBER)

    assert totals == {
        "total": 4,
        "publications": 1,
        "sent": 2,
        "failed": 1,
        "pending": 1,
        "sent_rate": 0.5,
    }
