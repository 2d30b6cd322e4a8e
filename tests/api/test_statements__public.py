"""GET /api/v1/statements/ without staff rights: the published statements only, as the
newsroom shows them (embargo respected); staff keep their fuller view."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from tests.api.conftest import assert_error
from tests.api.test_statements import STATEMENT_FIELDS, _create
from tests.release.newsroom.publication_helpers import quick
from workflows.statements.models import Statement

URL = "/api/v1/statements/"
PUBLIC_FIELDS = {
    "id",
    "reference",
    "kind",
    "doc_type",
    "organisation",
    "organisation_name",
    "title",
    "body",
    "number",
    "publish_at",
    "url",
    "pdf_url",
    "verify_url",
}


def _released(statement, *, number, publish_at, head):
    publication = quick(
        statement.organisation,
        head,
        title=statement.title,
        body="Nội dung đã công bố.",
        number=number,
        publish_at=publish_at,
    )
    statement.document = publication.document
    statement.status = Statement.Status.RELEASED
    statement.save(update_fields=["document", "status"])
    return statement


@pytest.fixture
def world(staff, organisation):
    author, head = staff["phatngon"], staff["lanhdao"]
    now = timezone.now()
    return {
        "published": _released(
            _create(author, organisation, title="Đã công bố"),
            number=1,
            publish_at=now - timedelta(hours=1),
            head=head,
        ),
        "embargoed": _released(
            _create(author, organisation, title="Còn cấm đăng"),
            number=2,
            publish_at=now + timedelta(days=1),
            head=head,
        ),
        "draft": _create(author, organisation, title="Bản nháp"),
    }


def _ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {item["id"] for item in response.json()["results"]}


@pytest.mark.parametrize("who", ["anonymous", "journalist"])
def test_the_public_sees_published_statements_only(anon, api, journalist, world, who):
    client = anon if who == "anonymous" else api(journalist)
    r = client.get(URL)
    assert _ids(r) == {world["published"].pk}
    [item] = r.json()["results"]
    assert set(item) == PUBLIC_FIELDS
    assert item["title"] == "Đã công bố" and item["body"] == "Nội dung đã công bố."
    assert item["url"].startswith("http://testserver/") and item["pdf_url"]
    detail = client.get(f"{URL}{world['published'].pk}/")
    assert detail.status_code == 200 and set(detail.json()) == PUBLIC_FIELDS
    for hidden in ("embargoed", "draft"):
        assert_error(client.get(f"{URL}{world[hidden].pk}/"), 404, "not_found")
    assert_error(client.get(f"{URL}999999/"), 404, "not_found")


def test_the_embargo_lifts_on_time(anon, world):
    with time_machine.travel(timezone.now() + timedelta(days=1, minutes=1)):
        assert _ids(anon.get(URL)) == {world["published"].pk, world["embargoed"].pk}


def test_filters_and_bad_input_for_the_public(anon, world):
    assert _ids(anon.get(f"{URL}?q=công bố")) == {world["published"].pk}
    assert _ids(anon.get(f"{URL}?status=open")) == set()
    assert_error(anon.get(f"{URL}?status=nope"), 400, "validation_error")


def test_staff_keep_their_fuller_view(api, staff, world):
    r = api(staff["phatngon"]).get(URL)
    assert _ids(r) == {s.pk for s in world.values()}
    assert all(set(item) == STATEMENT_FIELDS for item in r.json()["results"])


def test_writes_stay_staff_only(anon, api, journalist, world, organisation):
    data = {"organisation": organisation.code, "kind": "periodic", "title": "Thông tin"}
    assert_error(anon.post(URL, data, format="json"), 401, "not_authenticated")
    assert_error(api(journalist).post(URL, data, format="json"), 403, "permission_denied")
    assert_error(
        anon.patch(f"{URL}{world['published'].pk}/", {"body": "x"}, format="json"),
        401,
        "not_authenticated",
    )
