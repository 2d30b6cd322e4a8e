"""The inspection pages never answer 500, whatever the ledger holds (security review M4)."""

import re
from html import unescape

import pytest
from django.apps import apps

import audit
from audit.models import LedgerEvent
from tests.factories import UserFactory

BASE = "/workspace/inspection/"

# Every kind of target the code writes: "app.model" of each model passed as `target=`, and
# the type names written by hand (grep `target_type=`), plus types no code writes today.
NAMED_TYPES = [
    "page",
    "audit.ledger",
    "audit.export",
    "release.register",
    "release.incoming",
    "a/b",
    "hồ sơ",
]
PROJECT_APPS = {"auth", "roles", "workflows", "release", "audit"}
IDS = [
    "/workspace/outgoing/register/",
    "/workspace/outgoing/distribution/thu-loi/",
    "",
    "41",
    "-",
    ".",
    "..",
    "a%2Fb",
    "?q=1&x=<b>#frag",
    "dòng\nmới\tvà khoảng trắng ",
    "Hồ sơ PA-2026-000014 — Đ",
    "/" + "x" * 200,  # cut to 64 characters by the ledger
]


def _target_types():
    models = [m._meta.label_lower for m in apps.get_models() if m._meta.app_label in PROJECT_APPS]
    return NAMED_TYPES + sorted(models)


# Following every link is slow on a shared machine: the ids are what matters, so links are
# followed for these types (every id of each).
FOLLOWED_TYPES = {"page", "a/b", "hồ sơ", "workflows.case"}


@pytest.fixture
def superuser(db):
    return UserFactory(username="quantri", is_superuser=True, is_staff=True)


@pytest.fixture
def hostile_ledger(db, organisation, journalist, client, settings):
    """A real refusal (the review's reproduction), then one event per target type and id,
    in the inspector's organisation, and the odd ids once more with no organisation."""
    settings.AUDIT_EVENTS_PER_PAGE = 50
    client.force_login(journalist)
    assert client.get("/workspace/outgoing/register/").status_code == 403
    client.logout()
    for target_type in _target_types():
        for target_id in IDS if target_type in FOLLOWED_TYPES else IDS[:4]:
            audit.record(
                action="test.target",
                organisation=organisation,
                target_type=target_type,
                target_id=target_id,
            )
    for target_id in IDS:
        audit.record(action="test.target", target_type="page", target_id=target_id)
    return LedgerEvent.objects.filter(action__in=["test.target", "access.denied"])


def _links(response):
    html = response.content.decode()
    return [unescape(h) for h in re.findall(r'href="([^"]*/doi-tuong/[^"]*)"', html)]


def _get(client, url, data=None):
    response = client.get(url, data)
    assert response.status_code != 500, url
    return response


@pytest.mark.parametrize("persona", ["superuser", "inspector"])
def test_every_inspection_page_renders_whatever_the_ledger_holds(
    request, login, persona, hostile_ledger
):
    client = login(request.getfixturevalue(persona))
    first = _get(client, BASE)
    assert first.status_code == 200
    last_page = first.context["page"].paginator.num_pages
    assert last_page > 2
    for page in range(1, last_page + 1):
        response = _get(client, BASE, {"page": page})
        assert response.status_code == 200
        links = _links(response)
        events = [e for e in response.context["page"] if e.target_type]
        assert len(links) == len(events)
        # Every link leads to a timeline holding that very event.
        for event, link in zip(events, links, strict=True):
            if event.target_type not in FOLLOWED_TYPES:
                continue
            timeline = _get(client, link)
            assert timeline.status_code == 200, link
            assert event in list(timeline.context["page"]), (link, event.target_id)
    filters = [
        {"actor": "journalist1"},
        {"action": "access.denied"},
        {"action": "test."},
        {"target_type": "page"},
        {"target_type": "page", "target_id": "/workspace/outgoing/register/"},
        {"target_id": "Hồ sơ PA-2026-000014 — Đ", "page": "2"},
        {"organisation": "pgddt-thuan-an", "page": "999"},
        {"date_from": "not a date"},
    ]
    for data in filters:
        assert _get(client, BASE, data).status_code in (200, 400), data
    for url in (f"{BASE}chuoi/", f"{BASE}xuat/"):
        assert _get(client, url).status_code == 200, url
    assert client.post(f"{BASE}chuoi/kiem-tra/").status_code == 302
    created = client.post(f"{BASE}xuat/tao/", {"format": "csv", "target_type": "page"})
    assert created.status_code == 302
    detail = _get(client, created["Location"])
    assert detail.status_code == 200


def test_the_refused_page_from_the_review_has_a_working_timeline(login, superuser, hostile_ledger):
    client = login(superuser)
    response = _get(client, BASE, {"actor": "journalist1"})
    denied = LedgerEvent.objects.get(action="access.denied", actor_username="journalist1")
    assert denied.target_id == "/workspace/outgoing/register/"
    [link] = [u for u in _links(response) if "/doi-tuong/page/" in u]
    timeline = _get(client, link)
    assert timeline.status_code == 200
    assert denied in list(timeline.context["page"])
    assert timeline.context["target_id"] == "/workspace/outgoing/register/"


def test_an_empty_id_has_its_own_timeline(login, superuser, hostile_ledger):
    client = login(superuser)
    timeline = _get(client, f"{BASE}doi-tuong/page/-/")
    events = list(timeline.context["page"])
    assert events and all(e.target_type == "page" and e.target_id == "" for e in events)


def test_existing_simple_timeline_urls_still_work(login, superuser, hostile_ledger):
    client = login(superuser)
    timeline = _get(client, f"{BASE}doi-tuong/workflows.case/41/")
    events = list(timeline.context["page"])
    assert events and all(e.target_id == "41" for e in events)


@pytest.mark.parametrize("persona", ["head", "specialist", "journalist", "outsider"])
def test_refused_roles_get_403_not_500(request, login, persona, hostile_ledger):
    client = login(request.getfixturevalue(persona))
    for url in (
        BASE,
        f"{BASE}?page=2",
        f"{BASE}chuoi/",
        f"{BASE}xuat/",
        f"{BASE}doi-tuong/page/%252Fworkspace%252Foutgoing%252Fregister%252F/",
        f"{BASE}doi-tuong/page/-/",
    ):
        assert client.get(url).status_code == 403, url
