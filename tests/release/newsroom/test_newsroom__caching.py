"""HTTP caching of the newsroom: validators and 304s, a max-age that stops at the next
embargo, no shared caching of an embargoed statement, private signed-in pages, the server's
cache of anonymous pages (forgotten when a statement changes, per-visitor CSRF tokens)."""

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from release.newsroom import publication
from tests.release.newsroom.publication_helpers import quick

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
LIST = "/tin-bao-chi/"
FEED = "/tin-bao-chi/feed.atom"


@pytest.fixture
def clock():
    with time_machine.travel(T0, tick=False) as traveller:
        yield traveller


@pytest.fixture
def public(clock, organisation, head):
    return quick(organisation, head, title="Thông cáo đã công bố về tuyển sinh", number=1)


@pytest.fixture
def embargoed(clock, organisation, head):
    """Lifts 30 s after T0."""
    return quick(
        organisation,
        head,
        title="Thông cáo còn cấm đăng về học phí",
        number=2,
        publish_at=T0 + timedelta(seconds=30),
    )


def _max_age(response) -> int:
    match = re.search(r"max-age=(\d+)", response["Cache-Control"])
    assert match, response["Cache-Control"]
    return int(match.group(1))


def _vary(response) -> set[str]:
    return {v.strip().lower() for v in response["Vary"].split(",")}


@pytest.mark.parametrize("path", [LIST, FEED])
def test_list_and_feed_are_public_with_validators(client, public, path, settings):
    settings.NEWSROOM_MAX_AGE = 60
    response = client.get(path)
    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=60"
    assert {"cookie", "accept-language"} <= _vary(response)
    etag = response["ETag"]
    again = client.get(path, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again["ETag"] == etag


def test_max_age_stops_at_the_next_embargo_and_the_lift_shows_on_time(
    client, public, embargoed, clock, settings
):
    settings.NEWSROOM_MAX_AGE = 60
    for path in (LIST, FEED, f"/tin-bao-chi/{public.organisation.code}/"):
        response = client.get(path)
        assert response.status_code == 200
        assert _max_age(response) == 30, path
        assert "cấm đăng về học phí" not in response.content.decode()
    clock.shift(timedelta(seconds=20))
    response = client.get(LIST)  # the server's copy, 10 s left
    assert _max_age(response) == 10
    assert "cấm đăng về học phí" not in response.content.decode()
    clock.shift(timedelta(seconds=10))  # exactly publish_at
    for path in (LIST, FEED, f"/tin-bao-chi/{public.organisation.code}/"):
        response = client.get(path)
        assert "cấm đăng về học phí" in response.content.decode(), path
        assert _max_age(response) == 60


def test_one_second_before_the_lift_nothing_is_reusable(client, public, embargoed, clock):
    clock.shift(timedelta(seconds=29, milliseconds=500))
    response = client.get(LIST)
    assert response["Cache-Control"] == "public, no-cache"
    assert "cấm đăng về học phí" not in response.content.decode()


def test_embargoed_statement_is_a_404_that_no_cache_keeps(client, embargoed, public, clock):
    detail = client.get(publication.publication_url(embargoed))
    pdf = client.get(publication.publication_pdf_url(embargoed))
    unknown = client.get(
        reverse("release:publication", args=[embargoed.organisation.code, 999999, "x"])
    )
    for response in (detail, pdf, unknown):
        assert response.status_code == 404
        assert response["Cache-Control"] == "private, no-store"
    clock.shift(timedelta(seconds=30))
    assert client.get(publication.publication_url(embargoed)).status_code == 200


def test_staff_who_may_see_an_embargoed_statement_get_no_store(client, embargoed, head):
    """The organisation's staff reach the embargoed document (verification, download): what
    they get is never stored by any cache."""
    client.force_login(head)
    response = client.get(publication.publication_url(embargoed))
    assert response["Cache-Control"] == "private, no-store"


def test_statement_page_is_public_with_validators(client, public, settings):
    settings.NEWSROOM_MAX_AGE = 120
    url = publication.publication_url(public)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=120"
    assert client.get(url, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304


def test_signed_in_pages_are_private(client, public, head):
    client.force_login(head)
    for path in (LIST, FEED, publication.publication_url(public)):
        response = client.get(path)
        assert response.status_code == 200
        assert response["Cache-Control"] == "private, no-cache", path
        assert "cookie" in _vary(response)


def test_anonymous_pages_come_from_the_server_cache(client, public, django_assert_num_queries):
    client.get(LIST)
    with django_assert_num_queries(0):
        response = client.get(LIST)
    assert "Thông cáo đã công bố về tuyển sinh" in response.content.decode()
    with django_assert_num_queries(0):
        assert client.get(LIST, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304


def test_each_visitor_gets_their_own_csrf_token(public):
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    tokens = []
    for visitor in (first, second):
        page = visitor.get(LIST)
        tokens.append(
            re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
        )
    assert tokens[0] and tokens[1] and tokens[0].group(1) != tokens[1].group(1)
    # The second visitor (served from the cache) can switch language with their token.
    response = second.post(
        "/i18n/setlang/", {"language": "en", "csrfmiddlewaretoken": tokens[1].group(1)}
    )
    assert response.status_code == 302


def test_a_new_statement_is_shown_at_once(
    client, public, organisation, head, django_capture_on_commit_callbacks
):
    client.get(LIST)
    with django_capture_on_commit_callbacks(execute=True):
        quick(organisation, head, title="Thông cáo mới về lịch thi", number=3)
    assert "Thông cáo mới về lịch thi" in client.get(LIST).content.decode()


def test_languages_are_cached_apart(client, public):
    vietnamese = client.get(LIST).content.decode()
    client.cookies["django_language"] = "en"
    english = client.get(LIST).content.decode()
    assert 'lang="vi"' in vietnamese and 'lang="en"' in english
