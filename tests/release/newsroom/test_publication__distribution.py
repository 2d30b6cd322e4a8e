"""Distribution: deliveries in batches, the e-mail itself, idempotency, failures and retries."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.urls import reverse
from django.utils import timezone

from audit.models import LedgerEvent
from release.models import Delivery, DocType, Subscription
from release.newsroom import distribution, publication, subscriptions
from release.newsroom.tasks import (
    deliveries_send_task,
    publication_distribute_task,
    publications_due_sweep_task,
)
from tests.release.newsroom.publication_helpers import TITLE, statement

pytestmark = pytest.mark.django_db

BROKEN = "hong@baoloi.vn"


class FailingBackend(EmailBackend):
    """The locmem backend, refusing every message to BROKEN (while `broken` is set)."""

    broken = True

    def send_messages(self, messages):
        for message in messages:
            if self.broken and BROKEN in message.to:
                raise ConnectionRefusedError(f"550 mailbox unavailable: {BROKEN}")
        return super().send_messages(messages)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def eager_retries(monkeypatch):
    """Let eager tasks run their retries (propagating eager errors would stop at the first)."""
    from config.celery import app

    monkeypatch.setitem(app.conf, "task_eager_propagates", False)


def _subscribe(organisation, *emails):
    return [Subscription.objects.create(organisation=organisation, email=e) for e in emails]


@pytest.fixture
def five(organisation):
    return _subscribe(organisation, *[f"toasoan{n}@bao.vn" for n in range(1, 6)])


def test_five_subscribers_in_batches_of_two_make_three_batches(
    settings,
    organisation,
    head,
    five,
    signing_credentials,
    django_capture_on_commit_callbacks,
    monkeypatch,
):
    settings.RELEASE_DISTRIBUTION_BATCH = 2
    Subscription.objects.create(organisation=organisation, email="cu@bao.vn", active=False)
    batches = []
    original = deliveries_send_task.delay
    monkeypatch.setattr(
        deliveries_send_task, "delay", lambda ids: batches.append(ids) or original(ids)
    )
    pub = statement(organisation, head, django_capture_on_commit_callbacks)
    assert [len(b) for b in batches] == [2, 2, 1]
    deliveries = Delivery.objects.filter(publication=pub)
    assert deliveries.count() == 5
    assert set(deliveries.values_list("status", flat=True)) == {Delivery.Status.SENT}
    assert sorted(m.to[0] for m in mail.outbox) == sorted(s.email for s in five)
    assert "cu@bao.vn" not in [m.to[0] for m in mail.outbox]
    pub.refresh_from_db()
    assert pub.distributed_at is not None
    distributed = LedgerEvent.objects.get(action="publication.distributed")
    assert distributed.after_data == {"deliveries": 5, "batches": 3}
    assert LedgerEvent.objects.filter(action="publication.delivered").count() == 3


def test_the_email_carries_the_pdf_links_and_list_unsubscribe(
    organisation, head, signing_credentials, django_capture_on_commit_callbacks
):
    (subscription,) = _subscribe(organisation, "toasoan@bao.vn")
    pub = statement(organisation, head, django_capture_on_commit_callbacks)
    (message,) = mail.outbox
    document = pub.document
    assert message.subject == f"[{organisation.name}] Thông cáo báo chí: {TITLE}"
    # A Quyết định or a Giấy mời is named as such (UX review, problem 24).
    delivery = Delivery.objects.select_related("publication__document").get(
        subscription=subscription
    )
    delivery.publication.document.doc_type = DocType.GIAY_MOI
    invitation = distribution.delivery_message(delivery, None)
    assert invitation.subject == f"[{organisation.name}] Giấy mời: {TITLE}"
    assert message.to == ["toasoan@bao.vn"]
    assert "Số: 01/TC-PGDĐT" in message.body
    assert document.doc_date.strftime("%d/%m/%Y") in message.body
    assert "Đoạn thứ nhất của thông cáo." in message.body
    assert "<b>không phải HTML</b>" in message.body  # plain text, not escaped
    # SITE_URL: http://127.0.0.1:8000 unless PORT or SITE_URL is set.
    assert settings.SITE_URL + publication.publication_url(pub) in message.body
    verify = settings.SITE_URL + reverse("release:verify", args=[document.verify_token])
    assert verify in message.body
    unsubscribe = subscriptions.unsubscribe_url(subscription)
    assert unsubscribe in message.body
    assert message.extra_headers["List-Unsubscribe"] == f"<{unsubscribe}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    ((name, content, mimetype),) = message.attachments
    assert name == "01-TC-PGDĐT.pdf" and mimetype == "application/pdf"
    assert content == document.pdf.open("rb").read()
    raw = message.message().as_bytes()
    assert b"List-Unsubscribe:" in raw


def test_distributing_twice_mails_once(
    organisation, head, five, signing_credentials, django_capture_on_commit_callbacks
):
    pub = statement(organisation, head, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 5
    assert publication_distribute_task.delay(pub.pk).get() == "done"
    assert publications_due_sweep_task.delay().get() == 0
    assert (
        deliveries_send_task.delay(list(Delivery.objects.values_list("pk", flat=True))).get()
        == "sent"
    )
    assert len(mail.outbox) == 5
    assert Delivery.objects.count() == 5
    assert LedgerEvent.objects.filter(action="publication.distributed").count() == 1


def test_the_sweep_distributes_what_a_lost_task_left(
    organisation, head, five, signing_credentials, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(publication, "_schedule_distribution", lambda pub: None)  # task lost
    pub = statement(organisation, head, django_capture_on_commit_callbacks)
    assert pub.distributed_at is None and mail.outbox == []
    assert publications_due_sweep_task.delay().get() == 1
    pub.refresh_from_db()
    assert pub.distributed_at is not None and len(mail.outbox) == 5


def test_a_withdrawn_publication_is_never_mailed(
    organisation,
    head,
    registry_officer,
    five,
    signing_credentials,
    django_capture_on_commit_callbacks,
):
    from release import amendments

    pub = statement(
        organisation,
        head,
        django_capture_on_commit_callbacks,
        embargo_at=timezone.now() + timedelta(hours=1),
    )
    amendments.document_cancel(document=pub.document, reason="Thu hồi", by=registry_officer)
    assert distribution.publication_distribute(pub.pk, now=pub.publish_at)[0] == "not_public"
    assert distribution.publications_due(now=pub.publish_at) == []
    assert mail.outbox == []


def test_a_failing_address_is_retried_then_left_failed_and_listed_and_staff_resend_it(
    settings,
    login,
    organisation,
    head,
    spokesperson,
    signing_credentials,
    django_capture_on_commit_callbacks,
    eager_retries,
):
    settings.EMAIL_BACKEND = f"{__name__}.FailingBackend"
    FailingBackend.broken = True
    _subscribe(organisation, "toasoan@bao.vn", BROKEN)
    pub = statement(organisation, head, django_capture_on_commit_callbacks)
    good = Delivery.objects.get(publication=pub, email="toasoan@bao.vn")
    bad = Delivery.objects.get(publication=pub, email=BROKEN)
    assert good.status == Delivery.Status.SENT and good.attempts == 1
    assert bad.status == Delivery.Status.FAILED
    assert bad.attempts == 4  # the first try and 3 retries
    assert "550 mailbox unavailable" in bad.last_error
    assert [m.to for m in mail.outbox] == [["toasoan@bao.vn"]]  # never mailed twice
    failure = LedgerEvent.objects.get(action="publication.delivery_failed")
    assert failure.target_id == str(bad.pk)
    assert failure.after_data["email"] == BROKEN

    client = login(spokesperson)
    page = client.get(reverse("outgoing:distribution:deliveries"))
    assert page.status_code == 200
    assert BROKEN in page.content.decode() and "Gửi lại" in page.content.decode()

    FailingBackend.broken = False
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("outgoing:distribution:retry", args=[bad.pk]))
    assert response.status_code == 302
    bad.refresh_from_db()
    assert bad.status == Delivery.Status.SENT and bad.attempts == 5
    assert [m.to for m in mail.outbox][-1] == [BROKEN]
    assert LedgerEvent.objects.filter(action="publication.delivery_retry").count() == 1
    after = client.get(reverse("outgoing:distribution:deliveries"))
    assert list(after.context["failed"]) == []


def test_the_sweep_sends_again_a_batch_that_was_lost(
    organisation, head, five, signing_credentials, django_capture_on_commit_callbacks, monkeypatch
):
    """Deliveries committed but whose batch task never ran stay pending: ten minutes later the
    minute sweep queues them again; someone who unsubscribed meanwhile is not mailed."""
    import time_machine

    from release.newsroom import tasks

    monkeypatch.setattr(tasks.deliveries_send_task, "delay", lambda ids: None)  # batches lost
    pub = statement(organisation, head, django_capture_on_commit_callbacks)
    assert Delivery.objects.filter(status=Delivery.Status.PENDING).count() == 5
    monkeypatch.undo()
    five[0].active = False
    five[0].save()
    assert publications_due_sweep_task.delay().get() == 0  # not stale yet
    assert mail.outbox == []
    with time_machine.travel(timezone.now() + timedelta(minutes=11), tick=False):
        assert publications_due_sweep_task.delay().get() == 4
    assert sorted(m.to[0] for m in mail.outbox) == [s.email for s in five[1:]]
    assert Delivery.objects.get(subscription=five[0]).status == Delivery.Status.PENDING
    assert publications_due_sweep_task.delay().get() == 0
    assert pub.deliveries.filter(status=Delivery.Status.SENT).count() == 4
