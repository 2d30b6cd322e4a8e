"""The public newsroom: list, search, filter, pagination, detail, withdrawn statements, feeds."""

from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from release import amendments
from release.models import IssuedDocument
from release.newsroom import publication
from tests.release.newsroom.publication_helpers import ATOM, BODY, TITLE, atom, quick, statement

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def published(organisation, head, signing_credentials, django_capture_on_commit_callbacks):
    return statement(organisation, head, django_capture_on_commit_callbacks)


@pytest.fixture
def many(organisation, other_organisation, head):
    """25 public statements of `organisation` (1 newest … 25 oldest), 2 of another, 1 embargoed."""
    pubs = [
        quick(organisation, head, title=f"Thông cáo số {n} về tuyển sinh", number=n)
        for n in range(1, 26)
    ]
    quick(other_organisation, head, title="Thông cáo Dĩ An về học phí", number=30)
    quick(other_organisation, head, title="Thông cáo Dĩ An về sách giáo khoa", number=31)
    quick(
        organisation,
        head,
        title="Thông cáo còn cấm đăng",
        number=99,
        publish_at=timezone.now() + timedelta(hours=1),
    )
    return pubs


def _titles(response) -> list[str]:
    return [p.title for p in response.context["publications"]]


def test_the_list_is_newest_first_20_per_page(client, many):
    first = client.get(reverse("release:newsroom"))
    assert first.status_code == 200
    page = first.context["page"]
    assert page.paginator.count == 27
    assert len(_titles(first)) == 20
    assert _titles(first)[0] == "Thông cáo số 1 về tuyển sinh"
    assert "Thông cáo còn cấm đăng" not in first.content.decode()
    second = client.get(reverse("release:newsroom"), {"trang": 2})
    assert len(_titles(second)) == 7
    assert client.get(reverse("release:newsroom"), {"trang": "abc"}).status_code == 200


@pytest.mark.parametrize("page", [1, 2])
def test_the_list_runs_a_constant_number_of_queries(
    client, many, page, django_assert_max_num_queries
):
    # The page, the count, the organisations; and the next scheduled publication (max-age).
    with django_assert_max_num_queries(4):
        response = client.get(reverse("release:newsroom"), {"trang": page})
    assert response.status_code == 200


def test_the_query_count_does_not_grow_with_the_page(
    client, organisation, head, django_capture_on_commit_callbacks
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    quick(organisation, head, title="Một", number=1)
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("release:newsroom"))
    # Committed, the new statements make the server forget its cached copy of the list.
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(2, 21):
            quick(organisation, head, title=f"Thông cáo {n}", number=n)
    with CaptureQueriesContext(connection) as twenty:
        client.get(reverse("release:newsroom"))
    assert len(one.captured_queries) == len(twenty.captured_queries)


def test_search_by_title_body_and_number(client, organisation, head, many):
    quick(organisation, head, title="Thông báo lịch họp", body="Về ngân sách giáo dục", number=40)
    url = reverse("release:newsroom")
    assert _titles(client.get(url, {"q": "học phí"})) == ["Thông cáo Dĩ An về học phí"]
    assert _titles(client.get(url, {"q": "ngân sách"})) == ["Thông báo lịch họp"]
    assert _titles(client.get(url, {"q": "40/TC-PGDĐT"})) == ["Thông báo lịch họp"]
    assert _titles(client.get(url, {"q": "12"})) == ["Thông cáo số 12 về tuyển sinh"]
    assert _titles(client.get(url, {"q": "cấm đăng"})) == []
    assert "Không có thông cáo nào khớp" in client.get(url, {"q": "zzz"}).content.decode()


def test_filter_by_organisation_code_or_pk(client, other_organisation, many):
    url = reverse("release:newsroom")
    by_code = _titles(client.get(url, {"co-quan": other_organisation.code}))
    by_pk = _titles(client.get(url, {"co-quan": other_organisation.pk}))
    assert by_code == by_pk == ["Thông cáo Dĩ An về học phí", "Thông cáo Dĩ An về sách giáo khoa"]


def test_the_organisation_page_lists_only_its_statements(client, organisation, many):
    response = client.get(reverse("release:newsroom-organisation", args=[organisation.code]))
    assert response.context["page"].paginator.count == 25
    assert client.get(reverse("release:newsroom-organisation", args=["khong-co"])).status_code == (
        404
    )
    by_pk = client.get(reverse("release:newsroom-organisation", args=[str(organisation.pk)]))
    assert by_pk.status_code == 301


def test_the_detail_page_shows_number_date_body_pdf_and_verification(client, published):
    document = published.document
    url = publication.publication_url(published)
    slug = "thong-cao-bao-chi-ve-de-an-doi-moi-giao-duc"
    assert url == f"/tin-bao-chi/pgddt-thuan-an/{published.pk}-{slug}/"
    response = client.get(url)
    page = response.content.decode()
    assert response.status_code == 200
    assert TITLE in page
    assert "Số: 01/TC-PGDĐT" in page
    assert document.doc_date.strftime("%d/%m/%Y") in page
    assert published.organisation.name in page
    # The body is text: escaped, paragraphs kept.
    assert "<p>Đoạn thứ nhất của thông cáo.</p>" in page
    assert "&lt;b&gt;không phải HTML&lt;/b&gt;" in page and "<b>không phải" not in page
    assert publication.publication_pdf_url(published) in page
    assert reverse("release:verify", args=[document.verify_token]) in page
    assert BODY.split("\n")[0] in page


def test_a_wrong_slug_redirects_to_the_stable_address(client, published):
    wrong = reverse("release:publication", args=["pgddt-thuan-an", published.pk, "cu"])
    response = client.get(wrong)
    assert response.status_code == 301
    assert response["Location"] == publication.publication_url(published)
    other_org = reverse("release:publication", args=["pgddt-di-an", published.pk, published.slug])
    assert client.get(other_org).status_code == 404


def test_a_statement_without_a_slug_is_served_at_its_stable_address(client, published):
    # A blank slug once redirected to its own address for ever ("" != "thong-cao").
    type(published).objects.filter(pk=published.pk).update(slug="")
    published.refresh_from_db()
    url = publication.publication_url(published)
    assert url.endswith(f"/{published.pk}-thong-cao/")
    assert client.get(url).status_code == 200
    short = reverse("release:publication-short", args=["pgddt-thuan-an", published.pk])
    response = client.get(short)
    assert response.status_code == 301 and response["Location"] == url


def test_the_press_conference_record_is_shown(client, published, spokesperson):
    publication.publication_addendum_attach(
        publication=published, text="Tóm tắt buổi họp báo:\n\nCâu hỏi 1 <script>", by=spokesperson
    )
    page = client.get(publication.publication_url(published)).content.decode()
    assert "Nội dung họp báo" in page
    assert "Tóm tắt buổi họp báo:" in page and "&lt;script&gt;" in page


def test_a_withdrawn_statement_leaves_the_lists_and_its_page_says_why(
    client, published, registry_officer
):
    amendments.document_cancel(
        document=published.document, reason="Số liệu chưa chính xác", by=registry_officer
    )
    published.document.refresh_from_db()
    assert not publication.publication_is_public(published)
    assert TITLE not in client.get(reverse("release:newsroom")).content.decode()
    feed = client.get(reverse("release:newsroom-feed")).content
    assert atom(feed).findall(f"{ATOM}entry") == []
    response = client.get(publication.publication_url(published))
    assert response.status_code == 410
    page = response.content.decode()
    assert "Thông cáo này đã bị thu hồi" in page and "Số liệu chưa chính xác" in page
    assert "Đoạn thứ nhất" not in page
    assert client.get(publication.publication_pdf_url(published)).status_code == 404
    # The verification page keeps saying it was cancelled.
    verify = client.get(reverse("release:verify", args=[published.document.verify_token]))
    assert "Đã bị thu hồi" in verify.content.decode()


def test_a_document_cancelled_under_embargo_never_appears(
    client,
    organisation,
    head,
    registry_officer,
    signing_credentials,
    django_capture_on_commit_callbacks,
):
    pub = statement(
        organisation,
        head,
        django_capture_on_commit_callbacks,
        embargo_at=timezone.now() + timedelta(hours=2),
    )
    amendments.document_cancel(document=pub.document, reason="Hủy", by=registry_officer)
    assert client.get(publication.publication_url(pub)).status_code == 404
    verify = client.get(reverse("release:verify", args=[pub.document.verify_token]))
    assert verify.status_code == 404


def test_the_feeds_parse_and_hold_only_public_entries(client, organisation, many, published):
    response = client.get(reverse("release:newsroom-feed"))
    assert response["Content-Type"].startswith("application/atom+xml")
    root = atom(response.content)
    entries = root.findall(f"{ATOM}entry")
    titles = [e.findtext(f"{ATOM}title") for e in entries]
    assert len(entries) == 28
    assert not any("cấm đăng" in t for t in titles)
    first = entries[0]
    assert first.findtext(f"{ATOM}title") == f"01/TC-PGDĐT — {TITLE}"
    assert (
        first.findtext(f"{ATOM}id")
        == f"tag:127.0.0.1,{published.created_at.date()}:tin-bao-chi/{published.pk}"
    )
    assert first.find(f"{ATOM}link").get("href").endswith(publication.publication_url(published))
    updated = datetime.fromisoformat(first.findtext(f"{ATOM}updated"))
    assert updated == published.publish_at
    org_feed = client.get(reverse("release:newsroom-organisation-feed", args=[organisation.code]))
    org_entries = atom(org_feed.content).findall(f"{ATOM}entry")
    assert len(org_entries) == 26
    assert (
        client.get(reverse("release:newsroom-organisation-feed", args=["khong-co"])).status_code
        == 404
    )


def test_the_public_nav_links_to_the_newsroom(client, db):
    assert reverse("release:newsroom") in client.get(reverse("home")).content.decode()


def test_a_document_without_publication_is_not_in_the_newsroom(client, organisation, head):
    quick(organisation, head, title="Có công bố", number=1)
    IssuedDocument.objects.create(
        **{
            f.name: getattr(IssuedDocument.objects.first(), f.name)
            for f in IssuedDocument._meta.concrete_fields
            if f.name not in ("id", "number", "verify_token", "organisation", "signer")
        },
        organisation=organisation,
        signer=head,
        number=2,
    )
    assert client.get(reverse("release:newsroom")).context["page"].paginator.count == 1


def test_search_ignores_diacritics_and_case(client, organisation, head, many):
    quick(organisation, head, title="Đề án sáp nhập trường", body="Về đề án", number=41)
    url = reverse("release:newsroom")
    assert _titles(client.get(url, {"q": "de an sap nhap"})) == ["Đề án sáp nhập trường"]
    assert _titles(client.get(url, {"q": "ĐỀ ÁN SÁP NHẬP"})) == ["Đề án sáp nhập trường"]
    assert _titles(client.get(url, {"q": "hoc phi"})) == ["Thông cáo Dĩ An về học phí"]


def test_the_feed_carries_the_conference_record_and_its_update_time(
    client, published, spokesperson
):
    import time_machine

    later = published.publish_at + timedelta(hours=3)
    with time_machine.travel(later, tick=False):
        publication.publication_addendum_attach(
            publication=published, text="Tóm tắt buổi họp báo: 5 câu hỏi", by=spokesperson
        )
    root = atom(client.get(reverse("release:newsroom-feed")).content)
    entry = root.find(f"{ATOM}entry")
    assert "Tóm tắt buổi họp báo: 5 câu hỏi" in entry.findtext(f"{ATOM}summary")
    updated = datetime.fromisoformat(entry.findtext(f"{ATOM}updated"))
    assert abs((updated - later).total_seconds()) < 1
