"""Refusal grounds whose wording is unconfirmed (legal review row 30): marked on the review
form and in the API, refused in a signed refusal until an administrator confirms the text
(admin action, ledgered)."""

import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from rest_framework.test import APIClient

from audit.models import LedgerEvent
from tests.workflows.helpers import open_task, submit, task_url
from workflows.cases.models import Case
from workflows.rules import deadlines
from workflows.rules.grounds import refusal_ground_confirm
from workflows.rules.models import RefusalGround

VN = ZoneInfo("Asia/Ho_Chi_Minh")
MARK = "(chưa xác nhận văn bản)"


@pytest.fixture(autouse=True)
def _monday():
    # The 2026 regime (whose Press Law 2025 grounds are a paraphrase) governs this date.
    with time_machine.travel(datetime(2026, 11, 30, 10, tzinfo=VN), tick=True):
        yield


@pytest.fixture
def at_review(journalist, organisation, staff, act, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case = submit(journalist, organisation)
    act(
        staff["vanthu"], case, "triage", {"action": "accept", "assignees": [staff["chuyenvien"].pk]}
    )
    act(staff["chuyenvien"], case, "draft", {"action": "submit", "answer": "Dự thảo"})
    return case


def _ground(case) -> RefusalGround:
    return deadlines.refusal_grounds_for(case.received_at)[0]


def test_the_seeded_press_law_grounds_are_unconfirmed(at_review):
    assert all(g.unconfirmed for g in deadlines.refusal_grounds_for(at_review.received_at))


def test_the_review_form_marks_an_unconfirmed_ground(at_review, staff, client):
    client.force_login(staff["phatngon"])
    task = open_task(at_review, "review")
    client.post(task_url(task, "assign"), {})
    page = client.get(task_url(task, "execute")).content.decode()
    assert MARK in page
    refusal_ground_confirm(ground=_ground(at_review), by=staff["lanhdao"])
    page = client.get(task_url(task, "execute")).content.decode()
    assert page.count(MARK) == len(deadlines.refusal_grounds_for(at_review.received_at)) - 1


def test_refusing_on_an_unconfirmed_ground_is_refused_at_the_step(at_review, staff, act):
    ground = _ground(at_review)
    r = act(
        staff["phatngon"],
        at_review,
        "review",
        {"action": "refuse", "ground": ground.code, "reason": "Đang thanh tra"},
        expect=200,
    )
    assert "chưa được xác nhận văn bản gốc" in r.content.decode()
    assert at_review.status == Case.Status.REVIEW and at_review.refusal_ground is None
    assert not LedgerEvent.objects.filter(action="case.review.refuse").exists()


def test_the_api_shows_the_flag_and_refuses_with_a_stable_code(at_review, staff):
    api = APIClient()
    api.force_authenticate(staff["phatngon"])
    task = open_task(at_review, "review")
    grounds = api.get(f"/api/v1/tasks/{task.pk}/").json()["refusal_grounds"]
    assert grounds and all(g["wording_confirmed"] is False for g in grounds)
    r = api.post(
        f"/api/v1/tasks/{task.pk}/complete/",
        {"action": "refuse", "ground": grounds[0]["code"], "reason": "Đang thanh tra"},
        format="json",
    )
    assert r.status_code == 400, r.content
    body = r.json()
    assert body["code"] == "validation_error" and body["reason"] == "ground_unconfirmed"
    assert "ground" in body["fields"]


def test_a_confirmed_ground_is_signed_and_printed(at_review, staff, act):
    ground = refusal_ground_confirm(ground=_ground(at_review), by=staff["lanhdao"])
    act(
        staff["phatngon"],
        at_review,
        "review",
        {"action": "refuse", "ground": ground.code, "reason": "Đang thanh tra"},
    )
    act(staff["lanhdao"], at_review, "signoff", {"action": "sign", "confirm": "on"})
    assert at_review.document is not None and ground.citation in at_review.document.body


def test_a_ground_unconfirmed_after_review_cannot_be_signed(at_review, staff, act):
    ground = refusal_ground_confirm(ground=_ground(at_review), by=staff["lanhdao"])
    act(
        staff["phatngon"],
        at_review,
        "review",
        {"action": "refuse", "ground": ground.code, "reason": "Đang thanh tra"},
    )
    RefusalGround.objects.filter(pk=ground.pk).update(unconfirmed=True)
    r = act(staff["lanhdao"], at_review, "signoff", {"action": "sign", "confirm": "on"}, expect=200)
    assert "chưa được xác nhận văn bản gốc" in r.content.decode()
    assert at_review.status == Case.Status.SIGNOFF and at_review.document is None


def test_the_admin_action_confirms_the_wording_and_ledgers_it(at_review, admin_user, client):
    ground = _ground(at_review)
    client.force_login(admin_user)
    r = client.post(
        "/quan-tri/workflows/refusalground/",
        {"action": "confirm_wording", "_selected_action": [ground.pk]},
    )
    assert r.status_code == 302, r.content[:500]
    ground.refresh_from_db()
    assert ground.unconfirmed is False
    event = LedgerEvent.objects.get(action="refusal_ground.confirm")
    assert event.actor_id == admin_user.pk
    assert json.loads(event.before) == {"unconfirmed": True}
    assert json.loads(event.after)["unconfirmed"] is False


@pytest.mark.parametrize("who", ["vanthu", "chuyenvien", "phatngon", "lanhdao", "thanhtra"])
def test_staff_without_the_admin_cannot_confirm(at_review, staff, client, who):
    ground = _ground(at_review)
    client.force_login(staff[who])
    r = client.post(
        "/quan-tri/workflows/refusalground/",
        {"action": "confirm_wording", "_selected_action": [ground.pk]},
    )
    assert r.status_code in (302, 403)
    ground.refresh_from_db()
    assert ground.unconfirmed is True
    assert not LedgerEvent.objects.filter(action="refusal_ground.confirm").exists()
