"""RegisterFilter: the outgoing register page and its CSV/XLSX exports filter alike."""

import csv
import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from release import selectors
from release.filters import RegisterFilter
from release.models import IssuedDocument
from tests.factories import PASSWORD, password_login
from tests.release.helpers import issue

VN = ZoneInfo("Asia/Ho_Chi_Minh")

# (query, summaries kept); no year = the current year (2026 here).
QUERIES = [
    ("", {"Thông báo năm nay"}),
    ("year=2026", {"Thông báo năm nay"}),
    ("year=2025", {"Thông báo năm ngoái"}),
    ("year=all", {"Thông báo năm nay", "Thông báo năm ngoái"}),
    ("year=2024", set()),
]

INVALID = ["year=20x6", "year=12345", "year=26", "year=٢٠٢٦", "year=tat-ca"]


@pytest.fixture
def now():
    with time_machine.travel(datetime(2026, 12, 7, 9, 0, tzinfo=VN), tick=False) as traveller:
        yield traveller


@pytest.fixture
def documents(now, organisation, head, registry_officer):
    this_year = issue(organisation, head, summary="Thông báo năm nay")
    last_year = issue(organisation, head, summary="Thông báo năm ngoái")
    IssuedDocument.objects.filter(pk=last_year.pk).update(year=2025)
    return this_year, last_year


def _url(suffix="", query=""):
    base = reverse("outgoing:register:index") + suffix + "?org=pgddt-thuan-an"
    return f"{base}&{query}" if query else base


def _login(client, user):
    assert password_login(client, user.username, PASSWORD)
    return client


def _data(query) -> dict:
    return dict([query.split("=", 1)]) if query else {}


def test_each_year_keeps_what_it_names(documents, organisation):
    for query, summaries in QUERIES:
        register_filter = RegisterFilter(
            _data(query), queryset=selectors.register_documents(organisation=organisation)
        )
        assert register_filter.is_valid(), (query, register_filter.errors)
        assert {d.summary for d in register_filter.qs} == summaries, query


def test_page_and_exports_agree(documents, registry_officer, client):
    client = _login(client, registry_officer)
    for query, summaries in QUERIES:
        response = client.get(_url(query=query))
        assert response.status_code == 200, query
        assert {d.summary for d in response.context["documents"]} == summaries, query
        export = client.get(_url("xuat.csv", query))
        assert export.status_code == 200, query
        rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))
        assert {row[2].split(": ", 1)[1] for row in rows[1:]} == summaries, query


@pytest.mark.parametrize("query", INVALID)
def test_an_invalid_year_is_a_field_error(documents, organisation, query):
    register_filter = RegisterFilter(
        _data(query), queryset=selectors.register_documents(organisation=organisation)
    )
    assert not register_filter.is_valid()
    assert list(register_filter.errors) == ["year"]


@pytest.mark.parametrize("query", INVALID)
def test_the_page_says_so_and_the_export_sends_there(documents, registry_officer, client, query):
    client = _login(client, registry_officer)
    response = client.get(_url(query=query))
    assert response.status_code == 400
    assert list(response.context["documents"]) == []
    assert "Năm: Năm phải gồm 4 chữ số, hoặc “all” để xem mọi năm." in response.content.decode()
    for suffix in ("xuat.csv", "xuat.xlsx"):
        export = client.get(_url(suffix, query))
        assert export.status_code == 302, suffix
        assert export["Location"].startswith(reverse("outgoing:register:index") + "?")
        assert client.get(export["Location"]).status_code == 400


def test_another_organisation_stays_refused_whatever_the_year(
    documents, outsider, client, other_organisation
):
    client = _login(client, outsider)
    assert client.get(_url(query="year=all")).status_code == 403
    response = client.get(
        reverse("outgoing:register:index") + f"?org={other_organisation.code}&year=all"
    )
    assert response.status_code == 200 and list(response.context["documents"]) == []


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_query_counts_do_not_grow_with_rows(
    documents, organisation, head, registry_officer, client, django_assert_max_num_queries
):
    client = _login(client, registry_officer)
    few_page, few_csv = (
        _count(client, _url(query="year=all")),
        _count(client, _url("xuat.csv", "year=all")),
    )
    for i in range(12):
        issue(organisation, head, summary=f"Thông báo số {i}")
    with django_assert_max_num_queries(few_page):
        response = client.get(_url(query="year=all"))
    assert len(response.context["documents"]) == 14
    with django_assert_max_num_queries(few_csv):
        assert client.get(_url("xuat.csv", "year=all")).status_code == 200
