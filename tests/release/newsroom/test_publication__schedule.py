"""Scheduling a publication: publish_at = max(embargo, issued_at), validation, slug, addendum."""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from audit.models import LedgerEvent
from core.errors import DomainError
from release.models import DocType
from release.newsroom import publication
from tests.release.helpers import issue
from tests.release.newsroom.publication_helpers import statement

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _events(pub, action):
    return LedgerEvent.objects.filter(
        action=action, target_type="release.publication", target_id=str(pub.pk)
    )


def test_without_embargo_it_is_public_when_the_document_is_issued(
    organisation, head, signing_credentials, django_capture_on_commit_callbacks
):
    pub = statement(organisation, head, django_capture_on_commit_callbacks)
    assert pub.publish_at == pub.document.issued_at
    assert publication.publication_is_public(pub)
    assert list(publication.publications_public()) == [pub]
    scheduled = _events(pub, "publication.scheduled").get()
    assert scheduled.actor_username == head.username
    assert scheduled.after_data["title"] == pub.title
    assert _events(pub, "publication.publish_at_set").count() == 1


def test_an_embargo_in_the_future_sets_publish_at_to_the_embargo(
    organisation, head, signing_credentials, django_capture_on_commit_callbacks
):
    embargo = timezone.now() + timedelta(days=2)
    pub = statement(organisation, head, django_capture_on_commit_callbacks, embargo_at=embargo)
    assert pub.publish_at == embargo
    assert not publication.publication_is_public(pub)
    assert publication.publication_is_public(pub, now=embargo)
    assert not publication.publication_is_public(pub, now=embargo - timedelta(seconds=1))
    assert list(publication.publications_public()) == []
    assert list(publication.publications_public(now=embargo)) == [pub]


def test_an_embargo_already_past_at_issue_time_publishes_at_issue_time(
    organisation, head, signing_credentials, django_capture_on_commit_callbacks
):
    embargo = timezone.now() - timedelta(hours=1)
    pub = statement(organisation, head, django_capture_on_commit_callbacks, embargo_at=embargo)
    assert pub.publish_at == pub.document.issued_at > embargo


def test_not_public_before_the_document_is_issued(organisation, head):
    document = issue(organisation, head, doc_type=DocType.THONG_CAO)  # on_commit not run
    pub = publication.publication_schedule(
        document=document, title="Thông cáo", body="Nội dung", by=head
    )
    assert pub.publish_at is None
    assert not publication.publication_is_public(pub)
    assert not publication.publication_is_public(pub, now=timezone.now() + timedelta(days=365))


def test_scheduling_after_the_document_was_issued_publishes_it(
    organisation, head, signing_credentials, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        document = issue(organisation, head, doc_type=DocType.THONG_CAO)
    document.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        pub = publication.publication_schedule(
            document=document, title="Thông cáo muộn", body="Nội dung", by=head
        )
    pub.refresh_from_db()
    assert pub.publish_at == document.issued_at
    assert pub.distributed_at is not None


@pytest.mark.parametrize(
    ("title", "body", "embargo", "code"),
    [
        ("", "Nội dung", None, "title"),
        ("   ", "Nội dung", None, "title"),
        ("x" * 301, "Nội dung", None, "title"),
        ("Thông cáo", "  ", None, "body"),
        ("Thông cáo", "Nội dung", datetime(2027, 1, 1, 9, 0), "embargo_at"),
    ],
)
def test_invalid_input_is_refused(organisation, head, title, body, embargo, code):
    document = issue(organisation, head, doc_type=DocType.THONG_CAO)
    with pytest.raises(DomainError) as caught:
        publication.publication_schedule(
            document=document, title=title, body=body, embargo_at=embargo, by=head
        )
    assert caught.value.code == code


def test_a_title_of_300_characters_is_accepted(organisation, head):
    document = issue(organisation, head, doc_type=DocType.THONG_CAO)
    pub = publication.publication_schedule(document=document, title="đ" * 300, body="x", by=head)
    assert len(pub.title) == 300


def test_one_publication_per_document(organisation, head):
    document = issue(organisation, head, doc_type=DocType.THONG_CAO)
    publication.publication_schedule(document=document, title="Một", body="x", by=head)
    with pytest.raises(DomainError) as caught:
        publication.publication_schedule(document=document, title="Hai", body="x", by=head)
    assert caught.value.code == "duplicate"


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Thông cáo báo chí về đề án Đổi mới", "thong-cao-bao-chi-ve-de-an-doi-moi"),
        ("Đường điện 500kV: kết quả", "duong-dien-500kv-ket-qua"),
        ("Ưu tiên người già, trẻ em", "uu-tien-nguoi-gia-tre-em"),
        ("!!!", "thong-cao"),
    ],
)
def test_the_slug_drops_vietnamese_diacritics_and_d_stroke(title, slug):
    assert publication.slug_for(title) == slug


def test_the_addendum_is_stored_and_recorded(
    organisation, head, spokesperson, signing_credentials, django_capture_on_commit_callbacks
):
    pub = statement(organisation, head, django_capture_on_commit_callbacks)
    publication.publication_addendum_attach(
        publication=pub, text="Tóm tắt buổi họp báo chiều 26/11.", by=spokesperson
    )
    pub.refresh_from_db()
    assert pub.addendum == "Tóm tắt buổi họp báo chiều 26/11."
    assert pub.addendum_at is not None
    event = _events(pub, "publication.addendum").get()
    assert event.actor_username == spokesperson.username


@pytest.mark.parametrize("who", ["specialist", "journalist", "outsider"])
def test_the_addendum_is_refused_to_others(request, organisation, head, who):
    document = issue(organisation, head, doc_type=DocType.THONG_CAO)
    pub = publication.publication_schedule(document=document, title="T", body="x", by=head)
    with pytest.raises(DomainError) as caught:
        publication.publication_addendum_attach(
            publication=pub, text="Họp báo", by=request.getfixturevalue(who)
        )
    assert caught.value.code == "forbidden"


def test_an_empty_addendum_is_refused(organisation, head):
    document = issue(organisation, head, doc_type=DocType.THONG_CAO)
    pub = publication.publication_schedule(document=document, title="T", body="x", by=head)
    with pytest.raises(DomainError):
        publication.publication_addendum_attach(publication=pub, text="  ", by=head)
