"""POST /api/v1/tasks/{id}/reassign/: the web's "Chuyển cho đồng nghiệp" through the API —
the same service, the same ledger event and notification, a 403 for every wrong role."""

import json

import pytest
from viewflow.workflow.status import STATUS

from audit.models import LedgerEvent
from roles import services as role_services
from roles.models import Role
from tests.api.conftest import assert_error
from tests.factories import UserFactory
from tests.workflows.helpers import open_task
from workflows.notifications.models import Notification


@pytest.fixture
def other_specialist(organisation, unit):
    user = UserFactory(username="chuyenvien2", first_name="Hà", last_name="Trần Thu")
    role_services.membership_grant(
        user=user, organisation=organisation, role=Role.SPECIALIST, title="CV", unit=unit
    )
    return user


@pytest.fixture
def draft_task(api, case, staff):
    """The case accepted and given to `chuyenvien`, who holds its drafting task."""
    r = api(staff["vanthu"]).post(
        f"/api/v1/tasks/{open_task(case, 'triage').pk}/complete/",
        {"action": "accept", "assignee": "chuyenvien"},
        format="json",
    )
    assert r.status_code == 200, r.content
    task = open_task(case, "draft")
    assert task.owner == staff["chuyenvien"] and task.status == STATUS.ASSIGNED
    return task


def _url(task, what="reassign"):
    return f"/api/v1/tasks/{task.pk}/{what}/"


def test_the_holder_hands_the_draft_to_a_colleague(api, case, staff, draft_task, other_specialist):
    holder = api(staff["chuyenvien"])
    colleagues = holder.get(_url(draft_task, "colleagues"))
    assert colleagues.status_code == 200
    assert {c["username"] for c in colleagues.json()} == {"chuyenvien2"}
    assert colleagues.json()[0]["name"] == other_specialist.get_full_name()

    r = holder.post(
        _url(draft_task), {"to": other_specialist.pk, "reason": "Tôi đi công tác."}, format="json"
    )
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["id"] == draft_task.pk and body["assignee"] == "chuyenvien2"
    draft_task.refresh_from_db()
    assert draft_task.owner == other_specialist and draft_task.status == STATUS.ASSIGNED
    # Ledgered as on the web page, and the colleague is told.
    event = LedgerEvent.objects.get(action="task.reassign")
    assert event.actor == staff["chuyenvien"]
    assert json.loads(event.before) == {"owner": "chuyenvien"}
    after = json.loads(event.after)
    assert after["owner"] == "chuyenvien2" and after["reason"] == "Tôi đi công tác."
    assert Notification.objects.filter(user=other_specialist).count() == 1
    # The colleague completes it without claiming.
    r = api(other_specialist).post(
        f"/api/v1/tasks/{draft_task.pk}/complete/",
        {"action": "submit", "answer": "Trả lời."},
        format="json",
    )
    assert r.status_code == 200 and r.json()["status"] == "review", r.content


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"to": "OTHER", "reason": "   "}, "reason"),
        ({"to": "OTHER"}, "reason"),
        ({"to": "lanhdao", "reason": "Thử"}, "to"),  # not a specialist
        ({"to": "outsider", "reason": "Thử"}, "to"),  # another organisation
        ({"to": "chuyenvien", "reason": "Thử"}, "to"),  # the holder themself
        ({"to": 987654, "reason": "Thử"}, "to"),  # nobody
        ({"to": "x", "reason": "Thử"}, "to"),
        ({"reason": "Thử"}, "to"),
    ],
)
def test_a_reason_and_a_colleague_are_required(
    api, staff, draft_task, other_specialist, outsider, data, field
):
    people = {"OTHER": other_specialist, "outsider": outsider, **staff}
    to = data.get("to")
    if isinstance(to, str) and to in people:
        data = {**data, "to": people[to].pk}
    r = api(staff["chuyenvien"]).post(_url(draft_task), data, format="json")
    body = assert_error(r, 400, "validation_error")
    assert field in body["fields"], body
    draft_task.refresh_from_db()
    assert draft_task.owner == staff["chuyenvien"]
    assert not LedgerEvent.objects.filter(action="task.reassign").exists()


@pytest.mark.parametrize(
    "persona",
    ["vanthu", "phatngon", "lanhdao", "pholanhdao", "thanhtra", "other_specialist", "outsider"],
)
def test_only_the_holder_may_reassign(
    request, api, staff, draft_task, other_specialist, outsider, persona
):
    user = staff.get(persona) or request.getfixturevalue(persona)
    client = api(user)
    data = {"to": other_specialist.pk, "reason": "Thử"}
    assert_error(client.post(_url(draft_task), data, format="json"), 403, "permission_denied")
    assert_error(client.post(_url(draft_task), {}, format="json"), 403, "permission_denied")
    assert_error(client.get(_url(draft_task, "colleagues")), 403, "permission_denied")
    draft_task.refresh_from_db()
    assert draft_task.owner == staff["chuyenvien"]


def test_journalists_and_strangers_are_refused(api, anon, journalist, draft_task, other_specialist):
    data = {"to": other_specialist.pk, "reason": "Thử"}
    assert_error(
        api(journalist).post(_url(draft_task), data, format="json"), 403, "permission_denied"
    )
    assert_error(anon.post(_url(draft_task), data, format="json"), 401, "not_authenticated")
    assert_error(api(journalist).get(_url(draft_task, "colleagues")), 403, "permission_denied")


def test_a_task_nobody_holds_cannot_be_reassigned(api, case, staff, other_specialist):
    # The triage task waits in the queue: claim it, don't reassign it.
    task = open_task(case, "triage")
    r = api(staff["vanthu"]).post(_url(task), {"to": staff["phatngon"].pk, "reason": "Thử"})
    assert_error(r, 403, "permission_denied")
    api(staff["vanthu"]).post(f"/api/v1/tasks/{task.pk}/claim/")
    r = api(staff["vanthu"]).post(
        _url(task), {"to": staff["phatngon"].pk, "reason": "Nhờ anh phân loại."}, format="json"
    )
    assert r.status_code == 200, r.content
    assert r.json()["assignee"] == "phatngon"


def test_unknown_task_is_404(api, staff, db):
    assert_error(
        api(staff["chuyenvien"]).post("/api/v1/tasks/999999/reassign/", {}), 404, "not_found"
    )


def test_reassign_is_in_the_openapi_schema(anon, db):
    schema = anon.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    operation = schema["paths"]["/api/v1/tasks/{id}/reassign/"]["post"]
    assert operation["summary"] == "Chuyển công việc cho đồng nghiệp"
    assert {"200", "400", "403", "409"} <= set(operation["responses"])
    assert "/api/v1/tasks/{id}/colleagues/" in schema["paths"]
    ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    request_body = schema["components"]["schemas"][ref.rsplit("/", 1)[-1]]
    assert set(request_body["required"]) == {"to", "reason"}
