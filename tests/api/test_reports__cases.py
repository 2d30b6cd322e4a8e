"""GET /api/v1/reports/cases/: staff, inspectors and leaders above read; everyone else is refused."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from audit.models import LedgerEvent
from roles.models import Role
from tests.conftest import _staff
from tests.reports.conftest import make_case, vn
from workflows.cases.models import Case

from .conftest import assert_error

URL = "/api/v1/reports/cases/"
NOW = vn(2026, 11, 16, 9)
S = Case.Status


def _query(organisation, start="2026-10-01", end="2026-10-31", **extra):
    return {"organisation": organisation.code, "from": start, "to": end, **extra}


@pytest.fixture
def cases(organisation, journalist):
    make_case(
        organisation,
        journalist,
        received_at=vn(2026, 10, 1, 0, 10),
        status=S.ANSWERED,
        closed_at=vn(2026, 10, 6, 9),
        due_at=vn(2026, 10, 8, 23, 59),
    )
    make_case(
        organisation,
        journalist,
        received_at=vn(2026, 10, 5, 9),
        status=S.ANSWERED,
        closed_at=vn(2026, 10, 20, 9),
        due_at=vn(2026, 10, 12, 23, 59),
        kind=Case.Kind.PRESS_REPORT,
    )
    make_case(
        organisation,
        journalist,
        received_at=vn(2026, 10, 20, 9),
        status=S.REFUSED,
        closed_at=vn(2026, 10, 22, 9),
    )
    make_case(
        organisation,
        journalist,
        received_at=vn(2026, 10, 31, 23, 59),
        status=S.REVIEW,
        due_at=vn(2026, 11, 7, 23, 59),
    )
    # The evening before in Vietnam time: not October.
    make_case(organisation, journalist, received_at=vn(2026, 9, 30, 23, 59), status=S.REVIEW)


@time_machine.travel(NOW, tick=False)
def test_staff_read_the_figures(api, organisation, registry_officer, cases):
    r = api(registry_officer).get(URL, _query(organisation))

    assert r.status_code == 200, r.content
    assert r.json() == {
        "organisation": "pgddt-thuan-an",
        "from": "2026-10-01",
        "to": "2026-10-31",
        "subordinates": False,
        "received": 4,
        "answered": 2,
        "refused": 1,
        "forwarded": 0,
        "open": 1,
        "overdue": 1,
        "on_time_rate": 0.5,
        # 3 (1/10 → 6/10) and 11 working days (5/10 → 20/10).
        "median_working_days_to_answer": 7.0,
        "by_kind": {"question": 3, "answer_request": 0, "press_report": 1, "complaint": 0},
    }


@time_machine.travel(NOW, tick=False)
def test_inspector_and_leaders_above_read(api, organisation, inspector, province, cases):
    province_head = _staff("giamdoc", province, Role.HEAD, "Giám đốc")
    province_inspector = _staff("thanhtraso", province, Role.INSPECTOR, "Thanh tra viên")

    for user in (inspector, province_head, province_inspector):
        r = api(user).get(URL, _query(organisation))
        assert r.status_code == 200, (user.username, r.content)
        assert r.json()["received"] == 4


@time_machine.travel(NOW, tick=False)
def test_leaders_above_add_up_the_subordinates(
    api, province, organisation, other_organisation, journalist, cases
):
    province_head = _staff("giamdoc", province, Role.HEAD, "Giám đốc")
    make_case(other_organisation, journalist, received_at=vn(2026, 10, 2, 9))

    alone = api(province_head).get(URL, _query(province)).json()
    together = api(province_head).get(URL, _query(province, subordinates="true")).json()

    assert alone["received"] == 0
    assert alone["on_time_rate"] is None
    assert alone["median_working_days_to_answer"] is None
    assert together["received"] == 5
    assert sum(together["by_kind"].values()) == 5


def test_staff_below_may_not_add_up(api, organisation, registry_officer):
    r = api(registry_officer).get(URL, _query(organisation, subordinates="true"))

    assert_error(r, 403, "permission_denied")


@pytest.mark.parametrize("who", ["journalist", "outsider", "province_staff"])
def test_others_are_refused(request, api, organisation, province, who):
    if who == "province_staff":
        # Staff of the Sở without a leading role: the Sở's figures only, not those below.
        user = _staff("vanthuso", province, Role.REGISTRY_OFFICER, "Văn thư")
    else:
        user = request.getfixturevalue(who)

    r = api(user).get(URL, _query(organisation))

    assert_error(r, 403, "permission_denied")
    assert LedgerEvent.objects.filter(action="access.denied", actor_username=user.username).exists()


def test_anonymous_is_refused(anon, organisation):
    assert_error(anon.get(URL, _query(organisation)), 401, "not_authenticated")


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"from": "2026-10-31", "to": "2026-10-01"}, "to"),
        ({"from": "2026-13-01"}, "from"),
        ({"from": "hôm qua"}, "from"),
        ({"to": ""}, "to"),
        ({"from": "0001-01-01"}, "from"),
        ({"organisation": "khong-co"}, "organisation"),
        ({"organisation": ""}, "organisation"),
    ],
)
def test_bad_queries_are_validation_errors(api, organisation, registry_officer, params, field):
    query = _query(organisation) | params

    body = assert_error(api(registry_officer).get(URL, query), 400, "validation_error")

    assert field in body["fields"], body


def test_same_day_period_and_missing_dates(api, organisation, registry_officer, journalist):
    make_case(organisation, journalist, received_at=vn(2026, 10, 7, 12))

    one_day = api(registry_officer).get(URL, _query(organisation, "2026-10-07", "2026-10-07"))
    missing = api(registry_officer).get(URL, {"organisation": organisation.code})

    assert one_day.json()["received"] == 1
    body = assert_error(missing, 400, "validation_error")
    assert set(body["fields"]) == {"from", "to"}


def _queries(client, query) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(URL, query).status_code == 200
    return len(ctx.captured_queries)


@time_machine.travel(NOW, tick=False)
def test_query_count_does_not_grow_with_the_cases(api, organisation, journalist, registry_officer):
    client = api(registry_officer)

    def add(n):
        for i in range(n):
            make_case(
                organisation,
                journalist,
                received_at=vn(2026, 10, 1 + i % 28, 9),
                status=[S.ANSWERED, S.REVIEW, S.REFUSED][i % 3],
                kind=Case.Kind.values[i % 4],
                closed_at=vn(2026, 10, 1 + i % 28, 9) + timedelta(days=1 + i % 5),
                due_at=vn(2026, 10, 2 + i % 28, 23),
            )

    add(3)
    # Warm the per-process caches (the calendar's swaps are read once per 5 minutes).
    client.get(URL, _query(organisation))
    with_3 = _queries(client, _query(organisation))
    add(27)
    with_30 = _queries(client, _query(organisation))

    assert with_3 == with_30, (with_3, with_30)
    assert api(registry_officer).get(URL, _query(organisation)).json()["received"] == 30


def test_in_the_openapi_schema(anon, db):
    schema = anon.get("/api/schema/?format=json").json()

    operation = schema["paths"][URL]["get"]
    names = {p["name"] for p in operation["parameters"]}
    assert {"organisation", "from", "to", "subordinates"} <= names
    ref = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    body = schema["components"]["schemas"][ref.rsplit("/", 1)[1]]
    assert {"on_time_rate", "median_working_days_to_answer", "by_kind", "from"} <= set(
        body["properties"]
    )
