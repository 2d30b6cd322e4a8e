"""Issuing cannot be lost (load review §3): the queued row is the intent, a minute sweep hands
it over again, attempts are counted on the document, duplicates change nothing, and a
document stuck in the queue is shown to the registry officer with a retry."""

from datetime import timedelta
from unittest import mock

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from audit.models import LedgerEvent
from release import services
from release.models import IssuedDocument
from release.tasks import document_process_task, documents_dispatch_due_task
from tests.release.helpers import issue

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def queued(organisation, head):
    """A numbered document whose message never reached a worker (broker away at commit)."""
    with mock.patch("release.tasks.document_process_task.apply_async"):
        document = issue(organisation, head, summary="Trả lời câu hỏi về tuyển sinh")
    document.refresh_from_db()
    assert document.status == IssuedDocument.Status.QUEUED
    return document


def _registered(document) -> int:
    return LedgerEvent.objects.filter(
        action="document.registered",
        target_type="release.issueddocument",
        target_id=str(document.pk),
    ).count()


def test_a_lost_message_is_sent_again_by_the_sweep(queued, signing_credentials):
    with mock.patch("release.tasks.document_process_task.apply_async") as send:
        assert services.documents_dispatch_due() == []  # handed over just now: not yet
    send.assert_not_called()
    later = timezone.now() + timedelta(seconds=121)
    with time_machine.travel(later, tick=False):
        assert documents_dispatch_due_task.apply().get() == 1  # eager: issued at once
    queued.refresh_from_db()
    assert queued.status == IssuedDocument.Status.ISSUED
    assert _registered(queued) == 1


def test_the_sweep_leaves_issued_failed_and_cancelled_documents_alone(queued):
    IssuedDocument.objects.filter(pk=queued.pk).update(status=IssuedDocument.Status.FAILED)
    later = timezone.now() + timedelta(hours=1)
    with time_machine.travel(later, tick=False):
        assert services.documents_dispatch_due() == []


def test_duplicate_messages_issue_once(queued, signing_credentials):
    for _ in range(3):
        document_process_task.apply(args=[queued.pk])
    services.document_process(document_id=queued.pk)
    queued.refresh_from_db()
    assert queued.status == IssuedDocument.Status.ISSUED
    assert queued.attempts == 1
    assert _registered(queued) == 1


def test_a_failed_document_is_not_issued_by_a_stray_message(queued, signing_credentials):
    IssuedDocument.objects.filter(pk=queued.pk).update(status=IssuedDocument.Status.FAILED)
    document_process_task.apply(args=[queued.pk])
    queued.refresh_from_db()
    assert queued.status == IssuedDocument.Status.FAILED
    assert _registered(queued) == 0


def test_attempts_that_killed_their_worker_count_towards_failure(queued, settings):
    """An attempt is committed before rendering: one that crashed the worker still counts."""
    IssuedDocument.objects.filter(pk=queued.pk).update(attempts=settings.RELEASE_MAX_ATTEMPTS)
    services.document_process(document_id=queued.pk)
    queued.refresh_from_db()
    assert queued.status == IssuedDocument.Status.FAILED
    assert "document.failed" in LedgerEvent.objects.filter(target_id=str(queued.pk)).values_list(
        "action", flat=True
    )


def test_a_stuck_document_is_listed_with_a_retry_for_the_registry_officer(
    queued,
    login,
    registry_officer,
    organisation,
    signing_credentials,
    django_capture_on_commit_callbacks,
):
    register = reverse("outgoing:register:index") + f"?org={organisation.code}"
    page = login(registry_officer).get(register).content.decode()
    assert "Văn bản chờ phát hành quá lâu" not in page  # just numbered: not stuck yet
    with pytest.raises(Exception):  # noqa: B017 — the service refuses a fresh queued document
        services.document_retry(document=queued, by=registry_officer)
    later = timezone.now() + timedelta(minutes=11)
    with time_machine.travel(later, tick=False):
        client = login(registry_officer)
        page = client.get(register).content.decode()
        assert "Văn bản chờ phát hành quá lâu" in page and queued.number_display in page
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("outgoing:register:retry", args=[queued.pk]))
        assert response.status_code == 302
    queued.refresh_from_db()
    assert queued.status == IssuedDocument.Status.ISSUED  # eager worker
    assert "document.retry" in LedgerEvent.objects.filter(target_id=str(queued.pk)).values_list(
        "action", flat=True
    )


@pytest.mark.parametrize("who", ["journalist", "specialist", "spokesperson", "outsider"])
def test_nobody_else_may_retry_a_stuck_document(request, queued, login, who):
    later = timezone.now() + timedelta(minutes=11)
    with time_machine.travel(later, tick=False):
        response = login(request.getfixturevalue(who)).post(
            reverse("outgoing:register:retry", args=[queued.pk])
        )
    assert response.status_code == 403
    queued.refresh_from_db()
    assert queued.status == IssuedDocument.Status.QUEUED


def test_the_sweep_is_a_beat_entry_every_minute(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["documents-due"]
    assert entry["task"] == documents_dispatch_due_task.name
    assert settings.CELERY_TASK_ACKS_LATE and settings.CELERY_TASK_REJECT_ON_WORKER_LOST
