"""StatementFilter: the staff statement list and GET /api/v1/statements/ filter alike."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from tests.factories import PASSWORD, api_token_key, password_login
from tests.workflows.helpers import new_statement
from workflows.statements.filters import StatementFilter
from workflows.statements.models import Statement

VN = ZoneInfo("Asia/Ho_Chi_Minh")
PAGE = "/workspace/statements/pages/"
API = "/api/v1/statements/"

QUERIES = [
    ("", {"dinh_ky", "sap_mai", "da_huy"}),
    ("q=mái+che", {"sap_mai"}),
    ("status=open", {"dinh_ky", "sap_mai"}),
    ("status=withdrawn", {"da_huy"}),
    ("status=drafting", {"dinh_ky", "sap_mai"}),
    ("kind=periodic", {"dinh_ky", "da_huy"}),
    ("kind=", {"dinh_ky", "sap_mai", "da_huy"}),
    ("organisation=pgddt-thuan-an", {"dinh_ky", "sap_mai", "da_huy"}),
    # Another organisation's statements stay out of reach: scoping comes before the filter.
    ("organisation=pgddt-di-an", set()),
    ("status=open&kind=periodic&q=tháng+11", {"dinh_ky"}),
]

INVALID = [
    ("status=bogus", "status"),
    ("kind=bogus", "kind"),
    ("q=" + "x" * 301, "q"),
    ("organisation=" + "x" * 65, "organisation"),
]


@pytest.fixture
def now():
    with time_machine.travel(datetime(2026, 12, 7, 9, 0, tzinfo=VN), tick=False) as traveller:
        yield traveller


@pytest.fixture
def statements(now, staff, organisation, outsider, other_organisation):
    periodic = Statement.Kind.PERIODIC
    made = {
        "dinh_ky": new_statement(
            staff["phatngon"], organisation, kind=periodic, title="Thông tin định kỳ tháng 11"
        ),
        "sap_mai": new_statement(staff["chuyenvien"], organisation, title="Sự cố sập mái che"),
        "da_huy": new_statement(
            staff["phatngon"], organisation, kind=periodic, title="Thông tin định kỳ tháng 10"
        ),
        "di_an": new_statement(outsider, other_organisation, title="Của cơ quan khác"),
    }
    Statement.objects.filter(pk=made["da_huy"].pk).update(status=Statement.Status.WITHDRAWN)
    return {name: s.pk for name, s in made.items()}


def _page(user, client):
    assert password_login(client, user.username, PASSWORD)
    return client


def _api(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_key(user)}")
    return client


def _page_ids(client, query) -> set[int]:
    response = client.get(f"{PAGE}?{query}")
    assert response.status_code == 200, (query, response.status_code)
    return {s.pk for s, _left in response.context["rows"]}


def _api_ids(client, query) -> set[int]:
    response = client.get(f"{API}?{query}")
    assert response.status_code == 200, (query, response.content[:300])
    return {row["id"] for row in response.json()["results"]}


def test_each_filter_keeps_what_it_names(statements):
    for query, names in QUERIES:
        data = dict(part.split("=", 1) for part in query.split("&") if part)
        data = {k: v.replace("+", " ") for k, v in data.items()}
        queryset = Statement.objects.exclude(pk=statements["di_an"])
        statement_filter = StatementFilter(data, queryset=queryset)
        assert statement_filter.is_valid(), (query, statement_filter.errors)
        kept = set(statement_filter.qs.values_list("pk", flat=True))
        assert kept == {statements[n] for n in names}, query


def test_page_and_api_agree_on_every_filter(statements, spokesperson, client):
    page, api = _page(spokesperson, client), _api(spokesperson)
    for query, names in QUERIES:
        expected = {statements[n] for n in names}
        assert _page_ids(page, query) == expected, query
        assert _api_ids(api, query) == expected, query


@pytest.mark.parametrize(("query", "field"), INVALID)
def test_an_invalid_value_is_a_field_error(statements, query, field):
    statement_filter = StatementFilter(dict([query.split("=", 1)]), queryset=Statement.objects)
    assert not statement_filter.is_valid()
    assert list(statement_filter.errors) == [field]


@pytest.mark.parametrize(("query", "field"), INVALID)
def test_the_api_answers_400_validation_error(statements, spokesperson, query, field):
    for client in (_api(spokesperson), APIClient()):  # staff, and the public list
        response = client.get(f"{API}?{query}")
        assert response.status_code == 400, response.content[:300]
        body = response.json()
        assert body["code"] == "validation_error" and body["message"]
        assert list(body["fields"]) == [field]


@pytest.mark.parametrize(("query", "field"), INVALID)
def test_the_page_shows_the_message_and_no_rows(statements, spokesperson, client, query, field):
    response = _page(spokesperson, client).get(f"{PAGE}?{query}")
    assert response.status_code == 400
    assert response.context["rows"] == []
    assert response.context["filter_errors"]


def test_the_page_message_is_vietnamese(statements, spokesperson, client):
    html = _page(spokesperson, client).get(f"{PAGE}?kind=bogus").content.decode()
    assert "Loại: Giá trị “bogus” không có trong danh sách cho phép." in html


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_query_counts_do_not_grow_with_rows(
    statements, spokesperson, staff, organisation, client, django_assert_max_num_queries
):
    query = "q=định+kỳ&status=open&kind=periodic"
    page, api = _page(spokesperson, client), _api(spokesperson)
    few_page, few_api = _count(page, f"{PAGE}?{query}"), _count(api, f"{API}?{query}")
    for i in range(12):
        new_statement(
            staff["phatngon"],
            organisation,
            kind=Statement.Kind.PERIODIC,
            title=f"Thông tin định kỳ số {i}",
        )
    with django_assert_max_num_queries(few_page):
        response = page.get(f"{PAGE}?{query}")
    assert len(response.context["rows"]) == 13
    with django_assert_max_num_queries(few_api):
        response = api.get(f"{API}?{query}&page_size=100")
    assert response.json()["count"] == 13
