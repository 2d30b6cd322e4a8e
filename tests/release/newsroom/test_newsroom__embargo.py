"""Embargo everywhere: before publish_at nothing shows (list, detail, PDF, feed, verification);
at exactly publish_at everything does."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from release.models import Delivery, Subscription
from release.newsroom import publication
from release.newsroom.tasks import publications_due_sweep_task
from tests.release.newsroom.publication_helpers import ATOM, TITLE, atom, statement

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def embargoed(organisation, head, signing_credentials, django_capture_on_commit_callbacks):
    Subscription.objects.create(organisation=organisation, email="toasoan@baogiaoduc.vn")
    embargo = (timezone.now() + timedelta(days=2)).replace(microsecond=0)
    pub = statement(organisation, head, django_capture_on_commit_callbacks, embargo_at=embargo)
    assert pub.publish_at == embargo
    return pub


def _urls(pub):
    return {
        "list": reverse("release:newsroom"),
        "org": reverse("release:newsroom-organisation", args=[pub.organisation.code]),
        "detail": publication.publication_url(pub),
        "short": reverse("release:publication-short", args=[pub.organisation.code, pub.pk]),
        "pdf": publication.publication_pdf_url(pub),
        "feed": reverse("release:newsroom-feed"),
        "org_feed": reverse("release:newsroom-organisation-feed", args=[pub.organisation.code]),
        "verify": reverse("release:verify", args=[pub.document.verify_token]),
    }


def _feed_titles(client, url) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = atom(response.content)
    return [e.findtext(f"{ATOM}title") for e in root.findall(f"{ATOM}entry")]


def _normalised(response, path) -> str:
    page = response.content.decode().replace(path, "")
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)


def _assert_hidden(client, pub):
    urls = _urls(pub)
    for name in ("list", "org"):
        page = client.get(urls[name]).content.decode()
        assert TITLE not in page, name
    for name in ("detail", "short", "pdf"):
        assert client.get(urls[name]).status_code == 404, name
    assert _feed_titles(client, urls["feed"]) == []
    assert _feed_titles(client, urls["org_feed"]) == []
    unknown_url = reverse("release:verify", args=["khong-co-ma-nay"])
    unknown = client.get(unknown_url)
    hidden = client.get(urls["verify"])
    assert hidden.status_code == unknown.status_code == 404
    # Exactly like an unknown token (but for the page's own path and the CSRF token's mask).
    assert _normalised(hidden, urls["verify"]) == _normalised(unknown, unknown_url)
    assert pub.document.number_display not in hidden.content.decode()


def _assert_shown(client, pub):
    urls = _urls(pub)
    for name in ("list", "org"):
        assert TITLE in client.get(urls[name]).content.decode(), name
    detail = client.get(urls["detail"])
    assert detail.status_code == 200
    assert client.get(urls["short"]).status_code == 301
    pdf = client.get(urls["pdf"])
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content) == pub.document.pdf.open("rb").read()
    assert _feed_titles(client, urls["feed"]) == [f"{pub.document.number_display} — {TITLE}"]
    assert len(_feed_titles(client, urls["org_feed"])) == 1
    verify = client.get(urls["verify"])
    assert verify.status_code == 200 and pub.document.number_display in verify.content.decode()


def test_nothing_shows_one_second_before_and_everything_at_the_embargo(client, embargoed):
    _assert_hidden(client, embargoed)
    with time_machine.travel(embargoed.publish_at - timedelta(seconds=1), tick=False):
        _assert_hidden(client, embargoed)
    with time_machine.travel(embargoed.publish_at, tick=False):
        _assert_shown(client, embargoed)


def test_the_press_list_is_mailed_only_once_the_embargo_has_passed(client, embargoed):
    # The eta task ran early (eager in tests): nothing was distributed or mailed.
    embargoed.refresh_from_db()
    assert embargoed.distributed_at is None
    assert mail.outbox == []
    with time_machine.travel(embargoed.publish_at - timedelta(seconds=1), tick=False):
        assert publications_due_sweep_task.delay().get() == 0
    assert mail.outbox == []
    with time_machine.travel(embargoed.publish_at + timedelta(seconds=30), tick=False):
        assert publications_due_sweep_task.delay().get() == 1
    embargoed.refresh_from_db()
    assert embargoed.distributed_at is not None
    assert Delivery.objects.get(publication=embargoed).status == Delivery.Status.SENT
    assert len(mail.outbox) == 1


def test_staff_of_the_organisation_still_see_the_verification_page(login, embargoed, head):
    page = login(head).get(_urls(embargoed)["verify"])
    assert page.status_code == 200
    assert embargoed.document.number_display in page.content.decode()


@pytest.mark.parametrize("who", ["journalist", "outsider"])
def test_others_get_the_unknown_token_page(request, login, embargoed, who):
    response = login(request.getfixturevalue(who)).get(_urls(embargoed)["verify"])
    assert response.status_code == 404


def test_an_upload_of_the_embargoed_pdf_does_not_reveal_the_register(client, embargoed):
    pdf = embargoed.document.pdf.open("rb").read()
    response = client.post(
        reverse("release:verify-upload"),
        {"file": SimpleUploadedFile("x.pdf", pdf, "application/pdf")},
    )
    page = response.content.decode()
    assert embargoed.document.number_display not in page
    assert "không trùng với văn bản nào" in page
    with time_machine.travel(embargoed.publish_at, tick=False):
        response = client.post(
            reverse("release:verify-upload"),
            {"file": SimpleUploadedFile("x.pdf", pdf, "application/pdf")},
        )
    assert "trùng khớp với văn bản đã đăng ký" in response.content.decode()


def test_the_staff_download_refuses_everyone_but_staff_under_embargo(
    login, embargoed, journalist, registry_officer
):
    url = reverse("release:download", args=[embargoed.document.pk])
    assert login(journalist).get(url).status_code == 404
    assert login(registry_officer).get(url).status_code == 200


def test_a_statement_recalled_under_embargo_never_becomes_public(
    client, embargoed, registry_officer
):
    """Recalled (thu hồi) before its publication time: after that time the title, number and
    the internal reason for the recall stay hidden everywhere, as if it never existed."""
    from release import amendments as release_amendments

    reason = "Lý do nội bộ: số liệu chưa được lãnh đạo xác nhận"
    release_amendments.document_cancel(
        document=embargoed.document, reason=reason, by=registry_officer
    )
    embargoed.refresh_from_db()
    with time_machine.travel(embargoed.publish_at + timedelta(hours=4), tick=False):
        _assert_hidden(client, embargoed)
        for name in ("detail", "short"):
            assert reason not in client.get(_urls(embargoed)[name]).content.decode()
        assert publications_due_sweep_task() == 0
    assert not Delivery.objects.exists() and mail.outbox == []
