"""Two people complete the same task at once on PostgreSQL: exactly one wins."""

import threading

from django.core.exceptions import PermissionDenied
from django.db import connection

from core.errors import DomainError
from tests.workflows.helpers import open_task, submit
from workflows.cases.models import Case
from workflows.engine import steps


def test_concurrent_completion_of_one_task(postgres_db, journalist, organisation, staff):
    case = submit(journalist, organisation)
    task = open_task(case, "triage")
    barrier = threading.Barrier(2)
    results = []

    def complete(user, to):
        try:
            barrier.wait()
            steps.task_complete(
                task=task,
                by=user,
                action="forward",
                data={"to": to, "reason": "Không thuộc thẩm quyền"},
            )
            results.append(("ok", to))
        except (DomainError, PermissionDenied) as exc:
            results.append(("refused", str(getattr(exc, "message", exc))))
        finally:
            connection.close()

    threads = [
        threading.Thread(target=complete, args=(staff["vanthu"], "Sở Y tế")),
        threading.Thread(target=complete, args=(staff["phatngon"], "Sở Công an")),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    outcomes = sorted(r[0] for r in results)
    assert outcomes == ["ok", "refused"], results
    refused = next(r[1] for r in results if r[0] == "refused")
    assert "đã được xử lý" in refused or "đã được giao" in refused or "đã có người nhận" in refused
    case.refresh_from_db()
    winner = next(r[1] for r in results if r[0] == "ok")
    assert case.status == Case.Status.FORWARDED and case.forwarded_to == winner
    assert case.processes.get().task_set.filter(flow_task_type="HUMAN", status="DONE").count() == 1
