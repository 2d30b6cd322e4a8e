"""EventFilter: the inspector's page, its exports and GET /api/v1/audit/events/ filter alike."""

import csv
import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

import audit
from audit.filters import EventFilter
from audit.models import AuditExport, LedgerEvent
from audit.selectors import events_in_scope
from tests.factories import PASSWORD, api_token_key, password_login

VN = ZoneInfo("Asia/Ho_Chi_Minh")
PAGE = "/workspace/inspection/"
API = "/api/v1/audit/events/"

# (query, names of the events it keeps) — dates are whole days in +07:00.
QUERIES = [
    ("", {"nop", "nhan", "khuya", "rang_sang", "dang_nhap"}),
    ("action=case.submit", {"nop"}),
    ("action=case.", {"nop", "nhan", "khuya", "rang_sang"}),
    ("action=auth.", {"dang_nhap"}),
    ("actor=lanhdao", {"nhan", "khuya", "rang_sang", "dang_nhap"}),
    ("target_type=workflows.case&target_id=41", {"nop", "nhan"}),
    ("organisation=pgddt-thuan-an", {"nop", "nhan", "khuya", "rang_sang", "dang_nhap"}),
    ("date_from=2026-12-03", {"khuya", "rang_sang", "dang_nhap"}),
    ("date_to=2026-12-03", {"nop", "nhan", "khuya"}),
    ("date_from=03/12/2026&date_to=03/12/2026", {"khuya"}),
    ("date_from=2026-12-04&action=case.", {"rang_sang"}),
]

INVALID = [
    ("date_from=hom-qua", "date_from"),
    ("date_to=9999-12-31", "date_to"),
    ("date_from=1999-12-31", "date_from"),
    ("date_from=2026-12-04&date_to=2026-12-03", "date_to"),
    ("organisation=pgddt-di-an", "organisation"),
    ("target_id=" + "x" * 65, "target_id"),
]


@pytest.fixture(autouse=True)
def _before_the_events():
    """Everything the fixtures record happens before the events below, whatever today is.

    The ledger never lets time run backwards (an event older than the head takes the head's
    time), so on a later real date the fixtures' own events would pull these to that date.
    """
    with time_machine.travel(datetime(2026, 11, 30, 10, 0, tzinfo=VN), tick=True):
        yield


def _at(day, hour, minute=0):
    return time_machine.travel(datetime(2026, 12, day, hour, minute, tzinfo=VN), tick=False)


@pytest.fixture
def events(db, head, journalist, outsider, organisation, other_organisation, inspector):
    def record(action, actor, org, **kw):
        return audit.record(action=action, actor=actor, organisation=org, **kw).seq

    case = {"target_type": "workflows.case"}
    made = {}
    with _at(1, 10):
        made["nop"] = record("case.submit", journalist, organisation, target_id=41, **case)
        made["nhan"] = record("case.triage.accept", head, organisation, target_id=41, **case)
    with _at(3, 23, 30):  # 16:30 UTC: still 3 December in +07:00
        made["khuya"] = record("case.extend", head, organisation, target_id=42, **case)
    with _at(4, 0, 30):  # 17:30 UTC on 3 December, but 4 December in +07:00
        made["rang_sang"] = record("case.close", head, organisation, target_id=42, **case)
        made["dang_nhap"] = record("auth.login", head, organisation)
        made["di_an"] = record("case.submit", outsider, other_organisation, target_id=99, **case)
    return made


@pytest.fixture
def now(events):
    with _at(5, 9) as traveller:
        yield traveller


def _mine(events, seqs) -> set[str]:
    """The fixture's events among `seqs` (each visit adds its own audit.view_events)."""
    names = {seq: name for name, seq in events.items()}
    return {names[s] for s in seqs if s in names}


def _page(user, client):
    assert password_login(client, user.username, PASSWORD)
    return client


def _api(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_key(user)}")
    return client


def _data(query) -> dict:
    return dict(part.split("=", 1) for part in query.split("&") if part)


def test_each_filter_keeps_what_it_names(events, now):
    for query, names in QUERIES:
        scope = ["pgddt-thuan-an"]
        event_filter = EventFilter(_data(query), queryset=events_in_scope(scope), scope=scope)
        assert event_filter.is_valid(), (query, event_filter.errors)
        assert _mine(events, event_filter.qs.values_list("seq", flat=True)) == names, query


def test_page_api_and_export_agree_on_every_filter(
    events, now, inspector, client, django_capture_on_commit_callbacks, settings
):
    # Each visit and export adds its own events: pages large enough to keep the fixture's.
    settings.AUDIT_EVENTS_PER_PAGE = 500
    page, api = _page(inspector, client), _api(inspector)
    for query, names in QUERIES:
        response = page.get(f"{PAGE}?{query}")
        assert response.status_code == 200, query
        assert _mine(events, [e.seq for e in response.context["page"]]) == names, query
        response = api.get(f"{API}?{query}&page_size=100")
        assert response.status_code == 200, (query, response.content[:300])
        assert _mine(events, [e["seq"] for e in response.json()["results"]]) == names, query
        with django_capture_on_commit_callbacks(execute=True):
            created = page.post(f"{PAGE}xuat/tao/", {"format": "csv", **_data(query)})
        assert created.status_code == 302, query
        export = AuditExport.objects.latest("pk")
        assert export.status == AuditExport.Status.DONE, (query, export.error)
        with export.file.open("rb") as handle:
            rows = list(csv.reader(io.StringIO(handle.read().decode("utf-8-sig"))))
        assert _mine(events, [int(row[0]) for row in rows[1:]]) == names, query


@pytest.mark.parametrize(("query", "field"), INVALID)
def test_an_invalid_value_is_a_field_error(events, now, query, field):
    event_filter = EventFilter(
        _data(query), queryset=LedgerEvent.objects.all(), scope=["pgddt-thuan-an"]
    )
    assert not event_filter.is_valid()
    assert list(event_filter.errors) == [field]


@pytest.mark.parametrize(("query", "field"), INVALID)
def test_page_and_api_refuse_it(events, now, inspector, client, query, field):
    response = _page(inspector, client).get(f"{PAGE}?{query}")
    assert response.status_code == 400
    assert list(response.context["page"]) == []
    assert list(response.context["form"].errors) == [field]
    response = _api(inspector).get(f"{API}?{query}")
    assert response.status_code == 400, response.content[:300]
    body = response.json()
    assert body["code"] == "validation_error" and list(body["fields"]) == [field]


def test_an_export_with_an_invalid_filter_is_refused(events, now, inspector, client):
    response = _page(inspector, client).post(
        f"{PAGE}xuat/tao/", {"format": "csv", "date_from": "hom-qua"}
    )
    assert response.status_code == 302
    assert not AuditExport.objects.exists()
    page = client.get(response["Location"]).content.decode()
    assert "Bộ lọc xuất dữ liệu không hợp lệ" in page


def test_the_scope_messages_are_vietnamese(events, now, inspector):
    body = _api(inspector).get(f"{API}?organisation=pgddt-di-an").json()
    assert body["fields"]["organisation"] == ["Cơ quan này nằm ngoài phạm vi thanh tra của bạn."]
    body = _api(inspector).get(f"{API}?date_from=2026-12-04&date_to=2026-12-03").json()
    assert body["fields"]["date_to"] == ["Ngày kết thúc phải sau ngày bắt đầu."]


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_query_counts_do_not_grow_with_rows(
    events, now, inspector, head, organisation, client, django_assert_max_num_queries
):
    query = "action=case.&date_from=2026-12-01"
    page, api = _page(inspector, client), _api(inspector)
    few_page, few_api = _count(page, f"{PAGE}?{query}"), _count(api, f"{API}?{query}")
    for i in range(15):
        audit.record(action="case.step", actor=head, organisation=organisation, target_id=i)
    with django_assert_max_num_queries(few_page):
        assert page.get(f"{PAGE}?{query}").status_code == 200
    with django_assert_max_num_queries(few_api):
        assert api.get(f"{API}?{query}").status_code == 200
