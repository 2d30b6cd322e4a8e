"""Plan topics in REST API v1: read on cases and statements, given when opening a statement."""

import pytest
import time_machine

from reports.selectors import VN_TZ
from roles.models import PlanTopic
from tests.api.conftest import assert_error
from tests.workflows.helpers import submit
from workflows.statements.models import Statement

URL = "/api/v1/statements/"


@pytest.fixture(autouse=True)
def _november_2026():
    """Before any fixture records a ledger event: topics belong to the year 2026."""
    from datetime import datetime

    with time_machine.travel(datetime(2026, 11, 30, 10, tzinfo=VN_TZ), tick=True):
        yield


@pytest.fixture
def topics(organisation, other_organisation):
    def topic(org, number, year=2026, **kw):
        return PlanTopic.objects.create(
            organisation=org, year=year, number=number, title=f"Nội dung {number}", **kw
        )

    return {
        "one": topic(organisation, 1),
        "two": topic(organisation, 2),
        "inactive": topic(organisation, 3, is_active=False),
        "last_year": topic(organisation, 1, year=2025),
        "other_org": topic(other_organisation, 1),
    }


def _periodic(organisation, **kw) -> dict:
    return {"organisation": organisation.code, "kind": "periodic", "title": "Tháng 11", **kw}


def test_a_statement_is_opened_with_topics_and_shows_them(api, staff, organisation, topics):
    r = api(staff["phatngon"]).post(
        URL, _periodic(organisation, topics=[topics["two"].pk, topics["one"].pk]), format="json"
    )

    assert r.status_code == 201, r.content
    expected = [
        {"id": t.pk, "year": 2026, "number": t.number, "title": t.title}
        for t in (topics["one"], topics["two"])
    ]
    assert sorted(r.json()["topics"], key=lambda t: t["number"]) == expected
    statement = Statement.objects.get()
    assert set(statement.topics.all()) == {topics["one"], topics["two"]}
    detail = api(staff["lanhdao"]).get(f"{URL}{statement.pk}/").json()
    assert sorted(t["id"] for t in detail["topics"]) == sorted(t["id"] for t in expected)
    without = api(staff["phatngon"]).post(URL, _periodic(organisation), format="json")
    assert without.status_code == 201 and without.json()["topics"] == []


@pytest.mark.parametrize("which", ["inactive", "last_year", "other_org"])
def test_a_topic_outside_the_organisations_plan_of_the_year_is_refused(
    api, staff, organisation, topics, which
):
    r = api(staff["phatngon"]).post(
        URL, _periodic(organisation, topics=[topics["one"].pk, topics[which].pk]), format="json"
    )

    body = assert_error(r, 400, "validation_error")
    assert body["reason"] == "topics" and "topics" in body["fields"]
    assert "kế hoạch truyền thông năm 2026" in body["fields"]["topics"][0]
    assert not Statement.objects.exists()


@pytest.mark.parametrize("bad", [[999_999], ["một"], "1", [0], [None]])
def test_malformed_or_unknown_topics_are_a_validation_error(api, staff, organisation, bad):
    r = api(staff["phatngon"]).post(URL, _periodic(organisation, topics=bad), format="json")

    body = assert_error(r, 400, "validation_error")
    assert any(key.startswith("topics") for key in body["fields"]), body
    assert not Statement.objects.exists()


def test_who_may_not_open_a_statement_is_still_refused_with_topics(
    api, staff, organisation, topics, journalist, outsider
):
    data = _periodic(organisation, topics=[topics["one"].pk])

    assert_error(api(journalist).post(URL, data, format="json"), 403, "permission_denied")
    assert_error(api(outsider).post(URL, data, format="json"), 403, "permission_denied")
    assert not Statement.objects.exists()


def test_case_topics_are_shown_to_staff_only(
    api, staff, organisation, topics, journalist, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        case = submit(journalist, organisation)
    case.topics.set([topics["two"]])

    staff_view = api(staff["vanthu"]).get(f"/api/v1/cases/{case.pk}/").json()
    listed = api(staff["thanhtra"]).get("/api/v1/cases/").json()["results"]
    own_view = api(journalist).get(f"/api/v1/cases/{case.pk}/").json()

    assert staff_view["topics"] == [
        {"id": topics["two"].pk, "year": 2026, "number": 2, "title": "Nội dung 2"}
    ]
    assert listed[0]["topics"] == staff_view["topics"]
    assert own_view["topics"] is None  # the plan is the agency's own business
