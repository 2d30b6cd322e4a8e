"""Plan topics on the staff pages: set at a case's triage, chosen when opening a statement."""

from datetime import datetime

import pytest
import time_machine

from audit.models import LedgerEvent
from roles.models import PlanTopic
from tests.workflows.helpers import open_task, submit, task_url
from workflows.rules.calendar import VN_TZ
from workflows.statements.models import Statement

CREATE_URL = "/workspace/statements/pages/tao/"


@pytest.fixture(autouse=True)
def _november_2026():
    """Before any fixture records a ledger event: the plan's year is 2026."""
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
        "last_year": topic(organisation, 4, year=2025),
        "other_org": topic(other_organisation, 1),
    }


@pytest.fixture
def case(journalist, organisation, staff, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return submit(journalist, organisation)


def test_triage_offers_this_years_active_topics_and_stores_the_chosen(
    client, staff, case, topics, act
):
    client.force_login(staff["vanthu"])
    task = open_task(case, "triage")
    client.post(task_url(task, "assign"), {})
    page = client.get(task_url(task, "execute")).content.decode()

    assert "Nội dung kế hoạch truyền thông" in page
    offered = set(client.get(task_url(task, "execute")).context["form"].fields["topics"].queryset)
    assert offered == {topics["one"], topics["two"]}

    act(
        staff["vanthu"],
        case,
        "triage",
        {
            "action": "accept",
            "assignees": [staff["chuyenvien"].pk],
            "topics": [topics["one"].pk, topics["two"].pk],
        },
    )

    assert set(case.topics.all()) == {topics["one"], topics["two"]}
    event = LedgerEvent.objects.get(action="case.triage.accept")
    assert event.after_data["topics"] == [1, 2]


@pytest.mark.parametrize("which", ["inactive", "last_year", "other_org"])
def test_triage_refuses_a_topic_outside_the_plan(staff, case, topics, act, which):
    r = act(
        staff["vanthu"],
        case,
        "triage",
        {"action": "accept", "assignees": [staff["chuyenvien"].pk], "topics": [topics[which].pk]},
        expect=200,
    )

    assert r.context["form"].errors["topics"]
    assert not case.topics.exists()
    assert open_task(case, "triage")


def test_triage_without_a_plan_shows_no_topics(client, staff, case):
    client.force_login(staff["vanthu"])
    task = open_task(case, "triage")
    client.post(task_url(task, "assign"), {})

    form = client.get(task_url(task, "execute")).context["form"]

    assert "topics" not in form.fields


def test_the_statement_page_stores_topics(client, staff, organisation, topics):
    client.force_login(staff["phatngon"])
    page = client.get(CREATE_URL)
    assert set(page.context["form"].fields["topics"].queryset) == {topics["one"], topics["two"]}

    r = client.post(
        CREATE_URL,
        {
            "organisation": organisation.pk,
            "kind": "periodic",
            "title": "Thông tin định kỳ tháng 11",
            "body": "",
            "topics": [topics["two"].pk],
        },
    )

    assert r.status_code == 302, r.content.decode()[:2000]
    assert list(Statement.objects.get().topics.all()) == [topics["two"]]


def test_the_statement_page_refuses_another_organisations_topic(
    client, staff, organisation, topics
):
    client.force_login(staff["phatngon"])

    r = client.post(
        CREATE_URL,
        {
            "organisation": organisation.pk,
            "kind": "periodic",
            "title": "Thông tin định kỳ tháng 11",
            "body": "",
            "topics": [topics["other_org"].pk],
        },
    )

    assert r.status_code == 400
    assert r.context["form"].errors["topics"]
    assert not Statement.objects.exists()
