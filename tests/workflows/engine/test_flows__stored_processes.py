"""Processes stored before workflows/ was split still run: viewflow keeps dotted strings.

viewflow writes "workflows/flows.CaseFlow" into viewflow_process.flow_class and
"workflows/flows.CaseFlow.triage" into viewflow_task.flow_task. The rows below carry exactly
those strings, written with raw SQL as the code before the split wrote them, and the code
after the split completes them.
"""

from django.db import connection
from viewflow.workflow.models import Process, Task
from viewflow.workflow.status import PROCESS

from tests.workflows.helpers import new_statement, open_task
from workflows.cases.models import Case
from workflows.engine import steps
from workflows.flows import CaseFlow, StatementFlow
from workflows.statements.models import Statement

# The strings stored by the code before the split (read from a database of that time).
OLD_CASE_FLOW = "workflows/flows.CaseFlow"
OLD_STATEMENT_FLOW = "workflows/flows.StatementFlow"


def _stored(process_pk: int) -> tuple[str, list[str]]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT flow_class FROM viewflow_process WHERE id = %s", [process_pk])
        flow_class = cursor.fetchone()[0]
        cursor.execute(
            "SELECT flow_task FROM viewflow_task WHERE process_id = %s ORDER BY id", [process_pk]
        )
        return flow_class, [row[0] for row in cursor.fetchall()]


def _store_as_before(task: Task, flow: str, node: str) -> None:
    """Rewrite the process and its open task with the strings the old code stored."""
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE viewflow_process SET flow_class = %s WHERE id = %s", [flow, task.process_id]
        )
        cursor.execute(
            "UPDATE viewflow_task SET flow_task = %s WHERE id = %s", [f"{flow}.{node}", task.pk]
        )


def test_new_rows_carry_the_old_strings(case):
    """The split changed no stored name: new processes are written as the old ones were."""
    flow_class, nodes = _stored(open_task(case).process_id)
    assert flow_class == OLD_CASE_FLOW
    assert nodes == [f"{OLD_CASE_FLOW}.start", f"{OLD_CASE_FLOW}.triage"]


def test_stored_case_process_runs_to_release(case, staff, act):
    task = open_task(case, "triage")
    _store_as_before(task, OLD_CASE_FLOW, "triage")

    task = Task.objects.get(pk=task.pk)  # loaded from the stored strings
    assert task.flow_task is CaseFlow.triage
    assert Process.objects.get(pk=task.process_id).flow_class is CaseFlow
    assert task.flow_task.flow_class.spec.kind == "case"

    # The API's path (engine.task_complete), then the web task pages.
    steps.task_complete(
        task=task, by=staff["vanthu"], action="accept", data={"assignees": [staff["chuyenvien"]]}
    )
    case.refresh_from_db()
    assert case.status == Case.Status.DRAFTING
    act(staff["chuyenvien"], case, "draft", {"action": "submit", "answer": "Trả lời."})
    act(staff["phatngon"], case, "review", {"action": "approve"})
    act(staff["lanhdao"], case, "signoff", {"action": "sign", "confirm": "on"})

    assert case.status == Case.Status.RELEASING and case.document is not None
    process = Process.objects.get(pk=task.process_id)
    assert process.status == PROCESS.DONE
    flow_class, nodes = _stored(process.pk)
    assert flow_class == OLD_CASE_FLOW
    assert nodes[:2] == [f"{OLD_CASE_FLOW}.start", f"{OLD_CASE_FLOW}.triage"]
    assert nodes[-2:] == [f"{OLD_CASE_FLOW}.release", f"{OLD_CASE_FLOW}.end"]


def test_stored_statement_process_moves_on(specialist, spokesperson, organisation, staff):
    statement = new_statement(specialist, organisation)
    task = open_task(statement, "draft")
    _store_as_before(task, OLD_STATEMENT_FLOW, "draft")

    task = Task.objects.get(pk=task.pk)
    assert task.flow_task is StatementFlow.draft
    assert task.flow_task.flow_class.spec.kind == "statement"
    steps.task_complete(task=task, by=specialist, action="submit", data={})
    steps.task_complete(
        task=open_task(statement, "review"), by=spokesperson, action="approve", data={}
    )

    statement.refresh_from_db()
    assert statement.status == Statement.Status.SIGNOFF
    flow_class, nodes = _stored(task.process_id)
    assert flow_class == OLD_STATEMENT_FLOW
    assert nodes[-1] == f"{OLD_STATEMENT_FLOW}.signoff"
