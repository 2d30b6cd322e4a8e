"""A real Celery worker on Redis renders and signs a case's answer (no eager mode)."""

import time

from release.validation import validate_pdf
from tests.workflows.helpers import open_task, submit
from workflows.cases.models import Case
from workflows.engine import steps


def test_a_case_reaches_a_signed_pdf_through_the_worker(
    worker, journalist, organisation, staff, signing_credentials
):
    case = submit(journalist, organisation)
    path = [
        (staff["vanthu"], "triage", "accept", {"assignees": [staff["chuyenvien"]]}),
        (staff["chuyenvien"], "draft", "submit", {"answer": "Nhà trường không thu tiền học thêm."}),
        (staff["phatngon"], "review", "approve", {}),
        (staff["lanhdao"], "signoff", "sign", {}),
    ]
    for user, step, action, data in path:
        steps.task_complete(task=open_task(case, step), by=user, action=action, data=data)
    case.refresh_from_db()
    assert case.status == Case.Status.RELEASING  # the web request did not render
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        case.refresh_from_db()
        if case.status == Case.Status.ANSWERED:
            break
        assert worker.poll() is None, "worker died"
        time.sleep(0.5)
    assert case.status == Case.Status.ANSWERED, case.document.last_error if case.document else None
    document = case.document
    document.refresh_from_db()
    assert document.dispatched_at == case.closed_at  # sent to the journalist's portal at once
    report = validate_pdf(document.pdf.read())
    assert report.all_valid and len(report.signatures) == 2
