"""CaseFilter: the staff case list and GET /api/v1/cases/ filter alike, and refuse alike."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from tests.factories import PASSWORD, api_token_key, password_login
from tests.workflows.helpers import submit
from workflows.cases.filters import CaseFilter
from workflows.cases.models import Case

VN = ZoneInfo("Asia/Ho_Chi_Minh")
PAGE = "/workspace/cases/pages/"
API = "/api/v1/cases/"

# (query, names of the cases it keeps) — every parameter, alone and together.
QUERIES = [
    ("", {"hoc_phi", "ban_tru", "qua_han", "da_tra_loi"}),
    ("q=học+phí", {"hoc_phi"}),
    ("q=journalist1", {"hoc_phi", "ban_tru", "qua_han", "da_tra_loi"}),
    ("status=open", {"hoc_phi", "ban_tru", "qua_han"}),
    ("status=answered", {"da_tra_loi"}),
    ("status=triage", {"hoc_phi", "ban_tru", "qua_han"}),
    ("kind=answer_request", {"ban_tru"}),
    ("kind=", {"hoc_phi", "ban_tru", "qua_han", "da_tra_loi"}),
    ("overdue=1", {"qua_han"}),
    ("overdue=true", {"qua_han"}),
    ("overdue=0", {"hoc_phi", "ban_tru", "da_tra_loi"}),
    ("organisation=pgddt-thuan-an", {"hoc_phi", "ban_tru", "qua_han", "da_tra_loi"}),
    # Another organisation's cases stay out of reach: scoping comes before the filter.
    ("organisation=pgddt-di-an", set()),
    ("status=open&kind=question&q=Nguyễn+Trãi", {"qua_han"}),
]

INVALID = [
    ("status=bogus", "status"),
    ("kind=bogus", "kind"),
    ("overdue=perhaps", "overdue"),
    ("q=" + "x" * 301, "q"),
    ("organisation=" + "x" * 65, "organisation"),
]


@pytest.fixture
def now():
    with time_machine.travel(datetime(2026, 12, 7, 9, 0, tzinfo=VN), tick=False) as traveller:
        yield traveller


@pytest.fixture
def cases(now, journalist, organisation, other_organisation, staff):
    made = {
        "hoc_phi": submit(journalist, organisation, subject="Học phí năm học mới"),
        "ban_tru": submit(
            journalist,
            organisation,
            subject="Bữa ăn bán trú",
            kind=Case.Kind.ANSWER_REQUEST,
            channel="api",
        ),
        "qua_han": submit(journalist, organisation, subject="Dạy thêm ở Trường Nguyễn Trãi"),
        "da_tra_loi": submit(journalist, organisation, subject="Sĩ số lớp học"),
        "di_an": submit(journalist, other_organisation, subject="Hồ sơ của Dĩ An"),
    }
    past = datetime(2026, 12, 1, 17, 0, tzinfo=VN)
    Case.objects.filter(pk=made["qua_han"].pk).update(due_at=past)
    Case.objects.filter(pk=made["da_tra_loi"].pk).update(status=Case.Status.ANSWERED, due_at=past)
    return {name: c.pk for name, c in made.items()}


def _page(registry_officer, client):
    assert password_login(client, registry_officer.username, PASSWORD)
    return client


def _api(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_key(user)}")
    return client


def _page_ids(client, query) -> set[int]:
    response = client.get(f"{PAGE}?{query}")
    assert response.status_code == 200, (query, response.status_code)
    return {case.pk for case, _left in response.context["rows"]}


def _api_ids(client, query) -> set[int]:
    response = client.get(f"{API}?{query}")
    assert response.status_code == 200, (query, response.content[:300])
    return {row["id"] for row in response.json()["results"]}


def test_each_filter_keeps_what_it_names(cases):
    for query, names in QUERIES:
        data = dict(part.split("=", 1) for part in query.split("&") if part)
        data = {k: v.replace("+", " ") for k, v in data.items()}
        case_filter = CaseFilter(data, queryset=Case.objects.exclude(pk=cases["di_an"]))
        assert case_filter.is_valid(), (query, case_filter.errors)
        assert set(case_filter.qs.values_list("pk", flat=True)) == {cases[n] for n in names}, query


def test_page_and_api_agree_on_every_filter(cases, registry_officer, client):
    page = _page(registry_officer, client)
    api = _api(registry_officer)
    for query, names in QUERIES:
        expected = {cases[n] for n in names}
        assert _page_ids(page, query) == expected, query
        assert _api_ids(api, query) == expected, query


@pytest.mark.parametrize(("query", "field"), INVALID)
def test_an_invalid_value_is_a_field_error_in_vietnamese(cases, query, field):
    data = dict([query.split("=", 1)])
    case_filter = CaseFilter(data, queryset=Case.objects.all())
    assert not case_filter.is_valid()
    assert list(case_filter.errors) == [field]


@pytest.mark.parametrize(("query", "field"), INVALID)
def test_the_api_answers_400_validation_error(cases, registry_officer, query, field):
    response = _api(registry_officer).get(f"{API}?{query}")
    assert response.status_code == 400, response.content[:300]
    body = response.json()
    assert body["code"] == "validation_error" and body["message"]
    assert list(body["fields"]) == [field]


@pytest.mark.parametrize(("query", "field"), INVALID)
def test_the_page_shows_the_message_and_no_rows(cases, registry_officer, client, query, field):
    response = _page(registry_officer, client).get(f"{PAGE}?{query}")
    assert response.status_code == 400
    assert response.context["rows"] == []
    assert response.context["filter_errors"]
    assert 'role="alert"' in response.content.decode()


def test_the_page_message_names_the_field_and_the_value(cases, registry_officer, client):
    html = _page(registry_officer, client).get(f"{PAGE}?status=bogus").content.decode()
    assert "Trạng thái: Giá trị “bogus” không có trong danh sách cho phép." in html
    html = client.get(f"{PAGE}?overdue=perhaps").content.decode()
    assert "Quá hạn: Giá trị “perhaps” không hợp lệ: dùng 1 (có) hoặc 0 (không)." in html


def test_a_journalist_filters_only_their_own_cases(cases, journalist, other_journalist):
    assert _api_ids(_api(journalist), "status=open") == {
        cases["hoc_phi"],
        cases["ban_tru"],
        cases["qua_han"],
        cases["di_an"],
    }
    assert _api_ids(_api(other_journalist), "status=open") == set()


def test_pagination_links_keep_the_filters(cases, registry_officer, client, journalist):
    organisation = Case.objects.get(pk=cases["hoc_phi"]).organisation
    for i in range(50):
        submit(journalist, organisation, subject=f"Câu hỏi số {i}")
    html = _page(registry_officer, client).get(f"{PAGE}?status=open&overdue=0").content.decode()
    assert "?page=2&amp;status=open&amp;overdue=0" in html


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    ("query", "rows"), [("q=câu", 16), ("q=câu&status=open&kind=question&overdue=0", 10)]
)
def test_query_counts_do_not_grow_with_rows(
    cases, registry_officer, client, journalist, django_assert_max_num_queries, query, rows
):
    organisation = Case.objects.get(pk=cases["hoc_phi"]).organisation
    submit(journalist, organisation, subject="Câu hỏi đầu tiên")  # each query keeps one row
    page, api = _page(registry_officer, client), _api(registry_officer)
    few_page, few_api = _count(page, f"{PAGE}?{query}"), _count(api, f"{API}?{query}")
    for i in range(15):
        submit(journalist, organisation, subject=f"Câu hỏi số {i}")
    now = datetime(2026, 12, 7, 9, 0, tzinfo=VN)
    # Six of them overdue (số 1, 10-14): overdue=0 leaves 10 of the 16.
    Case.objects.filter(subject__startswith="Câu hỏi số 1").update(due_at=now - timedelta(days=1))
    with django_assert_max_num_queries(few_page):
        response = page.get(f"{PAGE}?{query}")
    assert len(response.context["rows"]) == rows
    with django_assert_max_num_queries(few_api):
        response = api.get(f"{API}?{query}&page_size=100")
    assert response.json()["count"] == rows


def test_the_api_message_follows_the_request_language(cases, registry_officer):
    api = _api(registry_officer)
    body = api.get(f"{API}?status=bogus").json()
    assert body["fields"]["status"] == ["Giá trị “bogus” không có trong danh sách cho phép."]
    body = api.get(f"{API}?overdue=perhaps", HTTP_ACCEPT_LANGUAGE="en").json()
    assert body["fields"]["overdue"] == ["“perhaps” is not a valid value: use 1 (yes) or 0 (no)."]
