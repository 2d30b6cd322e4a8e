"""The demo's promise, with a real Celery worker on Redis and PostgreSQL: the spokesperson
drafts an initial statement, the head signs it within the 24-hour clock, the worker signs the
PDF, it appears in the newsroom and the feed at its embargo time, and subscribers get it."""

import time
from datetime import timedelta
from xml.etree import ElementTree

from django.utils import timezone

from release.models import Delivery
from release.newsroom.subscriptions import subscription_self
from release.validation import validate_pdf
from tests.workflows.helpers import open_task
from workflows.engine import steps
from workflows.statements import drafting
from workflows.statements.models import Statement

ATOM = "{http://www.w3.org/2005/Atom}"


def _wait(predicate, worker, seconds=120):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        assert worker.poll() is None, "worker died"
        time.sleep(0.5)
    return predicate()


def _feed_titles(client) -> list[str]:
    r = client.get("/tin-bao-chi/feed.atom")
    assert r.status_code == 200
    root = ElementTree.fromstring(r.content)  # noqa: S314 — our own feed, in a test
    return [e.findtext(f"{ATOM}title") for e in root.iter(f"{ATOM}entry")]


def test_initial_statement_signed_in_time_published_at_embargo_and_mailed(
    worker, client, journalist, organisation, staff, signing_credentials
):
    journalist.email = "nhabao@example.vn"
    journalist.save()
    profile = journalist.journalist_profile
    assert profile.is_accredited, "the persona is a verified journalist"
    subscription_self(organisation=organisation, user=journalist)

    title = "Thông tin ban đầu về sự cố sập mái che tại Trường Tiểu học An Phú"
    statement = drafting.statement_create(
        organisation=organisation,
        by=staff["phatngon"],
        kind=Statement.Kind.INITIAL,
        title=title,
        body="Khoảng 7 giờ sáng nay, mái che nhà xe của trường bị sập; không có học sinh bị thương.",
        clock_start_at=timezone.now() - timedelta(hours=2),
        embargo_at=timezone.now() + timedelta(seconds=40),
    )
    for user, step, action in (
        (staff["phatngon"], "draft", "submit"),
        (staff["phatngon"], "review", "approve"),
        (staff["lanhdao"], "signoff", "sign"),
    ):
        steps.task_complete(
            task=open_task(statement, step), by=user, action=action, data={"body": statement.body}
        )
    statement.refresh_from_db()
    assert statement.status == Statement.Status.RELEASING  # the web request did not sign

    def released():
        statement.refresh_from_db()
        return statement.status == Statement.Status.RELEASED

    assert _wait(released, worker), statement.document.last_error
    assert statement.on_time is True  # within the 24-hour clock
    document = statement.document
    document.refresh_from_db()
    report = validate_pdf(document.pdf.read())
    assert report.all_valid and len(report.signatures) == 2
    publication = document.publication
    publication.refresh_from_db()
    assert publication.publish_at == statement.embargo_at

    # Before the embargo: nothing in the newsroom, the feed or the verification page.
    assert timezone.now() < publication.publish_at, "the worker was too slow for this test"
    assert title not in client.get("/tin-bao-chi/").content.decode()
    assert not any(title in t for t in _feed_titles(client))
    assert title not in client.get(f"/xac-thuc/{document.verify_token}/").content.decode()
    assert not Delivery.objects.filter(status=Delivery.Status.SENT).exists()

    # At the embargo time it appears everywhere, and the worker mails the subscribers.
    time.sleep(max(0.0, (publication.publish_at - timezone.now()).total_seconds()) + 0.5)
    assert title in client.get("/tin-bao-chi/").content.decode()
    assert any(title in t for t in _feed_titles(client))
    assert (
        document.number_display
        in client.get(f"/xac-thuc/{document.verify_token}/").content.decode()
    )
    assert _wait(
        lambda: Delivery.objects.filter(
            publication=publication, email="nhabao@example.vn", status=Delivery.Status.SENT
        ).exists(),
        worker,
        seconds=60,
    )
    delivery = Delivery.objects.get(publication=publication, email="nhabao@example.vn")
    assert delivery.sent_at >= publication.publish_at
