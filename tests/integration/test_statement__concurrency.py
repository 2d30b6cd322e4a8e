"""Statements under real concurrency on PostgreSQL: one signature wins, one live process."""

import threading

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction

from core.errors import DomainError
from release.models import IssuedDocument, RegisterSeries
from tests.workflows.helpers import BODY, new_statement, open_task
from workflows.engine import steps
from workflows.flows import StatementFlow
from workflows.statements.models import Statement, StatementProcess


def _to_signoff(staff, organisation) -> Statement:
    statement = new_statement(staff["chuyenvien"], organisation)
    steps.task_complete(
        task=open_task(statement, "draft"),
        by=staff["chuyenvien"],
        action="submit",
        data={"title": statement.title, "body": BODY},
    )
    steps.task_complete(
        task=open_task(statement, "review"), by=staff["phatngon"], action="approve", data={}
    )
    statement.refresh_from_db()
    assert statement.status == Statement.Status.SIGNOFF
    return statement


def test_two_signers_complete_the_same_signoff_at_once(
    postgres_db, organisation, staff, signing_credentials
):
    statement = _to_signoff(staff, organisation)
    task = open_task(statement, "signoff")
    barrier = threading.Barrier(2)
    results = []

    def sign(user):
        try:
            barrier.wait()
            steps.task_complete(task=task, by=user, action="sign", data={})
            results.append(("ok", user.username))
        except (DomainError, PermissionDenied) as exc:
            results.append(("refused", str(getattr(exc, "message", exc))))
        except Exception as exc:  # noqa: BLE001 — reported by the assertion below
            results.append(("error", repr(exc)))
        finally:
            connection.close()

    threads = [
        threading.Thread(target=sign, args=(staff["lanhdao"],)),
        threading.Thread(target=sign, args=(staff["pholanhdao"],)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert sorted(r[0] for r in results) == ["ok", "refused"], results
    refused = next(r[1] for r in results if r[0] == "refused")
    assert "đã được xử lý" in refused or "đã được giao" in refused, refused
    winner = next(r[1] for r in results if r[0] == "ok")

    statement.refresh_from_db()
    assert statement.signer.username == winner
    assert statement.signing_authority == ("" if winner == "lanhdao" else "KT.")
    assert statement.status == Statement.Status.RELEASED, statement.document.last_error
    process = statement.processes.get()
    signoffs = process.task_set.filter(flow_task_type="HUMAN", status="DONE")
    assert [t.flow_task.name for t in signoffs.order_by("pk")] == ["draft", "review", "signoff"]
    assert signoffs.get(pk=task.pk).owner.username == winner
    documents = IssuedDocument.objects.filter(
        subject_content_type=ContentType.objects.get_for_model(Statement),
        subject_object_id=statement.pk,
    )
    assert documents.count() == 1
    assert documents.get() == statement.document
    assert statement.document.status == IssuedDocument.Status.ISSUED
    assert statement.document.number == 1
    # One number was taken from the register: the loser consumed none.
    assert IssuedDocument.objects.filter(organisation=organisation).count() == 1
    assert list(
        RegisterSeries.objects.filter(organisation=organisation).values_list(
            "last_number", flat=True
        )
    ) == [1]


def test_one_live_process_per_statement(postgres_db, organisation, staff):
    statement = new_statement(staff["chuyenvien"], organisation)
    first = statement.processes.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        StatementFlow.start.run(statement=statement)
    assert statement.processes.count() == 1

    with pytest.raises(IntegrityError), transaction.atomic():
        StatementProcess.objects.create(flow_class=StatementFlow, artifact=statement, status="NEW")
    assert statement.processes.count() == 1

    # The index is partial: once the first process is over, a new one may start.
    StatementProcess.objects.filter(pk=first.pk).update(status="CANCELED")
    StatementFlow.start.run(statement=statement)
    assert statement.processes.count() == 2
    assert statement.processes.exclude(status__in=["DONE", "CANCELED"]).count() == 1


def test_two_threads_start_a_process_for_the_same_statement(postgres_db, organisation, staff):
    """Even racing, the database keeps a single live process."""
    statement = new_statement(staff["chuyenvien"], organisation)
    StatementProcess.objects.filter(artifact_object_id=statement.pk).update(status="CANCELED")
    barrier = threading.Barrier(2)
    results = []

    def start():
        try:
            barrier.wait()
            with transaction.atomic():
                StatementFlow.start.run(statement=statement)
            results.append("ok")
        except IntegrityError:
            results.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=start) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["ok", "refused"]
    live = statement.processes.exclude(status__in=["DONE", "CANCELED"])
    assert live.count() == 1
