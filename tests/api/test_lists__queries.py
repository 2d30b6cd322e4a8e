"""The lists cost the same number of queries with 3 cases (and tasks) as with 30 (issue 17)."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.workflows.helpers import submit

# Two rows a page: both sizes fill it, so what is compared is the cost of the rows left out
# (the whole list, its rule and its count), not the serialising of a longer page.
PAGE = "?page_size=2"


def _cost(client, url: str) -> tuple[int, int]:
    """(the list's `count` or 0 for a page, the queries it took)."""
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code, response.content[:300])
    count = response.json()["count"] if url.startswith("/api/") else 0
    return count, len(ctx.captured_queries)


def _submit(n, journalist, organisation, capture):
    with capture(execute=True):
        for _ in range(n):
            submit(journalist, organisation)


def web_client(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def lists(api, journalist, staff):
    """name → (client, url) of every list that the press cases fill."""
    web = web_client
    return {
        "api cases, journalist": (api(journalist), "/api/v1/cases/" + PAGE),
        "api cases, staff": (api(staff["phatngon"]), "/api/v1/cases/" + PAGE),
        "api tasks, registry officer": (api(staff["vanthu"]), "/api/v1/tasks/" + PAGE),
        "api tasks, spokesperson": (api(staff["phatngon"]), "/api/v1/tasks/" + PAGE),
        "web queue": (web(staff["vanthu"]), "/workspace/work/cho-nhan/"),
        "web cases": (web(staff["phatngon"]), "/workspace/cases/pages/"),
        "journalist's cases": (web(journalist), "/nha-bao/ho-so/"),
    }


@pytest.mark.django_db
def test_every_list_costs_the_same_queries_for_3_and_30_cases(
    lists, journalist, organisation, staff, django_capture_on_commit_callbacks
):
    _submit(3, journalist, organisation, django_capture_on_commit_callbacks)
    for client, url in lists.values():
        _cost(client, url)  # warm: sessions, content types, the first ledger event of a view
    few = {name: _cost(client, url) for name, (client, url) in lists.items()}
    _submit(27, journalist, organisation, django_capture_on_commit_callbacks)
    many = {name: _cost(client, url) for name, (client, url) in lists.items()}
    for name in lists:
        # Every case is in each API list; each one's triage task is in both staff queues.
        if name.startswith("api"):
            assert (few[name][0], many[name][0]) == (3, 30), (name, few[name], many[name])
    assert {n: q for n, (_c, q) in many.items()} == {n: q for n, (_c, q) in few.items()}
    # The inspection list describes its page's events by kind of target (one read per kind):
    # a bound, not an equality, since 3 cases' page holds fewer kinds than 30 cases'.
    inspector = web_client(staff["thanhtra"])
    with CaptureQueriesContext(connection) as ctx:
        assert inspector.get("/workspace/inspection/").status_code == 200
    assert len(ctx.captured_queries) <= 30
